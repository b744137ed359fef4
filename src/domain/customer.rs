//! Customers: the people a store sells to (name, e-mail, phone, metadata), kept per store and
//! environment and, like links, in the branch they were created in. A link made for a customer
//! carries a copy of the customer's details taken at creation, so editing the customer later
//! never rewrites a link that has already been sent.

use super::access::{self, Action, Actor, Reach, Visibility};
use super::id::{BranchId, CustomerId, StoreId};
use super::link::{self, check_metadata_value};
use super::text;
use super::{Environment, ErrorKind, FieldError, Rule, Timestamp};

/// Longest customer name, in characters.
pub const NAME_MAX: usize = 200;
/// Longest first or last name a link carries (`customer.first_name` of a link).
const LINK_NAME_MAX: usize = 50;

/// A customer as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub store_id: StoreId,
    pub environment: Environment,
    /// The branch it was created in; `None`: store-wide (only store-wide roles see it).
    pub branch_id: Option<BranchId>,
    pub created_by: String,
    pub details: Details,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// The fields a merchant edits, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub name: String,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    /// A JSON object, as text.
    pub metadata: String,
}

/// What a caller submits to create a customer; every field still unchecked.
#[derive(Clone, Debug, Default)]
pub struct CustomerDraft {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub metadata: Option<serde_json::Value>,
}

/// Changes to a customer: `None` leaves a field as it is, `Some(None)` clears it (a name cannot
/// be cleared; metadata clears to `{}`).
#[derive(Clone, Debug, Default)]
pub struct CustomerPatch {
    pub name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub metadata: Option<Option<serde_json::Value>>,
}

impl CustomerDraft {
    /// Applies every rule; on failure returns each broken rule with its field.
    pub fn validate(self) -> Result<Details, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = check_name(self.name, &mut errors);
        if self.email.as_deref().is_some_and(|e| text::parse_email(e).is_none()) {
            errors.push(
                FieldError::new("email", ErrorKind::Email, "is not a valid e-mail address").with_rule(Rule::NotAnEmail),
            );
        }
        if self.phone.as_deref().is_some_and(|p| text::parse_phone(p).is_none()) {
            let e = FieldError::new("phone", ErrorKind::Phone, "must be in E.164 format, e.g. +966501234567");
            errors.push(e.with_rule(Rule::NotAPhone));
        }
        let metadata = check_metadata_value(self.metadata).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        match errors.is_empty() {
            true => Ok(Details { name, email: self.email, phone: self.phone, metadata }),
            false => Err(errors),
        }
    }
}

fn check_name(name: Option<String>, errors: &mut Vec<FieldError>) -> String {
    let name = name.map(|n| n.trim().to_owned());
    let (rule, problem) = match &name {
        None => (Rule::Required, "is required"),
        Some(n) if n.is_empty() => (Rule::Required, "must not be empty"),
        Some(n) if text::too_long(n, NAME_MAX) => (Rule::TooLong, "must be at most 200 characters"),
        Some(_) => return name.unwrap_or_default(),
    };
    errors.push(FieldError::new("name", ErrorKind::Invalid, problem).with_rule(rule));
    String::new()
}

impl CustomerPatch {
    /// The details after this patch, checked as a whole (the untouched fields are already valid).
    pub fn apply(self, current: &Details) -> Result<Details, Vec<FieldError>> {
        let metadata = match self.metadata {
            None => serde_json::from_str(&current.metadata).ok(),
            Some(m) => m,
        };
        CustomerDraft {
            name: self.name.unwrap_or_else(|| Some(current.name.clone())),
            email: self.email.unwrap_or_else(|| current.email.clone()),
            phone: self.phone.unwrap_or_else(|| current.phone.clone()),
            metadata,
        }
        .validate()
    }
}

impl Details {
    /// The lower-cased text `q` searches: name, phone, e-mail.
    pub fn search_text(&self) -> String {
        [Some(&self.name), self.phone.as_ref(), self.email.as_ref()]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    }
}

impl Customer {
    /// A link's customer details for this customer. Values the request gave win (a link may go
    /// to another phone); the record fills the rest. The name is split at its first space into
    /// first and last name, each cut to what a link holds.
    pub fn fill(&self, given: link::Customer) -> link::Customer {
        let d = &self.details;
        let (first_name, last_name) = match (given.first_name, given.last_name) {
            (None, None) => split_name(&d.name),
            names => names,
        };
        link::Customer {
            id: Some(self.id.clone()),
            phone: given.phone.or_else(|| d.phone.clone()),
            email: given.email.or_else(|| d.email.clone()),
            first_name,
            last_name,
        }
    }
}

/// The record's name as a link's first and last name, each cut to what a link holds.
fn split_name(name: &str) -> (Option<String>, Option<String>) {
    let cut = |s: Option<String>| s.map(|s| s.chars().take(LINK_NAME_MAX).collect::<String>());
    let (first, last) = link::Customer::split_name(name);
    (cut(first), cut(last))
}

/// The customers `actor` reaches for `action` (docs/roles.md: store-wide roles all of them, a
/// SUPERVISOR their branch's); `None` when the role may not do it at all (403).
pub fn scope(actor: &Actor, action: Action) -> Option<Visibility> {
    match access::reach(actor.role, action) {
        Reach::None => None,
        Reach::All => Some(Visibility::All),
        // Customers have no per-creator rule: a branch reach is the whole branch.
        Reach::Branch | Reach::Own => Some(actor.branch_id.clone().map_or(Visibility::Nothing, Visibility::Branch)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<Details, Vec<FieldError>>) -> Vec<String> {
        r.err().unwrap_or_default().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn each_bad_field_is_named() {
        let draft = |name: &str, email: &str, phone: &str| CustomerDraft {
            name: Some(name.into()),
            email: Some(email.into()),
            phone: Some(phone.into()),
            metadata: None,
        };
        assert!(draft("Sara", "sara@example.com", "+966501234567").validate().is_ok());
        assert_eq!(fields(draft(" ", "sara@example.com", "+966501234567").validate()), ["name"]);
        assert_eq!(fields(draft(&"x".repeat(201), "a@b", "0501234567").validate()), ["name", "email", "phone"]);
        let metadata = Some(serde_json::json!([1]));
        assert_eq!(fields(CustomerDraft { metadata, ..Default::default() }.validate()), ["name", "metadata"]);
    }

    #[test]
    fn a_patch_keeps_untouched_fields_and_clears_nulled_ones() {
        let draft =
            CustomerDraft { name: Some("Sara".into()), phone: Some("+966501234567".into()), ..Default::default() };
        let current = draft.validate().unwrap();
        let patch =
            CustomerPatch { phone: Some(None), email: Some(Some("s@example.com".into())), ..Default::default() };
        let next = patch.apply(&current).unwrap();
        assert_eq!((next.name.as_str(), next.phone, next.email.as_deref()), ("Sara", None, Some("s@example.com")));
        assert_eq!(fields(CustomerPatch { name: Some(None), ..Default::default() }.apply(&current)), ["name"]);
    }

    #[test]
    fn a_name_splits_into_first_and_last_name_cut_to_fifty_characters() {
        assert_eq!(split_name("Sara  Al Harbi"), (Some("Sara".into()), Some("Al Harbi".into())));
        assert_eq!(split_name("Cher"), (Some("Cher".into()), None));
        let (first, _) = split_name(&"x".repeat(80));
        assert_eq!(first.unwrap().chars().count(), 50);
    }
}
