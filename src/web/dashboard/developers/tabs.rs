//! The developers area's tab strip, drawn on every developers page (API keys, webhooks, payment
//! methods, dialects, sandbox). A page struct with a `tabs: Tabs` field includes
//! `templates/dashboard/developers/tabs.html` under its heading:
//!
//! ```ignore
//! tabs: Tabs::new(staff.session.user.language, DevTab::Webhooks),
//! // in the template: {% include "dashboard/developers/tabs.html" %}
//! ```

use crate::domain::link::Language;
use crate::web::dashboard::texts::sentences;

sentences! {
    TabTexts;
    label: "Developers", "للمطوّرين";
    keys: "API keys", "مفاتيح API";
    webhooks: "Webhooks", "Webhooks";
    methods: "Payment methods", "طرق الدفع";
    dialects: "Dialects", "اللهجات";
    sandbox: "Sandbox", "البيئة التجريبية";
}

/// One page of the developers area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DevTab {
    Keys,
    Webhooks,
    Methods,
    Dialects,
    Sandbox,
}

/// One tab: where it goes, what it says, whether it is the page shown.
pub struct Tab {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The strip, with the current page marked.
pub struct Tabs {
    /// The strip's accessible name.
    pub label: &'static str,
    pub items: Vec<Tab>,
}

impl Tabs {
    /// The tabs in `lang`, `current` marked.
    pub fn new(lang: Language, current: DevTab) -> Tabs {
        let t = TabTexts::of(lang);
        let all = [
            (DevTab::Keys, "/dashboard/developers", t.keys),
            (DevTab::Webhooks, "/dashboard/developers/webhooks", t.webhooks),
            (DevTab::Methods, "/dashboard/developers/methods", t.methods),
            (DevTab::Dialects, "/dashboard/developers/dialects", t.dialects),
            (DevTab::Sandbox, "/dashboard/developers/sandbox", t.sandbox),
        ];
        let items = all.into_iter().map(|(tab, href, label)| Tab { href, label, current: tab == current }).collect();
        Tabs { label: t.label, items }
    }
}
