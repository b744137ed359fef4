//! `/dashboard/customers`: the customers in the user's reach — list and search, add, a
//! customer's page with their links and payments, and edit — through `service::customers`,
//! the API's functions (roles, branches and scope are theirs).

mod detail;
mod edit;
mod form;
mod list;
mod new;
mod texts;

use crate::service::Ctx;
use axum::Router;
use axum::routing::get;

/// The customers pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/customers", get(list::show))
        .route("/dashboard/customers/new", get(new::show).post(new::submit))
        .route("/dashboard/customers/{id}", get(detail::show))
        .route("/dashboard/customers/{id}/edit", get(edit::show).post(edit::submit))
}
