//! Checks shared by the cursor lists (payments, refunds, events, the audit log): a created-at
//! range and a page size, each failure reported through the caller's `bad(field, message)`.

use crate::domain::Timestamp;

/// `created_from` / `created_to`: RFC 3339 or `YYYY-MM-DD`.
pub fn created_range(
    from: Option<&str>,
    to: Option<&str>,
    bad: &mut impl FnMut(&str, &str),
) -> (Option<Timestamp>, Option<Timestamp>) {
    let mut time = |text: Option<&str>, field: &str| {
        let t = text?;
        let parsed = Timestamp::parse_rfc3339(t).or_else(|| Timestamp::parse_date(t));
        if parsed.is_none() {
            bad(field, "must be RFC 3339 or YYYY-MM-DD");
        }
        parsed
    };
    (time(from, "created_from"), time(to, "created_to"))
}

/// `limit`: 1–100, 20 when absent.
pub fn limit(value: Option<i64>, bad: &mut impl FnMut(&str, &str)) -> i64 {
    let limit = value.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        bad("limit", "must be between 1 and 100");
    }
    limit
}
