//! The link page's view: the summary (amount, title, expiry, QR), the state when the link cannot
//! be paid, and one form per allowed method, each with the payer's details, so that pressing
//! Enter (or "Go" on a phone keyboard) always submits the method the payer is looking at.

use super::form::Errors;
use super::i18n::{Texts, texts};
use super::page::{Brand, Field, Frame, Notice};
use crate::domain::Environment;
use crate::domain::format::{format_amount, format_datetime, format_number};
use crate::domain::link::{Language, Link, LinkStatus};
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::money::Money;
use crate::service::pay::{PLANS, PublicLink};
use askama::Template;

/// The link page.
#[derive(Template)]
#[template(path = "pay/link.html")]
pub struct LinkPage {
    pub page: Frame,
    pub t: &'static Texts,
    pub link_id: String,
    /// "Amount due" while the link is open.
    pub amount_label: &'static str,
    pub amount: String,
    pub title: String,
    pub description: Option<String>,
    /// Path of the link's image (given through a dialect), shown above the title.
    pub image: Option<String>,
    pub reference: Option<String>,
    /// "Expires on" / "Expired on" and the date.
    pub expiry: Option<(&'static str, String)>,
    /// The page URL's QR code as inline SVG (empty when the link cannot be paid).
    pub qr: std::sync::Arc<str>,
    pub notice: Option<Notice>,
    pub form_error: Option<&'static str>,
    pub methods: Vec<MethodView>,
    pub address: Vec<Field>,
    pub csrf: String,
    pub can_cancel: bool,
}

/// One payment method's section.
pub struct MethodView {
    pub id: i64,
    pub label: &'static str,
    pub open: bool,
    pub hint: &'static str,
    pub fields: Vec<Field>,
    pub plans: Vec<Plan>,
    pub plan_error: Option<&'static str>,
    /// The payer's details (without a second phone where the method already asks for one).
    pub payer: Vec<Field>,
}

/// One installment plan choice.
pub struct Plan {
    pub months: i64,
    pub label: String,
    pub each: String,
    pub checked: bool,
}

/// What the form shows in its inputs: the link's customer at first, what was posted after an error
/// (never the card number or CVV).
#[derive(Default)]
pub struct Prefill {
    pub name: String,
    pub email: String,
    pub phone: String,
    /// line1, line2, city, region, postal code, country.
    pub address: [String; 6],
    pub mobile_phone: String,
    pub installments_phone: String,
    pub card_expiry: String,
    pub method_id: Option<i64>,
    pub months: Option<i64>,
}

impl Prefill {
    /// The customer the merchant named on the link.
    pub fn from_link(link: &Link) -> Prefill {
        let c = &link.customer;
        let name = c.full_name().unwrap_or_default();
        let phone = c.phone.clone().unwrap_or_default();
        let address = link
            .address_prefill
            .as_ref()
            .map_or_else(Default::default, |a| a.parts().map(|(_, value, _)| value.clone().unwrap_or_default()));
        Prefill {
            name,
            address,
            email: c.email.clone().unwrap_or_default(),
            mobile_phone: phone.clone(),
            installments_phone: phone.clone(),
            phone,
            ..Prefill::default()
        }
    }
}

/// Everything the page needs besides the link.
pub struct Context<'a> {
    pub lang: Language,
    pub csrf: String,
    pub page_url: String,
    pub prefill: &'a Prefill,
    pub errors: &'a Errors,
}

/// Builds the page for `opened` in `cx.lang`.
pub fn link_page(opened: &PublicLink, cx: &Context<'_>) -> LinkPage {
    let (link, t) = (&opened.link, texts(cx.lang));
    let status = link.status_at(opened.now);
    let methods = payable_methods(&opened.methods);
    let open_id =
        cx.prefill.method_id.filter(|id| methods.iter().any(|m| m.id == *id)).or(methods.first().map(|m| m.id));
    let mut page = Frame::new(t, format!("{} · {}", link.title, opened.store_name));
    page.brand = Some(Brand::of_store(&opened.store_name, opened.logo.as_ref()));
    page.sandbox = link.environment == Environment::Sandbox;
    let open = status == LinkStatus::Open;
    LinkPage {
        page,
        t,
        link_id: link.id.to_string(),
        amount_label: if open { t.amount_due } else { t.amount },
        amount: format_amount(link.amount, cx.lang),
        title: link.title.clone(),
        // A QuickLink's title is its description: shown once.
        description: link.description.clone().filter(|d| *d != link.title),
        image: link.image_id.as_deref().map(crate::service::link_images::image_path),
        reference: link.reference_id.clone(),
        expiry: expiry(link, status, t, cx.lang),
        qr: if open { super::qr::cached_svg(&cx.page_url, t.qr_label).unwrap_or_else(|| "".into()) } else { "".into() },
        notice: notice(link, status, t),
        form_error: (!cx.errors.is_empty()).then_some(t.check_fields),
        methods: methods.iter().map(|m| method_view(m, link.amount, Some(m.id) == open_id, cx)).collect(),
        address: if link.address_required { address_fields(t, cx.prefill, cx.errors) } else { Vec::new() },
        csrf: cx.csrf.clone(),
        can_cancel: open && link.cancel_url.is_some(),
    }
}

/// Methods a payer can use on this page: the card form exists for the sandbox connector only
/// (production card connectors collect card data on the provider's own fields), cash is offline.
fn payable_methods(methods: &[PaymentMethod]) -> Vec<&PaymentMethod> {
    methods
        .iter()
        .filter(|m| match m.kind {
            MethodKind::Card => m.connector == "sandbox",
            MethodKind::MobileMoney | MethodKind::Installments => true,
            MethodKind::Cash => false,
        })
        .collect()
}

fn expiry(link: &Link, status: LinkStatus, t: &'static Texts, lang: Language) -> Option<(&'static str, String)> {
    let at = link.expires_at?;
    match status {
        LinkStatus::Open => Some((t.expires_on, format_datetime(at, lang))),
        LinkStatus::Expired => Some((t.expired_on, format_datetime(at, lang))),
        LinkStatus::Paid | LinkStatus::Cancelled => None,
    }
}

fn notice(link: &Link, status: LinkStatus, t: &'static Texts) -> Option<Notice> {
    let (tone, heading, body) = match status {
        LinkStatus::Open => return None,
        LinkStatus::Paid if link.single_use => ("ok", t.already_paid_title, t.already_paid_body),
        LinkStatus::Paid => ("ok", t.closed_title, t.closed_body),
        LinkStatus::Expired => ("off", t.expired_title, t.expired_body),
        LinkStatus::Cancelled => ("off", t.cancelled_title, t.cancelled_body),
    };
    Some(Notice { tone, heading, body: body.to_owned() })
}

fn method_view(m: &PaymentMethod, amount: Money, open: bool, cx: &Context<'_>) -> MethodView {
    let t = texts(cx.lang);
    let (p, e) = (cx.prefill, cx.errors);
    let mut view = MethodView {
        id: m.id,
        label: t.method_kind(m.kind),
        open,
        hint: "",
        fields: Vec::new(),
        plans: Vec::new(),
        plan_error: None,
        payer: payer_fields(t, p, e, m.kind == MethodKind::Card),
    };
    match m.kind {
        MethodKind::Card => view.fields = card_fields(t, p, e),
        MethodKind::MobileMoney => {
            view.hint = t.mobile_hint;
            view.fields = vec![phone_field("mobile_phone", t.mobile_phone, &p.mobile_phone, true, e)];
        }
        MethodKind::Installments => {
            view.hint = t.installments_hint;
            view.plans = plans(amount, p.months, cx.lang);
            view.plan_error = e.get("installments");
            view.fields = vec![phone_field("installments_phone", t.installments_phone, &p.installments_phone, true, e)];
        }
        MethodKind::Cash => {}
    }
    view
}

fn plans(amount: Money, chosen: Option<i64>, lang: Language) -> Vec<Plan> {
    let t = texts(lang);
    let first = PLANS.first().copied();
    PLANS
        .iter()
        .map(|&months| {
            // Rounded up, so the instalments never add up to less than the amount.
            let each = Money::from_minor((amount.minor() + months - 1) / months, amount.currency());
            Plan {
                months,
                label: format!("{} {}", format_number(months, lang), t.months),
                each: format!("{} {}", format_amount(each, lang), t.per_month),
                checked: chosen.or(first) == Some(months),
            }
        })
        .collect()
}

fn card_fields(t: &'static Texts, p: &Prefill, e: &Errors) -> Vec<Field> {
    let numeric = |name, label, autocomplete, placeholder, max| Field {
        inputmode: "numeric",
        autocomplete,
        placeholder,
        max,
        ltr: true,
        required: true,
        error: e.get(name),
        ..Field::text(name, label)
    };
    vec![
        numeric("card_number", t.card_number, "cc-number", "1234 1234 1234 1234", 23),
        Field {
            half: true,
            value: p.card_expiry.clone(),
            ..numeric("card_expiry", t.card_expiry, "cc-exp", "MM/YY", 7)
        },
        Field { half: true, ..numeric("card_cvv", t.card_cvv, "cc-csc", "123", 4) },
    ]
}

fn phone_field(name: &'static str, label: &'static str, value: &str, required: bool, e: &Errors) -> Field {
    let placeholder = "+966 5X XXX XXXX";
    let base = Field::text(name, label);
    Field {
        kind: "tel",
        value: value.to_owned(),
        autocomplete: "tel",
        placeholder,
        required,
        ltr: true,
        error: e.get(name),
        ..base
    }
}

fn payer_fields(t: &'static Texts, p: &Prefill, e: &Errors, with_phone: bool) -> Vec<Field> {
    let mut fields = vec![
        Field {
            value: p.name.clone(),
            autocomplete: "name",
            max: 200,
            error: e.get("name"),
            ..Field::text("name", t.name)
        },
        Field {
            kind: "email",
            value: p.email.clone(),
            autocomplete: "email",
            ltr: true,
            error: e.get("email"),
            ..Field::text("email", t.email)
        },
    ];
    if with_phone {
        fields.push(phone_field("phone", t.phone, &p.phone, false, e));
    }
    fields
}

fn address_fields(t: &'static Texts, p: &Prefill, e: &Errors) -> Vec<Field> {
    // (name, label, autocomplete, required, half width)
    let specs: [(&'static str, &'static str, &'static str, bool, bool); 6] = [
        ("address_line1", t.address_line1, "address-line1", true, false),
        ("address_line2", t.address_line2, "address-line2", false, false),
        ("address_city", t.address_city, "address-level2", true, true),
        ("address_region", t.address_region, "address-level1", false, true),
        ("address_postal_code", t.address_postal_code, "postal-code", false, true),
        ("address_country", t.address_country, "country-name", true, true),
    ];
    specs
        .into_iter()
        .zip(p.address.iter())
        .map(|((name, label, autocomplete, required, half), value)| Field {
            value: value.clone(),
            autocomplete,
            required,
            half,
            max: 200,
            error: e.get(name),
            ..Field::text(name, label)
        })
        .collect()
}
