//! What every dialect's envelope middleware shares: a failure written by a layer the dialect
//! shares with the native API (the `Idempotency-Key` layer, the body-size limit, axum's own
//! rejections) is rewritten in the dialect's shape, keeping its status and headers
//! (`Retry-After`, …). Each dialect says only how to read the failed body.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::Response;

/// Rewrites a failed `response` that does not carry the dialect's marker extension `M`:
/// `convert` gets the status and the body and answers the dialect's response, or `None` to pass
/// the body through unchanged (already in the dialect's shape, e.g. an idempotent replay). The
/// original headers, except the content type and length, are kept.
pub async fn failures<M: Send + Sync + 'static>(
    response: Response,
    convert: impl FnOnce(StatusCode, &[u8]) -> Option<Response>,
) -> Response {
    let failed = response.status().is_client_error() || response.status().is_server_error();
    if !failed || response.extensions().get::<M>().is_some() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let Some(mut out) = convert(parts.status, &bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    for name in parts.headers.keys().filter(|n| ![header::CONTENT_TYPE, header::CONTENT_LENGTH].contains(n)) {
        out.headers_mut().remove(name);
        for value in parts.headers.get_all(name) {
            out.headers_mut().append(name.clone(), value.clone());
        }
    }
    out
}

/// A failure body that is not JSON, as a sentence: its trimmed text, or the status's reason.
pub fn plain_text(status: StatusCode, bytes: &[u8], fallback: &str) -> String {
    let text = String::from_utf8_lossy(bytes).trim().to_owned();
    match text.is_empty() {
        true => status.canonical_reason().unwrap_or(fallback).to_owned(),
        false => text,
    }
}
