//! BirrLink's authentication: `Authorization: Bearer <secret key>`, the key being a Paylink API
//! key (`sk_test_…` sandbox, `sk_live_…` production; docs/dialects.md). BirrLink has one host per
//! environment; Paylink mirrors that with two base paths serving the same routes:
//! `/birrlink/v1` serves both environments, each by its key's prefix, and
//! `/birrlink/sandbox/v1` serves the sandbox only (a production key there is refused as a key
//! of the other environment). A key's role decides what it may do (403 `permission_denied`).
//!
//! Public API:
//! - [`require_key`]: the middleware (a route layer in `mod.rs`) that authenticates every
//!   BirrLink route, before the `Idempotency-Key` layer, and leaves the [`Actor`] in the
//!   request's extensions. Failures: 401 `authentication_failed` "Invalid API key", 429
//!   `rate_limit_exceeded` with `Retry-After` and the RateLimit headers.
//! - [`BirrLinkActor`]: the extractor handlers take (`BirrLinkActor(actor): BirrLinkActor`).

use super::error::BirrLinkError;
use crate::domain::Environment;
use crate::domain::access::Actor;
use crate::service::{Ctx, ServiceError, auth};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Which environments a base path serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// `/birrlink/v1`: both, by the key's prefix.
    Any,
    /// `/birrlink/sandbox/v1`: the sandbox only.
    SandboxOnly,
}

/// The authenticated caller of a BirrLink route.
pub struct BirrLinkActor(pub Actor);

/// Authenticates the request for `host` and hands the [`Actor`] on in its extensions.
pub async fn require_key(State((ctx, host)): State<(Ctx, Host)>, mut req: Request, next: Next) -> Response {
    match actor(&ctx, host, req.headers()).await {
        Ok(actor) => {
            req.extensions_mut().insert(actor);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn actor(ctx: &Ctx, host: Host, headers: &HeaderMap) -> Result<Actor, BirrLinkError> {
    let secret = secret(headers).ok_or_else(BirrLinkError::authentication_failed)?;
    let actor = auth::authenticate(ctx, secret).await.map_err(|e| match e {
        e @ ServiceError::KeyRateLimited { .. } => BirrLinkError::from(e),
        _ => BirrLinkError::authentication_failed(),
    })?;
    if host == Host::SandboxOnly && actor.environment != Environment::Sandbox {
        let mut e = BirrLinkError::authentication_failed();
        e.message = "Invalid API key for the sandbox: this key belongs to production".to_owned();
        return Err(e);
    }
    Ok(actor)
}

/// The secret after `Bearer ` (any case), if any.
fn secret(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    let key = key.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !key.is_empty()).then_some(key)
}

impl FromRequestParts<Ctx> for BirrLinkActor {
    type Rejection = BirrLinkError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, BirrLinkError> {
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(BirrLinkActor(actor.clone()));
        }
        // Only reached when a route is mounted without `require_key`: authenticate here, as
        // `/birrlink/v1` would.
        actor(ctx, Host::Any, &parts.headers).await.map(BirrLinkActor)
    }
}
