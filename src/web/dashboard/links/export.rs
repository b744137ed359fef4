//! `GET /dashboard/links.csv`: the links the list's filters select (the same query string), as
//! CSV streamed page by page: a task reads one page at a time through `service::links::export`
//! and hands it to the response body over a bounded channel, so the server holds at most a few
//! pages whatever the size of the export, and stops reading when the client goes away.

use super::filters::Filters;
use crate::service::links::export::{self, Export};
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use http_body_util::channel::{Channel, Sender};

/// Pages ready ahead of the client.
const PAGES_AHEAD: usize = 2;

/// `GET /dashboard/links.csv`.
pub async fn download(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    let f = Filters::parse(raw.as_deref().unwrap_or(""));
    let export = match start(&ctx, &staff, &f).await {
        Ok(export) => export,
        Err(e) => return error::page(e, staff.t),
    };
    let (tx, body) = Channel::<Bytes, std::io::Error>::new(PAGES_AHEAD);
    tokio::spawn(pump(ctx.clone(), export, tx));
    let day = ctx.clock.now().to_rfc3339()[..10].replace('-', "");
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"payment-links-{day}.csv\"")),
        (CACHE_CONTROL, "no-store".to_owned()),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    (headers, Body::new(body)).into_response()
}

async fn start(ctx: &Ctx, staff: &Staff, f: &Filters) -> Result<Export> {
    export::start(ctx, &staff.actor, f.all_input()?, export::PAGE_SIZE).await
}

/// Sends the export's pages until the last, the client leaving, or a failure — which aborts
/// the body, so the client sees a broken download rather than a file that looks complete.
async fn pump(ctx: Ctx, mut export: Export, mut tx: Sender<Bytes, std::io::Error>) {
    loop {
        match export.next(&ctx).await {
            Ok(Some(text)) => {
                if tx.send_data(Bytes::from(text)).await.is_err() {
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                let cause = crate::service::error_chain(&e);
                tracing::error!(error = %cause, "dashboard: the links export failed");
                tx.abort(std::io::Error::other("the export failed"));
                return;
            }
        }
    }
}
