//! Django REST Framework's page-number pagination, as Amwal's lists answer it:
//! `{"count", "next", "previous", "results"}` with `next` / `previous` as absolute URLs carrying
//! `?page=N` (and `page_size` when it is not the default), or null.

use super::body::PageQuery;
use super::error::bad_field;
use super::view::{PaymentLinkOut, TransactionOut};
use crate::api::error::ApiError;
use serde::Serialize;
use utoipa::ToSchema;

/// Items per page unless the request says otherwise.
pub const DEFAULT_SIZE: i64 = 10;
/// The largest page.
const MAX_SIZE: i64 = 100;
/// The last page number accepted (as the native list).
const MAX_PAGE: i64 = 1_000_000;

/// A checked page request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// 1-based page number.
    pub page: i64,
    /// Items per page, 1–100.
    pub size: i64,
}

impl Paging {
    /// The page the request asks for: the query string (what `next` links carry) over the body.
    pub fn of(body_page: Option<i64>, body_size: Option<i64>, query: &PageQuery) -> Result<Paging, ApiError> {
        let page = query.page.or(body_page).unwrap_or(1);
        let size = query.page_size.or(body_size).unwrap_or(DEFAULT_SIZE);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(bad_field("page", "must be a whole number from 1 to 1000000"));
        }
        if !(1..=MAX_SIZE).contains(&size) {
            return Err(bad_field("page_size", "must be a whole number from 1 to 100"));
        }
        Ok(Paging { page, size })
    }

    /// Where this page starts in the whole list.
    pub fn offset(self) -> usize {
        ((self.page - 1) * self.size) as usize
    }

    /// `next` and `previous` for a list of `count` items served at `url` (absolute, no query).
    pub fn neighbours(self, count: i64, url: &str) -> (Option<String>, Option<String>) {
        let link = |page: i64| {
            let size = if self.size == DEFAULT_SIZE { String::new() } else { format!("&page_size={}", self.size) };
            format!("{url}?page={page}{size}")
        };
        let next = (self.page * self.size < count).then(|| link(self.page + 1));
        // Past the end, `previous` leads back to the last page that has items.
        let last = ((count + self.size - 1) / self.size).max(1);
        let previous = (self.page > 1).then(|| link((self.page - 1).min(last)));
        (next, previous)
    }
}

/// A page of payment links.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentLinkPage {
    /// How many links match, over all pages.
    pub count: i64,
    /// The next page's URL (POST it the same body), or null.
    pub next: Option<String>,
    /// The previous page's URL, or null.
    pub previous: Option<String>,
    /// This page's links.
    pub results: Vec<PaymentLinkOut>,
}

/// A page of a link's transactions.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransactionPage {
    /// How many transactions the link has.
    pub count: i64,
    /// The next page's URL, or null.
    pub next: Option<String>,
    /// The previous page's URL, or null.
    pub previous: Option<String>,
    /// This page's transactions, newest first.
    pub results: Vec<TransactionOut>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_and_previous_follow_drf() {
        let url = "https://h/amwal/payment_links/s/";
        let first = Paging { page: 1, size: 10 };
        assert_eq!(first.neighbours(25, url), (Some(format!("{url}?page=2")), None));
        let last = Paging { page: 3, size: 10 };
        assert_eq!(last.neighbours(25, url), (None, Some(format!("{url}?page=2"))));
        let sized = Paging { page: 2, size: 5 };
        let (next, previous) = sized.neighbours(25, url);
        assert_eq!(next.as_deref(), Some("https://h/amwal/payment_links/s/?page=3&page_size=5"));
        assert_eq!(previous.as_deref(), Some("https://h/amwal/payment_links/s/?page=1&page_size=5"));
        assert_eq!(Paging { page: 1, size: 10 }.neighbours(10, url), (None, None));
    }

    #[test]
    fn the_query_string_wins_over_the_body_and_bounds_are_checked() {
        let q = PageQuery { page: Some(3), page_size: None };
        assert_eq!(Paging::of(Some(1), Some(20), &q).unwrap(), Paging { page: 3, size: 20 });
        assert!(Paging::of(None, Some(0), &PageQuery::default()).unwrap_err().details.contains_key("page_size"));
        assert!(Paging::of(None, Some(101), &PageQuery::default()).is_err());
        assert!(Paging::of(Some(0), None, &PageQuery::default()).unwrap_err().details.contains_key("page"));
    }
}
