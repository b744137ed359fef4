//! Who is calling a QuickLink route. Paymob takes `Authorization: Bearer <auth token>` (a token
//! from `POST /paymob/api/auth/tokens`, valid 60 minutes) or `Authorization: Token <secret key>`
//! (the seed's header text); `Bearer sk_test_…` also works, as on the native API. Anything else,
//! or a token past its hour, is 401 `{"detail": "incorrect credentials"}`. Either way the key's
//! per-minute limit counts the request.
//!
//! The middleware runs before the `Idempotency-Key` layer and leaves the [`Actor`] in the
//! request's extensions, where that layer and the handlers find it.

use super::error::PaymobError;
use crate::domain::access::Actor;
use crate::service::{Ctx, ServiceError, auth, dialect_tokens};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The authenticated caller of a QuickLink route.
pub struct PaymobActor(pub Actor);

/// Authenticates a QuickLink request.
pub async fn require_auth(State(ctx): State<Ctx>, mut req: Request, next: Next) -> Response {
    match actor(&ctx, req.headers()).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn actor(ctx: &Ctx, headers: &HeaderMap) -> Result<Actor, PaymobError> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("").trim();
    let (scheme, credential) = value.split_once(' ').ok_or_else(PaymobError::unauthenticated)?;
    let credential = credential.trim();
    let is_key = credential.starts_with("sk_test_") || credential.starts_with("sk_live_");
    let found = match scheme.to_ascii_lowercase().as_str() {
        "token" => auth::authenticate(ctx, credential).await,
        "bearer" if is_key => auth::authenticate(ctx, credential).await,
        "bearer" => dialect_tokens::authenticate(ctx, credential).await,
        _ => Err(ServiceError::Unauthenticated),
    };
    found.map_err(|e| match e {
        e @ (ServiceError::KeyRateLimited { .. } | ServiceError::Internal(_)) => PaymobError::from(e),
        _ => PaymobError::unauthenticated(),
    })
}

impl<S: Send + Sync> FromRequestParts<S> for PaymobActor {
    type Rejection = PaymobError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, PaymobError> {
        // Only reachable behind `require_auth`; a missing actor is a wiring mistake, refused
        // rather than served.
        parts.extensions.get::<Actor>().cloned().map(PaymobActor).ok_or_else(PaymobError::unauthenticated)
    }
}
