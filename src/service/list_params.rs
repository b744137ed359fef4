//! The one check of the paging and date parameters every list takes some of (links, payments,
//! refunds, customers, notifications, events, the audit log; the dialects' lists through the
//! native ones): a created-at range, a page size, a page number and an offset. Each failure is
//! reported through the caller's `bad(field, message)`, so a list gathers all its field errors
//! into one 400. A value the check refused never reaches the database: the caller answers 400.

use super::{Result, ServiceError};
use crate::domain::{ErrorKind, Rule, Timestamp};

/// The largest page any list serves.
pub const MAX_PAGE_SIZE: i64 = 100;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The last page number a page-mode list accepts.
const MAX_PAGE: i64 = 1_000_000;

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
    page_size(value, "limit", bad)
}

/// A page size called `field` (`limit`, `page_size`): 1–100, 20 when absent.
pub fn page_size(value: Option<i64>, field: &str, bad: &mut impl FnMut(&str, &str)) -> i64 {
    let size = value.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        bad(field, "must be between 1 and 100");
    }
    size
}

/// `page` (page mode): 1–1,000,000, 1 when absent.
pub fn page(value: Option<i64>, bad: &mut impl FnMut(&str, &str)) -> i64 {
    let page = value.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        bad("page", "must be between 1 and 1000000");
    }
    page
}

/// `offset` (limit/offset paging, for dialects that page so): 0 or more.
pub fn offset(value: i64, bad: &mut impl FnMut(&str, &str)) -> i64 {
    if value < 0 {
        bad("offset", "must be zero or more");
    }
    value
}

/// [`offset`] checked before the rest of a request: its failure is the request's error.
pub fn offset_first(value: i64) -> Result<i64> {
    let mut failed = None;
    let checked = offset(value, &mut |field, message| {
        failed = Some(ServiceError::rule(field, ErrorKind::Invalid, Rule::OutOfRange, message));
    });
    failed.map_or(Ok(checked), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused<T>(check: impl FnOnce(&mut dyn FnMut(&str, &str)) -> T) -> Vec<String> {
        let mut fields = Vec::new();
        check(&mut |field: &str, _: &str| fields.push(field.to_owned()));
        fields
    }

    #[test]
    fn each_parameter_is_refused_outside_its_range_and_named() {
        assert_eq!(refused(|bad| limit(None, &mut |f, m| bad(f, m))), Vec::<String>::new());
        assert_eq!(refused(|bad| limit(Some(101), &mut |f, m| bad(f, m))), ["limit"]);
        assert_eq!(refused(|bad| page_size(Some(0), "page_size", &mut |f, m| bad(f, m))), ["page_size"]);
        assert_eq!(refused(|bad| page(Some(0), &mut |f, m| bad(f, m))), ["page"]);
        assert_eq!(refused(|bad| offset(-1, &mut |f, m| bad(f, m))), ["offset"]);
        let dates =
            |bad: &mut dyn FnMut(&str, &str)| created_range(Some("2024-01-02"), Some("soon"), &mut |f, m| bad(f, m));
        assert_eq!(refused(dates), ["created_to"]);
        assert!(offset_first(-1).is_err() && offset_first(0).is_ok());
    }
}
