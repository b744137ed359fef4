//! The audit trail: link, user and key changes recorded with actor, before and after (never a
//! secret); `/v1/audit_log` for OWNER, ADMIN and ACCOUNTING only; concurrent chainers building
//! one linear chain. Tampering, detected by the real `paylink audit verify`, is in `tamper`.

use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use paylink::service::audit::{self, Verdict};
use serde_json::{Value, json};
use std::sync::Arc;

pub(crate) mod tamper;

fn actions(body: &Value) -> Vec<String> {
    body["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

async fn entries(app: &TestApp, key: &str, query: &str) -> Vec<Value> {
    let r = app.get(key, &format!("/v1/audit_log?limit=100{query}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().unwrap().clone()
}

both!(link_creation_and_cancellation_are_audited_with_actor_before_and_after, |app: Arc<TestApp>| async move {
    let (owner, key) = app.staff(Role::Owner, None).await;
    let body = json!({"amount": "12.50", "title": "Audited", "reference_id": "A-1"});
    let link = app.create_link(&key, body.clone()).await;
    let id = link["id"].as_str().unwrap();
    assert_eq!(app.post(&key, "/v1/payment_links", body).await.status, 409, "a refused change leaves no entry");
    let cancel = app.post(&key, &format!("/v1/payment_links/{id}/cancel"), json!({})).await;
    assert_eq!(cancel.status, 200, "{}", cancel.text);
    paylink::worker::run_pending(&app.ctx).await;
    let r = app.get(&key, &format!("/v1/audit_log?object_id={id}")).await;
    assert_eq!(actions(&r.body), ["payment_link.cancel", "payment_link.create"], "{}", r.text);
    let (cancelled, created) = (&r.body["data"][0], &r.body["data"][1]);
    assert_eq!(created["before"], Value::Null);
    assert_eq!(
        (&created["after"]["status"], &created["after"]["amount_minor"], &created["after"]["currency"]),
        (&json!("open"), &json!(1250), &json!("SAR"))
    );
    assert_eq!((&cancelled["before"]["status"], &cancelled["after"]["status"]), (&json!("open"), &json!("cancelled")));
    assert_eq!(
        (cancelled["actor"]["id"].as_str(), cancelled["actor"]["role"].as_str()),
        (Some(&*owner), Some("OWNER"))
    );
    assert!(cancelled["actor"]["key_id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(
        (cancelled["object_type"].as_str(), cancelled["environment"].as_str()),
        (Some("payment_link"), Some("sandbox"))
    );
    assert_eq!(cancelled["store_id"], app.store_id.as_str());
    assert_eq!(cancelled["request_id"].as_str(), cancel.headers["x-request-id"].to_str().ok());
    assert_eq!(cancelled["sequence"].as_i64(), created["sequence"].as_i64().map(|s| s + 1), "chained in order");
    assert_eq!(cancelled["prev_hash"], created["hash"]);
    for secret in [&link["secret"], &link["short_code"]].into_iter().filter_map(Value::as_str) {
        assert!(!r.text.contains(secret), "no link secret in the audit log");
    }
    assert_eq!(entries(&app, &key, "").await.len(), 2, "the refused duplicate wrote nothing");
    let one = app.get(&key, &format!("/v1/audit_log/{}", cancelled["id"].as_str().unwrap())).await;
    assert_eq!((one.status, &one.body), (200, cancelled));
});

both!(user_and_key_changes_are_audited_without_secrets, |app: Arc<TestApp>| async move {
    let key = app.owner_key.clone();
    let user = app
        .post(&key, "/v1/users", json!({"email": "c@example.com", "role": "CASHIER", "branch": app.branch_id}))
        .await;
    let uid = user.body["id"].as_str().unwrap().to_owned();
    let renamed = app.call("PATCH", &format!("/v1/users/{uid}"), Some(&key), Some(json!({"name": "Till 1"}))).await;
    assert_eq!(renamed.status, 200, "{}", renamed.text);
    assert_eq!(app.post(&key, &format!("/v1/users/{uid}/disable"), json!({})).await.status, 200);
    let made =
        app.post(&key, "/v1/api_keys", json!({"name": "till", "role": "CASHIER", "branch": app.branch_id})).await;
    let kid = made.body["id"].as_str().unwrap().to_owned();
    let patch = app.call("PATCH", &format!("/v1/api_keys/{kid}"), Some(&key), Some(json!({"name": "till 2"}))).await;
    assert_eq!(patch.status, 200, "{}", patch.text);
    assert_eq!(app.post(&key, &format!("/v1/api_keys/{kid}/revoke"), json!({})).await.status, 200);
    paylink::worker::run_pending(&app.ctx).await;
    let all = app.get(&key, "/v1/audit_log?limit=100").await;
    let expected = ["key.revoke", "key.update", "key.create", "user.disable", "user.update", "user.create"];
    assert_eq!(actions(&all.body), expected, "{}", all.text);
    let data = all.body["data"].as_array().unwrap();
    let seqs: Vec<i64> = data.iter().map(|e| e["sequence"].as_i64().unwrap()).collect();
    assert_eq!(seqs, [6, 5, 4, 3, 2, 1]);
    assert_eq!((&data[4]["before"]["name"], &data[4]["after"]["name"]), (&json!("c@example.com"), &json!("Till 1")));
    assert_eq!((&data[3]["before"]["disabled"], &data[3]["after"]["disabled"]), (&json!(false), &json!(true)));
    assert_eq!((&data[3]["store_id"], &data[3]["environment"]), (&Value::Null, &Value::Null), "users have neither");
    assert_eq!((&data[2]["after"]["role"], &data[2]["after"]["name"]), (&json!("CASHIER"), &json!("till")));
    assert_eq!((&data[0]["before"]["revoked"], &data[0]["after"]["revoked"]), (&json!(false), &json!(true)));
    let secrets = [&made.body["secret"], &made.body["prefix"], &user.body["password"]];
    for secret in secrets.into_iter().map(|s| s.as_str().unwrap()) {
        assert!(!all.text.contains(secret), "no secret or key prefix in the audit log");
    }
    let (actor, key_id) = (data[0]["actor"]["id"].as_str().unwrap(), data[0]["actor"]["key_id"].as_str().unwrap());
    for (query, n) in [
        ("&action=key.revoke".to_owned(), 1),
        (format!("&object_id={kid}"), 3),
        (format!("&actor={actor}"), 6),
        (format!("&actor={key_id}"), 6),
        ("&actor=usr_nobody".to_owned(), 0),
        ("&created_from=2999-01-01".to_owned(), 0),
    ] {
        assert_eq!(entries(&app, &key, &query).await.len(), n, "{query}");
    }
    let first = app.get(&key, "/v1/audit_log?limit=4").await;
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = entries(&app, &key, &format!("&starting_after={cursor}")).await;
    assert_eq!(actions(&first.body).len() + rest.len(), 6);
    for (query, field) in [
        ("limit=0", "limit"),
        ("created_to=soon", "created_to"),
        ("starting_after=evt_x", "starting_after"),
        ("colour=red", "colour"),
    ] {
        let r = app.get(&key, &format!("/v1/audit_log?{query}")).await;
        assert!(r.status == 400 && r.text.contains(field), "{query}: {}", r.text);
    }
});

both!(only_owner_admin_and_accounting_read_the_audit_log_of_their_merchant, |app: Arc<TestApp>| async move {
    app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Seen"})).await;
    paylink::worker::run_pending(&app.ctx).await;
    let entry = entries(&app, &app.owner_key, "").await[0]["id"].as_str().unwrap().to_owned();
    let branch = Some(app.branch_id.as_str());
    let cases = [
        (Role::Owner, None, 200),
        (Role::Admin, None, 200),
        (Role::Accounting, None, 200),
        (Role::Operation, None, 403),
        (Role::Supervisor, branch, 403),
        (Role::Cashier, branch, 403),
    ];
    for (role, branch, status) in cases {
        let (_, key) = app.staff(role, branch).await;
        assert_eq!(app.get(&key, "/v1/audit_log").await.status, status, "{role:?} lists");
        assert_eq!(app.get(&key, &format!("/v1/audit_log/{entry}")).await.status, status, "{role:?} reads");
    }
    let foreign = app.foreign_key().await;
    assert!(entries(&app, &foreign, "").await.is_empty(), "another merchant sees nothing of ours");
    assert_eq!(app.get(&foreign, &format!("/v1/audit_log/{entry}")).await.status, 404);
    let (_, second_store) = app.second_store_key().await;
    assert_eq!(entries(&app, &second_store, "").await[0]["id"], entry.as_str(), "merchant-wide: every store");
    let (_, production) = app.staff_in(Role::Owner, None, Environment::Production).await;
    assert_eq!(app.get(&production, &format!("/v1/audit_log/{entry}")).await.status, 404, "sandbox stays sandbox");
    assert_eq!(
        app.post(&production, "/v1/users", json!({"email": "p@example.com", "role": "ADMIN"})).await.status,
        201
    );
    assert_eq!(actions(&app.get(&production, "/v1/audit_log").await.body), ["user.create"]);
    assert_eq!(actions(&app.get(&app.owner_key, "/v1/audit_log").await.body), ["user.create", "payment_link.create"]);
});

/// `workers` tasks creating `each` links as the owner.
fn creators(app: &Arc<TestApp>, workers: usize, each: usize) -> Vec<tokio::task::JoinHandle<()>> {
    let body = |w, i| json!({"amount": "1.00", "title": format!("w{w} #{i}")});
    (0..workers)
        .map(|w| {
            let app = app.clone();
            tokio::spawn(async move {
                for i in 0..each {
                    app.create_link(&app.owner_key, body(w, i)).await;
                }
            })
        })
        .collect()
}

both!(concurrent_chainers_build_one_linear_chain, |app: Arc<TestApp>| async move {
    // Small batches while links are being created, so chainers contend for the head…
    let mut tasks = creators(&app, 4, 10);
    for _ in 0..4 {
        let (ctx, merchant) = (app.ctx.clone(), app.merchant_id.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..15 {
                let m = merchant.clone();
                ctx.db.write(move |c| paylink::store::audit::chain(c, &m, 3)).await.expect("chain");
                tokio::task::yield_now().await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // … then a backlog of 55 taken by three full-size chainers at once (a 50-entry chunk and 5).
    for t in creators(&app, 5, 11) {
        t.await.unwrap();
    }
    let (a, b, c) =
        tokio::join!(audit::chain_pending(&app.ctx), audit::chain_pending(&app.ctx), audit::chain_pending(&app.ctx));
    assert!(a.is_ok() && b.is_ok() && c.is_ok(), "{a:?} {b:?} {c:?}");
    match audit::verify(&app.ctx).await.unwrap() {
        Verdict::Intact { entries, unchained, .. } => assert_eq!((entries, unchained), (95, 0)),
        broken => panic!("{broken:?}"),
    }
    let mut chain = entries(&app, &app.owner_key, "").await;
    chain.sort_by_key(|e| e["sequence"].as_i64().unwrap());
    let seqs: Vec<i64> = chain.iter().map(|e| e["sequence"].as_i64().unwrap()).collect();
    assert_eq!(seqs, (1..=95).collect::<Vec<_>>(), "every entry once, no gap, no fork");
    for pair in chain.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "each entry names its predecessor");
    }
});
