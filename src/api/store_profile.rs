//! `/v1/store`: the store's profile — name, default language, time zone, support contact and
//! notification caps. Every user of the store reads it; OWNER and ADMIN change it.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiJson, Auth};
use crate::domain::store_profile::{ProfileChange, StoreProfile};
use crate::service::{Ctx, store_profile};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(get_store, update_store))
}

/// The store's profile.
#[derive(Serialize, ToSchema)]
pub struct StoreOut {
    /// Always `store`.
    pub object: &'static str,
    /// The store's id.
    pub id: String,
    /// The name payers and staff see.
    pub name: String,
    /// The store's currency (fixed when the store is made).
    pub currency: String,
    /// The language of links made without one: `ar` or `en`.
    pub default_language: &'static str,
    /// The IANA time zone the store's days are counted in (reports, dates people read).
    pub time_zone: String,
    /// The support phone shown to payers (E.164), or null.
    pub support_phone: Option<String>,
    /// The support e-mail shown to payers, or null.
    pub support_email: Option<String>,
    /// At most this many messages per link per hour (null: this server's cap).
    pub notify_per_link_per_hour: Option<i64>,
    /// At most this many messages for the store per hour (null: this server's cap).
    pub notify_per_store_per_hour: Option<i64>,
}

impl StoreOut {
    fn new(id: &str, p: StoreProfile) -> Self {
        StoreOut {
            object: "store",
            id: id.to_owned(),
            name: p.name,
            currency: p.currency.code().to_owned(),
            default_language: p.default_language.as_str(),
            time_zone: p.time_zone,
            support_phone: p.support_phone,
            support_email: p.support_email,
            notify_per_link_per_hour: p.notify_per_link_per_hour,
            notify_per_store_per_hour: p.notify_per_store_per_hour,
        }
    }
}

/// Changes to the profile: absent fields keep their value; null clears an optional one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreIn {
    /// 1–100 characters.
    pub name: Option<String>,
    /// `ar` or `en`.
    pub default_language: Option<String>,
    /// An IANA time zone name (`Asia/Riyadh`, `Africa/Cairo`, `Europe/London`).
    pub time_zone: Option<String>,
    /// An E.164 phone number; null or empty clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub support_phone: Option<Option<String>>,
    /// An e-mail address; null or empty clears it.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<String>)]
    pub support_email: Option<Option<String>>,
    /// 1 up to this server's cap; null returns to the server's cap.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub notify_per_link_per_hour: Option<Option<i64>>,
    /// 1 up to this server's cap; null returns to the server's cap.
    #[serde(default, deserialize_with = "super::extract::nullable")]
    #[schema(value_type = Option<i64>)]
    pub notify_per_store_per_hour: Option<Option<i64>>,
}

impl From<StoreIn> for ProfileChange {
    fn from(i: StoreIn) -> Self {
        ProfileChange {
            name: i.name,
            default_language: i.default_language,
            time_zone: i.time_zone,
            support_phone: i.support_phone,
            support_email: i.support_email,
            notify_per_link_per_hour: i.notify_per_link_per_hour,
            notify_per_store_per_hour: i.notify_per_store_per_hour,
        }
    }
}

/// Reads the store's profile (every role).
#[utoipa::path(get, path = "/v1/store", tag = "store", responses((status = 200, body = StoreOut)))]
pub async fn get_store(State(ctx): State<Ctx>, Auth(actor): Auth) -> ApiResult<Json<StoreOut>> {
    let profile = store_profile::profile(&ctx, &actor).await?;
    Ok(Json(StoreOut::new(actor.store_id.as_str(), profile)))
}

/// Changes the store's profile (OWNER, ADMIN); audited as `store.update`.
#[utoipa::path(patch, path = "/v1/store", tag = "store", request_body = StoreIn,
    responses((status = 200, body = StoreOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn update_store(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiJson(body): ApiJson<StoreIn>,
) -> ApiResult<Json<StoreOut>> {
    let profile = store_profile::change_profile(&ctx, &actor, body.into()).await?;
    Ok(Json(StoreOut::new(actor.store_id.as_str(), profile)))
}
