//! Webhook endpoints and the store's callback signing secret (as nonces; secrets are derived).

use super::columns::columns;
use super::conn::{Conn, DbError, Row};
use crate::domain::dialect::DialectName;
use crate::domain::id::{StoreId, WebhookEndpointId};
use crate::domain::webhook::{EndpointStatus, Subscription, WebhookEndpoint};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns an endpoint is read from, in row order (and written in, by [`insert`]).
    enum EndpointCol {
        Id = "id", StoreId = "store_id", Environment = "environment", Url = "url", Description = "description",
        EventTypes = "event_types", Status = "status", DisabledReason = "disabled_reason",
        SecretNonce = "secret_nonce", PreviousNonce = "previous_nonce", PreviousUntil = "previous_until",
        CreatedAt = "created_at", UpdatedAt = "updated_at", Dialect = "dialect", DialectEvents = "dialect_events",
    }
}

const COLUMNS: &str = EndpointCol::LIST;

fn from_row(mut r: Row) -> Result<WebhookEndpoint, DbError> {
    use EndpointCol as C;
    Ok(WebhookEndpoint {
        id: WebhookEndpointId::from_trusted(r.take_text(C::Id)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        url: r.take_text(C::Url)?,
        description: r.take_opt_text(C::Description)?,
        subscription: Subscription::from_stored(&r.text(C::EventTypes)?),
        status: EndpointStatus::parse(&r.text(C::Status)?).ok_or(DbError::decode(C::Status))?,
        disabled_reason: r.take_opt_text(C::DisabledReason)?,
        secret_nonce: r.take_text(C::SecretNonce)?,
        previous_nonce: r.take_opt_text(C::PreviousNonce)?,
        previous_until: r.opt_i64(C::PreviousUntil)?.map(Timestamp::from_micros),
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        dialect: r.take_opt_text(C::Dialect)?.map(DialectName::stored),
        dialect_events: r
            .take_opt_text(C::DialectEvents)?
            .map(|e| e.split(',').filter(|n| !n.is_empty()).map(str::to_owned).collect()),
    })
}

/// Inserts a new endpoint.
pub fn insert(c: &mut dyn Conn, w: &WebhookEndpoint) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO webhook_endpoints ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    );
    c.execute(&sql, &values(w)).map(|_| ())
}

fn values(w: &WebhookEndpoint) -> Vec<super::conn::Value> {
    params![
        w.id.as_str(),
        w.store_id.as_str(),
        w.environment.as_str(),
        w.url.as_str(),
        w.description.as_deref(),
        w.subscription.stored(),
        w.status.as_str(),
        w.disabled_reason.as_deref(),
        w.secret_nonce.as_str(),
        w.previous_nonce.as_deref(),
        w.previous_until.map(|t| t.micros()),
        w.created_at.micros(),
        w.updated_at.micros(),
        w.dialect.as_ref().map(DialectName::as_str),
        w.dialect_events.as_ref().map(|names| names.join(",")),
    ]
    .to_vec()
}

/// Writes every field of an existing endpoint back.
pub fn update(c: &mut dyn Conn, w: &WebhookEndpoint) -> Result<(), DbError> {
    let sql = "UPDATE webhook_endpoints SET url = ?4, description = ?5, event_types = ?6, status = ?7, \
               disabled_reason = ?8, secret_nonce = ?9, previous_nonce = ?10, previous_until = ?11, created_at = ?12, updated_at = ?13, \
               dialect = ?14, dialect_events = ?15 WHERE id = ?1 AND store_id = ?2 AND environment = ?3";
    c.execute(sql, &values(w)).map(|_| ())
}

/// One endpoint of a store and environment (deleted ones are gone).
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, id: &str) -> Result<Option<WebhookEndpoint>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhook_endpoints WHERE id = ?1 AND store_id = ?2 AND environment = ?3 AND status <> 'deleted'"
    );
    c.query_opt(&sql, params![id, store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// The endpoints of a store and environment, oldest first.
pub fn list(c: &mut dyn Conn, store: &StoreId, env: Environment) -> Result<Vec<WebhookEndpoint>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhook_endpoints WHERE store_id = ?1 AND environment = ?2 AND status <> 'deleted' \
         ORDER BY created_at, id"
    );
    c.query(&sql, params![store.as_str(), env.as_str()])?.into_iter().map(from_row).collect()
}

/// Disables an enabled endpoint (its receiver answered 410 Gone); false if it was not enabled.
pub fn disable(c: &mut dyn Conn, id: &str, reason: &str, now: Timestamp) -> Result<bool, DbError> {
    let sql = "UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ?2, updated_at = ?3 \
               WHERE id = ?1 AND status = 'enabled'";
    Ok(c.execute(sql, params![id, reason, now.micros()])? == 1)
}

/// The store's callback secret nonces: (current, previous still signing until).
pub type CallbackNonces = (String, Option<(String, Timestamp)>);

/// The callback secret nonces of a store and environment, if a secret was ever rotated.
pub fn callback_nonces(c: &mut dyn Conn, store: &str, env: &str) -> Result<Option<CallbackNonces>, DbError> {
    columns! {
        enum NonceCol { Current = "secret_nonce", Previous = "previous_nonce", PreviousUntil = "previous_until" }
        const SQL = "SELECT " + COLUMNS + " FROM callback_secrets WHERE store_id = ?1 AND environment = ?2";
    }
    let Some(mut r) = c.query_opt(SQL, params![store, env])? else { return Ok(None) };
    let previous = match (r.take_opt_text(NonceCol::Previous)?, r.opt_i64(NonceCol::PreviousUntil)?) {
        (Some(n), Some(until)) => Some((n, Timestamp::from_micros(until))),
        _ => None,
    };
    Ok(Some((r.take_text(NonceCol::Current)?, previous)))
}

/// Replaces the callback secret nonce; the previous one (`prior`) keeps signing until `until`.
pub fn rotate_callback(
    c: &mut dyn Conn,
    (store, env): (&StoreId, Environment),
    nonce: &str,
    prior: &str,
    until: Timestamp,
    now: Timestamp,
) -> Result<(), DbError> {
    let sql = "INSERT INTO callback_secrets (store_id, environment, secret_nonce, previous_nonce, previous_until, updated_at) \
               VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (store_id, environment) DO UPDATE SET \
               secret_nonce = excluded.secret_nonce, previous_nonce = excluded.previous_nonce, \
               previous_until = excluded.previous_until, updated_at = excluded.updated_at";
    c.execute(sql, params![store.as_str(), env.as_str(), nonce, prior, until.micros(), now.micros()]).map(|_| ())
}
