//! `/v1/reports/daily`, `/by_method`, `/by_branch`: the dashboard's report figures, from the same
//! service function (`service::reports::report`), in the key's scope.

use super::error::{ApiResult, ErrorBody};
use super::extract::{ApiQuery, Auth};
use crate::domain::money::{Currency, Money};
use crate::domain::report::Figures;
use crate::service::Ctx;
use crate::service::reports::{self, Report, ReportInput};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes of this resource.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(daily)).routes(routes!(by_method)).routes(routes!(by_branch))
}

/// Figures of a day, a method, a branch or the whole range. Amounts are decimal strings in the
/// report's currency, with their minor units beside them.
#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    /// Succeeded payments.
    pub payments: i64,
    /// What they collected.
    pub collected: String,
    /// The same in minor units.
    pub collected_minor: i64,
    /// Succeeded refunds.
    pub refunds: i64,
    /// What they handed back.
    pub refunded: String,
    /// The same in minor units.
    pub refunded_minor: i64,
    /// Collected less refunded (may be negative).
    pub net: String,
    /// The same in minor units.
    pub net_minor: i64,
    /// Links created (for a method: always 0; links have no method until paid).
    pub links_created: i64,
    /// Of those, links paid at least once.
    pub links_paid: i64,
}

impl FiguresOut {
    fn new(f: &Figures, currency: Currency) -> Self {
        let text = |minor| Money::from_minor(minor, currency).to_canonical();
        FiguresOut {
            payments: f.payments,
            collected: text(f.collected),
            collected_minor: f.collected,
            refunds: f.refunds,
            refunded: text(f.refunded),
            refunded_minor: f.refunded,
            net: text(f.net()),
            net_minor: f.net(),
            links_created: f.links_created,
            links_paid: f.links_paid,
        }
    }
}

/// One row of a report: its key and its figures.
#[derive(Serialize, ToSchema)]
pub struct ReportRow {
    /// The day (`YYYY-MM-DD`, daily), the method (`card`, …, by_method) or the branch id (null
    /// for links with no branch, by_branch).
    pub key: Option<String>,
    #[serde(flatten)]
    pub figures: FiguresOut,
}

/// A report.
#[derive(Serialize, ToSchema)]
pub struct ReportOut {
    /// `report.daily`, `report.by_method` or `report.by_branch`.
    pub object: &'static str,
    /// The time zone the days are counted in (the store's).
    pub time_zone: String,
    /// The currency of every amount.
    pub currency: &'static str,
    /// The first day.
    pub from: String,
    /// The last day (included).
    pub to: String,
    /// The branch asked for, if any.
    pub branch_id: Option<String>,
    /// The whole range (conversion: `links_paid` ÷ `links_created`).
    pub total: FiguresOut,
    /// The rows: every day of the range; or each method or branch that had any figure.
    pub data: Vec<ReportRow>,
}

fn out(r: &Report, object: &'static str, rows: Vec<(Option<String>, &Figures)>) -> ReportOut {
    ReportOut {
        object,
        time_zone: r.zone.name().to_owned(),
        currency: r.currency.code(),
        from: r.from.to_string(),
        to: r.to.to_string(),
        branch_id: r.branch_id.as_ref().map(ToString::to_string),
        total: FiguresOut::new(&r.breakdown.total, r.currency),
        data: rows.into_iter().map(|(key, f)| ReportRow { key, figures: FiguresOut::new(f, r.currency) }).collect(),
    }
}

/// Collected, refunded and net per day of the store's time zone, with links created and paid.
#[utoipa::path(get, path = "/v1/reports/daily", tag = "reports", params(ReportInput),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn daily(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ReportInput>,
) -> ApiResult<Json<ReportOut>> {
    let r = reports::report(&ctx, &actor, q).await?;
    let rows = r.breakdown.days.iter().map(|(d, f)| (Some(d.to_string()), f)).collect();
    Ok(Json(out(&r, "report.daily", rows)))
}

/// Collected, refunded and net per payment method over the range.
#[utoipa::path(get, path = "/v1/reports/by_method", tag = "reports", params(ReportInput),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn by_method(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ReportInput>,
) -> ApiResult<Json<ReportOut>> {
    let r = reports::report(&ctx, &actor, q).await?;
    let rows = r.breakdown.methods.iter().map(|(m, f)| (Some(m.clone()), f)).collect();
    Ok(Json(out(&r, "report.by_method", rows)))
}

/// Collected, refunded, net and links created and paid per branch over the range.
#[utoipa::path(get, path = "/v1/reports/by_branch", tag = "reports", params(ReportInput),
    responses((status = 200, body = ReportOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn by_branch(
    State(ctx): State<Ctx>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ReportInput>,
) -> ApiResult<Json<ReportOut>> {
    let r = reports::report(&ctx, &actor, q).await?;
    let rows = r.breakdown.branches.iter().map(|(b, f)| (b.clone(), f)).collect();
    Ok(Json(out(&r, "report.by_branch", rows)))
}
