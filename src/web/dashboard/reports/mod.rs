//! The reports pages, in the user's scope (`service::reports`): the range report with its chart,
//! a cashier's day for closing a till, and the payments and refunds behind the figures as CSV.

mod cashier;
mod chart;
mod export;
mod page;
pub(super) mod texts;

use crate::domain::format::format_amount;
use crate::domain::link::Language;
use crate::domain::money::{Currency, Money};
use crate::domain::report::Figures;
use crate::service::Ctx;
use axum::Router;
use axum::routing::get;

/// The reports pages' routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/dashboard/reports", get(page::show))
        .route("/dashboard/reports/cashier", get(cashier::show))
        .route("/dashboard/reports/payments.csv", get(export::payments))
        .route("/dashboard/reports/refunds.csv", get(export::refunds))
}

/// The query string the pages read: blank fields mean the default.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub from: Option<String>,
    pub to: Option<String>,
    pub branch_id: Option<String>,
    pub user: Option<String>,
    pub day: Option<String>,
}

impl Query {
    /// Reads the fields the pages use from a raw query string (others are ignored, as a form
    /// may carry more).
    pub fn parse(raw: Option<&str>) -> Query {
        let mut q = Query::default();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            let v = Some(v.into_owned()).filter(|v| !v.is_empty());
            match k.as_ref() {
                "from" => q.from = v,
                "to" => q.to = v,
                "branch_id" => q.branch_id = v,
                "user" => q.user = v,
                "day" => q.day = v,
                _ => {}
            }
        }
        q
    }
}

/// Collected, refunded and net as text.
pub struct Money4 {
    pub collected: String,
    pub refunded: String,
    pub net: String,
    /// The net is below zero (more handed back than taken).
    pub negative: bool,
}

impl Money4 {
    fn of(f: &Figures, currency: Currency, lang: Language) -> Money4 {
        Money4 {
            collected: amount_of(f.collected, currency, lang),
            refunded: amount_of(f.refunded, currency, lang),
            net: amount_of(f.net(), currency, lang),
            negative: f.net() < 0,
        }
    }
}

/// An amount as people read it, a negative one with a minus sign before it.
fn amount_of(minor: i64, currency: Currency, lang: Language) -> String {
    let text = format_amount(Money::from_minor(minor.saturating_abs(), currency), lang);
    if minor < 0 { format!("\u{2212}{text}") } else { text }
}
