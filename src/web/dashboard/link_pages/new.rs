//! `GET/POST /dashboard/links/new`: a new payment link, made with the same service call as
//! `POST /v1/payment_links` (so the same rules, and SMS / e-mail queued through the outbox in the
//! link's own transaction). Errors come back on the form, with what was typed kept.

use super::form::{self, FormErrors, NewLinkForm};
use super::texts::LinkTexts;
use crate::domain::access::{self, Action};
use crate::service::customers::{self, CustomerListInput};
use crate::service::{Conflict, Ctx, ServiceError, links};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

/// A saved customer in the picker.
pub struct CustomerOption {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "dashboard/link_pages/new.html")]
struct NewPage<'a> {
    shell: Shell,
    t: &'a LinkTexts,
    form: NewLinkForm,
    errors: FormErrors,
    /// `None`: the role does not see saved customers (a cashier types the details).
    customers: Option<Vec<CustomerOption>>,
    q: String,
    currency: &'static str,
}

/// The page's query: a customer to preselect (`?customer=cus_…`, from the customers page) and a
/// search of the picker.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    customer: String,
    q: String,
}

const PATH: &str = "/dashboard/links/new";

fn refused(staff: &Staff) -> Option<Response> {
    let allowed = access::may(&staff.actor, Action::CreateLink);
    (!allowed).then(|| error::page(ServiceError::Forbidden("this role cannot create payment links"), staff.t))
}

/// `GET /dashboard/links/new`.
pub async fn show(State(ctx): State<Ctx>, staff: Staff, Query(query): Query<NewQuery>) -> Response {
    if let Some(no) = refused(&staff) {
        return no;
    }
    let form = NewLinkForm { customer_id: query.customer, ..NewLinkForm::default() };
    render(&ctx, &staff, form, FormErrors::default(), query.q, StatusCode::OK).await
}

/// `POST /dashboard/links/new`: 303 to the new link's counter view, or the form again (400).
pub async fn submit(
    State(ctx): State<Ctx>,
    staff: Staff,
    posted: Result<Form<NewLinkForm>, FormRejection>,
) -> Response {
    let t = LinkTexts::of(staff.session.user.language);
    let Ok(Form(f)) = posted else {
        let bad = ServiceError::field("form", crate::domain::ErrorKind::Invalid, "is not a valid form");
        return error::page(bad, staff.t);
    };
    if let Some(no) = refused(&staff) {
        return no;
    }
    let input = match f.to_new_link(ctx.clock.now(), t) {
        Ok(input) => input,
        Err(errors) => return render(&ctx, &staff, f, errors, String::new(), StatusCode::BAD_REQUEST).await,
    };
    let errors = match links::create_link(&ctx, &staff.actor, input).await {
        Ok(link) => return Redirect::to(&format!("/dashboard/links/{}/counter?done=created", link.id)).into_response(),
        Err(ServiceError::Invalid(list)) => form::from_service(&list, t),
        Err(ServiceError::Conflict(Conflict::DuplicateReference, _)) => form::reference_taken(t),
        Err(e) => return error::page(e, staff.t),
    };
    render(&ctx, &staff, f, errors, String::new(), StatusCode::BAD_REQUEST).await
}

async fn render(
    ctx: &Ctx,
    staff: &Staff,
    form: NewLinkForm,
    errors: FormErrors,
    q: String,
    status: StatusCode,
) -> Response {
    let t = LinkTexts::of(staff.session.user.language);
    let customers = match picker(ctx, staff, &q, &form.customer_id).await {
        Ok(c) => c,
        Err(e) => return error::page(e, staff.t),
    };
    let page = NewPage {
        shell: Shell::new(staff, t.new_title, PATH),
        t,
        form,
        errors,
        customers,
        q,
        currency: staff.session.store.currency.code(),
    };
    Page::render(status, &page).into_response()
}

/// The saved customers to pick from (matching `q`), the chosen one first; `None` for a role
/// that does not see customers.
async fn picker(ctx: &Ctx, staff: &Staff, q: &str, chosen: &str) -> Result<Option<Vec<CustomerOption>>, ServiceError> {
    if !access::may(&staff.actor, Action::ReadCustomers) {
        return Ok(None);
    }
    let q = Some(q.trim().to_owned()).filter(|q| !q.is_empty());
    let input = CustomerListInput { q, limit: Some(100), starting_after: None };
    let mut found: Vec<_> = customers::list_customers(ctx, &staff.actor, input).await?.items;
    let listed = found.iter().any(|c| c.id.as_str() == chosen);
    if !chosen.is_empty() && !listed {
        // A chosen customer outside the search (or gone) is shown if still visible, else dropped.
        if let Ok(view) = customers::get_customer(ctx, &staff.actor, chosen).await {
            found.insert(0, view.customer);
        }
    }
    Ok(Some(found.into_iter().map(|c| CustomerOption { id: c.id.to_string(), label: label(&c.details) }).collect()))
}

fn label(d: &crate::domain::customer::Details) -> String {
    let contact = d.phone.as_deref().or(d.email.as_deref());
    match contact {
        Some(c) => format!("{} · {c}", d.name),
        None => d.name.clone(),
    }
}
