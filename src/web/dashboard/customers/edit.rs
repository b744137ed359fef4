//! `GET/POST /dashboard/customers/{id}/edit`: change a customer's name, phone and e-mail through
//! `service::customers::update_customer` (an emptied phone or e-mail is cleared; metadata is left
//! as it is). Links already made for the customer keep the details they were made with.

use super::form::{CustomerForm, Problems, problems, refused};
use super::texts::CustomerTexts;
use crate::domain::customer::CustomerPatch;
use crate::service::Ctx;
use crate::service::customers::{get_customer, update_customer};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "dashboard/customers/edit.html")]
struct EditPage<'a> {
    shell: Shell,
    ct: &'a CustomerTexts,
    id: String,
    form: CustomerForm,
    problems: Problems,
    failed: bool,
}

fn render(staff: &Staff, id: &str, form: CustomerForm, problems: Option<Problems>, status: StatusCode) -> Response {
    let ct = CustomerTexts::of(staff.session.user.language);
    let tpl = EditPage {
        shell: Shell::new(staff, ct.edit_title, &format!("/dashboard/customers/{id}/edit")),
        ct,
        id: id.to_owned(),
        form,
        failed: problems.is_some(),
        problems: problems.unwrap_or_default(),
    };
    Page::render(status, &tpl).into_response()
}

/// `GET /dashboard/customers/{id}/edit`: the form filled with the customer's details.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Path(id): Path<String>) -> Response {
    if let Some(denied) = refused(&staff) {
        return denied;
    }
    let c = match get_customer(&ctx, &staff.actor, &id).await {
        Ok(view) => view.customer,
        Err(e) => return error::page(e, staff.t),
    };
    let d = c.details;
    let form = CustomerForm { name: d.name, email: d.email.unwrap_or_default(), phone: d.phone.unwrap_or_default() };
    render(&staff, c.id.as_str(), form, None, StatusCode::OK)
}

/// `POST /dashboard/customers/{id}/edit`.
pub async fn submit(
    State(ctx): State<Ctx>,
    staff: Staff,
    Path(id): Path<String>,
    form: Result<Form<CustomerForm>, FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let patch = CustomerPatch {
        name: Some(Some(f.name.clone())),
        email: Some(CustomerForm::optional(&f.email)),
        phone: Some(CustomerForm::optional(&f.phone)),
        metadata: None,
    };
    match update_customer(&ctx, &staff.actor, &id, patch).await {
        Ok(c) => Redirect::to(&format!("/dashboard/customers/{}?done=saved", c.id)).into_response(),
        Err(e) => match problems(CustomerTexts::of(staff.session.user.language), &e) {
            Some(p) => render(&staff, &id, f, Some(p), StatusCode::BAD_REQUEST),
            None => error::page(e, staff.t),
        },
    }
}
