//! Reports on both databases: over random links, payments (online and at the branch) and refunds
//! spread across days, every figure of `/v1/reports/daily|by_method|by_branch` equals a
//! recomputation straight from the rows (days counted with the zone's plain UTC offset, no shared
//! code), for the owner, a supervisor and a cashier; in another time zone too. Bad input names
//! its field; a branch outside the actor's reach is 404.

use crate::both;
use crate::helpers::TestApp;
use crate::sandbox::{card, method_id};
use paylink::domain::access::Role;
use paylink::service::pay::{self, PayRequest, PayerForm};
use proptest::test_runner::{RngAlgorithm, TestRng};
use rand_core_shim::Rng;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The few random draws the plan needs, from proptest's generator (seed printed on failure).
mod rand_core_shim {
    pub struct Rng(pub proptest::test_runner::TestRng);

    impl Rng {
        pub fn below(&mut self, n: u64) -> u64 {
            use proptest::prelude::RngCore;
            self.0.next_u64() % n
        }
    }
}

/// One actor making links: its key, its user principal (`None` for the owner's key) and branch.
struct Maker {
    key: String,
    branch: Option<String>,
}

/// Creates a link as `m` and maybe pays it (online or at the branch) and refunds part of it.
async fn random_sale(app: &TestApp, rng: &mut Rng, m: &Maker, card_method: i64) {
    let minor = 100 + rng.below(50_000) as i64;
    let amount = format!("{}.{:02}", minor / 100, minor % 100);
    let link = app.create_link(&m.key, json!({"amount": amount, "title": "Sale"})).await;
    let id = link["id"].as_str().expect("a link").to_owned();
    let payment_id = match rng.below(3) {
        0 => return,
        1 if m.branch.is_some() => {
            let body = json!({"method": if rng.below(2) == 0 { "cash" } else { "card_terminal" }, "amount": amount, "terminal_id": "T-1"});
            let r = app.post(&m.key, &format!("/v1/payment_links/{id}/record_payment"), body).await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_str().unwrap().to_owned()
        }
        _ => {
            let req = PayRequest {
                method_id: card_method,
                instrument: card("4242424242424242"),
                payer: PayerForm::default(),
                client: None,
            };
            let p = pay::pay(&app.ctx, &id, req).await.expect("paid online");
            assert_eq!(p.status.as_str(), "succeeded");
            p.id.to_string()
        }
    };
    if rng.below(3) == 0 {
        let part = 1 + rng.below(minor as u64) as i64;
        let body = json!({"payment_id": payment_id, "amount": format!("{}.{:02}", part / 100, part % 100)});
        let r = app.post(&app.owner_key, "/v1/refunds", body).await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
}

/// Rows of one table as (instant, method, branch, creator, minor) or for links (instant, branch,
/// creator, paid).
async fn rows(app: &TestApp, sql: &'static str) -> Vec<Vec<Option<String>>> {
    let rows = app.ctx.db.read(move |c| c.query(sql, &[])).await.expect("rows");
    rows.iter()
        .map(|r| {
            (0..5)
                .map(|i| r.opt_text(i).ok().flatten().or_else(|| r.opt_i64(i).ok().flatten().map(|n| n.to_string())))
                .collect()
        })
        .collect()
}

/// `YYYY-MM-DD` of a day number since 1970-01-01 (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let (d, m) = (doy - (153 * mp + 2) / 5 + 1, if mp < 10 { mp + 3 } else { mp - 9 });
    format!("{:04}-{m:02}-{d:02}", yoe + era * 400 + i64::from(m <= 2))
}

/// Expected (payments, collected, refunds, refunded, links created, links paid) per key.
type Expected = BTreeMap<String, [i64; 6]>;

/// Recomputes the daily, by-method and by-branch figures from the rows for what `creator` and
/// `branch` (the actor's scope) see, days at `offset_hours` from UTC.
async fn recompute(app: &TestApp, scope: (Option<&str>, Option<&str>), offset_hours: i64) -> [Expected; 3] {
    let day = |micros: &str| {
        civil((micros.parse::<i64>().unwrap() + offset_hours * 3_600_000_000).div_euclid(86_400_000_000))
    };
    let visible = |r: &[Option<String>], b: usize, c: usize| {
        scope.0.is_none_or(|s| r[b].as_deref() == Some(s)) && scope.1.is_none_or(|s| r[c].as_deref() == Some(s))
    };
    let mut out: [Expected; 3] = Default::default();
    let pay_sql = "SELECT completed_at, method, branch_id, link_created_by, amount_minor FROM payments WHERE status = 'succeeded'";
    for r in rows(app, pay_sql).await.iter().filter(|r| visible(r, 2, 3)) {
        let minor: i64 = r[4].as_deref().unwrap().parse().unwrap();
        for (i, key) in [day(r[0].as_deref().unwrap()), r[1].clone().unwrap(), r[2].clone().unwrap_or_default()]
            .into_iter()
            .enumerate()
        {
            let e = out[i].entry(key).or_default();
            (e[0], e[1]) = (e[0] + 1, e[1] + minor);
        }
    }
    let refund_sql = "SELECT r.completed_at, p.method, r.branch_id, r.link_created_by, r.amount_minor FROM refunds r \
                      JOIN payments p ON p.id = r.payment_id WHERE r.status = 'succeeded'";
    for r in rows(app, refund_sql).await.iter().filter(|r| visible(r, 2, 3)) {
        let minor: i64 = r[4].as_deref().unwrap().parse().unwrap();
        for (i, key) in [day(r[0].as_deref().unwrap()), r[1].clone().unwrap(), r[2].clone().unwrap_or_default()]
            .into_iter()
            .enumerate()
        {
            let e = out[i].entry(key).or_default();
            (e[2], e[3]) = (e[2] + 1, e[3] + minor);
        }
    }
    let link_sql = "SELECT created_at, branch_id, created_by, payments_count FROM payment_links";
    for r in rows(app, link_sql).await.iter().filter(|r| visible(r, 1, 2)) {
        let paid = i64::from(r[3].as_deref() != Some("0"));
        for (i, key) in [(0, day(r[0].as_deref().unwrap())), (2, r[1].clone().unwrap_or_default())] {
            let e = out[i].entry(key).or_default();
            (e[4], e[5]) = (e[4] + 1, e[5] + paid);
        }
    }
    out
}

/// The report's rows as the same figures (rows with nothing at all left out, as the
/// recomputation has none).
fn figures(report: &Value) -> Expected {
    let data = report["data"].as_array().expect("rows");
    let n = |r: &Value, f: &str| r[f].as_i64().unwrap();
    data.iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap_or_default().to_owned(),
                ["payments", "collected_minor", "refunds", "refunded_minor", "links_created", "links_paid"]
                    .map(|f| n(r, f)),
            )
        })
        .filter(|(_, f)| f.iter().any(|v| *v != 0))
        .collect()
}

async fn check_reports(app: &TestApp, key: &str, scope: (Option<&str>, Option<&str>), offset: i64, seed: u64) {
    let expected = recompute(app, scope, offset).await;
    let (first, last) = (expected[0].keys().next().cloned(), expected[0].keys().last().cloned());
    let (Some(first), Some(last)) = (first, last) else { return };
    for (i, kind) in ["daily", "by_method", "by_branch"].into_iter().enumerate() {
        let r = app.get(key, &format!("/v1/reports/{kind}?from={first}&to={last}")).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(figures(&r.body), expected[i], "{kind}, seed {seed}, scope {scope:?}");
        let total: i64 = expected[i].values().map(|f| f[1] - f[3]).sum();
        assert_eq!(r.body["total"]["net_minor"], total, "{kind} total, seed {seed}");
    }
}

both!(report_figures_equal_a_recomputation_from_the_rows_for_every_scope, |app: Arc<TestApp>| async move {
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut rng = Rng(TestRng::from_seed(RngAlgorithm::ChaCha, &seed.to_le_bytes().repeat(4)));
    let policy = json!({"auto_approve_below": "100000.00", "supervisor_limit": "1.00"});
    let set = app.call("PATCH", "/v1/store/refund_policy", Some(&app.owner_key), Some(policy)).await;
    assert_eq!(set.status, 200, "{}", set.text);
    let other = app.branch("REPORTS-2").await;
    let (cashier_id, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let (_, second) = app.staff(Role::Cashier, Some(&other)).await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
    let makers = [
        Maker { key: app.owner_key.clone(), branch: None },
        Maker { key: cashier.clone(), branch: Some(app.branch_id.clone()) },
        Maker { key: second, branch: Some(other.clone()) },
    ];
    let card_method = method_id(&app, "card").await;
    for _ in 0..36 {
        app.ctx.clock.advance_secs(rng.below(8 * 3600) as i64);
        let m = &makers[rng.below(3) as usize];
        random_sale(&app, &mut rng, m, card_method).await;
    }
    let made = recompute(&app, (None, None), 3).await;
    assert!(made[1].values().map(|f| f[0]).sum::<i64>() > 0, "seed {seed}: payments were made");
    check_reports(&app, &app.owner_key, (None, None), 3, seed).await;
    check_reports(&app, &supervisor, (Some(&app.branch_id), None), 3, seed).await;
    check_reports(&app, &cashier, (Some(&app.branch_id), Some(&cashier_id)), 3, seed).await;
    let zone = json!({"time_zone": "America/Sao_Paulo"});
    assert_eq!(app.call("PATCH", "/v1/store", Some(&app.owner_key), Some(zone)).await.status, 200);
    check_reports(&app, &app.owner_key, (None, None), -3, seed).await;
});

both!(report_input_errors_name_their_field_and_other_branches_are_404, |app: Arc<TestApp>| async move {
    let cases = [
        ("from=2026-12-05&to=2026-12-01", "from"),
        ("from=2026-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2026-01-01&to=2027-02-01", "to"),
        ("currency=XYZ", "currency"),
        ("colour=red", "colour"),
    ];
    for (query, field) in cases {
        let r = app.get(&app.owner_key, &format!("/v1/reports/daily?{query}")).await;
        assert_eq!(r.status, 400, "{query}: {}", r.text);
        assert!(r.body["details"].get(field).is_some(), "{query}: {}", r.text);
    }
    assert_eq!(app.get(&app.owner_key, "/v1/reports/daily?branch_id=NOPE").await.status, 404);
    let nul = app.get(&app.owner_key, "/v1/reports/by_branch?branch_id=%00").await;
    assert_eq!(nul.status, 400, "{}", nul.text);
    let other = app.branch("ELSEWHERE").await;
    let (_, supervisor) = app.staff(Role::Supervisor, Some(&app.branch_id)).await;
    assert_eq!(app.get(&supervisor, &format!("/v1/reports/by_method?branch_id={other}")).await.status, 404);
    let own = app.get(&supervisor, &format!("/v1/reports/by_method?branch_id={}", app.branch_id)).await;
    assert_eq!((own.status, own.body["object"].as_str()), (200, Some("report.by_method")), "{}", own.text);
    let daily = app.get(&app.owner_key, "/v1/reports/daily").await;
    assert_eq!(
        (daily.body["time_zone"].as_str(), daily.body["data"].as_array().map(Vec::len)),
        (Some("Asia/Riyadh"), Some(31))
    );
});

both!(
    the_store_profile_is_read_by_every_role_and_changed_by_admins_with_an_audit_entry,
    |app: Arc<TestApp>| async move {
        let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
        let read = app.get(&cashier, "/v1/store").await;
        assert_eq!(
            (read.status, read.body["time_zone"].as_str(), read.body["default_language"].as_str()),
            (200, Some("Asia/Riyadh"), Some("ar"))
        );
        let change = json!({"time_zone": "Africa/Cairo", "default_language": "en", "support_phone": "+966500000001", "notify_per_link_per_hour": 2});
        assert_eq!(app.call("PATCH", "/v1/store", Some(&cashier), Some(change.clone())).await.status, 403);
        let r = app.call("PATCH", "/v1/store", Some(&app.owner_key), Some(change)).await;
        assert_eq!(
            (r.status, r.body["time_zone"].as_str(), r.body["support_phone"].as_str()),
            (200, Some("Africa/Cairo"), Some("+966500000001")),
            "{}",
            r.text
        );
        let link = app.create_link(&app.owner_key, json!({"amount": "5.00", "title": "Default language"})).await;
        assert_eq!(link["language"], "en", "links without a language take the store's");
        let audit = app.get(&app.owner_key, "/v1/audit_log?action=store.update").await;
        assert_eq!(audit.body["data"].as_array().map(Vec::len), Some(1), "{}", audit.text);
        let bad =
            json!({"time_zone": "Mars/Olympus", "support_email": "nobody", "notify_per_store_per_hour": 0, "name": ""});
        let r = app.call("PATCH", "/v1/store", Some(&app.owner_key), Some(bad)).await;
        assert_eq!(r.status, 400, "{}", r.text);
        let mut fields: Vec<&String> = r.body["details"].as_object().expect("details").keys().collect();
        fields.sort();
        assert_eq!(fields, ["name", "notify_per_store_per_hour", "support_email", "time_zone"]);
        let cleared = app.call("PATCH", "/v1/store", Some(&app.owner_key), Some(json!({"support_phone": null}))).await;
        assert_eq!((cleared.status, cleared.body["support_phone"].clone()), (200, Value::Null));
    }
);
