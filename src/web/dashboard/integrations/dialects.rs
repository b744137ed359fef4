//! `/dashboard/developers/dialects`: the dialects' store settings. The Amwal Exchange project is
//! read and changed through `service::dialect_callbacks` with the API's `PROJECT` setting (what
//! `GET/PATCH /v1/store/exchange_project` use, with their rules and audit entries); the Amwal
//! callback key is `service::dialect_keys::signing_key`'s, as `/amwal/stores/{id}/public_key`
//! serves it. The callback secret has its own buttons (`secret.rs`).

use super::text_problem;
use super::texts::IntegrationTexts;
use crate::dialects::exchange::project::{ExchangeProjectOut, PROJECT};
use crate::domain::dialect::DialectName;
use crate::service::dialect_callbacks::{self, CallbackPatch};
use crate::service::dialect_keys::signing_key;
use crate::service::{Ctx, Result, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::link_pages::allow_own_script;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

pub(super) const HERE: &str = "/dashboard/developers/dialects";

/// The Exchange project form; a checkbox's absence is "off", an empty text removes the value.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    callback_url: String,
    callback_enabled: String,
    email_on_failure: String,
    failure_email: String,
}

/// What went wrong, by field.
#[derive(Default)]
struct Problems {
    callback_url: Option<&'static str>,
    callback_enabled: Option<&'static str>,
    failure_email: Option<&'static str>,
}

/// What an action came back with (`?done=saved`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

#[derive(Template)]
#[template(path = "dashboard/integrations/dialects.html")]
struct DialectsPage<'a> {
    shell: Shell,
    tabs: Tabs,
    it: &'a IntegrationTexts,
    project_url: String,
    form: ProjectForm,
    problems: Problems,
    public_pem: String,
    fingerprint: String,
    key_url: String,
    /// The dashboard's own script (the copy buttons).
    js: &'static str,
}

/// `GET /dashboard/developers/dialects`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    let notice = q.ok().filter(|Query(d)| d.done == "saved").map(|_| it.project_saved.to_owned());
    let project = match dialect_callbacks::get_settings(&ctx, &staff.actor, PROJECT).await {
        Ok(p) => p,
        Err(e) => return error::page(e, staff.t),
    };
    let form = ProjectForm {
        callback_url: project.callback_url.unwrap_or_default(),
        callback_enabled: on(project.callback_enabled),
        email_on_failure: on(project.email_on_failure),
        failure_email: project.failure_email.unwrap_or_default(),
    };
    render(&ctx, &staff, form, Problems::default(), notice, StatusCode::OK).await
}

/// `POST /dashboard/developers/dialects/exchange`: the whole form as one patch.
pub async fn save_project(
    State(ctx): State<Ctx>,
    staff: Staff,
    form: std::result::Result<Form<ProjectForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let it = IntegrationTexts::of(staff.session.user.language);
    let problems = Problems {
        callback_url: text_problem(it, &f.callback_url, 2048),
        failure_email: text_problem(it, &f.failure_email, 254),
        ..Problems::default()
    };
    if problems.callback_url.is_some() || problems.failure_email.is_some() {
        return render(&ctx, &staff, f, problems, None, StatusCode::BAD_REQUEST).await;
    }
    let patch = CallbackPatch {
        callback_url: Some(optional(&f.callback_url)),
        callback_enabled: Some(!f.callback_enabled.is_empty()),
        email_on_failure: Some(!f.email_on_failure.is_empty()),
        failure_email: Some(optional(&f.failure_email)),
    };
    match dialect_callbacks::update_settings(&ctx, &staff.actor, PROJECT, patch).await {
        Ok(_) => Redirect::to(&format!("{HERE}?done=saved")).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let mut p = Problems::default();
            for field in &fields {
                match field.field.as_str() {
                    "callback_url" => p.callback_url = Some(it.e_callback_url),
                    "callback_enabled" => p.callback_enabled = Some(it.e_callback_enabled),
                    "failure_email" => p.failure_email = Some(it.e_failure_email),
                    _ => return error::page(ServiceError::Invalid(fields), staff.t),
                }
            }
            render(&ctx, &staff, f, p, None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => error::page(e, staff.t),
    }
}

fn on(b: bool) -> String {
    if b { "on".to_owned() } else { String::new() }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

async fn render(
    ctx: &Ctx,
    staff: &Staff,
    form: ProjectForm,
    problems: Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Response {
    match page(ctx, staff, form, problems, notice).await {
        Ok(page) => allow_own_script(Page::render(status, &page).into_response()),
        Err(e) => error::page(e, staff.t),
    }
}

/// The page: the project's URLs as the API gives them, and the Amwal key as its route serves it.
async fn page<'a>(
    ctx: &Ctx,
    staff: &Staff,
    form: ProjectForm,
    problems: Problems,
    notice: Option<String>,
) -> Result<DialectsPage<'a>> {
    let it = IntegrationTexts::of(staff.session.user.language);
    let (store, env) = (&staff.actor.store_id, staff.actor.environment);
    let project = dialect_callbacks::get_settings(ctx, &staff.actor, PROJECT).await?;
    let base = ctx.config.public_base().trim_end_matches('/');
    let project = ExchangeProjectOut::new(project, store, env, base);
    let key = signing_key(ctx, &DialectName::of(crate::dialects::amwal::NAME), store, env).await?;
    Ok(DialectsPage {
        tabs: Tabs::new(staff.session.user.language, DevTab::Dialects),
        shell: Shell::new(staff, it.dialects_title, HERE).with_notice(notice),
        it,
        project_url: project.invoices_url,
        form,
        problems,
        public_pem: key.public_pem.clone(),
        fingerprint: key.fingerprint.clone(),
        key_url: format!("{base}/amwal/stores/{store}/public_key.pem"),
        js: crate::web::assets::dashboard_js_href(),
    })
}
