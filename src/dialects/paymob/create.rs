//! `POST /paymob/api/ecommerce/payment-links`: create a QuickLink (seed 004). A QuickLink is a
//! single-use payment link limited to the listed payment methods (Paymob's integration ids are
//! our payment method ids), created in the mode of the key; its number comes from the Paymob
//! link counter in the link's own transaction, and its image is stored with it.

use super::auth::PaymobActor;
use super::body::PaymobBody;
use super::error::{DetailBody, MessageBody, PaymobError};
use super::input::QuickLinkIn;
use super::view::QuickLinkOut;
use crate::domain::Environment;
use crate::domain::access::Actor;
use crate::service::links::{self, LinkExtras};
use crate::service::{Ctx, methods, stores};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

/// A new QuickLink as multipart form data (Paymob's documented encoding).
#[derive(Deserialize, ToSchema)]
pub struct QuickLinkForm {
    /// The amount in minor units (cents), an integer above 0: `5500` is 55.00.
    #[schema(example = "5500")]
    pub amount_cents: String,
    /// Integration ids (our payment method ids) of the key's mode; repeat the field for each.
    #[schema(example = json!(["4599003", "4568416"]))]
    pub payment_methods: Vec<String>,
    /// `"true"` for live mode (a `sk_live_…` key), `"false"` for test mode (`sk_test_…`).
    #[schema(example = "false")]
    pub is_live: String,
    /// When the link stops accepting payments, UTC: `YYYY-MM-DDTHH:MM:SS` (a fraction or an offset
    /// may follow); must be in the future. Absent: never.
    #[schema(example = "2026-07-25T18:58:57")]
    pub expires_at: Option<String>,
    /// Your reference, unique per store and mode (1–64 printable characters, no spaces).
    pub reference_id: Option<String>,
    /// The payer's e-mail address.
    pub email: Option<String>,
    /// The payer's name; split at the first space into first and last name.
    pub full_name: Option<String>,
    /// The payer's phone number, E.164 (`+201XXXXXXXXX`).
    pub phone_number: Option<String>,
    /// Shown on the payment page (≤ 500 characters); also its title.
    pub description: Option<String>,
    /// ISO 4217 code; default the store's currency.
    pub currency: Option<String>,
    /// Receives Paymob's transaction-processed callback (absolute http(s) URL).
    pub notification_url: Option<String>,
    /// Where the payer goes after paying, with Paymob's `hmac` query (absolute http(s) URL).
    pub redirection_url: Option<String>,
    /// A PNG, JPEG, WebP or GIF image (≤ 2 MiB) shown on the payment page.
    #[schema(value_type = Option<String>, format = Binary)]
    pub payment_link_image: Option<String>,
}

/// A new QuickLink as JSON (as integrations send it): the same fields, `payment_methods` an array
/// or a single value, numbers as numbers or numeric strings, `is_live` a boolean or a string. No
/// image (send multipart for that).
#[derive(Deserialize, ToSchema)]
pub struct QuickLinkJson {
    /// The amount in minor units (cents): an integer or a numeric string.
    #[schema(value_type = i64, example = 5500)]
    pub amount_cents: serde_json::Value,
    /// Integration ids: an array or one value.
    #[schema(value_type = Vec<i64>, example = json!([4599003, 4568416]))]
    pub payment_methods: serde_json::Value,
    /// Live (`true`) or test (`false`) mode, a boolean or a string.
    #[schema(value_type = bool, example = false)]
    pub is_live: serde_json::Value,
    /// As in the form.
    pub expires_at: Option<String>,
    /// As in the form.
    pub reference_id: Option<String>,
    /// As in the form.
    pub email: Option<String>,
    /// As in the form.
    pub full_name: Option<String>,
    /// As in the form.
    pub phone_number: Option<String>,
    /// As in the form.
    pub description: Option<String>,
    /// As in the form.
    pub currency: Option<String>,
    /// As in the form.
    pub notification_url: Option<String>,
    /// As in the form.
    pub redirection_url: Option<String>,
}

/// Creates a QuickLink.
#[utoipa::path(post, path = "/api/ecommerce/payment-links", tag = "quicklinks",
    request_body(content(
        (QuickLinkForm = "multipart/form-data"),
        (QuickLinkJson = "application/json"),
    )),
    responses((status = 200, body = QuickLinkOut),
        (status = 400, body = MessageBody, description = "A field is wrong (`errors` names it), or \
            `{\"message\": \"Reference ID already exists.\"}`"),
        (status = 401, body = DetailBody, description = "`incorrect credentials`"),
        (status = 403, body = DetailBody, description = "The key's role cannot create links"),
        (status = 404, body = DetailBody, description = "An integration id unknown, disabled, or of the other mode \
            than `is_live`"),
        (status = 409, body = MessageBody, description = "A request with this `Idempotency-Key` is still being processed"),
        (status = 413, body = MessageBody, description = "The body is larger than 3 MiB"),
        (status = 415, body = MessageBody, description = "Not multipart, urlencoded or JSON"),
        (status = 422, body = MessageBody, description = "This `Idempotency-Key` was used with a different request"),
        (status = 429, body = DetailBody, description = "The key's per-minute limit (`Retry-After`)")))]
pub async fn create_quicklink(
    State(ctx): State<Ctx>,
    PaymobActor(actor): PaymobActor,
    PaymobBody(fields): PaymobBody,
) -> Result<Json<QuickLinkOut>, PaymobError> {
    let mut input = QuickLinkIn::read(&fields, ctx.clock.now())?;
    let methods = resolve_methods(&ctx, &actor, &input.payment_methods, input.is_live).await?;
    let currency = match input.currency {
        Some(c) => c,
        None => stores::currency(&ctx, &actor.store_id).await?,
    };
    let extras = LinkExtras { image: input.image.take(), counter: Some(super::LINK_COUNTER) };
    let link = links::create_link_with(&ctx, &actor, input.into_new_link(methods, currency), extras).await?;
    Ok(Json(QuickLinkOut::new(&link, ctx.clock.now(), ctx.config.public_base())))
}

/// The listed integrations as our method ids: each an enabled method of the key's store in the
/// key's mode, named by id or by name; `is_live` must be that mode. Anything else is the seed's
/// 404.
async fn resolve_methods(ctx: &Ctx, actor: &Actor, wanted: &[String], is_live: bool) -> Result<Vec<i64>, PaymobError> {
    if is_live != (actor.environment == Environment::Production) {
        return Err(PaymobError::integration_not_found());
    }
    let enabled: Vec<_> = methods::list_methods(ctx, actor).await?.into_iter().filter(|m| m.enabled).collect();
    wanted
        .iter()
        .map(|w| {
            let id = w.parse::<i64>().ok();
            let found = enabled.iter().find(|m| Some(m.id) == id || (id.is_none() && m.name.eq_ignore_ascii_case(w)));
            found.map(|m| m.id).ok_or_else(PaymobError::integration_not_found)
        })
        .collect()
}
