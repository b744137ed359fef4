//! `GET /dashboard/links/{id}/counter`: the link as shown to a customer across the counter — the
//! amount large, the title, a QR code filling the screen's width, and the address to copy, send
//! by SMS or e-mail, share on WhatsApp or print (a print sheet of amount, title and code only).

use super::texts::LinkTexts;
use super::{Done, allow_own_script, pay_url, texts_of};
use crate::domain::access::{self, Action, Owned};
use crate::domain::format::format_amount;
use crate::domain::link::{Link, LinkStatus};
use crate::service::{Ctx, links};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::{self, Pill};
use crate::web::page::Page;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "dashboard/link_pages/counter.html")]
struct CounterPage<'a> {
    shell: Shell,
    t: &'a LinkTexts,
    id: String,
    amount: String,
    title: String,
    status: Pill,
    /// Our own SVG (the address is the only input and is encoded, not echoed).
    qr: String,
    url: String,
    whatsapp: String,
    /// Open, and the user may send it (the service checks again).
    can_send: bool,
    /// The send forms' recipients, prefilled with the link's customer's (empty: type one).
    send_phone: String,
    send_email: String,
    /// Where the send forms come back to.
    back: &'static str,
    js: &'static str,
}

/// Whether `staff` may change or resend `link` now (it is open and in their reach).
pub fn manageable(staff: &Staff, link: &Link, now: crate::domain::Timestamp) -> bool {
    let owned = Owned { branch_id: link.branch_id.as_ref(), created_by: &link.created_by };
    link.status_at(now) == LinkStatus::Open && access::can_act_on(&staff.actor, Action::ManageLink, owned)
}

/// `https://wa.me/?text=…`: a share the user chooses to open, not a request the page makes.
fn whatsapp_href(t: &LinkTexts, title: &str, url: &str) -> String {
    let text = format!("{title}\n{} {url}", t.whatsapp_text);
    let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
    format!("https://wa.me/?text={}", encoded.replace('+', "%20"))
}

/// `GET /dashboard/links/{id}/counter`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>, Query(done): Query<Done>) -> Response {
    let link = match links::get_link(&ctx, &staff.actor, &id).await {
        Ok(link) => link,
        Err(e) => return error::page(e, staff.t),
    };
    let (t, lang, now) = (texts_of(&staff), staff.session.user.language, ctx.clock.now());
    let url = pay_url(&ctx, &link);
    let here = format!("/dashboard/links/{}/counter", link.id);
    let page = CounterPage {
        shell: Shell::new(&staff, t.counter_title, &here).with_notice(done.notice(t)),
        t,
        id: link.id.to_string(),
        amount: format_amount(link.amount, lang),
        status: status::link(link.status_at(now), lang),
        qr: crate::web::qr::cached_svg(&url, t.qr_label).map(|s| s.to_string()).unwrap_or_default(),
        whatsapp: whatsapp_href(t, &link.title, &url),
        can_send: manageable(&staff, &link, now),
        send_phone: link.customer.phone.clone().unwrap_or_default(),
        send_email: link.customer.email.clone().unwrap_or_default(),
        back: "counter",
        title: link.title,
        url,
        js: crate::web::assets::dashboard_js_href(),
    };
    allow_own_script(Page::render(StatusCode::OK, &page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whatsapp_share_carries_the_address_encoded() {
        let href = whatsapp_href(&LinkTexts::EN, "Tea & cake", "https://pay.example/pay/plink_1?a=b");
        assert!(href.starts_with("https://wa.me/?text=Tea%20%26%20cake%0A"), "{href}");
        assert!(href.contains("https%3A%2F%2Fpay.example%2Fpay%2Fplink_1%3Fa%3Db"), "{href}");
    }
}
