//! `GET /dashboard/links`: the links in the user's scope through `service::links::list`, the
//! API's filters and sorts in a GET form that keeps its values, and keyset pages (next and
//! previous carry a cursor, so any depth costs one index range).

use super::filters::Filters;
use super::texts::LinkTexts;
use crate::domain::access::{self, Action, Actor, Role};
use crate::domain::format::format_amount;
use crate::domain::link::{Language, Link};
use crate::service::links::labels::{Labels, labels};
use crate::service::links::list::list_links;
use crate::service::{Ctx, Result, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::{self, Pill};
use crate::web::page::Page;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// One link in the table.
pub struct Row {
    pub id: String,
    pub title: String,
    pub amount: String,
    pub status: Pill,
    pub customer: String,
    pub branch: String,
    pub creator: String,
    pub created: String,
}

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The selects of the filter form.
pub struct Selects {
    pub statuses: Vec<Choice>,
    pub branches: Vec<Choice>,
    pub creators: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub orders: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "dashboard/links/list.html")]
struct ListPage {
    shell: Shell,
    lt: &'static LinkTexts,
    f: Filters,
    selects: Selects,
    rows: Vec<Row>,
    error: Option<String>,
    may_create: bool,
    export: Option<String>,
    previous: Option<String>,
    next: Option<String>,
}

/// A page of links and the names they refer to.
struct Listed {
    links: Vec<Link>,
    has_more: bool,
    labels: Option<Labels>,
}

/// `GET /dashboard/links`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    let f = Filters::parse(raw.as_deref().unwrap_or(""));
    let (code, listed, error) = match load(&ctx, &staff.actor, &f).await {
        Ok(listed) => (StatusCode::OK, listed, None),
        Err(ServiceError::Invalid(errors)) => {
            let text = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ");
            (StatusCode::BAD_REQUEST, Listed { links: vec![], has_more: false, labels: None }, Some(text))
        }
        Err(e) => return error::page(e, staff.t),
    };
    let page = page(&ctx, &staff, f, listed, error);
    Page::render(code, &page).into_response()
}

async fn load(ctx: &Ctx, actor: &Actor, f: &Filters) -> Result<Listed> {
    let mut page = list_links(ctx, actor, f.page_input()?).await?;
    if f.before.is_some() {
        page.items.reverse();
    }
    let mut creators: Vec<String> = page.items.iter().map(|l| l.created_by.clone()).collect();
    creators.extend([actor.principal(), f.value("created_by").to_owned()]);
    let labels = labels(ctx, actor, creators).await?;
    Ok(Listed { links: page.items, has_more: page.has_more, labels: Some(labels) })
}

fn page(ctx: &Ctx, staff: &Staff, f: Filters, listed: Listed, error: Option<String>) -> ListPage {
    let lang = staff.session.user.language;
    let lt = LinkTexts::of(lang);
    let now = ctx.clock.now();
    let rows = listed.links.iter().map(|l| row(l, listed.labels.as_ref(), now, lang, &staff.session.zone)).collect();
    let (previous, next) = pager(&f, &listed);
    let actor = &staff.actor;
    ListPage {
        // The language and environment switches come back to the same filters.
        shell: Shell::new(staff, lt.list_title, &f.href("/dashboard/links", None)),
        lt,
        selects: selects(&f, listed.labels.as_ref(), actor, lang),
        rows,
        error,
        may_create: access::may(actor, Action::CreateLink),
        export: access::may(actor, Action::Export).then(|| f.href("/dashboard/links.csv", None)),
        previous,
        next,
        f,
    }
}

/// The previous and next pages' addresses, when there are such pages.
fn pager(f: &Filters, listed: &Listed) -> (Option<String>, Option<String>) {
    let (Some(first), Some(last)) = (listed.links.first(), listed.links.last()) else { return (None, None) };
    let previous = f.href("/dashboard/links", Some(("before", first.id.as_str())));
    let next = f.href("/dashboard/links", Some(("starting_after", last.id.as_str())));
    if f.before.is_some() {
        (listed.has_more.then_some(previous), Some(next))
    } else {
        (f.after.is_some().then_some(previous), listed.has_more.then_some(next))
    }
}

fn row(
    l: &Link,
    labels: Option<&Labels>,
    now: crate::domain::Timestamp,
    lang: Language,
    zone: &crate::domain::zone::Zone,
) -> Row {
    let branch = l
        .branch_id
        .as_ref()
        .map(|b| labels.and_then(|n| n.branches.get(b.as_str())).map_or_else(|| b.to_string(), |b| b.name.clone()));
    let creator = labels.and_then(|n| n.creators.get(&l.created_by)).map_or(&l.created_by, |c| &c.name);
    Row {
        id: l.id.to_string(),
        title: l.title.clone(),
        amount: format_amount(l.amount, lang),
        status: status::link(l.status_at(now), lang),
        customer: customer(l),
        branch: branch.unwrap_or_default(),
        creator: creator.clone(),
        created: crate::domain::format::format_datetime_in(l.created_at, lang, zone),
    }
}

/// The customer as one line: their name, else their phone, else their e-mail.
pub fn customer(l: &Link) -> String {
    let c = &l.customer;
    let name = [c.first_name.as_deref(), c.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let fallback = c.phone.as_deref().or(c.email.as_deref()).unwrap_or_default();
    if name.is_empty() { fallback.to_owned() } else { name }
}

fn choice(value: &str, label: &str, current: &str) -> Choice {
    Choice { value: value.to_owned(), label: label.to_owned(), selected: value == current }
}

fn selects(f: &Filters, labels: Option<&Labels>, actor: &Actor, lang: Language) -> Selects {
    let (lt, any) = (LinkTexts::of(lang), LinkTexts::of(lang).any);
    let st = |s| status::link(s, lang).label;
    use crate::domain::link::LinkStatus::*;
    let statuses =
        [("", any), ("open", st(Open)), ("paid", st(Paid)), ("expired", st(Expired)), ("cancelled", st(Cancelled))];
    let sorts = [
        ("created_at", lt.sort_created),
        ("amount", lt.sort_amount),
        ("title", lt.sort_title),
        ("status", lt.sort_status),
    ];
    let orders = [("desc", lt.newest_first), ("asc", lt.oldest_first)];
    let pick = |name: &str, options: &[(&str, &str)], default: &str| {
        let current = if f.value(name).is_empty() { default } else { f.value(name) };
        options.iter().map(|(v, l)| choice(v, l, current)).collect()
    };
    Selects {
        statuses: pick("status", &statuses, ""),
        branches: if actor.branch_id.is_some() { vec![] } else { branches(f, labels, any) },
        creators: if actor.role == Role::Cashier { vec![] } else { creators(f, labels, any) },
        sorts: pick("sort", &sorts, "created_at"),
        orders: pick("order", &orders, "desc"),
    }
}

fn branches(f: &Filters, labels: Option<&Labels>, any: &str) -> Vec<Choice> {
    let mut all: Vec<_> = labels.map(|n| n.branches.values().collect()).unwrap_or_default();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let current = f.value("branch");
    let mut choices = vec![choice("", any, current)];
    choices.extend(all.into_iter().map(|b| choice(b.id.as_str(), &b.name, current)));
    choices
}

fn creators(f: &Filters, labels: Option<&Labels>, any: &str) -> Vec<Choice> {
    let mut all: Vec<_> = labels.map(|n| n.creators.iter().collect()).unwrap_or_default();
    all.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let current = f.value("created_by");
    let mut choices = vec![choice("", any, current)];
    choices.extend(all.into_iter().map(|(id, c)| choice(id, &c.name, current)));
    choices
}
