//! The payment links pages: the list with its filters and keyset pages, and its CSV export.

mod export;
mod filters;
mod list;
mod texts;

use crate::service::Ctx;
use axum::Router;
use axum::routing::get;

/// The links list's and export's routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/dashboard/links", get(list::show)).route("/dashboard/links.csv", get(export::download))
}
