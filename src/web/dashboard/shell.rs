//! The frame every signed-in page is drawn in (`templates/dashboard/base.html`): the store's
//! brand, the environment banner and switch, the navigation — only what the user's role may do;
//! the server enforces it anyway — the user's name and role, the language switch and sign-out.

use super::auth::Staff;
use super::texts::Texts;
use crate::domain::Environment;
use crate::domain::access::{self, Action, Actor};
use crate::web::page::Brand;

/// One entry of the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    /// The page being shown is this entry's (or under it).
    pub current: bool,
}

/// What the layout draws around a page.
pub struct Shell {
    pub t: &'static Texts,
    pub css: &'static str,
    /// The page's own title (the `<title>` adds the product).
    pub title: String,
    pub brand: Brand,
    pub sandbox: bool,
    pub user_name: String,
    pub role: &'static str,
    pub nav: Vec<NavItem>,
    pub csrf: String,
    /// A one-line notice at the top of the page (after an action).
    pub notice: Option<String>,
    /// This page's address, where the language and environment switches come back to.
    pub here: String,
}

/// The navigation for `actor`, with `current` (a path prefix) marked.
pub fn nav(t: &'static Texts, actor: &Actor, current: &str) -> Vec<NavItem> {
    let may = |a: Action| access::may(actor, a);
    let entries: [(&'static str, &'static str, bool); 9] = [
        ("/dashboard", t.nav_home, true),
        ("/dashboard/links", t.nav_links, true),
        ("/dashboard/reports", t.nav_reports, true),
        ("/dashboard/refunds", t.nav_refunds, may(Action::RequestRefund) || may(Action::DecideRefund)),
        ("/dashboard/customers", t.nav_customers, may(Action::ReadCustomers)),
        ("/dashboard/audit", t.nav_audit, crate::domain::audit::may_read(actor.role)),
        ("/dashboard/developers", t.nav_developers, may(Action::Administer)),
        ("/dashboard/settings", t.nav_settings, may(Action::Administer)),
        ("/dashboard/profile", t.nav_profile, true),
    ];
    entries
        .into_iter()
        .filter(|(_, _, shown)| *shown)
        .map(|(href, label, _)| {
            let is_current = if href == "/dashboard" { current == href } else { current.starts_with(href) };
            NavItem { href, label, current: is_current }
        })
        .collect()
}

impl Shell {
    /// The shell of a page titled `title` at `here`, for the signed-in `staff`.
    pub fn new(staff: &Staff, title: impl Into<String>, here: &str) -> Shell {
        let t = staff.t;
        let s = &staff.session;
        Shell {
            t,
            css: super::css_href(),
            title: title.into(),
            brand: Brand::of(&s.store.name),
            sandbox: s.environment == Environment::Sandbox,
            user_name: s.user.name.clone(),
            role: t.role(s.user.role),
            nav: nav(t, &staff.actor, here),
            csrf: staff.csrf.clone(),
            notice: None,
            here: here.to_owned(),
        }
    }

    /// The same shell with a notice shown at the top.
    pub fn with_notice(mut self, notice: Option<String>) -> Shell {
        self.notice = notice;
        self
    }
}
