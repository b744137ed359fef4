//! Behind a reverse proxy: the per-client card-testing guard counts the address a trusted proxy
//! forwards in `X-Forwarded-For`, and ignores that header from any other peer (a payer cannot
//! dodge the guard by forging it). The tests connect from 127.0.0.1, the "proxy".

use crate::helpers::TestApp;
use crate::pages::{Browser, id, new_link, pay_by_card};
use crate::with_settings;
use serde_json::json;

/// A decline limit per client small enough to reach, and per link out of the way.
const LIMITS: &[(&str, &str)] =
    &[("PAYLINK_PAYMENTS_DECLINE_LIMIT_PER_CLIENT", "2"), ("PAYLINK_PAYMENTS_DECLINE_LIMIT_PER_LINK", "50")];

/// The same limits behind two kinds of trusted proxy.
const BEHIND_PROXIES: &[(&str, &str)] = &[
    ("PAYLINK_PAYMENTS_DECLINE_LIMIT_PER_CLIENT", "2"),
    ("PAYLINK_PAYMENTS_DECLINE_LIMIT_PER_LINK", "50"),
    ("PAYLINK_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"),
];

/// Declines two cards from `from`, then pays a fresh link with a good card from `other`;
/// returns that last answer's status.
async fn declines_from_one_then_pays_from_another(app: &TestApp, from: &str, other: &str) -> u16 {
    let mut payer = Browser::new(app);
    payer.forwarded_for = Some(from.to_owned());
    for _ in 0..2 {
        let link = id(&new_link(app, json!({})).await);
        assert_eq!(pay_by_card(app, &mut payer, &link, "4000 0000 0000 0002").await.status, 303, "a decline");
    }
    let link = id(&new_link(app, json!({})).await);
    assert_eq!(pay_by_card(app, &mut payer, &link, "4242 4242 4242 4242").await.status, 429, "the guard holds");
    let mut second = Browser::new(app);
    second.forwarded_for = Some(other.to_owned());
    pay_by_card(app, &mut second, &link, "4242 4242 4242 4242").await.status
}

async fn a_trusted_proxy_names_each_payer(app: &TestApp) {
    // The second payer's request passed through two proxies; the client is the rightmost
    // untrusted hop, not the forged entry on the left.
    let other = "203.0.113.7, 198.51.100.9, 10.0.0.5";
    assert_eq!(declines_from_one_then_pays_from_another(app, "1.2.3.4, 203.0.113.7", other).await, 303);
}

async fn without_trusted_proxies_the_header_is_ignored(app: &TestApp) {
    assert_eq!(declines_from_one_then_pays_from_another(app, "203.0.113.7", "198.51.100.9").await, 429);
}

with_settings!(a_trusted_proxy_names_each_payer, super::BEHIND_PROXIES);
with_settings!(without_trusted_proxies_the_header_is_ignored, super::LIMITS);
