//! `PUT /exchange/projects/{project_id}/invoices`: create an invoice (seed 002). An invoice is a
//! single-use payment link in the store's currency, in English, sent to nobody; the dialect adds
//! only its own id (24 hex) and the secret derived from it.

use super::error::{ErrorEnvelope, ExchangeError};
use super::extract::{Bearer, ExchangeJson, check_project};
use super::words::{invoice_id, invoice_secret, invoice_status};
use crate::api::error::ApiError;
use crate::domain::dialect::DialectName;
use crate::domain::link::{Link, LinkDraft};
use crate::service::links::{self, NewLink};
use crate::service::{Ctx, secrets};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

/// A new invoice. Fields not listed here are ignored, as Amwal Exchange ignores them.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateInvoiceIn {
    /// The amount in the store's currency, in major units: a JSON number or a numeric string
    /// (`5`, `12.5`, `"12.50"`); positive, with no more decimals than the currency has.
    #[schema(schema_with = amount_schema, required = true)]
    pub amount: Option<Box<RawValue>>,
    /// Shown as the payment page's title (1–200 characters).
    #[schema(required = true, example = "Invoice header to display on the payment page")]
    pub header: Option<String>,
    /// Shown under the title (≤ 500 characters; `""` = none).
    #[schema(example = "Short description")]
    pub description: Option<String>,
    /// Where the payer goes after paying (absolute http(s) URL; `""` = none).
    pub success_url: Option<String>,
    /// Where the payer goes on leaving without paying (absolute http(s) URL; `""` = none).
    pub cancel_url: Option<String>,
}

/// The amount's schema: the derive cannot tell that the raw JSON value is a number or a
/// numeric string.
fn amount_schema() -> impl Into<RefOr<Schema>> {
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Number).exclusive_minimum(Some(0.0)))
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(r"^\d+(\.\d+)?$")))
}

/// What creating an invoice answers.
#[derive(Serialize, ToSchema)]
pub struct CreatedInvoice {
    /// The invoice.
    pub data: NewInvoice,
    /// Always 0 on success.
    pub err: u8,
}

/// A new invoice, as Amwal Exchange describes it (`IAmwalExchangePaymentSession`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewInvoice {
    /// The invoice id: 24 lowercase hex digits.
    #[schema(example = "65448ddef4924a5dd1b241a9")]
    pub invoice_id: String,
    /// The payment page to send the payer to.
    pub url: String,
    /// The page's address as a QR code: a `data:image/png;base64,…` URL.
    #[serde(rename = "QR")]
    pub qr: String,
    /// A UUID the project callback carries when the invoice is paid; keep it to recognise the
    /// payer's basket. Not shown again.
    #[schema(example = "0927f7cc-98a7-4b67-a8b5-254fe46227dd")]
    pub secret: String,
    /// 1 new (unpaid), 2 paid, 3 expired, 4 cancelled.
    #[schema(example = 1)]
    pub status: u8,
}

/// Creates an invoice: a payment page for `amount`, titled `header`.
#[utoipa::path(put, path = "/projects/{project_id}/invoices", tag = "invoices", request_body = CreateInvoiceIn,
    params(("project_id" = String, Path, description = "The project: your store id (`sto_…`)"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = CreatedInvoice),
        (status = 400, body = ErrorEnvelope, description = "Invalid input (err 1); `details` names the field"),
        (status = 401, body = ErrorEnvelope, description = "Missing or invalid API key (err 2)"),
        (status = 403, body = ErrorEnvelope, description = "The key's role cannot create invoices (err 4)"),
        (status = 404, body = ErrorEnvelope, description = "Not this key's project (err 3)"),
        (status = 409, body = ErrorEnvelope, description = "A request with this `Idempotency-Key` is in flight (err 5)"),
        (status = 413, body = ErrorEnvelope, description = "The body is too large (err 1)"),
        (status = 415, body = ErrorEnvelope, description = "The body is not `application/json` (err 1)"),
        (status = 422, body = ErrorEnvelope, description = "This `Idempotency-Key` came with another request (err 1)"),
        (status = 429, body = ErrorEnvelope, description = "The key's per-minute allowance is spent (err 6, `Retry-After`)")))]
pub async fn create_invoice(
    State(ctx): State<Ctx>,
    Path(project_id): Path<String>,
    Bearer(actor): Bearer,
    ExchangeJson(body): ExchangeJson<CreateInvoiceIn>,
) -> Result<Json<CreatedInvoice>, ExchangeError> {
    check_project(&actor, &project_id)?;
    let seconds = ctx.clock.now().micros().div_euclid(1_000_000);
    let invoice_id = invoice_id(seconds, secrets::random_bytes());
    let link = links::create_link(&ctx, &actor, body.into_new_link(invoice_id)?).await?;
    Ok(Json(CreatedInvoice { data: created(&ctx, &link)?, err: 0 }))
}

impl CreateInvoiceIn {
    fn into_new_link(self, invoice_id: String) -> Result<NewLink, ExchangeError> {
        let draft = LinkDraft {
            amount: amount_text(self.amount)?,
            title: self.header,
            description: self.description,
            success_url: self.success_url,
            cancel_url: self.cancel_url,
            single_use: Some(true),
            language: Some("en".to_owned()),
            send_sms: Some(false),
            send_email: Some(false),
            ..LinkDraft::default()
        };
        Ok(NewLink {
            draft,
            dialect: Some(DialectName::of(super::NAME)),
            dialect_ref: Some(invoice_id),
            ..NewLink::default()
        })
    }
}

/// The amount's exact text: a number as written, or the content of a string. Any other JSON
/// type is refused here, naming the field; the text itself is checked with every other rule.
fn amount_text(raw: Option<Box<RawValue>>) -> Result<Option<String>, ExchangeError> {
    let Some(raw) = raw else { return Ok(None) };
    match raw.get().as_bytes().first() {
        Some(b'"' | b'-' | b'0'..=b'9') => Ok(Some(crate::api::extract::amount_text(&raw))),
        _ => Err(ApiError::field(StatusCode::BAD_REQUEST, "", "amount", "must be a number or a numeric string").into()),
    }
}

/// The answer for a new invoice's link.
fn created(ctx: &Ctx, link: &Link) -> Result<NewInvoice, ExchangeError> {
    let invoice_id = link.dialect_ref.clone().unwrap_or_default();
    let url = super::invoice_url(ctx, &invoice_id);
    let qr = crate::web::png::data_url(&url)
        .ok_or_else(|| ApiError::internal("the invoice URL is too long for a QR code"))?;
    Ok(NewInvoice {
        secret: invoice_secret(&ctx.signing_key, &invoice_id),
        status: invoice_status(link.status_at(ctx.clock.now())),
        invoice_id,
        url,
        qr,
    })
}
