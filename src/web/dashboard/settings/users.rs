//! `/dashboard/settings/users`: the merchant's users with their role, branch, status and second
//! factor; per user a form to change the role and branch and a button to disable (or enable)
//! them — `service::admin::api::change_user`, the API's function: it audits, signs a user out
//! everywhere when their access changes, and refuses an ADMIN over an owner (their rows show no
//! action here; the service refuses anyway).

use super::texts::SettingsTexts;
use super::{Choice, Problems, refusal};
use crate::domain::access::{self, Role};
use crate::domain::tenancy::{Branch, User};
use crate::service::Ctx;
use crate::service::admin::api::{self as admin, UserChange};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// A user's role and branch form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    role: String,
    branch: String,
}

/// What an action came back with (`?done=changed|disabled`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// A user as a row.
struct Row {
    id: String,
    name: String,
    email: String,
    role: &'static str,
    branch: String,
    active: bool,
    two_factor: bool,
    /// The signed-in user may change this one (not an owner for an ADMIN, not themselves).
    manageable: bool,
    is_self: bool,
    roles: Vec<Choice>,
    branches: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "dashboard/settings/users.html")]
struct UsersPage<'a> {
    shell: Shell,
    st: &'a SettingsTexts,
    tab: &'static str,
    rows: Vec<Row>,
    problems: Problems,
}

/// `GET /dashboard/settings/users`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    let notice = match q.map(|Query(d)| d.done).unwrap_or_default().as_str() {
        "changed" => Some(st.done_user.to_owned()),
        "disabled" => Some(st.done_disabled.to_owned()),
        _ => None,
    };
    page(&ctx, &staff, Problems::default(), StatusCode::OK, notice).await
}

/// `POST /dashboard/settings/users/{id}`: a new role and branch.
pub async fn change(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: std::result::Result<Form<UserForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let st = SettingsTexts::of(staff.session.user.language);
    let Some(role) = Role::parse(&f.role) else {
        return page(&ctx, &staff, Problems::one("role", st.e_role), StatusCode::BAD_REQUEST, None).await;
    };
    // A branch is kept only for the roles that work in one.
    let branch = Some(f.branch.trim().to_owned()).filter(|b| !b.is_empty() && role.needs_branch());
    let ch = UserChange { role: Some(role), branch, ..UserChange::default() };
    apply(&ctx, &staff, id, ch, "changed").await
}

/// `POST /dashboard/settings/users/{id}/disable`: the user can no longer sign in, and every
/// session they have ends now (the service deletes them).
pub async fn disable(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    apply(&ctx, &staff, id, UserChange { disabled: Some(true), ..UserChange::default() }, "disabled").await
}

/// `POST /dashboard/settings/users/{id}/enable`.
pub async fn enable(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    apply(&ctx, &staff, id, UserChange { disabled: Some(false), ..UserChange::default() }, "changed").await
}

async fn apply(ctx: &Ctx, staff: &Staff, id: String, ch: UserChange, done: &str) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    match admin::change_user(ctx, &staff.actor, id, ch).await {
        Ok(_) => Redirect::to(&format!("/dashboard/settings/users?done={done}")).into_response(),
        Err(e) => match refusal(st, &e) {
            Some((status, problems)) => page(ctx, staff, problems, status, None).await,
            None => error::page(e, staff.t),
        },
    }
}

async fn page(ctx: &Ctx, staff: &Staff, problems: Problems, status: StatusCode, notice: Option<String>) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    let (users, branches) = match admin::users(ctx, &staff.actor).await {
        Ok(u) => match admin::branches(ctx, &staff.actor).await {
            Ok(b) => (u, b),
            Err(e) => return error::page(e, staff.t),
        },
        Err(e) => return error::page(e, staff.t),
    };
    let page = UsersPage {
        shell: Shell::new(staff, st.title, "/dashboard/settings/users").with_notice(notice),
        st,
        tab: "users",
        rows: users.iter().map(|u| row(staff, u, &branches)).collect(),
        problems,
    };
    Page::render(status, &page).into_response()
}

fn row(staff: &Staff, u: &User, branches: &[Branch]) -> Row {
    let is_self = u.id == staff.session.user.id;
    let branch = u.branch_id.as_ref().and_then(|id| branches.iter().find(|b| &b.id == id));
    Row {
        id: u.id.to_string(),
        name: u.name.clone(),
        email: u.email.clone(),
        role: staff.t.role(u.role),
        branch: branch.map(|b| b.name.clone()).unwrap_or_default(),
        active: u.disabled_at.is_none(),
        two_factor: u.two_factor_since.is_some(),
        manageable: !is_self && access::may_manage_role(&staff.actor, u.role),
        is_self,
        roles: role_choices(staff, Some(u.role)),
        branches: branch_choices(branches, branch.map(|b| b.code.as_str())),
    }
}

/// The roles the signed-in user may give, `chosen` selected.
pub(super) fn role_choices(staff: &Staff, chosen: Option<Role>) -> Vec<Choice> {
    Role::ALL
        .into_iter()
        .filter(|r| access::may_manage_role(&staff.actor, *r))
        .map(|r| Choice { value: r.as_str().into(), label: staff.t.role(r).into(), selected: Some(r) == chosen })
        .collect()
}

/// The store's open branches (and the chosen one even if closed), by code.
pub(super) fn branch_choices(branches: &[Branch], chosen: Option<&str>) -> Vec<Choice> {
    branches
        .iter()
        .filter(|b| b.disabled_at.is_none() || Some(b.code.as_str()) == chosen)
        .map(|b| Choice { value: b.code.clone(), label: b.name.clone(), selected: Some(b.code.as_str()) == chosen })
        .collect()
}
