//! `GET /images/links/{id}`: the image a link's payment page shows (given through a dialect),
//! with its stored content type. An image never changes under its id, so
//! browsers and proxies may keep it for a year.

use crate::service::{Ctx, link_images};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// Serves a link image, or 404.
pub async fn link_image(State(ctx): State<Ctx>, Path(id): Path<String>) -> Response {
    match link_images::image(&ctx, &id).await {
        Ok((content_type, bytes)) => {
            let cache = "public, max-age=31536000, immutable".to_owned();
            ([(CONTENT_TYPE, content_type), (CACHE_CONTROL, cache)], bytes).into_response()
        }
        Err(crate::service::ServiceError::NotFound) => (StatusCode::NOT_FOUND, "no such image").into_response(),
        Err(e) => crate::api::error::ApiError::from(e).into_response(),
    }
}
