//! `GET/POST /dashboard/developers/webhooks/new`: an endpoint's URL, optional description and
//! event types (checkboxes from the event catalogue, or all), made by
//! `service::webhooks::create_endpoint`, the API's function. The signing secret is rendered once
//! in the answer to the POST, never in a URL or a cached page.

use super::{HookTexts, secret_page, texts_of};
use crate::domain::event::EventType;
use crate::domain::{ErrorKind, FieldError};
use crate::service::webhooks::{self, EndpointFields};
use crate::service::{Ctx, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::developers::tabs::{DevTab, Tabs};
use crate::web::dashboard::error;
use crate::web::dashboard::shell::Shell;
use crate::web::page::Page;
use askama::Template;
use axum::extract::{RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The value of the "all events" checkbox (the API's `*`).
const ALL: &str = "*";

/// The form as typed: `events` repeats, one per ticked box.
#[derive(Default)]
struct HookForm {
    url: String,
    description: String,
    events: Vec<String>,
}

impl HookForm {
    fn parse(body: &[u8]) -> HookForm {
        let mut f = HookForm::default();
        for (k, v) in form_urlencoded::parse(body) {
            match k.as_ref() {
                "url" => f.url = v.trim().to_owned(),
                "description" => f.description = v.trim().to_owned(),
                "events" => f.events.push(v.into_owned()),
                _ => {}
            }
        }
        f
    }
}

/// What went wrong, by field.
#[derive(Default)]
struct Problems {
    url: Option<&'static str>,
    events: Option<&'static str>,
    description: Option<&'static str>,
}

/// One checkbox of the catalogue.
struct Choice {
    value: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "dashboard/webhooks/new.html")]
struct NewPage<'a> {
    shell: Shell,
    tabs: Tabs,
    ht: &'a HookTexts,
    form: HookForm,
    all: bool,
    choices: Vec<Choice>,
    problems: Problems,
}

/// `GET /dashboard/developers/webhooks/new`: the form, "all events" ticked (OWNER and ADMIN: the
/// service's list check says who may).
pub async fn show(State(ctx): State<Ctx>, staff: Staff) -> Response {
    if let Err(e) = webhooks::list_endpoints(&ctx, &staff.actor).await {
        return error::page(e, staff.t);
    }
    let form = HookForm { events: vec![ALL.to_owned()], ..HookForm::default() };
    render(&staff, form, Problems::default(), StatusCode::OK)
}

/// `POST /dashboard/developers/webhooks/new`.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff, RawForm(body): RawForm) -> Response {
    let ht = texts_of(&staff);
    let f = HookForm::parse(&body);
    if f.events.is_empty() {
        // Who may not manage endpoints hears that first, as the service would tell them.
        if let Err(e) = webhooks::list_endpoints(&ctx, &staff.actor).await {
            return error::page(e, staff.t);
        }
        let problems = Problems { events: Some(ht.e_events), ..Problems::default() };
        return render(&staff, f, problems, StatusCode::BAD_REQUEST);
    }
    let fields = EndpointFields {
        url: Some(f.url.clone()),
        event_types: Some(f.events.clone()),
        description: Some(Some(f.description.clone()).filter(|d| !d.is_empty())),
        enabled: None,
    };
    match webhooks::create_endpoint(&ctx, &staff.actor, fields).await {
        Ok(made) => secret_page(&staff, ht.created_title, None, made.endpoint, made.secret),
        Err(ServiceError::Invalid(errors)) => render(&staff, f, problems(ht, &errors), StatusCode::BAD_REQUEST),
        Err(e) => error::page(e, staff.t),
    }
}

/// The service's field errors as the form's problems (a control character is said as such).
fn problems(ht: &'static HookTexts, errors: &[FieldError]) -> Problems {
    let mut p = Problems::default();
    for e in errors {
        let say = |other| if e.code == ErrorKind::ControlCharacter { ht.e_control } else { other };
        match e.field.as_str() {
            "event_types" => p.events = Some(say(ht.e_events)),
            "description" => p.description = Some(say(ht.e_description)),
            // The cap on endpoints is reported on `url` (the API's shape); say what it is.
            _ if e.message.starts_with("a store has at most") => p.url = Some(ht.e_limit),
            _ => p.url = Some(say(ht.e_url)),
        }
    }
    p
}

fn render(staff: &Staff, form: HookForm, problems: Problems, status: StatusCode) -> Response {
    let ht = texts_of(staff);
    let ticked = |v: &str| form.events.iter().any(|e| e == v);
    let all = ticked(ALL);
    let choices = EventType::ALL.iter().map(|t| Choice { value: t.as_str(), checked: ticked(t.as_str()) }).collect();
    let page = NewPage {
        shell: Shell::new(staff, ht.new_title, "/dashboard/developers/webhooks/new"),
        tabs: Tabs::new(staff.session.user.language, DevTab::Webhooks),
        ht,
        all,
        choices,
        form,
        problems,
    };
    Page::render(status, &page).into_response()
}
