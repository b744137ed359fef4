//! The provider dialects: each speaks one provider's API — its paths, auth header, field names,
//! response and error shapes, status words and callbacks — as a thin adapter over the same
//! `service` functions the native API uses. No business rule lives here, and no provider
//! knowledge lives anywhere else: the core asks a dialect what only it knows through
//! `service::dialect::Dialect`.
//!
//! A dialect is a folder here whose `register` adds what it plugs in to the [`Registry`]: its
//! answers to the core, its routes, and any routes or operator commands it adds to the native
//! surfaces. [`DIALECTS`] lists them; docs/dialects.md says how to add one.

pub mod amwal;
pub mod birrlink;
pub mod exchange;
pub mod paymob;
pub mod reshape;

use crate::cli::Flags;
use crate::service::Ctx;
use crate::service::dialect::{Answer, Dialect, Dialects};
use axum::Router;
use serde_json::Value;
use std::sync::OnceLock;
use utoipa_axum::router::OpenApiRouter;

/// Every dialect's registration, in the order their routes are merged.
const DIALECTS: [fn(Registry) -> Registry; 4] =
    [amwal::register, exchange::register, birrlink::register, paymob::register];

/// An operator command a dialect adds to `paylink admin`.
pub struct AdminCommand {
    /// The words after `admin`.
    pub words: &'static [&'static str],
    /// Its usage line (after `paylink `).
    pub usage: &'static str,
    /// Runs it; the answer is printed as the other admin commands' are.
    pub run: for<'a> fn(&'a Ctx, &'a Flags) -> Answer<'a, Result<Value, String>>,
}

/// What the dialects plug in.
#[derive(Default)]
pub struct Registry {
    dialects: Dialects,
    routers: Vec<fn(&Ctx) -> Router<Ctx>>,
    native_routes: Vec<fn() -> OpenApiRouter<Ctx>>,
    admin: Vec<AdminCommand>,
}

impl Registry {
    /// Adds the dialect the core asks.
    pub fn dialect(mut self, d: impl Dialect + 'static) -> Self {
        self.dialects = self.dialects.with(d);
        self
    }

    /// Adds the dialect's own routes (under its base path).
    pub fn routes(mut self, router: fn(&Ctx) -> Router<Ctx>) -> Self {
        self.routers.push(router);
        self
    }

    /// Adds routes to the native `/v1` API (documented in its OpenAPI document).
    pub fn native_routes(mut self, router: fn() -> OpenApiRouter<Ctx>) -> Self {
        self.native_routes.push(router);
        self
    }

    /// Adds an operator command.
    pub fn admin(mut self, command: AdminCommand) -> Self {
        self.admin.push(command);
        self
    }
}

/// The registry, built once.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| DIALECTS.iter().fold(Registry::default(), |r, register| register(r)))
}

/// Every dialect, as the core asks it.
pub fn all() -> Dialects {
    registry().dialects.clone()
}

/// Every dialect's routes, each under its own base path.
pub fn router(ctx: &Ctx) -> Router<Ctx> {
    registry().routers.iter().fold(Router::new(), |r, router| r.merge(router(ctx)))
}

/// The routes the dialects add to the native `/v1` API.
pub fn native_routes() -> OpenApiRouter<Ctx> {
    registry().native_routes.iter().fold(OpenApiRouter::new(), |r, router| r.merge(router()))
}

/// The operator commands the dialects add.
pub fn admin_commands() -> &'static [AdminCommand] {
    &registry().admin
}
