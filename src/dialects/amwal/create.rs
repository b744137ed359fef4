//! `POST /amwal/payment_links/{store_id}/create` (seeds 000 and 001): Amwal's create request
//! becomes the same `NewLink` the native API makes, and `service::links::create_link` decides.

use super::auth::{AmwalActor, require_own_store};
use super::body::{AmwalJson, flag, text};
use super::error::{AmwalErrorBody, AmwalResult, amwal_error, bad_field};
use super::view::page_url;
use crate::domain::dialect::DialectName;
use crate::domain::id::uuid_of;
use crate::domain::link::{AddressPrefill, Customer, Link, LinkDraft};
use crate::domain::text::too_long;
use crate::domain::{Environment, FieldError, Rule};
use crate::service::Ctx;
use crate::service::links::{self, NewLink, labels};
use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A new payment session / installment link. Fields not listed are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CreateIn {
    /// Amount in the store's currency, a JSON number or numeric string, > 0, with no more
    /// decimals than the currency has (SAR: 2, so at least 0.01).
    #[schema(value_type = f64, example = 299.99)]
    pub amount: Option<Box<RawValue>>,
    /// The customer's phone, E.164 (seed 000's name; `client_phone_number` works too). Required
    /// while `send_sms` is true.
    #[serde(rename = "phoneNumber")]
    pub phone_number: Option<String>,
    /// The customer's phone, E.164 (seed 001's name).
    pub client_phone_number: Option<String>,
    /// Title shown to the payer, ≤ 200 characters; absent or empty: the store's name.
    pub title: Option<String>,
    /// Description, ≤ 500 characters.
    pub description: Option<String>,
    /// One payment only (default true); false: payable until it expires or is disabled.
    #[serde(rename = "singleUse", default, deserialize_with = "flag")]
    pub single_use: Option<bool>,
    /// Expiry: ISO 8601 date-time (no offset: UTC) or `YYYY-MM-DD` (the end of that day, UTC);
    /// empty or null: never. Must be in the future.
    #[serde(rename = "selectedDate")]
    pub selected_date: Option<String>,
    /// Branch code (`RIYADH-001`) or id; branch roles default to their own branch.
    #[serde(default, deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub branch: Option<String>,
    /// The customer's e-mail.
    pub client_email: Option<String>,
    /// The customer's first name, ≤ 50.
    pub client_first_name: Option<String>,
    /// The customer's last name, ≤ 50.
    pub client_last_name: Option<String>,
    /// Ask the payer for an address (default false).
    #[serde(default, deserialize_with = "flag")]
    pub address_required: Option<bool>,
    /// Payment page language: `ar` (default) or `en`.
    pub language: Option<String>,
    /// Send the link to the customer's phone by SMS (default true).
    #[serde(default, deserialize_with = "flag")]
    pub send_sms: Option<bool>,
    /// Receives the signed payment callback (`X-Signature`).
    pub callback_url: Option<String>,
    /// Your key-value data (a JSON object).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// Your order id, ≤ 50 characters, unique per store and environment.
    #[serde(default, deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub order_id: Option<String>,
    /// Address prefill, ≤ 100 characters (pre-filled on the page's address form).
    pub client_street1: Option<String>,
    /// Address prefill, ≤ 100 characters (pre-filled).
    pub client_street2: Option<String>,
    /// Address prefill, ≤ 100 characters (pre-filled).
    pub client_city: Option<String>,
    /// Address prefill, ≤ 100 characters (pre-filled).
    pub client_state: Option<String>,
    /// Address prefill, ≤ 20 characters (pre-filled).
    #[serde(default, deserialize_with = "text")]
    #[schema(value_type = Option<String>)]
    pub client_postcode: Option<String>,
    /// Address prefill, ≤ 100 characters (pre-filled).
    pub client_country: Option<String>,
}

/// The created link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedOut {
    /// The link's UUID (seed 000's name).
    pub payment_session_id: String,
    /// The same UUID (seed 001's name).
    pub payment_link_id: String,
    /// The payment page.
    pub url: String,
    /// `SANDBOX` or `PRODUCTION`: the key's environment.
    pub environment: &'static str,
    /// The native id (`plink_…`) of the same link, for `/v1`.
    pub paylink_id: String,
}

/// Creates a payment link.
#[utoipa::path(post, path = "/amwal/payment_links/{store_id}/create", tag = "payment_links",
    request_body = CreateIn,
    params(("store_id" = String, Path, description = "Your store id (the key's store)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = CreatedOut), (status = 400, body = AmwalErrorBody),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody),
        (status = 415, body = AmwalErrorBody)))]
pub async fn create_payment_link(
    State(ctx): State<Ctx>,
    AmwalActor(actor): AmwalActor,
    Path(store_id): Path<String>,
    AmwalJson(body): AmwalJson<CreateIn>,
) -> AmwalResult<Json<CreatedOut>> {
    require_own_store(&actor, &store_id)?;
    let (phone, phone_field) = body.phone()?;
    body.check_lengths()?;
    let rename = |e: &FieldError| renamed(e, phone_field);
    let title = match body.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_owned(),
        None => labels::labels(&ctx, &actor, Vec::new()).await.map_err(|e| amwal_error(e, &rename))?.store_name,
    };
    let input = body.new_link(phone, title);
    let link = links::create_link(&ctx, &actor, input).await.map_err(|e| amwal_error(e, &rename))?;
    Ok(Json(CreatedOut::of(&link, ctx.config.public_base())))
}

/// Our field names and messages in the request's spelling.
fn renamed(e: &FieldError, phone_field: &str) -> (String, String) {
    let message = e.message.as_str();
    let (name, message) = match e.field.as_str() {
        "reference_id" => ("order_id", "must be 1 to 50 printable characters without spaces"),
        "expires_at" if e.rule == Rule::NotADateTime => {
            ("selectedDate", "must be an ISO 8601 date-time (2025-12-31T23:59:59Z) or a date (2025-12-31)")
        }
        "expires_at" => ("selectedDate", message),
        "customer.phone" => (phone_field, message),
        "customer.email" => ("client_email", message),
        "customer.first_name" => ("client_first_name", message),
        "customer.last_name" => ("client_last_name", message),
        "single_use" | "max_payments" => ("singleUse", message),
        "address.line1" => ("client_street1", message),
        "address.line2" => ("client_street2", message),
        "address.city" => ("client_city", message),
        "address.region" => ("client_state", message),
        "address.postal_code" => ("client_postcode", message),
        "address.country" => ("client_country", message),
        other => (other, message),
    };
    (name.to_owned(), message.to_owned())
}

impl CreateIn {
    /// The phone and the name it came under; both names with different numbers is an error.
    fn phone(&self) -> AmwalResult<(Option<String>, &'static str)> {
        let trimmed = |v: &Option<String>| filled(v).map(|p| p.trim().to_owned());
        match (trimmed(&self.phone_number), trimmed(&self.client_phone_number)) {
            (Some(a), Some(b)) if a != b => {
                Err(bad_field("phoneNumber", "differs from client_phone_number; send one of them"))
            }
            (_, Some(b)) => Ok((Some(b), "client_phone_number")),
            (Some(a), None) => Ok((Some(a), "phoneNumber")),
            (None, None) => Ok((None, "phoneNumber")),
        }
    }

    /// Amwal's limits on the fields Paylink has no rule for of its own (the address parts'
    /// limits are the link's).
    fn check_lengths(&self) -> AmwalResult<()> {
        let limits: [(&str, &Option<String>, usize); 1] = [("order_id", &self.order_id, 50)];
        match limits.iter().find(|(_, value, max)| value.as_deref().is_some_and(|v| too_long(v, *max))) {
            Some((field, _, max)) => Err(bad_field(field, format!("must be at most {max} characters"))),
            None => Ok(()),
        }
    }

    fn new_link(self, phone: Option<String>, title: String) -> NewLink {
        let amount = self.amount.as_deref().map(crate::api::extract::amount_text);
        let draft = LinkDraft {
            amount,
            title: Some(title),
            description: self.description,
            reference_id: filled(&self.order_id),
            single_use: Some(self.single_use.unwrap_or(true)),
            expires_at: self.selected_date.as_deref().and_then(expiry_text),
            customer: Customer {
                id: None,
                phone,
                email: filled(&self.client_email),
                first_name: filled(&self.client_first_name),
                last_name: filled(&self.client_last_name),
            },
            language: filled(&self.language),
            address_required: self.address_required,
            send_sms: Some(self.send_sms.unwrap_or(true)),
            callback_url: self.callback_url,
            metadata: self.metadata,
            address_prefill: Some(AddressPrefill {
                line1: self.client_street1,
                line2: self.client_street2,
                city: self.client_city,
                region: self.client_state,
                postal_code: self.client_postcode,
                country: self.client_country,
            }),
            ..LinkDraft::default()
        };
        NewLink { draft, branch: self.branch, dialect: Some(DialectName::of(super::NAME)), dialect_ref: None }
    }
}

/// An optional text field with blank taken as absent (integrations send `""` for "none"); a
/// value is kept as sent.
fn filled(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.trim().is_empty())
}

/// `selectedDate` as the RFC 3339 text the draft checks: a bare date is the end of that day
/// (UTC), a date-time without an offset is UTC, a space may separate date and time. Empty
/// means no expiry.
fn expiry_text(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() == 10 && crate::domain::Timestamp::parse_date(s).is_some() {
        return Some(format!("{s}T23:59:59Z"));
    }
    let mut text = s.to_owned();
    if text.as_bytes().get(10) == Some(&b' ') {
        text.replace_range(10..11, "T");
    }
    let has_offset = text.get(19..).is_some_and(|tail| tail.contains(['Z', 'z', '+', '-']));
    if text.len() >= 19 && !has_offset {
        text.push('Z');
    }
    Some(text)
}

impl CreatedOut {
    fn of(link: &Link, base: &str) -> CreatedOut {
        let uuid = uuid_of(link.id.as_str()).unwrap_or_default();
        CreatedOut {
            payment_session_id: uuid.clone(),
            payment_link_id: uuid.clone(),
            url: page_url(base, &uuid),
            environment: match link.environment {
                Environment::Sandbox => "SANDBOX",
                Environment::Production => "PRODUCTION",
            },
            paylink_id: link.id.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_date_spellings_become_rfc_3339() {
        assert_eq!(expiry_text(""), None);
        assert_eq!(expiry_text("2030-12-31").as_deref(), Some("2030-12-31T23:59:59Z"));
        assert_eq!(expiry_text("2030-12-31T10:00:00").as_deref(), Some("2030-12-31T10:00:00Z"));
        assert_eq!(expiry_text("2030-12-31 10:00:00+03:00").as_deref(), Some("2030-12-31T10:00:00+03:00"));
        assert_eq!(expiry_text("2030-12-31T10:00:00.5Z").as_deref(), Some("2030-12-31T10:00:00.5Z"));
        assert_eq!(expiry_text("soon").as_deref(), Some("soon"));
    }
}
