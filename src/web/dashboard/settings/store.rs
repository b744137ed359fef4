//! `GET /dashboard/settings`: the store's profile (`service::store_profile`), its logo
//! (`service::logos`), its refund approval (`service::refunds::set_policy`) and its sign-in rule
//! (`service::store_security`), each a form of its own posted to its own address.

use super::texts::SettingsTexts;
use super::{Choice, Problems, ZONES, control_field, refusal};
use crate::domain::link::Language;
use crate::domain::money::Money;
use crate::domain::store_profile::{ProfileChange, StoreProfile};
use crate::service::{Ctx, Result, ServiceError, logos, refunds, store_profile, store_security};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;

/// The profile form: every field as typed (blank optional fields clear them).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct StoreForm {
    name: String,
    default_language: String,
    time_zone: String,
    support_phone: String,
    support_email: String,
    notify_per_link_per_hour: String,
    notify_per_store_per_hour: String,
}

/// The refund approval form: amounts in the store's currency, as typed.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PolicyForm {
    auto_approve_below: String,
    supervisor_limit: String,
}

/// The sign-in rule form: `true` or `false`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct SecurityForm {
    required: String,
}

/// What an action came back with (`?done=saved`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

#[derive(Template)]
#[template(path = "dashboard/settings/store.html")]
struct StorePage<'a> {
    shell: Shell,
    st: &'a SettingsTexts,
    tab: &'static str,
    form: StoreForm,
    languages: Vec<Choice>,
    zones: Vec<Choice>,
    cap_link: i64,
    cap_store: i64,
    logo: Option<String>,
    policy: PolicyForm,
    currency: &'static str,
    two_factor_required: bool,
    problems: Problems,
}

/// The forms as submitted, when one is being re-rendered.
#[derive(Default)]
struct Submitted {
    store: Option<StoreForm>,
    policy: Option<PolicyForm>,
}

/// `GET /dashboard/settings`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let saved = q.is_ok_and(|Query(d)| d.done == "saved");
    let st = SettingsTexts::of(staff.session.user.language);
    let notice = saved.then(|| st.saved.to_owned());
    page(&ctx, &staff, Submitted::default(), Problems::default(), StatusCode::OK, notice).await
}

/// `POST /dashboard/settings/store`.
pub async fn save_profile(
    State(ctx): State<Ctx>,
    staff: Staff,
    form: std::result::Result<Form<StoreForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let st = SettingsTexts::of(staff.session.user.language);
    let outcome = match change(st, &f) {
        Ok(change) => store_profile::change_profile(&ctx, &staff.actor, change).await.map(|_| ()),
        Err(problems) => {
            return again(&ctx, &staff, Submitted { store: Some(f), ..Default::default() }, problems).await;
        }
    };
    done(&ctx, &staff, outcome, Submitted { store: Some(f), ..Default::default() }).await
}

/// The form as the service's change, or the fields that cannot be read.
fn change(st: &SettingsTexts, f: &StoreForm) -> std::result::Result<ProfileChange, Problems> {
    let texts = [
        ("name", f.name.as_str()),
        ("time_zone", &f.time_zone),
        ("support_phone", &f.support_phone),
        ("support_email", &f.support_email),
    ];
    if let Some(p) = control_field(st, &texts) {
        return Err(p);
    }
    let optional = |v: &str| Some(Some(v.trim().to_owned()).filter(|v| !v.is_empty()));
    let cap = |field: &str, v: &str| match v.trim() {
        "" => Ok(Some(None)),
        n => n.parse::<i64>().map(|n| Some(Some(n))).map_err(|_| Problems::one(field, st.e_cap)),
    };
    Ok(ProfileChange {
        name: Some(f.name.clone()),
        default_language: Some(f.default_language.clone()),
        time_zone: Some(f.time_zone.clone()),
        support_phone: optional(&f.support_phone),
        support_email: optional(&f.support_email),
        notify_per_link_per_hour: cap("notify_per_link_per_hour", &f.notify_per_link_per_hour)?,
        notify_per_store_per_hour: cap("notify_per_store_per_hour", &f.notify_per_store_per_hour)?,
    })
}

/// `POST /dashboard/settings/logo` (multipart: the form guard has read its token).
pub async fn save_logo(State(ctx): State<Ctx>, staff: Staff, mut parts: Multipart) -> Response {
    let mut logo = None;
    while let Ok(Some(field)) = parts.next_field().await {
        if field.name() == Some("logo") {
            let content_type = field.content_type().unwrap_or_default().to_owned();
            logo = field.bytes().await.ok().map(|b| (content_type, b));
        }
    }
    let outcome = match logo {
        Some((content_type, bytes)) if !bytes.is_empty() => {
            let data = base64::engine::general_purpose::STANDARD.encode(&bytes);
            logos::set_logo(&ctx, &staff.actor, &content_type, &data).await.map(|_| ())
        }
        _ => Err(ServiceError::field("logo", crate::domain::ErrorKind::Invalid, "choose an image")),
    };
    // The service names the API's fields (`data`, `content_type`); the form has one, the file.
    let outcome = outcome.map_err(|e| match e {
        ServiceError::Invalid(mut fields) => {
            fields.iter_mut().for_each(|f| f.field = "logo".into());
            ServiceError::Invalid(fields)
        }
        other => other,
    });
    done(&ctx, &staff, outcome, Submitted::default()).await
}

/// `POST /dashboard/settings/refund_policy`.
pub async fn save_policy(
    State(ctx): State<Ctx>,
    staff: Staff,
    form: std::result::Result<Form<PolicyForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    // An empty amount turns its rule off, as "0" does.
    let amount = |v: &str| Some(if v.trim().is_empty() { "0".to_owned() } else { v.trim().to_owned() });
    let outcome = refunds::set_policy(&ctx, &staff.actor, amount(&f.auto_approve_below), amount(&f.supervisor_limit))
        .await
        .map(|_| ());
    done(&ctx, &staff, outcome, Submitted { policy: Some(f), ..Default::default() }).await
}

/// `POST /dashboard/settings/security`.
pub async fn save_security(
    State(ctx): State<Ctx>,
    staff: Staff,
    form: std::result::Result<Form<SecurityForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let required = match f.required.as_str() {
        "true" => true,
        "false" => false,
        _ => return error::forged(staff.t),
    };
    let outcome = store_security::require_second_factor(&ctx, &staff.actor, required).await.map(|_| ());
    done(&ctx, &staff, outcome, Submitted::default()).await
}

/// Back to the page after a change; the form again with its fields named after a refusal.
async fn done(ctx: &Ctx, staff: &Staff, outcome: Result<()>, submitted: Submitted) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    match outcome {
        Ok(()) => Redirect::to("/dashboard/settings?done=saved").into_response(),
        Err(e) => match refusal(st, &e) {
            Some((status, problems)) => page(ctx, staff, submitted, problems, status, None).await,
            None => error::page(e, staff.t),
        },
    }
}

async fn again(ctx: &Ctx, staff: &Staff, submitted: Submitted, problems: Problems) -> Response {
    page(ctx, staff, submitted, problems, StatusCode::BAD_REQUEST, None).await
}

async fn page(
    ctx: &Ctx,
    staff: &Staff,
    submitted: Submitted,
    problems: Problems,
    status: StatusCode,
    notice: Option<String>,
) -> Response {
    match render(ctx, staff, submitted, problems, status, notice).await {
        Ok(r) => r,
        Err(e) => error::page(e, staff.t),
    }
}

async fn render(
    ctx: &Ctx,
    staff: &Staff,
    submitted: Submitted,
    problems: Problems,
    status: StatusCode,
    notice: Option<String>,
) -> Result<Response> {
    let st = SettingsTexts::of(staff.session.user.language);
    // The policy first: it is the call that refuses those who may not see settings.
    let (policy, currency) = refunds::policy(ctx, &staff.actor).await?;
    let profile = store_profile::profile(ctx, &staff.actor).await?;
    let two_factor_required = store_security::second_factor_required(ctx, &staff.actor).await?;
    let logo = match logos::logo(ctx, staff.actor.store_id.as_str()).await {
        Ok((_, _, digest)) => logos::logo_path(&staff.actor.store_id, Some(digest)),
        Err(ServiceError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let show = |minor: i64| Money::from_minor(minor, currency).to_canonical();
    let form = submitted.store.unwrap_or_else(|| current(&profile));
    let n = &ctx.config.notifications;
    let page = StorePage {
        shell: Shell::new(staff, st.title, "/dashboard/settings").with_notice(notice),
        st,
        tab: "store",
        languages: languages(st, &form.default_language),
        zones: zones(&form.time_zone, &profile.time_zone),
        form,
        cap_link: n.per_link_per_hour,
        cap_store: n.per_store_per_hour,
        logo,
        policy: submitted.policy.unwrap_or_else(|| PolicyForm {
            auto_approve_below: show(policy.auto_approve_below),
            supervisor_limit: show(policy.supervisor_limit),
        }),
        currency: currency.code(),
        two_factor_required,
        problems,
    };
    Ok(Page::render(status, &page).into_response())
}

/// The profile as the form shows it.
fn current(p: &StoreProfile) -> StoreForm {
    let cap = |c: Option<i64>| c.map(|c| c.to_string()).unwrap_or_default();
    StoreForm {
        name: p.name.clone(),
        default_language: p.default_language.as_str().to_owned(),
        time_zone: p.time_zone.clone(),
        support_phone: p.support_phone.clone().unwrap_or_default(),
        support_email: p.support_email.clone().unwrap_or_default(),
        notify_per_link_per_hour: cap(p.notify_per_link_per_hour),
        notify_per_store_per_hour: cap(p.notify_per_store_per_hour),
    }
}

fn languages(st: &SettingsTexts, chosen: &str) -> Vec<Choice> {
    [(Language::Ar, st.arabic), (Language::En, st.english)]
        .into_iter()
        .map(|(l, label)| Choice { value: l.as_str().into(), label: label.into(), selected: l.as_str() == chosen })
        .collect()
}

/// The offered zones, the store's own among them, `chosen` selected.
fn zones(chosen: &str, stored: &str) -> Vec<Choice> {
    let mut names: Vec<&str> = ZONES.to_vec();
    for extra in [stored, chosen] {
        if !extra.is_empty() && !names.contains(&extra) && crate::domain::zone::Zone::parse(extra).is_some() {
            names.push(extra);
        }
    }
    names.into_iter().map(|z| Choice { value: z.into(), label: z.replace('_', " "), selected: z == chosen }).collect()
}
