//! `GET /dashboard/audit.csv`: the entries the list's filters select (the same query string), as
//! CSV streamed page by page: a task reads one page at a time through `list_entries` and hands
//! it to the response body over a bounded channel, so the server holds at most a few pages and
//! stops reading when the client goes away. Cells are escaped by `domain::csv`.

use super::Filters;
use crate::domain::access::Actor;
use crate::domain::csv::{BOM, push_row};
use crate::service::audit::log::list_entries;
use crate::service::{Ctx, Result};
use crate::store::audit::StoredAudit;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{IntoResponse, Response};
use http_body_util::channel::{Channel, Sender};

/// Pages ready ahead of the client.
const PAGES_AHEAD: usize = 2;
/// Entries per read (the service's largest page).
const PAGE_SIZE: i64 = 100;

/// The CSV's columns.
const HEADER: [&str; 12] = [
    "id",
    "created_at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "store_id",
    "environment",
    "request_id",
    "before",
    "after",
];

/// `GET /dashboard/audit.csv`.
pub async fn download(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Filters>, QueryRejection>,
) -> Response {
    let f = q.map(|Query(f)| f).unwrap_or_default();
    // The first page is read before answering, so a refusal or a bad filter is a page, not a file.
    let first = match list_entries(&ctx, &staff.actor, f.input(None, Some(PAGE_SIZE))).await {
        Ok(page) => page,
        Err(e) => return error::page(e, staff.t),
    };
    let mut out = String::from(BOM);
    push_row(&mut out, &HEADER);
    let after = write(&first.items, &mut out);
    let rest = first.has_more.then_some(after).flatten();
    let day = ctx.clock.now().to_rfc3339()[..10].replace('-', "");
    let (mut tx, body) = Channel::<Bytes, std::io::Error>::new(PAGES_AHEAD);
    tokio::spawn(async move {
        if tx.send_data(Bytes::from(out)).await.is_ok() {
            pump(ctx, staff.actor, f, rest, tx).await;
        }
    });
    let headers = [
        (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (CONTENT_DISPOSITION, format!("attachment; filename=\"audit-log-{day}.csv\"")),
        (CACHE_CONTROL, "no-store".to_owned()),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
    ];
    (headers, Body::new(body)).into_response()
}

/// Sends the pages after `after` until the last, the client leaving, or a failure — which aborts
/// the body, so the client sees a broken download rather than a file that looks complete.
async fn pump(ctx: Ctx, actor: Actor, f: Filters, mut after: Option<String>, mut tx: Sender<Bytes, std::io::Error>) {
    while let Some(cursor) = after.take() {
        match next(&ctx, &actor, &f, cursor).await {
            Ok((text, more)) => {
                if tx.send_data(Bytes::from(text)).await.is_err() {
                    return;
                }
                after = more;
            }
            Err(e) => {
                let cause = crate::service::error_chain(&e);
                tracing::error!(error = %cause, "dashboard: the audit export failed");
                tx.abort(std::io::Error::other("the export failed"));
                return;
            }
        }
    }
}

/// The page after `cursor` as CSV, and the cursor of the page after it, if any.
async fn next(ctx: &Ctx, actor: &Actor, f: &Filters, cursor: String) -> Result<(String, Option<String>)> {
    let page = list_entries(ctx, actor, f.input(Some(cursor), Some(PAGE_SIZE))).await?;
    let mut out = String::new();
    let last = write(&page.items, &mut out);
    Ok((out, page.has_more.then_some(last).flatten()))
}

/// Appends the entries' records; the last entry's id.
fn write(entries: &[StoredAudit], out: &mut String) -> Option<String> {
    for e in entries {
        let e = &e.entry;
        let cells = [
            e.id.as_str().to_owned(),
            e.created_at.to_rfc3339(),
            e.actor.id.clone(),
            e.actor.role.clone().unwrap_or_default(),
            e.action.clone(),
            e.object_type.clone(),
            e.object_id.clone(),
            e.store_id.as_ref().map(ToString::to_string).unwrap_or_default(),
            e.environment.map(|env| env.as_str().to_owned()).unwrap_or_default(),
            e.request_id.clone().unwrap_or_default(),
            e.before.clone().unwrap_or_default(),
            e.after.clone().unwrap_or_default(),
        ];
        push_row(out, &cells);
    }
    entries.last().map(|e| e.entry.id.as_str().to_owned())
}
