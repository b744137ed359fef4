//! `/dashboard`: the user's day at a glance, in their scope (`service::summary::home`): what was
//! collected today and this month, today's payments, the open links, the refunds waiting for
//! their decision, and their latest links — or, before the first link, a way to make one.

use super::auth::Staff;
use super::error;
use super::shell::Shell;
use super::status::{self, Pill};
use super::texts::{Texts, sentences};
use crate::domain::access::{self, Action};
use crate::domain::format::{format_amount, format_number};
use crate::domain::link::Language;
use crate::domain::money::Money;
use crate::service::Ctx;
use crate::service::summary::{self, Summary};
use crate::web::page::Page;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

sentences! {
    HomeTexts;
    collected_today: "Collected today", "المُحصَّل اليوم";
    collected_month: "Collected this month", "المُحصَّل هذا الشهر";
    payments_today: "Payments today", "مدفوعات اليوم";
    open_links: "Open links", "الروابط المفتوحة";
    refunds_waiting: "Refunds awaiting your approval", "استردادات بانتظار موافقتك";
    latest_links: "Latest links", "أحدث الروابط";
    all_links: "All links", "كل الروابط";
    no_links: "No payment links yet. Create one and send it to your customer by SMS, e-mail or a QR code.", "لا توجد روابط دفع بعد. أنشئ رابطًا وأرسله إلى عميلك برسالة نصية أو بريد إلكتروني أو رمز QR.";
    create_link: "Create a link", "إنشاء رابط";
}

/// A link row of the home page.
pub struct LinkRow {
    pub id: String,
    pub title: String,
    pub amount: String,
    pub status: Pill,
}

/// The figures as shown.
pub struct Figures {
    pub today: Vec<String>,
    pub month: Vec<String>,
    pub payments_today: String,
    pub open_links: String,
    pub refunds_waiting: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/home.html")]
struct HomePage<'a> {
    shell: Shell,
    t: &'a Texts,
    h: &'static HomeTexts,
    name: &'a str,
    figures: Figures,
    links: Vec<LinkRow>,
    may_create: bool,
}

/// `GET /dashboard`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff) -> Response {
    let s = match summary::home(&ctx, &staff.actor).await {
        Ok(s) => s,
        Err(e) => return error::page(e, staff.t),
    };
    let lang = staff.session.user.language;
    let now = ctx.clock.now();
    let links = s
        .latest
        .iter()
        .map(|l| LinkRow {
            id: l.id.to_string(),
            title: l.title.clone(),
            amount: format_amount(l.amount, lang),
            status: status::link(l.status_at(now), lang),
        })
        .collect();
    let t = staff.t;
    let home = HomePage {
        shell: Shell::new(&staff, t.home_title, "/dashboard"),
        t,
        h: HomeTexts::of(lang),
        name: &staff.session.user.name,
        figures: figures(&s, lang),
        links,
        may_create: access::may(&staff.actor, Action::CreateLink),
    };
    Page::render(StatusCode::OK, &home).into_response()
}

fn figures(s: &Summary, lang: Language) -> Figures {
    let amounts = |sums: &[Money]| sums.iter().map(|m| format_amount(*m, lang)).collect();
    Figures {
        today: amounts(&s.collected_today),
        month: amounts(&s.collected_month),
        payments_today: format_number(s.payments_today, lang),
        open_links: format_number(s.open_links, lang),
        refunds_waiting: s.refunds_waiting.map(|n| format_number(n, lang)),
    }
}
