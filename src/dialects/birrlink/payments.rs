//! `POST /payments` and `GET /payments/{id}` (seed 003): a BirrLink payment is a single-use
//! Paylink payment link created with `service::links`, read back as [`view::PaymentData`].
//! With `payment_method: mobile_money` and the customer's phone, the charge is also pushed to
//! the phone's wallet (`service::links::push`): a wallet without enough money answers 422
//! `insufficient_funds` and nothing is created.

use super::auth::BirrLinkActor;
use super::error::{BirrLinkError, BirrLinkResult, ErrorEnvelope, Success, success};
use super::extract::BirrLinkJson;
use super::refund_view::native_link_id;
use super::view::{self, CreatedData, PaymentData, method_of_word};
use crate::api::extract::amount_text;
use crate::domain::access::Actor;
use crate::domain::dialect::DialectName;
use crate::domain::link::{Customer, LinkDraft};
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::{Rule, Timestamp};
use crate::service::links::push::{self, Pushed};
use crate::service::links::{self, LinkExtras, NewLink, labels};
use crate::service::{Ctx, ServiceError, methods};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A new payment (seed 003). Fields not listed are ignored.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PaymentIn {
    /// Amount in major units, a JSON number or numeric string, > 0, with no more decimals than
    /// the currency has (ETB: 2).
    #[schema(value_type = f64, example = 100.00)]
    pub amount: Option<Box<RawValue>>,
    /// ISO 4217 code (default: the store's currency).
    #[schema(example = "ETB")]
    pub currency: Option<String>,
    /// Who pays.
    pub customer: Option<CustomerIn>,
    /// What the payment is for (≤ 500 characters); also the page's title (its first 200).
    /// Default: the store's name.
    #[schema(example = "Payment for order #12345")]
    pub description: Option<String>,
    /// Receives the payment's events (BirrLink-shaped, `BirrLink-Signature`).
    #[schema(example = "https://yourwebsite.com/payment-callback")]
    pub callback_url: Option<String>,
    /// `mobile_money`, `card` or `installments`: the page offers only the store's methods of
    /// that kind. With `mobile_money` and `customer.phone`, the charge is pushed to the phone.
    #[schema(example = "mobile_money")]
    pub payment_method: Option<String>,
    /// Your key-value data (a JSON object).
    #[serde(default, deserialize_with = "crate::api::json_object::unique_keys")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<serde_json::Value>,
    /// When it stops being payable: ISO 8601 date-time (no offset: UTC) or date (that day's
    /// end, UTC); in the future. Default: one hour after creation.
    #[schema(example = "2030-12-31T23:59:59Z")]
    pub expires_at: Option<String>,
}

/// The customer of a new payment.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CustomerIn {
    /// E-mail.
    #[schema(example = "customer@example.com")]
    pub email: Option<String>,
    /// Phone, E.164.
    #[schema(example = "+251912345678")]
    pub phone: Option<String>,
    /// Full name (first name, a space, the rest; each part ≤ 50 characters).
    #[schema(example = "John Doe")]
    pub name: Option<String>,
}

/// Creates a payment and its payment page.
#[utoipa::path(post, path = "/payments", tag = "payments", request_body = PaymentIn,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = inline(Success<CreatedData>)), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope),
        (status = 422, description = "`insufficient_funds` or `payment_method_unavailable`", body = ErrorEnvelope)))]
pub async fn create_payment(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    BirrLinkJson(body): BirrLinkJson<PaymentIn>,
) -> BirrLinkResult<Response> {
    let kind = body.method_kind()?;
    let allowed = match kind {
        Some(kind) => Some(methods_of(&ctx, &actor, kind).await?),
        None => None,
    };
    let now = ctx.clock.now();
    let push_to = body.push_phone(kind);
    let input = body.new_link(&ctx, &actor, allowed.as_deref(), now).await?;
    let link = match (push_to, allowed.as_deref().and_then(<[PaymentMethod]>::first)) {
        (Some(phone), Some(method)) => {
            match push::create_with_wallet_push(&ctx, &actor, input, method, &phone, now).await.map_err(renamed)? {
                Pushed::Created(link, _) => *link,
                Pushed::InsufficientFunds => return Err(insufficient_funds()),
            }
        }
        _ => links::create_link_at(&ctx, &actor, input, LinkExtras::default(), now).await.map_err(renamed)?,
    };
    Ok(success(StatusCode::CREATED, CreatedData::of(&link, kind, ctx.config.public_base())))
}

/// Reads a payment.
#[utoipa::path(get, path = "/payments/{payment_id}", tag = "payments",
    params(("payment_id" = String, Path, description = "The payment's id (`pay_…`)")),
    responses((status = 200, body = inline(Success<PaymentData>)), (status = 404, body = ErrorEnvelope)))]
pub async fn get_payment(
    State(ctx): State<Ctx>,
    BirrLinkActor(actor): BirrLinkActor,
    Path(payment_id): Path<String>,
) -> BirrLinkResult<Response> {
    let link_id = native_link_id(&payment_id).ok_or_else(BirrLinkError::not_found)?;
    let (link, payments) = links::get_link_with_payments(&ctx, &actor, link_id.as_str()).await?;
    let limited_to = match &link.payment_methods {
        Some(ids) => single_kind(&methods::list_methods(&ctx, &actor).await?, ids),
        None => None,
    };
    let data = PaymentData::of(&link, &payments, limited_to, ctx.clock.now(), ctx.config.public_base());
    Ok(success(StatusCode::OK, data))
}

/// The one kind the methods `ids` share, if they share one.
pub fn single_kind(all: &[PaymentMethod], ids: &[i64]) -> Option<MethodKind> {
    let mut kinds = all.iter().filter(|m| ids.contains(&m.id)).map(|m| m.kind);
    let first = kinds.next()?;
    kinds.all(|k| k == first).then_some(first)
}

/// The store's enabled methods of `kind` in the key's environment; none is a 422.
async fn methods_of(ctx: &Ctx, actor: &Actor, kind: MethodKind) -> BirrLinkResult<Vec<PaymentMethod>> {
    let found = push::enabled_of_kind(ctx, actor, kind).await?;
    if found.is_empty() {
        return Err(BirrLinkError::unprocessable(
            "payment_method_unavailable",
            format!("The store does not accept {} payments in this environment", view::method_word(kind)),
        ));
    }
    Ok(found)
}

/// Seed 003's 422.
fn insufficient_funds() -> BirrLinkError {
    BirrLinkError::unprocessable("insufficient_funds", "Customer has insufficient funds for this transaction")
}

/// Our messages in BirrLink's terms (its country's phone example, ISO 8601 for dates).
fn renamed(e: ServiceError) -> BirrLinkError {
    let ServiceError::Invalid(mut errors) = e else { return BirrLinkError::from(e) };
    for e in &mut errors {
        match e.field.as_str() {
            "customer.phone" => e.message = "must be in E.164 format, e.g. +251912345678".to_owned(),
            "expires_at" if e.rule == Rule::NotADateTime => {
                e.message = "must be an ISO 8601 date-time, e.g. 2030-12-31T23:59:59Z".to_owned();
            }
            _ => {}
        }
    }
    BirrLinkError::from(ServiceError::Invalid(errors))
}

impl PaymentIn {
    fn method_kind(&self) -> BirrLinkResult<Option<MethodKind>> {
        match self.payment_method.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            None => Ok(None),
            Some(word) => method_of_word(word).map(Some).ok_or_else(|| {
                BirrLinkError::validation("payment_method", "must be one of mobile_money, card or installments")
            }),
        }
    }

    /// The phone to push a mobile-money charge to.
    fn push_phone(&self, kind: Option<MethodKind>) -> Option<String> {
        let phone = self.customer.as_ref()?.phone.as_deref().map(str::trim).filter(|p| !p.is_empty())?;
        (kind == Some(MethodKind::MobileMoney)).then(|| phone.to_owned())
    }

    async fn new_link(
        self,
        ctx: &Ctx,
        actor: &Actor,
        allowed: Option<&[PaymentMethod]>,
        now: Timestamp,
    ) -> BirrLinkResult<NewLink> {
        let description = self.description.filter(|d| !d.trim().is_empty());
        let title = match &description {
            Some(d) => d.trim().chars().take(200).collect::<String>(),
            None => labels::labels(ctx, actor, Vec::new()).await?.store_name,
        };
        let draft = LinkDraft {
            amount: self.amount.as_deref().map(amount_text),
            currency: self.currency.filter(|c| !c.trim().is_empty()),
            title: Some(title),
            description,
            single_use: Some(true),
            expires_at: Some(match self.expires_at.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
                Some(text) => expiry_text(text),
                None => now.plus_secs(3600).to_rfc3339(),
            }),
            customer: customer(self.customer.unwrap_or_default()),
            callback_url: self.callback_url.filter(|u| !u.trim().is_empty()),
            metadata: self.metadata,
            payment_methods: allowed.map(|m| m.iter().map(|m| m.id).collect()),
            ..LinkDraft::default()
        };
        Ok(NewLink { draft, branch: None, dialect: Some(DialectName::of(super::NAME)), dialect_ref: None })
    }
}

/// BirrLink's customer as ours: the name splits at its first space into first and last name.
fn customer(c: CustomerIn) -> Customer {
    let filled = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (first, last) = c.name.as_deref().map_or((None, None), Customer::split_name);
    Customer { id: None, phone: filled(c.phone), email: filled(c.email), first_name: first, last_name: last }
}

/// An ISO 8601 expiry as the RFC 3339 text the draft checks: a bare date is the end of that day
/// (UTC), a date-time without an offset is UTC, a space may separate date and time.
fn expiry_text(s: &str) -> String {
    if s.len() == 10 && Timestamp::parse_date(s).is_some() {
        return format!("{s}T23:59:59Z");
    }
    let mut text = s.to_owned();
    if text.as_bytes().get(10) == Some(&b' ') {
        text.replace_range(10..11, "T");
    }
    let has_offset = text.get(19..).is_some_and(|tail| tail.contains(['Z', 'z', '+', '-']));
    if text.len() >= 19 && !has_offset {
        text.push('Z');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_splits_at_its_first_space() {
        let c = customer(CustomerIn { name: Some(" John  van Doe ".into()), ..CustomerIn::default() });
        assert_eq!((c.first_name.as_deref(), c.last_name.as_deref()), (Some("John"), Some("van Doe")));
        let c = customer(CustomerIn { name: Some("Abebe".into()), ..CustomerIn::default() });
        assert_eq!((c.first_name.as_deref(), c.last_name), (Some("Abebe"), None));
    }

    #[test]
    fn expiry_spellings_become_rfc_3339() {
        assert_eq!(expiry_text("2030-12-31"), "2030-12-31T23:59:59Z");
        assert_eq!(expiry_text("2030-12-31T10:00:00"), "2030-12-31T10:00:00Z");
        assert_eq!(expiry_text("2030-12-31 10:00:00+03:00"), "2030-12-31T10:00:00+03:00");
        assert_eq!(expiry_text("soon"), "soon");
    }
}
