//! Extractors answering in the Exchange envelope: the JSON body, and who is calling on which
//! project. Amwal Exchange authenticates with
//! `Authorization: Bearer <token>` (seed 002); the token is a Paylink API key, and the project
//! in the path is the key's store (a project is a store, docs/architecture.md). Another store's id is
//! answered like one that does not exist.

use super::error::ExchangeError;
use crate::api::extract::ApiJson;
use crate::domain::access::Actor;
use crate::service::{Ctx, ServiceError, auth};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A JSON body, checked as the native API checks one (content type, size, syntax, each wrong
/// type naming its field); fields the struct does not name are ignored, as the provider does.
pub struct ExchangeJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ExchangeJson<T> {
    type Rejection = ExchangeError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ExchangeError> {
        let ApiJson(value) = ApiJson::<T>::from_request(req, state).await?;
        Ok(ExchangeJson(value))
    }
}

/// The actor behind the request's bearer key, with failures in the Exchange envelope.
pub struct Bearer(pub Actor);

impl FromRequestParts<Ctx> for Bearer {
    type Rejection = ExchangeError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Self, ExchangeError> {
        // The `Idempotency-Key` layer has authenticated already when the request carries one.
        if let Some(actor) = parts.extensions.get::<Actor>() {
            return Ok(Bearer(actor.clone()));
        }
        let secret = crate::api::extract::bearer(parts).ok_or(ServiceError::Unauthenticated)?;
        Ok(Bearer(auth::authenticate(ctx, secret).await?))
    }
}

/// Refuses a project that is not the key's store (404: its existence is not revealed).
pub fn check_project(actor: &Actor, project_id: &str) -> Result<(), ExchangeError> {
    auth::require_own_store(actor, project_id).map_err(|_| ExchangeError::not_found("project"))
}
