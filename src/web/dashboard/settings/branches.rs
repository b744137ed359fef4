//! `/dashboard/settings/branches`: the store's branches with a form to add one, and per branch a
//! rename form and a close (or reopen) button — `service::admin::api::{add_branch,
//! change_branch}`, the API's functions, which audit them.

use super::texts::SettingsTexts;
use super::{Problems, control_field, refusal};
use crate::service::admin::api as admin;
use crate::service::{Ctx, Result};
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

/// The new branch form.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewBranch {
    code: String,
    name: String,
}

/// A branch's form: `action` is `rename` (with `name`), `close` or `reopen`.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BranchChange {
    action: String,
    name: String,
}

/// What an action came back with (`?done=saved`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// A branch as a row.
struct Row {
    id: String,
    code: String,
    name: String,
    active: bool,
}

#[derive(Template)]
#[template(path = "dashboard/settings/branches.html")]
struct BranchesPage<'a> {
    shell: Shell,
    st: &'a SettingsTexts,
    tab: &'static str,
    rows: Vec<Row>,
    form: NewBranch,
    problems: Problems,
}

/// `GET /dashboard/settings/branches`.
pub async fn show(
    State(ctx): State<Ctx>,
    staff: Staff,
    q: std::result::Result<Query<Done>, QueryRejection>,
) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    let notice = q.is_ok_and(|Query(d)| d.done == "saved").then(|| st.done_branch.to_owned());
    page(&ctx, &staff, NewBranch::default(), Problems::default(), StatusCode::OK, notice).await
}

/// `POST /dashboard/settings/branches`: adds one.
pub async fn create(
    State(ctx): State<Ctx>,
    staff: Staff,
    form: std::result::Result<Form<NewBranch>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let st = SettingsTexts::of(staff.session.user.language);
    if let Some(p) = control_field(st, &[("code", &f.code), ("name", &f.name)]) {
        return page(&ctx, &staff, f, p, StatusCode::BAD_REQUEST, None).await;
    }
    let outcome = admin::add_branch(&ctx, &staff.actor, f.code.trim().to_owned(), f.name.clone()).await;
    done(&ctx, &staff, outcome.map(|_| ()), f).await
}

/// `POST /dashboard/settings/branches/{id}`: renames, closes or reopens one.
pub async fn change(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: std::result::Result<Form<BranchChange>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let st = SettingsTexts::of(staff.session.user.language);
    let (name, disabled) = match f.action.as_str() {
        "rename" => (Some(f.name.clone()), None),
        "close" => (None, Some(true)),
        "reopen" => (None, Some(false)),
        _ => return error::forged(staff.t),
    };
    if let Some(p) = control_field(st, &[("name", &f.name)]) {
        return page(&ctx, &staff, NewBranch::default(), p, StatusCode::BAD_REQUEST, None).await;
    }
    let outcome = admin::change_branch(&ctx, &staff.actor, id, name, disabled).await;
    done(&ctx, &staff, outcome.map(|_| ()), NewBranch::default()).await
}

async fn done(ctx: &Ctx, staff: &Staff, outcome: Result<()>, form: NewBranch) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    match outcome {
        Ok(()) => Redirect::to("/dashboard/settings/branches?done=saved").into_response(),
        Err(e) => match refusal(st, &e) {
            Some((status, problems)) => page(ctx, staff, form, problems, status, None).await,
            None => error::page(e, staff.t),
        },
    }
}

async fn page(
    ctx: &Ctx,
    staff: &Staff,
    form: NewBranch,
    problems: Problems,
    status: StatusCode,
    notice: Option<String>,
) -> Response {
    let st = SettingsTexts::of(staff.session.user.language);
    let branches = match admin::branches(ctx, &staff.actor).await {
        Ok(b) => b,
        Err(e) => return error::page(e, staff.t),
    };
    let rows = branches
        .into_iter()
        .map(|b| Row { id: b.id.to_string(), code: b.code, name: b.name, active: b.disabled_at.is_none() })
        .collect();
    let page = BranchesPage {
        shell: Shell::new(staff, st.title, "/dashboard/settings/branches").with_notice(notice),
        st,
        tab: "branches",
        rows,
        form,
        problems,
    };
    Page::render(status, &page).into_response()
}
