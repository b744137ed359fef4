//! BirrLink webhook endpoints: `POST /webhooks`, `GET /webhooks`, `DELETE /webhooks/{id}`.

use crate::service::Ctx;
use utoipa_axum::router::OpenApiRouter;

/// The webhook routes (relative to the dialect's base path).
pub fn routes() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
}
