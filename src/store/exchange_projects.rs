//! Amwal Exchange project settings: one row per store and environment (a project is a store).

use super::columns::columns;
use super::conn::{Conn, DbError};
use crate::domain::id::StoreId;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// A project's callback settings. Absent rows read as the defaults: no callback URL, callback
/// off, e-mail on failure on, no e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub callback_url: Option<String>,
    pub callback_enabled: bool,
    pub email_on_failure: bool,
    pub failure_email: Option<String>,
    pub updated_at: Option<Timestamp>,
}

impl Default for Project {
    fn default() -> Self {
        Project {
            callback_url: None,
            callback_enabled: false,
            email_on_failure: true,
            failure_email: None,
            updated_at: None,
        }
    }
}

/// The settings of a store's project in an environment.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment) -> Result<Project, DbError> {
    columns! {
        enum C {
            CallbackUrl = "callback_url", CallbackEnabled = "callback_enabled", EmailOnFailure = "email_on_failure",
            FailureEmail = "failure_email", UpdatedAt = "updated_at",
        }
        const SQL = "SELECT " + COLUMNS + " FROM exchange_projects WHERE store_id = ?1 AND environment = ?2";
    }
    let Some(mut r) = c.query_opt(SQL, params![store.as_str(), env.as_str()])? else { return Ok(Project::default()) };
    Ok(Project {
        callback_url: r.take_opt_text(C::CallbackUrl)?,
        callback_enabled: r.bool(C::CallbackEnabled)?,
        email_on_failure: r.bool(C::EmailOnFailure)?,
        failure_email: r.take_opt_text(C::FailureEmail)?,
        updated_at: Some(Timestamp::from_micros(r.i64(C::UpdatedAt)?)),
    })
}

/// Writes the settings of a store's project in an environment (insert or replace).
pub fn put(c: &mut dyn Conn, store: &StoreId, env: Environment, p: &Project, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO exchange_projects (store_id, environment, callback_url, callback_enabled, email_on_failure, \
         failure_email, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (store_id, environment) DO UPDATE \
         SET callback_url = excluded.callback_url, callback_enabled = excluded.callback_enabled, \
         email_on_failure = excluded.email_on_failure, failure_email = excluded.failure_email, \
         updated_at = excluded.updated_at",
        params![
            store.as_str(),
            env.as_str(),
            p.callback_url.as_deref(),
            p.callback_enabled,
            p.email_on_failure,
            p.failure_email.as_deref(),
            now.micros()
        ],
    )
    .map(|_| ())
}
