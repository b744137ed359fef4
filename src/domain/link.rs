//! Payment links: the draft a caller submits, the rules that turn it into a valid new link, and
//! the status rules (terminal states absorb; expiry is decided against a given clock reading).

use super::id::{BranchId, CustomerId, LinkId, StoreId};
use super::money::Money;
use super::{Environment, Timestamp};

/// The stored state of a link. `open` reads as `expired` once `expires_at` has passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LinkStatus {
    Open,
    Paid,
    Expired,
    Cancelled,
}

impl LinkStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Open => "open",
            LinkStatus::Paid => "paid",
            LinkStatus::Expired => "expired",
            LinkStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [LinkStatus::Open, LinkStatus::Paid, LinkStatus::Expired, LinkStatus::Cancelled]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// The payment page language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ar,
    En,
}

impl Language {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::En => "en",
        }
    }

    /// Parses `ar` / `en`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ar" => Some(Language::Ar),
            "en" => Some(Language::En),
            _ => None,
        }
    }
}

/// The payer, as far as the merchant knows them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Customer {
    /// The customer record these details were filled from, if the link names one.
    pub id: Option<CustomerId>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

impl Customer {
    /// First and last name as one name (what the dialects call `name` / `full_name`).
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// A whole name split at its first whitespace into first and last name, each trimmed; blank
    /// parts are absent. The draft's rules then check their lengths.
    pub fn split_name(name: &str) -> (Option<String>, Option<String>) {
        let part = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        match name.trim().split_once(char::is_whitespace) {
            Some((first, rest)) => (part(first), part(rest)),
            None => (part(name), None),
        }
    }
}

/// A payment link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub id: LinkId,
    pub store_id: StoreId,
    pub environment: Environment,
    pub branch_id: Option<BranchId>,
    pub created_by: String,
    pub amount: Money,
    pub title: String,
    pub description: Option<String>,
    pub reference_id: Option<String>,
    pub single_use: bool,
    pub max_payments: Option<i64>,
    pub expires_at: Option<Timestamp>,
    pub customer: Customer,
    pub language: Language,
    pub address_required: bool,
    pub send_sms: bool,
    pub send_email: bool,
    pub callback_url: Option<String>,
    pub success_url: Option<String>,
    pub cancel_url: Option<String>,
    /// A JSON object, as text.
    pub metadata: String,
    pub secret: String,
    pub short_code: String,
    pub status: LinkStatus,
    pub payments_count: i64,
    pub amount_paid_minor: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The payment method ids the link accepts; `None`: every enabled method of the store.
    pub payment_methods: Option<Vec<i64>>,
    /// The provider dialect that created the link (its callbacks take that dialect's shape).
    pub dialect: Option<super::dialect::DialectName>,
    /// The link's name in that dialect, when the dialect names objects its own way.
    pub dialect_ref: Option<String>,
    /// The event types the link's callback hears of; `None`: every event of the link and its
    /// payments. Set by the dialect that made the link.
    pub callback_events: Option<Vec<super::event::EventType>>,
    /// An address the merchant already knows, pre-filled in the page's address form.
    pub address_prefill: Option<AddressPrefill>,
    /// The image the payment page shows (given through a dialect), `limg_…`.
    pub image_id: Option<String>,
}

/// A postal address the merchant already knows (given through a dialect): the payer sees it
/// pre-filled in the page's address form and may change it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AddressPrefill {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub city: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
}

impl AddressPrefill {
    /// The parts with their field names and length limits, in the page form's order.
    pub fn parts(&self) -> [(&'static str, &Option<String>, usize); 6] {
        [
            ("line1", &self.line1, 100),
            ("line2", &self.line2, 100),
            ("city", &self.city, 100),
            ("region", &self.region, 100),
            ("postal_code", &self.postal_code, 20),
            ("country", &self.country, 100),
        ]
    }
}

impl Link {
    /// The status as the payer and merchant see it at `now`: an open link past its expiry is
    /// expired even before the sweeper writes the transition.
    pub fn status_at(&self, now: Timestamp) -> LinkStatus {
        match (self.status, self.expires_at) {
            (LinkStatus::Open, Some(at)) if at <= now => LinkStatus::Expired,
            (status, _) => status,
        }
    }

    /// The lower-cased text `q` searches: title, description, reference, customer.
    pub fn search_text(&self) -> String {
        let c = &self.customer;
        [
            Some(&self.title),
            self.description.as_ref(),
            self.reference_id.as_ref(),
            c.first_name.as_ref(),
            c.last_name.as_ref(),
            c.phone.as_ref(),
            c.email.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
    }
}

mod draft;
pub use draft::{LinkDraft, Rules, ValidLink, check_expiry_text, check_metadata_value};

#[cfg(test)]
mod tests;
