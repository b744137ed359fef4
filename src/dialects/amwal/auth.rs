//! Amwal's authentication: `Authorization: <key>` with no scheme (Amwal's docs; `Bearer <key>`
//! works too), the key being a Paylink key (`sk_test_…` sandbox, `sk_live_…` production). The
//! optional `X-Amwal-Key` header names the environment (`sandbox-…` / `prod-…`); when it
//! disagrees with the key's, the request is refused rather than served from the other
//! environment. Failures answer 403, as Django REST Framework does for a custom scheme.
//!
//! The middleware runs before the `Idempotency-Key` layer and leaves the [`Actor`] in the
//! request's extensions, where that layer and the handlers find it.

use super::error::{DrfError, authentication_failed};
use crate::api::error::ApiError;
use crate::domain::Environment;
use crate::domain::access::Actor;
use crate::domain::id::{StoreId, id_from_uuid};
use crate::service::{Ctx, ServiceError, auth};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The authenticated caller of an Amwal route.
pub struct AmwalActor(pub Actor);

/// Authenticates for the payment-link and key routes (errors in seed 000's shape).
pub async fn require_key(State(ctx): State<Ctx>, mut req: Request, next: Next) -> Response {
    match actor(&ctx, req.headers()).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

/// Authenticates for the refund route (errors in DRF's `{"detail"}` shape).
pub async fn require_key_drf(State(ctx): State<Ctx>, mut req: Request, next: Next) -> Response {
    match actor(&ctx, req.headers()).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e) => {
            let status = if e.rate_limit.is_some() { e.status } else { StatusCode::FORBIDDEN };
            let mut response = DrfError::detail(status, &e.message).into_response();
            if let Some(info) = e.rate_limit {
                info.write_headers(response.headers_mut());
            }
            response
        }
    }
}

async fn actor(ctx: &Ctx, headers: &HeaderMap) -> Result<Actor, ApiError> {
    let secret = secret(headers).ok_or_else(|| {
        authentication_failed("send your API key in the Authorization header (Authorization: sk_test_…)")
    })?;
    let wanted = environment(headers)?;
    let actor = auth::authenticate(ctx, secret).await.map_err(|e| match e {
        e @ ServiceError::KeyRateLimited { .. } => ApiError::from(e),
        _ => authentication_failed("invalid, expired or revoked API key"),
    })?;
    match wanted {
        Some(env) if env != actor.environment => Err(authentication_failed(&format!(
            "X-Amwal-Key asks for {} but this API key belongs to {}",
            env.as_str(),
            actor.environment.as_str()
        ))),
        _ => Ok(actor),
    }
}

/// The key: the whole `Authorization` value, or what follows `Bearer `.
fn secret(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let key = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => value,
    };
    (!key.is_empty()).then_some(key)
}

/// The environment `X-Amwal-Key` selects, if the header is there.
fn environment(headers: &HeaderMap) -> Result<Option<Environment>, ApiError> {
    let Some(value) = headers.get("x-amwal-key") else { return Ok(None) };
    let value = value.to_str().unwrap_or("").trim().to_ascii_lowercase();
    if value.starts_with("sandbox-") {
        Ok(Some(Environment::Sandbox))
    } else if value.starts_with("prod-") {
        Ok(Some(Environment::Production))
    } else {
        Err(authentication_failed("X-Amwal-Key must start with sandbox- or prod-"))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AmwalActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        // Only reachable behind `require_key`; a missing actor is a wiring mistake, not the
        // caller's, so it is refused rather than served.
        let actor = parts.extensions.get::<Actor>().cloned();
        actor.map(AmwalActor).ok_or_else(|| authentication_failed("authentication required"))
    }
}

/// Checks that a path's `{store_id}` (a store id or its UUID spelling) names the actor's store;
/// any other store answers 404 (`service::auth::require_own_store`).
pub fn require_own_store(actor: &Actor, store_id: &str) -> Result<(), ApiError> {
    let id = id_from_uuid(StoreId::PREFIX, store_id).unwrap_or_else(|| store_id.to_owned());
    Ok(auth::require_own_store(actor, &id)?)
}
