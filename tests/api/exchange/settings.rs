//! Project settings through `/v1/store/exchange_project`: OWNER and ADMIN only, per environment,
//! validated field by field, audited.

use super::set_project;
use crate::both;
use crate::helpers::TestApp;
use paylink::domain::Environment;
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

const PATH: &str = "/v1/store/exchange_project";

async fn patch(app: &TestApp, key: &str, body: Value) -> crate::helpers::Resp {
    app.call("PATCH", PATH, Some(key), Some(body)).await
}

both!(a_project_starts_with_the_defaults_and_keeps_what_is_set, |app: Arc<TestApp>| async move {
    let r = app.get(&app.owner_key, PATH).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let expected = json!({"object": "exchange_project", "project_id": app.store_id.to_string(), "environment": "sandbox",
        "invoices_url": format!("{}/exchange/projects/{}/invoices", app.base, app.store_id),
        "callback_url": null, "callback_enabled": false, "email_on_failure": true, "failure_email": null,
        "updated_at": null});
    assert_eq!(r.body, expected);
    let set = set_project(
        &app,
        json!({"callback_url": "https://shop.example/paid?token=s3cret",
        "callback_enabled": true, "failure_email": "ops@shop.example"}),
    )
    .await;
    assert_eq!(
        (set["callback_enabled"].as_bool(), set["failure_email"].as_str()),
        (Some(true), Some("ops@shop.example"))
    );
    assert!(set["updated_at"].is_string());
    let partial = set_project(&app, json!({"email_on_failure": false})).await;
    assert_eq!(partial["callback_url"], "https://shop.example/paid?token=s3cret", "absent fields stay");
    assert_eq!(app.get(&app.owner_key, PATH).await.body, partial);
    let cleared =
        set_project(&app, json!({"callback_enabled": false, "callback_url": null, "failure_email": null})).await;
    assert_eq!((&cleared["callback_url"], &cleared["failure_email"]), (&json!(null), &json!(null)));
    // Audited, without the URL's query (it may carry the merchant's token).
    paylink::worker::run_pending(&app.ctx).await;
    let log = app.get(&app.owner_key, "/v1/audit_log?limit=100").await;
    let entries: Vec<&Value> = log.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "store.exchange_project.update")
        .collect();
    assert_eq!(entries.len(), 3, "{}", log.text);
    assert!(!log.text.contains("s3cret"), "{}", log.text);
});

both!(owners_and_admins_may_change_settings_and_other_roles_get_403, |app: Arc<TestApp>| async move {
    let (_, admin) = app.staff(Role::Admin, None).await;
    assert_eq!(patch(&app, &admin, json!({"email_on_failure": false})).await.status, 200);
    let branch = app.branch_id.clone();
    for (role, branch) in [
        (Role::Operation, None),
        (Role::Accounting, None),
        (Role::Supervisor, Some(branch.as_str())),
        (Role::Cashier, Some(branch.as_str())),
    ] {
        let (_, key) = app.staff(role, branch).await;
        let read = app.get(&key, PATH).await;
        assert_eq!(
            (read.status, read.body["error_code"].as_str()),
            (403, Some("FORBIDDEN")),
            "{role:?}: {}",
            read.text
        );
        assert_eq!(patch(&app, &key, json!({"email_on_failure": true})).await.status, 403, "{role:?}");
    }
    assert_eq!(app.get(&app.owner_key, PATH).await.body["email_on_failure"], false);
});

both!(each_environment_has_its_own_project, |app: Arc<TestApp>| async move {
    set_project(&app, json!({"callback_url": "http://127.0.0.1:9/cb", "callback_enabled": true})).await;
    let (_, live) = app.staff_in(Role::Owner, None, Environment::Production).await;
    let r = app.get(&live, PATH).await.body;
    assert_eq!((r["environment"].as_str(), r["callback_enabled"].as_bool()), (Some("production"), Some(false)));
    // Production may not call a loopback address (the sandbox may, for local receivers).
    let refused = patch(&app, &live, json!({"callback_url": "http://127.0.0.1:9/cb"})).await;
    assert_eq!((refused.status, refused.body["details"]["callback_url"].is_string()), (400, true), "{}", refused.text);
});

both!(invalid_settings_are_400_naming_the_field, |app: Arc<TestApp>| async move {
    let cases = [
        (json!({"callback_url": "not a url"}), "callback_url"),
        (json!({"callback_url": "ftp://shop.example/cb"}), "callback_url"),
        (json!({"callback_url": ""}), "callback_url"),
        (json!({"failure_email": "nope"}), "failure_email"),
        (json!({"callback_enabled": true}), "callback_enabled"),
        (json!({"callback_enabled": "yes"}), "callback_enabled"),
        (json!({"email_on_failure": 1}), "email_on_failure"),
        (json!({"callback": true}), "callback"),
    ];
    for (body, field) in cases {
        let r = patch(&app, &app.owner_key, body.clone()).await;
        assert_eq!(r.status, 400, "{body}: {}", r.text);
        assert!(r.body["details"][field].is_string(), "{body}: {}", r.text);
    }
    set_project(&app, json!({"callback_url": "https://shop.example/cb", "callback_enabled": true})).await;
    let r = patch(&app, &app.owner_key, json!({"callback_url": null})).await;
    assert_eq!(
        (r.status, r.body["details"]["callback_url"].is_string()),
        (400, true),
        "an enabled callback keeps its URL"
    );
});
