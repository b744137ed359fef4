//! `GET/POST /dashboard/settings/users/new`: a new user made by `service::admin::api::add_user`
//! (the API's function, which audits it and refuses an ADMIN making an owner). Paylink generates
//! the first password; it is rendered once in the answer to the POST — never in a URL or a
//! cached page — and its holder must choose their own at the first sign-in.

use super::texts::SettingsTexts;
use super::users::{branch_choices, role_choices};
use super::{Choice, Problems, control_field, refusal};
use crate::domain::access::Role;
use crate::service::admin::api as admin;
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

/// The invitation form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    name: String,
    email: String,
    role: String,
    branch: String,
}

#[derive(Template)]
#[template(path = "dashboard/settings/invite.html")]
struct InvitePage<'a> {
    shell: Shell,
    st: &'a SettingsTexts,
    tab: &'static str,
    form: InviteForm,
    roles: Vec<Choice>,
    branches: Vec<Choice>,
    problems: Problems,
}

#[derive(Template)]
#[template(path = "dashboard/settings/invited.html")]
struct InvitedPage<'a> {
    shell: Shell,
    st: &'a SettingsTexts,
    name: String,
    email: String,
    password: String,
    sign_in: String,
    /// The dashboard's own script (the copy button).
    js: &'static str,
}

/// `GET /dashboard/settings/users/new`.
pub async fn new(State(ctx): State<Ctx>, staff: Staff) -> Response {
    render(&ctx, &staff, InviteForm::default(), Problems::default(), StatusCode::OK).await
}

/// `POST /dashboard/settings/users/new`.
pub async fn invite(State(ctx): State<Ctx>, staff: Staff, form: Result<Form<InviteForm>, FormRejection>) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let st = SettingsTexts::of(staff.session.user.language);
    let fields = [("name", f.name.as_str()), ("email", &f.email), ("branch", &f.branch)];
    if let Some(p) = control_field(st, &fields) {
        return render(&ctx, &staff, f, p, StatusCode::BAD_REQUEST).await;
    }
    if f.name.trim().chars().count() > 100 {
        return render(&ctx, &staff, f, Problems::one("name", st.e_name), StatusCode::BAD_REQUEST).await;
    }
    let Some(role) = Role::parse(&f.role) else {
        return render(&ctx, &staff, f, Problems::one("role", st.e_role), StatusCode::BAD_REQUEST).await;
    };
    let branch = Some(f.branch.trim().to_owned()).filter(|b| !b.is_empty() && role.needs_branch());
    match admin::add_user(&ctx, &staff.actor, f.email.clone(), f.name.clone(), role, branch).await {
        Ok(created) => shown_once(&ctx, &staff, created.user.name, created.user.email, created.password),
        Err(ServiceError::Forbidden(_)) => {
            render(&ctx, &staff, f, Problems::one("role", st.e_owner), StatusCode::FORBIDDEN).await
        }
        Err(e) => match refusal(st, &e) {
            Some((status, problems)) => render(&ctx, &staff, f, problems, status).await,
            None => error::page(e, staff.t),
        },
    }
}

/// The first password, this once, with the page's own script allowed for the copy button.
fn shown_once(ctx: &Ctx, staff: &Staff, name: String, email: String, password: String) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    let base = ctx.config.public_base().trim_end_matches('/');
    let page = InvitedPage {
        shell: Shell::new(staff, st.invited_title, "/dashboard/settings/users"),
        st,
        name,
        email,
        password,
        sign_in: format!("{base}/dashboard/login"),
        js: crate::web::assets::dashboard_js_href(),
    };
    allow_own_script(Page::render(StatusCode::OK, &page).into_response())
}

async fn render(ctx: &Ctx, staff: &Staff, form: InviteForm, problems: Problems, status: StatusCode) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    // The branches call is also the one that refuses those who may not manage users.
    let branches = match admin::branches(ctx, &staff.actor).await {
        Ok(b) => b,
        Err(e) => return error::page(e, staff.t),
    };
    let page = InvitePage {
        shell: Shell::new(staff, st.invite_title, "/dashboard/settings/users"),
        st,
        tab: "users",
        roles: role_choices(staff, Role::parse(&form.role).or(Some(Role::Cashier))),
        branches: branch_choices(&branches, Some(form.branch.as_str())),
        form,
        problems,
    };
    Page::render(status, &page).into_response()
}
