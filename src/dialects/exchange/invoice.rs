//! Reading an invoice: `GET /exchange/projects/{project_id}/invoices/{invoiceId}` — an addition
//! of ours (Amwal Exchange documents creation and the paid callback only), so a merchant can
//! check an invoice without the native API — and finding the link behind an invoice id for the
//! `/invoice/{id}` page.

use super::error::{ErrorEnvelope, ExchangeError};
use super::extract::{Bearer, check_project};
use super::words::{invoice_status, is_invoice_id};
use crate::api::error::ApiError;
use crate::domain::dialect::DialectName;
use crate::domain::link::{Link, LinkStatus};
use crate::domain::money::Money;
use crate::domain::payment::{Payment, PaymentStatus};
use crate::service::links::{self, by_ref};
use crate::service::{Ctx, Result, ServiceError};
use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// What reading an invoice answers.
#[derive(Serialize, ToSchema)]
pub struct InvoiceEnvelope {
    /// The invoice.
    pub data: Invoice,
    /// Always 0 on success.
    pub err: u8,
}

/// An invoice as it stands (the creation `secret` is not shown again).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    /// The invoice id: 24 lowercase hex digits.
    pub invoice_id: String,
    /// The payment page.
    pub url: String,
    /// 1 new (unpaid), 2 paid, 3 expired, 4 cancelled.
    pub status: u8,
    /// The amount in major units, as a JSON number written exactly (`5`, `12.5`).
    #[schema(value_type = f64, example = 5)]
    pub amount: Box<RawValue>,
    /// The ISO 4217 currency of the amount (the store's).
    pub currency: String,
    /// The page's title.
    pub header: String,
    /// The description, if any.
    pub description: Option<String>,
    /// Whether it has been paid.
    pub paid: bool,
    /// When it was paid (RFC 3339), or null.
    pub paid_at: Option<String>,
    /// The payment that paid it (the callback's `paymentSessionId`), or null.
    pub payment_session_id: Option<String>,
}

/// Reads an invoice of the project.
#[utoipa::path(get, path = "/projects/{project_id}/invoices/{invoice_id}", tag = "invoices",
    params(("project_id" = String, Path, description = "The project: your store id (`sto_…`)"),
        ("invoice_id" = String, Path, description = "The invoice id (24 hex digits)")),
    responses((status = 200, body = InvoiceEnvelope),
        (status = 401, body = ErrorEnvelope, description = "Missing or invalid API key (err 2)"),
        (status = 404, body = ErrorEnvelope, description = "Not this key's project, or no such invoice (err 3)"),
        (status = 429, body = ErrorEnvelope, description = "The key's per-minute allowance is spent (err 6, `Retry-After`)")))]
pub async fn get_invoice(
    State(ctx): State<Ctx>,
    Path((project_id, invoice_id)): Path<(String, String)>,
    Bearer(actor): Bearer,
) -> std::result::Result<Json<InvoiceEnvelope>, ExchangeError> {
    check_project(&actor, &project_id)?;
    if !is_invoice_id(&invoice_id) {
        return Err(ServiceError::NotFound.into());
    }
    // The core's reads decide what this key may see (its store; a cashier only their own links).
    let link = by_ref::get_link_by_ref(&ctx, &actor, &DialectName::of(super::NAME), &invoice_id).await?;
    let (link, payments) = links::get_link_with_payments(&ctx, &actor, link.id.as_str()).await?;
    Ok(Json(InvoiceEnvelope { data: Invoice::of(&ctx, &link, &payments)?, err: 0 }))
}

impl Invoice {
    fn of(ctx: &Ctx, link: &Link, payments: &[Payment]) -> std::result::Result<Invoice, ExchangeError> {
        let invoice_id = link.dialect_ref.clone().unwrap_or_default();
        let status = link.status_at(ctx.clock.now());
        let paid_by = payments.iter().find(|p| p.status == PaymentStatus::Succeeded);
        Ok(Invoice {
            url: super::invoice_url(ctx, &invoice_id),
            invoice_id,
            status: invoice_status(status),
            amount: RawValue::from_string(js_number(link.amount)).map_err(|e| ApiError::internal(&e.to_string()))?,
            currency: link.amount.currency().code().to_owned(),
            header: link.title.clone(),
            description: link.description.clone(),
            paid: status == LinkStatus::Paid,
            paid_at: paid_by.and_then(|p| p.completed_at).map(|t| t.to_rfc3339()),
            payment_session_id: paid_by.map(|p| p.id.to_string()),
        })
    }
}

/// An amount as a JavaScript client would print the number: no trailing zeros (`5`, `12.5`).
/// Built from the minor units' decimal text, never through a float.
fn js_number(amount: Money) -> String {
    let text = amount.to_canonical();
    if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text }
}

/// The link id behind an `/invoice/{id}` page address: an invoice id's link, or the text itself
/// (the page also answers to native link ids).
pub async fn page_link_id(ctx: &Ctx, id: &str) -> Result<String> {
    match is_invoice_id(id) {
        true => by_ref::public_link_id_by_ref(ctx, &DialectName::of(super::NAME), id).await,
        false => Ok(id.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn amounts_read_as_a_javascript_client_prints_them() {
        let sar = Currency::parse("SAR").unwrap();
        let kwd = Currency::parse("KWD").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(js_number(Money::from_minor(500, sar)), "5");
        assert_eq!(js_number(Money::from_minor(1250, sar)), "12.5");
        assert_eq!(js_number(Money::from_minor(29_999, sar)), "299.99");
        assert_eq!(js_number(Money::from_minor(1_001, kwd)), "1.001");
        assert_eq!(js_number(Money::from_minor(1_000, jpy)), "1000");
        assert_eq!(js_number(Money::from_minor(9_007_199_254_740_993, sar)), "90071992547409.93");
    }
}
