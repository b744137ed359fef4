//! The audit log as an administrator reads it: the list, one entry's before and after, and the
//! chain check, photographed in Arabic and English at each width.

use crate::desk::Desk;
use serde_json::json;

/// Changes worth an audit entry: a link created and cancelled, and a new user.
async fn some_changes(d: &Desk) {
    let app = &d.app;
    let body = json!({"amount": "75.00", "title": "طقم فناجين <b>قهوة</b> عربية", "reference_id": "INV-2026-0042"});
    let link = app.create_link(&app.owner_key, body).await["id"].as_str().expect("link").to_owned();
    let r = app.post(&app.owner_key, &format!("/v1/payment_links/{link}/cancel"), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    d.user("ACCOUNTING", None).await;
}

/// Opens the list, the newest entry and the chain check, photographing each.
async fn read_the_log(d: &Desk) {
    d.open("/dashboard/audit").await;
    assert!(d.has("main table.audit-list tbody tr").await, "{}", d.text().await);
    d.shots("audit").await;
    d.open("/dashboard/audit?action=payment_link.cancel").await;
    d.follow("main table.audit-list tbody a[href^='/dashboard/audit/']").await;
    assert!(d.has("pre.audit-json").await, "{}", d.text().await);
    d.shots("audit-entry").await;
    d.open("/dashboard/audit").await;
    d.follow("form.audit-verify button").await;
    assert!(d.has(".notice").await, "a notice: {}", d.text().await);
    d.shots("audit-verified").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_reads_the_audit_log_and_checks_its_chain_in_both_languages() {
    let Some(d) = Desk::start().await else { return };
    some_changes(&d).await;
    d.signed_in("ADMIN", None).await;
    read_the_log(&d).await;
    assert!(d.text().await.contains("سجل التدقيق سليم"), "{}", d.text().await);
    d.switch_language().await;
    read_the_log(&d).await;
    assert!(d.text().await.contains("The audit log is intact"), "{}", d.text().await);
    d.finish().await;
}
