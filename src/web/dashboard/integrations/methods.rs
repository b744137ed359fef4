//! `/dashboard/developers/methods`: the store's payment methods in the session's environment with
//! their integration ids (the numbers a Paymob client sends in `payment_methods`); each row
//! renames, enables or disables its method through `service::methods::change_method`, the
//! `PATCH /v1/payment_methods/{id}` function.

use super::text_problem;
use super::texts::IntegrationTexts;
use crate::domain::ErrorKind;
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::service::{Ctx, ServiceError, methods};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::dashboard::status::Pill;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

const HERE: &str = "/dashboard/developers/methods";

/// A row's form: a new name, or `enabled` (`true` / `false`); an absent field stays as it is.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct MethodForm {
    name: Option<String>,
    enabled: Option<String>,
}

/// What an action came back with (`?done=saved`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Done {
    done: String,
}

/// A method as a row: the API's fields, and the problem of its last form if it was refused.
struct Row {
    id: i64,
    name: String,
    kind: &'static str,
    status: Pill,
    enabled: bool,
    /// Offline methods record payments at the branch and cannot be turned on online.
    may_enable: bool,
    problem: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "dashboard/integrations/methods.html")]
struct MethodsPage<'a> {
    shell: Shell,
    tabs: Tabs,
    it: &'a IntegrationTexts,
    rows: Vec<Row>,
}

/// `GET /dashboard/developers/methods`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, q: Result<Query<Done>, QueryRejection>) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    let notice = q.ok().filter(|Query(d)| d.done == "saved").map(|_| it.method_saved.to_owned());
    render(&ctx, &staff, notice, None, StatusCode::OK).await
}

/// `POST /dashboard/developers/methods/{id}`.
pub async fn submit(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<MethodForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let it = IntegrationTexts::of(staff.session.user.language);
    let Ok(id) = id.parse::<i64>() else { return error::page(ServiceError::NotFound, staff.t) };
    if let Some(problem) = f.name.as_deref().and_then(|n| text_problem(it, n, 100)) {
        return render(&ctx, &staff, None, Some((id, problem)), StatusCode::BAD_REQUEST).await;
    }
    let enabled = match f.enabled.as_deref() {
        None => None,
        Some(v) => match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => return error::page(invalid("enabled"), staff.t),
        },
    };
    match methods::change_method(&ctx, &staff.actor, id, f.name, enabled).await {
        Ok(_) => Redirect::to(&format!("{HERE}?done=saved")).into_response(),
        Err(ServiceError::Invalid(fields)) => {
            let problem = fields.iter().find_map(|f| match f.field.as_str() {
                "name" => Some(it.e_method_name),
                "enabled" => Some(it.e_method_enabled),
                _ => None,
            });
            match problem {
                Some(p) => render(&ctx, &staff, None, Some((id, p)), StatusCode::BAD_REQUEST).await,
                None => error::page(ServiceError::Invalid(fields), staff.t),
            }
        }
        Err(e) => error::page(e, staff.t),
    }
}

fn invalid(field: &'static str) -> ServiceError {
    ServiceError::field(field, ErrorKind::Invalid, "must be true or false")
}

/// The list, with `problem` shown on the row of the method it is about.
async fn render(
    ctx: &Ctx,
    staff: &Staff,
    notice: Option<String>,
    problem: Option<(i64, &'static str)>,
    status: StatusCode,
) -> Response {
    let it = IntegrationTexts::of(staff.session.user.language);
    let found = match methods::list_methods_to_manage(ctx, &staff.actor).await {
        Ok(found) => found,
        Err(e) => return error::page(e, staff.t),
    };
    let rows = found.iter().map(|m| row(it, m, problem.filter(|(id, _)| *id == m.id).map(|(_, p)| p))).collect();
    let page = MethodsPage {
        tabs: Tabs::new(staff.session.user.language, DevTab::Methods),
        shell: Shell::new(staff, it.methods_title, HERE).with_notice(notice),
        it,
        rows,
    };
    Page::render(status, &page).into_response()
}

fn row(it: &'static IntegrationTexts, m: &PaymentMethod, problem: Option<&'static str>) -> Row {
    let status = if m.enabled { Pill { label: it.enabled, tone: "ok" } } else { Pill { label: it.disabled, tone: "" } };
    Row {
        id: m.id,
        name: m.name.clone(),
        kind: kind(it, m.kind),
        status,
        enabled: m.enabled,
        may_enable: m.connector != "offline",
        problem,
    }
}

fn kind(it: &'static IntegrationTexts, k: MethodKind) -> &'static str {
    match k {
        MethodKind::Card => it.kind_card,
        MethodKind::MobileMoney => it.kind_mobile_money,
        MethodKind::Installments => it.kind_installments,
        MethodKind::Cash => it.kind_cash,
    }
}
