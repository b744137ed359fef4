//! BirrLink refunds (placeholder until its routes land).

use crate::service::Ctx;
use utoipa_axum::router::OpenApiRouter;

/// The refunds routes (relative to the dialect's base path).
pub fn routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
}
