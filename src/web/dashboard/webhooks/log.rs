//! `GET /dashboard/developers/webhooks/{id}`: one endpoint and its delivery log, newest first,
//! narrowed by status and by the days it was scheduled, a page at a time
//! (`service::webhook_deliveries::list_deliveries`, which `GET /v1/webhook_endpoints/{id}/deliveries`
//! also answers with); and `POST …/replay`, a time range sent again by `service::webhooks::replay`,
//! the function behind `POST /v1/webhook_endpoints/{id}/replay`.

use super::{HookTexts, delivery_pill, endpoint_pill, events_label, texts_of};
use crate::domain::Timestamp;
use crate::domain::webhook::{EndpointStatus, WebhookEndpoint};
use crate::domain::zone::{Day, Zone};
use crate::service::webhook_deliveries::{self, DeliveryListInput, STATUSES};
use crate::service::{Ctx, Result, ServiceError, webhooks};
use crate::store::delivery_log::DeliveryRecord;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::Pill;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// The log's filters and cursor as the query string carries them (empty: not narrowed), and
/// how many deliveries an action just scheduled.
#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct LogQuery {
    status: String,
    created_from: String,
    created_to: String,
    starting_after: String,
    scheduled: Option<u64>,
}

/// The replay form: the first and last day (the store's), both included.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ReplayForm {
    from: String,
    to: String,
}

/// What is wrong with the replay form, by field.
#[derive(Default)]
struct ReplayProblems {
    from: Option<&'static str>,
    to: Option<&'static str>,
}

/// A delivery as a row of the log.
struct Row {
    href: String,
    event_id: String,
    event_type: String,
    status: Pill,
    attempts: i64,
    last: String,
    created_at: String,
}

/// The endpoint, above its log.
struct Head {
    id: String,
    url: String,
    description: Option<String>,
    events: String,
    status: Pill,
    enabled: bool,
}

fn head(ht: &'static HookTexts, w: WebhookEndpoint) -> Head {
    Head {
        status: endpoint_pill(ht, &w),
        enabled: w.status == EndpointStatus::Enabled,
        events: events_label(ht, &w.subscription),
        id: w.id.as_str().to_owned(),
        url: w.url,
        description: w.description,
    }
}

/// A status filter option.
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "dashboard/webhooks/log.html")]
struct LogPage<'a> {
    shell: Shell,
    tabs: Tabs,
    ht: &'a HookTexts,
    w: Head,
    q: LogQuery,
    statuses: Vec<Choice>,
    rows: Vec<Row>,
    filter_error: Option<&'static str>,
    older: Option<String>,
    replay: ReplayForm,
    problems: ReplayProblems,
}

/// `GET /dashboard/developers/webhooks/{id}`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    q: std::result::Result<Query<LogQuery>, QueryRejection>,
) -> Response {
    let q = q.map(|Query(q)| q).unwrap_or_default();
    let replay = ReplayForm::default();
    match render(&ctx, &staff, &id, q, (replay, ReplayProblems::default()), StatusCode::OK).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

/// `POST /dashboard/developers/webhooks/{id}/replay`.
pub async fn replay(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: std::result::Result<Form<ReplayForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let ht = texts_of(&staff);
    let zone = &staff.session.zone;
    let (from, to) = (day_start(zone, f.from.trim(), 0), day_start(zone, f.to.trim(), 1));
    let problems = match (from, to) {
        (None, _) => ReplayProblems { from: Some(ht.e_replay_from), ..ReplayProblems::default() },
        (_, None) => ReplayProblems { to: Some(ht.e_replay_to), ..ReplayProblems::default() },
        (Some(from), Some(to)) => match webhooks::replay(&ctx, &staff.actor, &id, from, to).await {
            Ok(n) => return scheduled(&id, n),
            Err(ServiceError::Invalid(errors)) => replay_problems(ht, &errors),
            Err(e) => return error::page(e, staff.t),
        },
    };
    let q = LogQuery::default();
    match render(&ctx, &staff, &id, q, (f, problems), StatusCode::BAD_REQUEST).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

/// Back to the log, saying how many deliveries are now due.
pub(super) fn scheduled(id: &str, n: u64) -> Response {
    Redirect::to(&format!("{}/{id}?scheduled={n}", super::BASE)).into_response()
}

fn replay_problems(ht: &'static HookTexts, errors: &[crate::domain::FieldError]) -> ReplayProblems {
    let mut p = ReplayProblems::default();
    for e in errors {
        match e.field.as_str() {
            "id" => p.from = Some(ht.e_replay_disabled),
            "from" => p.from = Some(ht.e_replay_from),
            _ => p.to = Some(ht.e_replay_to),
        }
    }
    p
}

/// The first instant of the day `text` names in the store's `zone`, `later` days on (1: the
/// instant the day ends).
fn day_start(zone: &Zone, text: &str, later: usize) -> Option<Timestamp> {
    let day = std::iter::successors(Day::parse(text), |d| d.next()).nth(later)?;
    Some(zone.start_of(day))
}

/// The query as the service's list input: days are the store's, a `created_to` day included
/// whole (text that is not a day goes to the service as it is, to be refused there).
fn input(q: &LogQuery, zone: &Zone) -> DeliveryListInput {
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let day = |text: String, later| day_start(zone, &text, later).map_or(text, Timestamp::to_rfc3339);
    DeliveryListInput {
        status: some(&q.status),
        created_from: some(&q.created_from).map(|d| day(d, 0)),
        created_to: some(&q.created_to).map(|d| day(d, 1)),
        limit: Some(25),
        starting_after: some(&q.starting_after),
    }
}

async fn render(
    ctx: &Ctx,
    staff: &Staff,
    id: &str,
    q: LogQuery,
    (replay, problems): (ReplayForm, ReplayProblems),
    status: StatusCode,
) -> Result<Response> {
    let ht = texts_of(staff);
    let w = webhooks::get_endpoint(ctx, &staff.actor, id).await?;
    let (page, filter_error, status) =
        match webhook_deliveries::list_deliveries(ctx, &staff.actor, id, input(&q, &staff.session.zone)).await {
            Ok(p) => (p, None, status),
            Err(ServiceError::Invalid(_)) => {
                (crate::store::keyset::Page::empty(), Some(ht.e_filter), StatusCode::BAD_REQUEST)
            }
            Err(e) => return Err(e),
        };
    let older = page.has_more.then(|| page.items.last().map(|d| older_href(id, &q, &d.event_id))).flatten();
    let rows = page.items.iter().map(|d| row(staff, id, d)).collect();
    let notice = q.scheduled.map(|n| format!("{} {n}", ht.scheduled_notice));
    let page = LogPage {
        shell: Shell::new(staff, ht.log, &format!("{}/{id}", super::BASE)).with_notice(notice),
        tabs: Tabs::new(staff.session.user.language, DevTab::Webhooks),
        ht,
        statuses: statuses(ht, &q.status),
        rows,
        filter_error,
        older,
        replay,
        problems,
        q,
        w: head(ht, w),
    };
    Ok(Page::render(status, &page).into_response())
}

/// The delivery as a row: its last answer is the HTTP status, or the error without one.
fn row(staff: &Staff, endpoint: &str, d: &DeliveryRecord) -> Row {
    let ht = texts_of(staff);
    let last = match (d.last_status_code, &d.last_error) {
        (Some(code), _) => code.to_string(),
        (None, Some(e)) => e.chars().take(60).collect(),
        (None, None) => String::new(),
    };
    Row {
        href: format!("{}/{endpoint}/deliveries/{}", super::BASE, d.event_id),
        event_id: d.event_id.clone(),
        event_type: d.event_type.clone(),
        status: delivery_pill(ht, &d.status),
        attempts: d.attempts,
        last,
        created_at: staff.when(d.created_at),
    }
}

fn statuses(ht: &'static HookTexts, current: &str) -> Vec<Choice> {
    let labels = [ht.pending, ht.delivered, ht.failed];
    let any = Choice { value: "", label: ht.any_status, selected: current.is_empty() };
    let each = STATUSES.iter().zip(labels).map(|(v, label)| Choice { value: v, label, selected: *v == current });
    std::iter::once(any).chain(each).collect()
}

/// The next page's address: the same filters, after `last`.
fn older_href(id: &str, q: &LogQuery, last: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("status", &q.status)
        .append_pair("created_from", &q.created_from)
        .append_pair("created_to", &q.created_to)
        .append_pair("starting_after", last)
        .finish();
    format!("{}/{id}?{query}", super::BASE)
}
