//! The links list's query string: the API's `/v1/payment_links` parameters under the same names,
//! read into the same `ListInput` (so the service checks them once, for both), minus the empty
//! fields a GET form sends, plus `before` — the dashboard's way back one keyset page, which is
//! the page after the current first link in the opposite order.

use crate::domain::ErrorKind;
use crate::service::links::list::ListInput;
use crate::service::{Result, ServiceError};

/// The filter, sort and cursor parameters of a list address.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    /// The non-empty filter and sort parameters, in the order received (no cursor).
    pairs: Vec<(String, String)>,
    /// `starting_after`: the page after this link.
    pub after: Option<String>,
    /// `before`: the page before this link.
    pub before: Option<String>,
}

impl Filters {
    /// Reads a raw query string; empty fields (an untouched form input) are absent.
    pub fn parse(query: &str) -> Filters {
        let mut f = Filters::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_ref() {
                "starting_after" => f.after = Some(value.to_owned()),
                "before" => f.before = Some(value.to_owned()),
                _ => f.pairs.push((key.into_owned(), value.to_owned())),
            }
        }
        f
    }

    /// The value of a filter, `""` when absent.
    pub fn value(&self, name: &str) -> &str {
        self.pairs.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v)
    }

    /// Whether a filter beyond the search and the status is set: the form then shows them open
    /// (they are folded away otherwise, so a phone sees the links first). The sort fields do
    /// not count: the form always sends them.
    pub fn narrowed(&self) -> bool {
        self.pairs.iter().any(|(k, _)| !["q", "status", "sort", "order"].contains(&k.as_str()))
    }

    /// The service's input for this page: a `before` page asks for the links after it in the
    /// opposite order (the caller shows them reversed).
    pub fn page_input(&self) -> Result<ListInput> {
        let mut pairs = self.pairs.clone();
        if let Some(cursor) = self.before.as_ref().or(self.after.as_ref()) {
            pairs.push(("starting_after".to_owned(), cursor.clone()));
        }
        let mut input = deserialize(&pairs)?;
        if self.before.is_some() {
            input.order = match input.order.as_deref() {
                None | Some("desc") => Some("asc".to_owned()),
                Some("asc") => Some("desc".to_owned()),
                Some(other) => Some(other.to_owned()), // The service refuses it.
            };
        }
        Ok(input)
    }

    /// The service's input for every link the filters select (the export), from the start.
    pub fn all_input(&self) -> Result<ListInput> {
        deserialize(&self.pairs)
    }

    /// `path` with these filters and, optionally, one cursor parameter.
    pub fn href(&self, path: &str, cursor: Option<(&str, &str)>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(&self.pairs);
        if let Some((name, id)) = cursor {
            query.append_pair(name, id);
        }
        let query = query.finish();
        if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") }
    }
}

/// The pairs as `ListInput`, strictly like the API's query extractor: an unknown or repeated
/// parameter is a 400.
fn deserialize(pairs: &[(String, String)]) -> Result<ListInput> {
    let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    serde_urlencoded::from_str(&encoded).map_err(|e| ServiceError::field("query", ErrorKind::Invalid, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_form_fields_are_dropped_and_the_rest_reach_the_service_input() {
        let f = Filters::parse("q=+tea+&status=&branch=&amount_min=5&sort=amount&order=asc");
        let input = f.all_input().unwrap();
        assert_eq!((input.q.as_deref(), input.status, input.amount_min.as_deref()), (Some("tea"), None, Some("5")));
        assert_eq!(f.href("/dashboard/links", None), "/dashboard/links?q=tea&amount_min=5&sort=amount&order=asc");
    }

    #[test]
    fn a_before_page_asks_for_the_opposite_order_after_its_cursor() {
        let f = Filters::parse("order=asc&before=lnk_1");
        let input = f.page_input().unwrap();
        assert_eq!((input.order.as_deref(), input.starting_after.as_deref()), (Some("desc"), Some("lnk_1")));
        assert_eq!(Filters::parse("before=lnk_1").page_input().unwrap().order.as_deref(), Some("asc"));
    }

    #[test]
    fn an_unknown_parameter_is_refused() {
        assert!(Filters::parse("colour=red").all_input().is_err());
    }
}
