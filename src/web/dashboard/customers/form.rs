//! The customer form shared by the add and edit pages: its fields as typed, and the service's
//! field errors as the sentences shown under each field.

use super::texts::CustomerTexts;
use crate::domain::access::{self, Action};
use crate::service::ServiceError;
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::response::Response;

/// The form's fields, as typed (kept when the form comes back).
#[derive(serde::Deserialize, Default)]
pub struct CustomerForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// What is wrong with each field.
#[derive(Default)]
pub struct Problems {
    pub name: Option<&'static str>,
    pub email: Option<&'static str>,
    pub phone: Option<&'static str>,
}

impl CustomerForm {
    /// A field's trimmed text, `None` when left empty.
    pub fn optional(text: &str) -> Option<String> {
        Some(text.trim().to_owned()).filter(|t| !t.is_empty())
    }
}

/// The service's refusal as the form's problems, when it is about the form's fields.
pub fn problems(ct: &'static CustomerTexts, e: &ServiceError) -> Option<Problems> {
    let ServiceError::Invalid(fields) = e else { return None };
    let mut p = Problems::default();
    for f in fields {
        match f.field.as_str() {
            "name" => p.name = Some(ct.e_name),
            "email" => p.email = Some(ct.e_email),
            "phone" => p.phone = Some(ct.e_phone),
            _ => return None,
        }
    }
    Some(p)
}

/// The 403 page for a user whose role may not add or change customers (the service refuses
/// them too; the form is not offered).
pub fn refused(staff: &Staff) -> Option<Response> {
    let denied = ServiceError::Forbidden("this role cannot create or change customers");
    (!access::may(&staff.actor, Action::WriteCustomers)).then(|| error::page(denied, staff.t))
}
