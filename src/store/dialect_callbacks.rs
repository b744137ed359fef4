//! A dialect's store-level callback settings: one row per store, environment and dialect. Absent
//! rows read as the defaults.

use super::columns::columns;
use super::conn::{Conn, DbError};
use crate::domain::id::StoreId;
use crate::domain::{Environment, Timestamp};
use crate::params;

/// A store's callback settings in one dialect: the URL that hears of the events of every link the
/// dialect made in the store (in place of a link's own callback URL), whether it is on, and
/// whether each failed attempt e-mails the merchant. Absent rows read as the defaults: no
/// callback URL, callback off, e-mail on failure on, no e-mail address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreCallback {
    pub callback_url: Option<String>,
    pub callback_enabled: bool,
    pub email_on_failure: bool,
    pub failure_email: Option<String>,
    pub updated_at: Option<Timestamp>,
}

impl Default for StoreCallback {
    fn default() -> Self {
        StoreCallback {
            callback_url: None,
            callback_enabled: false,
            email_on_failure: true,
            failure_email: None,
            updated_at: None,
        }
    }
}

/// The settings of `dialect` for a store in an environment.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, dialect: &str) -> Result<StoreCallback, DbError> {
    columns! {
        enum C {
            CallbackUrl = "callback_url", CallbackEnabled = "callback_enabled", EmailOnFailure = "email_on_failure",
            FailureEmail = "failure_email", UpdatedAt = "updated_at",
        }
        const SQL = "SELECT " + COLUMNS + " FROM dialect_store_callbacks \
            WHERE store_id = ?1 AND environment = ?2 AND dialect = ?3";
    }
    let Some(mut r) = c.query_opt(SQL, params![store.as_str(), env.as_str(), dialect])? else {
        return Ok(StoreCallback::default());
    };
    Ok(StoreCallback {
        callback_url: r.take_opt_text(C::CallbackUrl)?,
        callback_enabled: r.bool(C::CallbackEnabled)?,
        email_on_failure: r.bool(C::EmailOnFailure)?,
        failure_email: r.take_opt_text(C::FailureEmail)?,
        updated_at: Some(Timestamp::from_micros(r.i64(C::UpdatedAt)?)),
    })
}

/// Writes the settings of `dialect` for a store in an environment (insert or replace).
pub fn put(
    c: &mut dyn Conn,
    (store, env): (&StoreId, Environment),
    dialect: &str,
    p: &StoreCallback,
    now: Timestamp,
) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO dialect_store_callbacks (store_id, environment, dialect, callback_url, callback_enabled, \
         email_on_failure, failure_email, updated_at) VALUES (?1, ?2, ?8, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (store_id, environment, dialect) DO UPDATE \
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
            now.micros(),
            dialect
        ],
    )
    .map(|_| ())
}
