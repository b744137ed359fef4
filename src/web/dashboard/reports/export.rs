//! `GET /dashboard/reports/payments.csv` and `refunds.csv`: the succeeded payments or refunds of
//! the report's range (the same query string), streamed page by page through a bounded channel
//! like the links export, so the server holds a few pages whatever the range.

use super::Query;
use crate::service::reports::ReportInput;
use crate::service::reports::export::{self, RangeExport};
use crate::service::{Ctx, error_chain};
use crate::store::reports::ExportKind;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use http_body_util::channel::{Channel, Sender};

/// `GET /dashboard/reports/payments.csv`.
pub async fn payments(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    download(ctx, staff, raw, ExportKind::Payments).await
}

/// `GET /dashboard/reports/refunds.csv`.
pub async fn refunds(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    download(ctx, staff, raw, ExportKind::Refunds).await
}

async fn download(ctx: Ctx, staff: Staff, raw: Option<String>, kind: ExportKind) -> Response {
    let q = Query::parse(raw.as_deref());
    let input = ReportInput { from: q.from, to: q.to, branch_id: q.branch_id, currency: None };
    let export = match export::start(&ctx, &staff.actor, input, kind).await {
        Ok(export) => export,
        Err(e) => return error::page(e, staff.t),
    };
    let (tx, body) = Channel::<Bytes, std::io::Error>::new(2);
    tokio::spawn(pump(ctx.clone(), export, tx));
    let name = if kind == ExportKind::Payments { "payments" } else { "refunds" };
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")),
        (CACHE_CONTROL, "no-store".to_owned()),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    (headers, Body::new(body)).into_response()
}

/// Sends pages until the last, the client leaving, or a failure (which aborts the body, so the
/// download is visibly broken rather than silently short).
async fn pump(ctx: Ctx, mut export: RangeExport, mut tx: Sender<Bytes, std::io::Error>) {
    loop {
        match export.next(&ctx).await {
            Ok(Some(text)) => {
                if tx.send_data(Bytes::from(text)).await.is_err() {
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                tracing::error!(error = %error_chain(&e), "dashboard: a report export failed");
                tx.abort(std::io::Error::other("the export failed"));
                return;
            }
        }
    }
}
