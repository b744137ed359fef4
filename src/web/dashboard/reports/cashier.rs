//! `GET /dashboard/reports/cashier?user=…&day=…`: one person's day for closing a till — links
//! they created, what was paid on them online and at the branch, what was refunded, and totals
//! per method and place. A cashier sees their own day (the default), a supervisor their branch's
//! people, store-wide roles anyone (`service::reports::cashier_day`). Printable.

use super::texts::ReportTexts;
use super::{Query, amount_of};
use crate::domain::format::{format_day, format_number};
use crate::service::reports::{self, CashierDay};
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::link_pages::allow_own_script;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

/// A person to choose.
pub struct Person {
    pub id: String,
    pub name: String,
    pub chosen: bool,
}

/// One method and place: its name, count and amount as text.
pub struct Line {
    pub method: String,
    pub place: &'static str,
    pub count: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "dashboard/reports/cashier.html")]
struct CashierPage<'a> {
    shell: Shell,
    rt: &'a ReportTexts,
    people: Vec<Person>,
    name: String,
    day: String,
    day_label: String,
    zone: String,
    links_created: String,
    online: (String, String),
    at_branch: (String, String),
    refunds: (String, String),
    net: String,
    lines: Vec<Line>,
    js: &'static str,
}

/// `GET /dashboard/reports/cashier`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    match render(&ctx, &staff, Query::parse(raw.as_deref())).await {
        Ok(r) => allow_own_script(r),
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, q: Query) -> Result<Response> {
    let me = staff.session.user.id.to_string();
    let user = q.user.unwrap_or(me);
    let d = reports::cashier_day(ctx, &staff.actor, &user, q.day.as_deref()).await?;
    let people = reports::day_users(ctx, &staff.actor).await?;
    let lang = staff.session.user.language;
    let rt = ReportTexts::of(lang);
    let sums = place_sums(&d);
    let text = |(count, minor): (i64, i64)| (format_number(count, lang), amount_of(minor, d.currency, lang));
    let page = CashierPage {
        shell: Shell::new(staff, rt.cashier_title, "/dashboard/reports"),
        rt,
        people: people
            .iter()
            .map(|u| Person { id: u.id.to_string(), name: u.name.clone(), chosen: u.id == d.user.id })
            .collect(),
        name: d.user.name.clone(),
        day: d.day.to_string(),
        day_label: format_day(d.day, lang),
        zone: d.zone.name().to_owned(),
        links_created: format_number(d.breakdown.total.links_created, lang),
        online: text(sums.0),
        at_branch: text(sums.1),
        refunds: text((d.breakdown.total.refunds, d.breakdown.total.refunded)),
        net: amount_of(d.breakdown.total.net(), d.currency, lang),
        lines: lines(&d, rt, lang),
        js: crate::web::assets::dashboard_js_href(),
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}

/// (count, minor) paid online and at the branch.
fn place_sums(d: &CashierDay) -> ((i64, i64), (i64, i64)) {
    let mut sums = ((0, 0), (0, 0));
    for g in &d.groups.payments {
        let s = if g.at_branch { &mut sums.1 } else { &mut sums.0 };
        (s.0, s.1) = (s.0 + g.count, s.1 + g.minor);
    }
    sums
}

/// Payments per method and place, in a stable order.
fn lines(d: &CashierDay, rt: &ReportTexts, lang: crate::domain::link::Language) -> Vec<Line> {
    let mut per: BTreeMap<(String, bool), (i64, i64)> = BTreeMap::new();
    for g in &d.groups.payments {
        let e = per.entry((g.method.clone(), g.at_branch)).or_default();
        (e.0, e.1) = (e.0 + g.count, e.1 + g.minor);
    }
    per.into_iter()
        .map(|((method, at_branch), (count, minor))| Line {
            method: rt.method(&method),
            place: if at_branch { rt.at_branch } else { rt.online },
            count: format_number(count, lang),
            amount: amount_of(minor, d.currency, lang),
        })
        .collect()
}
