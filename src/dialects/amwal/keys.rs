//! The public half of the key Amwal callbacks are signed with, so merchants can verify
//! `X-Signature`: one key per store and environment, made on first use by
//! `service::dialect_keys::signing_key`. The environment is the API key's.

use super::auth::{AmwalActor, require_own_store};
use super::error::{AmwalErrorBody, AmwalResult, amwal_error, same_names};
use crate::domain::dialect::DialectName;
use crate::service::Ctx;
use crate::service::dialect_keys::signing_key;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

/// How to verify callbacks: the key and the scheme's parameters.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicKeyOut {
    /// The RSA public key, SPKI in PEM (`-----BEGIN PUBLIC KEY-----`).
    pub public_key: String,
    /// SHA-256 of the key's DER, hex: the `X-API-Key` header callbacks carry.
    pub fingerprint: String,
    /// Always `RSA-PSS`.
    pub algorithm: &'static str,
    /// Always `SHA-256`.
    pub hash: &'static str,
    /// Always `MGF1-SHA-256`.
    pub mgf: &'static str,
    /// Salt length in bytes: 32.
    pub salt_length: u32,
}

/// The key that signs this store's callbacks, as JSON.
#[utoipa::path(get, path = "/amwal/stores/{store_id}/public_key", tag = "callbacks",
    params(("store_id" = String, Path, description = "Your store id (the key's store)")),
    responses((status = 200, body = PublicKeyOut), (status = 403, body = AmwalErrorBody),
        (status = 404, body = AmwalErrorBody)))]
pub async fn get_public_key(
    State(ctx): State<Ctx>,
    AmwalActor(actor): AmwalActor,
    Path(store_id): Path<String>,
) -> AmwalResult<Json<PublicKeyOut>> {
    require_own_store(&actor, &store_id)?;
    let key = signing_key(&ctx, &DialectName::of(super::NAME), &actor.store_id, actor.environment)
        .await
        .map_err(|e| amwal_error(e, &same_names))?;
    Ok(Json(PublicKeyOut {
        public_key: key.public_pem.clone(),
        fingerprint: key.fingerprint.clone(),
        algorithm: "RSA-PSS",
        hash: "SHA-256",
        mgf: "MGF1-SHA-256",
        salt_length: 32,
    }))
}

/// The same key as a PEM file.
#[utoipa::path(get, path = "/amwal/stores/{store_id}/public_key.pem", tag = "callbacks",
    params(("store_id" = String, Path, description = "Your store id (the key's store)")),
    responses((status = 200, description = "The PEM", content_type = "application/x-pem-file", body = String),
        (status = 403, body = AmwalErrorBody), (status = 404, body = AmwalErrorBody)))]
pub async fn get_public_key_pem(
    State(ctx): State<Ctx>,
    AmwalActor(actor): AmwalActor,
    Path(store_id): Path<String>,
) -> AmwalResult<impl IntoResponse> {
    require_own_store(&actor, &store_id)?;
    let key = signing_key(&ctx, &DialectName::of(super::NAME), &actor.store_id, actor.environment)
        .await
        .map_err(|e| amwal_error(e, &same_names))?;
    Ok(([(header::CONTENT_TYPE, "application/x-pem-file")], key.public_pem.clone()))
}
