//! `GET /dashboard/reports`: the report of a range of days (and optionally a branch) in the
//! user's scope — totals, the per-day bar chart with its table, by method and by branch — from
//! `service::reports::report`, the function the API's reports use.

use super::chart::{Chart, chart};
use super::texts::ReportTexts;
use super::{Money4, Query, amount_of};
use crate::domain::access::{self, Action, Visibility};
use crate::domain::format::{format_day, format_number};
use crate::domain::report::Figures;
use crate::service::reports::{self, Report, ReportInput};
use crate::service::{Ctx, Result};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A row of a table: its name and figures as text.
pub struct Row {
    pub name: String,
    pub money: Money4,
    pub payments: String,
    pub refunds: String,
    pub conversion: String,
}

/// A branch to choose.
pub struct Choice {
    pub id: String,
    pub name: String,
    pub chosen: bool,
}

#[derive(Template)]
#[template(path = "dashboard/reports/reports.html")]
struct ReportsPage<'a> {
    shell: Shell,
    rt: &'a ReportTexts,
    from: String,
    to: String,
    zone: String,
    branches: Vec<Choice>,
    total: Row,
    chart: Chart,
    days: Vec<Row>,
    methods: Vec<Row>,
    by_branch: Vec<Row>,
    query: String,
    may_export: bool,
}

/// `GET /dashboard/reports`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, RawQuery(raw): RawQuery) -> Response {
    match render(&ctx, &staff, Query::parse(raw.as_deref())).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(ctx: &Ctx, staff: &Staff, q: Query) -> Result<Response> {
    let input = ReportInput { from: q.from.clone(), to: q.to.clone(), branch_id: q.branch_id.clone(), currency: None };
    let report = reports::report(ctx, &staff.actor, input).await?;
    let lang = staff.session.user.language;
    let rt = ReportTexts::of(lang);
    let branches = reports::branches(ctx, &staff.actor).await?;
    let name_of = |id: &Option<String>| match id {
        Some(id) => branches.iter().find(|b| b.id.as_str() == id).map_or_else(|| id.clone(), |b| b.name.clone()),
        None => rt.no_branch.to_owned(),
    };
    let row = |name: String, f: &Figures| figures_row(staff, &report, name, f);
    let store_wide = matches!(access::visibility(&staff.actor), Visibility::All);
    let chosen = report.branch_id.as_ref().map(|b| b.to_string());
    let page = ReportsPage {
        shell: Shell::new(staff, rt.title, "/dashboard/reports"),
        rt,
        from: report.from.to_string(),
        to: report.to.to_string(),
        zone: report.zone.name().to_owned(),
        branches: if store_wide {
            let choice = |b: &crate::domain::tenancy::Branch| Choice {
                id: b.id.to_string(),
                name: b.name.clone(),
                chosen: chosen.as_deref() == Some(b.id.as_str()),
            };
            branches.iter().map(choice).collect()
        } else {
            Vec::new()
        },
        total: row(String::new(), &report.breakdown.total),
        chart: chart(&day_bars(staff, &report)),
        days: report
            .breakdown
            .days
            .iter()
            .filter(|(_, f)| *f != Figures::default())
            .map(|(d, f)| row(format_day(*d, lang), f))
            .collect(),
        methods: report.breakdown.methods.iter().map(|(m, f)| row(rt.method(m), f)).collect(),
        by_branch: report.breakdown.branches.iter().map(|(b, f)| row(name_of(b), f)).collect(),
        query: format!("from={}&to={}&branch_id={}", report.from, report.to, chosen.unwrap_or_default()),
        may_export: access::may(&staff.actor, Action::Export),
    };
    Ok(Page::render(StatusCode::OK, &page).into_response())
}

/// The chart's input: every day with its collected amount.
fn day_bars(staff: &Staff, r: &Report) -> Vec<(String, String, i64, String)> {
    let lang = staff.session.user.language;
    let days = r.breakdown.days.iter();
    days.map(|(d, f)| (d.to_string(), format_day(*d, lang), f.collected, amount_of(f.collected, r.currency, lang)))
        .collect()
}

fn figures_row(staff: &Staff, r: &Report, name: String, f: &Figures) -> Row {
    let lang = staff.session.user.language;
    let rt = ReportTexts::of(lang);
    let conversion = match f.conversion_permille() {
        Some(p) => format!(
            "{} {} {} ({}%)",
            format_number(f.links_paid, lang),
            rt.conversion_of,
            format_number(f.links_created, lang),
            crate::domain::format::localize_digits(&format!("{}.{}", p / 10, p % 10), lang)
        ),
        None => rt.none_created.to_owned(),
    };
    Row {
        name,
        money: Money4::of(f, r.currency, lang),
        payments: format_number(f.payments, lang),
        refunds: format_number(f.refunds, lang),
        conversion,
    }
}
