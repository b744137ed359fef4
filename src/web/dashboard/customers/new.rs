//! `GET/POST /dashboard/customers/new`: add a customer through `service::customers::create_customer`
//! (a SUPERVISOR's go to their branch, a store-wide role's to the whole store, as in the API).

use super::form::{CustomerForm, Problems, problems, refused};
use super::texts::CustomerTexts;
use crate::domain::customer::CustomerDraft;
use crate::service::Ctx;
use crate::service::customers::{NewCustomer, create_customer};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "dashboard/customers/new.html")]
struct NewPage<'a> {
    shell: Shell,
    ct: &'a CustomerTexts,
    form: CustomerForm,
    problems: Problems,
    failed: bool,
}

fn render(staff: &Staff, form: CustomerForm, problems: Option<Problems>, status: StatusCode) -> Response {
    let ct = CustomerTexts::of(staff.session.user.language);
    let tpl = NewPage {
        shell: Shell::new(staff, ct.new_customer, "/dashboard/customers/new"),
        ct,
        form,
        failed: problems.is_some(),
        problems: problems.unwrap_or_default(),
    };
    Page::render(status, &tpl).into_response()
}

/// `GET /dashboard/customers/new`.
pub async fn show(staff: Staff) -> Response {
    refused(&staff).unwrap_or_else(|| render(&staff, CustomerForm::default(), None, StatusCode::OK))
}

/// `POST /dashboard/customers/new`.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff, form: Result<Form<CustomerForm>, FormRejection>) -> Response {
    let Ok(Form(f)) = form else { return error::forged(staff.t) };
    let draft = CustomerDraft {
        name: Some(f.name.clone()),
        email: CustomerForm::optional(&f.email),
        phone: CustomerForm::optional(&f.phone),
        metadata: None,
    };
    match create_customer(&ctx, &staff.actor, NewCustomer { draft, branch: None }).await {
        Ok(c) => Redirect::to(&format!("/dashboard/customers/{}?done=created", c.id)).into_response(),
        Err(e) => match problems(CustomerTexts::of(staff.session.user.language), &e) {
            Some(p) => render(&staff, f, Some(p), StatusCode::BAD_REQUEST),
            None => error::page(e, staff.t),
        },
    }
}
