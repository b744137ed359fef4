//! Every page of the reports, developers and settings areas, opened by each of the six roles:
//! who may see a page sees it (its heading, no refusal), others get the dashboard's "not allowed"
//! or "not found" page. A supervisor's and an accountant's reports and a cashier's refusal are
//! photographed in Arabic and English at every width.

use crate::desk::Desk;

/// The pages, and the roles that may open each.
const PAGES: [(&str, &[&str]); 9] = [
    ("/dashboard/reports", &["OWNER", "ADMIN", "OPERATION", "ACCOUNTING", "SUPERVISOR", "CASHIER"]),
    ("/dashboard/reports/cashier", &["OWNER", "ADMIN", "OPERATION", "ACCOUNTING", "SUPERVISOR", "CASHIER"]),
    ("/dashboard/developers", &["OWNER", "ADMIN"]),
    ("/dashboard/developers/webhooks", &["OWNER", "ADMIN"]),
    ("/dashboard/developers/methods", &["OWNER", "ADMIN"]),
    ("/dashboard/developers/dialects", &["OWNER", "ADMIN"]),
    ("/dashboard/developers/sandbox", &["OWNER", "ADMIN"]),
    ("/dashboard/settings", &["OWNER", "ADMIN"]),
    ("/dashboard/audit", &["OWNER", "ADMIN", "ACCOUNTING"]),
];

/// Whether the page shown is the dashboard's refusal (not allowed, or not found).
async fn refused(d: &Desk) -> bool {
    let title = d.js("return document.querySelector('main h1')?.textContent ?? ''").await;
    let title = title.as_str().unwrap_or_default().to_owned();
    ["غير مسموح", "غير موجود", "Not allowed", "Not found"].iter().any(|r| title.contains(r))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_opens_exactly_the_report_developer_and_settings_pages_it_may() {
    let Some(d) = Desk::start().await else { return };
    let branch = d.app.branch_id.clone();
    for role in ["OWNER", "ADMIN", "OPERATION", "ACCOUNTING", "SUPERVISOR", "CASHIER"] {
        let needs_branch = matches!(role, "SUPERVISOR" | "CASHIER");
        d.signed_in(role, needs_branch.then_some(branch.as_str())).await;
        for (page, allowed) in PAGES {
            d.open(page).await;
            let may = allowed.contains(&role);
            assert_eq!(!refused(&d).await, may, "{role} on {page}: {}", d.text().await);
            assert!(d.has("main h1").await, "{role} on {page} has a heading");
        }
        let photographed = match role {
            "ACCOUNTING" => Some(("/dashboard/reports", "areas-accounting-reports")),
            "SUPERVISOR" => Some(("/dashboard/reports/cashier", "areas-supervisor-cashier-day")),
            "CASHIER" => Some(("/dashboard/settings", "areas-cashier-settings-refused")),
            _ => None,
        };
        if let Some((page, name)) = photographed {
            for _ in 0..2 {
                d.open(page).await;
                d.shots(name).await;
                // The refusal page has no menu: switch from a page that has one.
                d.open("/dashboard/profile").await;
                d.switch_language().await;
            }
        }
    }
    d.finish().await;
}
