//! `GET/POST /dashboard/developers/keys/new`: a key bound to a user of the store or to a role,
//! with an optional expiry, made by `service::admin::api::add_key` (the API's function, which
//! audits it). The secret is rendered once in the answer to the POST — never in a URL, never in
//! a cached page — with a copy button and a ready `curl` command.

use super::tabs::{DevTab, Tabs};
use super::texts::DeveloperTexts;
use crate::domain::Timestamp;
use crate::domain::access::Role;
use crate::service::admin::api::{self as admin, KeyRequest};
use crate::service::{Ctx, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::link_pages::allow_own_script;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The form's fields. `acts_as` is `user:<id>` or `role:<ROLE>`; `expires` a calendar date.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct KeyForm {
    name: String,
    acts_as: String,
    branch: String,
    expires: String,
}

/// What went wrong, by field.
#[derive(Default)]
struct Problems {
    acts_as: Option<&'static str>,
    branch: Option<&'static str>,
    expires: Option<&'static str>,
}

/// One option of a select.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "dashboard/developers/new.html")]
struct NewPage<'a> {
    shell: Shell,
    tabs: Tabs,
    dt: &'a DeveloperTexts,
    form: KeyForm,
    users: Vec<Choice>,
    roles: Vec<Choice>,
    branches: Vec<Choice>,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "dashboard/developers/created.html")]
struct CreatedPage<'a> {
    shell: Shell,
    tabs: Tabs,
    dt: &'a DeveloperTexts,
    name: String,
    secret: String,
    curl: String,
    /// The dashboard's own script (the copy buttons).
    js: &'static str,
}

/// `GET /dashboard/developers/keys/new`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff) -> Response {
    render(&ctx, &staff, KeyForm::default(), Problems::default(), StatusCode::OK).await
}

/// `POST /dashboard/developers/keys/new`.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff, form: Result<Form<KeyForm>, FormRejection>) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let dt = DeveloperTexts::of(staff.session.user.language);
    let request = match request(dt, &f) {
        Ok(r) => r,
        Err(problems) => return render(&ctx, &staff, f, problems, StatusCode::BAD_REQUEST).await,
    };
    match admin::add_key(&ctx, &staff.actor, request).await {
        Ok(created) => shown_once(&ctx, &staff, created.key.name, created.secret),
        Err(e) => match problems(dt, &e) {
            Some((status, problems)) => render(&ctx, &staff, f, problems, status).await,
            None => error::page(e, staff.t),
        },
    }
}

/// The form as the service's request, or the fields it cannot be read from.
fn request(dt: &'static DeveloperTexts, f: &KeyForm) -> Result<KeyRequest, Problems> {
    let (user, role) = match f.acts_as.split_once(':') {
        Some(("user", id)) if !id.is_empty() => (Some(id.to_owned()), None),
        Some(("role", r)) => match Role::parse(r) {
            Some(role) => (None, Some(role)),
            None => return Err(Problems { acts_as: Some(dt.e_acts_as), ..Problems::default() }),
        },
        _ => return Err(Problems { acts_as: Some(dt.e_acts_as), ..Problems::default() }),
    };
    let expires_at = match f.expires.trim() {
        "" => None,
        day => match Timestamp::parse_date(day) {
            Some(midnight) => Some(midnight.plus_secs(86_399)),
            None => return Err(Problems { expires: Some(dt.e_expiry), ..Problems::default() }),
        },
    };
    let branch = Some(f.branch.trim().to_owned()).filter(|b| !b.is_empty() && role.is_some_and(Role::needs_branch));
    Ok(KeyRequest { name: f.name.clone(), user, role, branch, expires_at })
}

/// The service's refusal as the form's problems and status, when it is about the form.
fn problems(dt: &'static DeveloperTexts, e: &ServiceError) -> Option<(StatusCode, Problems)> {
    let mut p = Problems::default();
    match e {
        ServiceError::Invalid(fields) => {
            for f in fields {
                match f.field.as_str() {
                    "user" => p.acts_as = Some(dt.e_user),
                    "role" => p.acts_as = Some(dt.e_acts_as),
                    "branch" => p.branch = Some(dt.e_branch),
                    "expires_at" => p.expires = Some(dt.e_expiry),
                    _ => return None,
                }
            }
            Some((StatusCode::BAD_REQUEST, p))
        }
        ServiceError::Forbidden(_) => {
            p.acts_as = Some(dt.e_owner);
            Some((StatusCode::FORBIDDEN, p))
        }
        _ => None,
    }
}

/// The secret, this once, with the page's own script allowed for the copy buttons.
fn shown_once(ctx: &Ctx, staff: &Staff, name: String, secret: String) -> Response {
    let dt = DeveloperTexts::of(staff.session.user.language);
    let base = ctx.config.public_base().trim_end_matches('/');
    let curl = format!("curl -s {base}/v1/payment_links -H \"Authorization: Bearer {secret}\"");
    let page = CreatedPage {
        shell: Shell::new(staff, dt.created_title, "/dashboard/developers"),
        tabs: Tabs::new(staff.session.user.language, DevTab::Keys),
        dt,
        name,
        secret,
        curl,
        js: crate::web::assets::dashboard_js_href(),
    };
    allow_own_script(Page::render(StatusCode::OK, &page).into_response())
}

async fn render(ctx: &Ctx, staff: &Staff, form: KeyForm, problems: Problems, status: StatusCode) -> Response {
    let dt = DeveloperTexts::of(staff.session.user.language);
    let (users, branches) = match choices(ctx, staff, &form).await {
        Ok(c) => c,
        Err(e) => return error::page(e, staff.t),
    };
    let roles = Role::ALL
        .into_iter()
        .map(|r| {
            let value = format!("role:{}", r.as_str());
            Choice { selected: value == form.acts_as, label: staff.t.role(r).to_owned(), value }
        })
        .collect();
    let page = NewPage {
        shell: Shell::new(staff, dt.new_title, "/dashboard/developers/keys/new"),
        tabs: Tabs::new(staff.session.user.language, DevTab::Keys),
        dt,
        form,
        users,
        roles,
        branches,
        problems,
    };
    Page::render(status, &page).into_response()
}

/// The store's active users and branches as options (OWNER and ADMIN only: the service says).
async fn choices(ctx: &Ctx, staff: &Staff, form: &KeyForm) -> crate::service::Result<(Vec<Choice>, Vec<Choice>)> {
    let users = admin::users(ctx, &staff.actor).await?;
    let branches = admin::branches(ctx, &staff.actor).await?;
    let users = users
        .into_iter()
        .filter(|u| u.disabled_at.is_none())
        .map(|u| {
            let value = format!("user:{}", u.id);
            let label = format!("{} ({})", u.name, staff.t.role(u.role));
            Choice { selected: value == form.acts_as, label, value }
        })
        .collect();
    let branches = branches
        .into_iter()
        .filter(|b| b.disabled_at.is_none())
        .map(|b| Choice { selected: b.code == form.branch, label: b.name, value: b.code })
        .collect();
    Ok((users, branches))
}
