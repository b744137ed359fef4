//! Notification rows and sending caps.
//!
//! Workers claim due rows with one guarded UPDATE that moves `next_attempt_at` to the end of a
//! lease and stamps a lease token; the outer repeated `status = 'queued' AND next_attempt_at <=
//! now` makes PostgreSQL's re-check skip a row another worker claimed meanwhile, so two workers
//! never hold one row. Only the token's holder records the outcome. Caps are counters per scope
//! and hour taken with a guarded upsert (`used < cap`), so concurrent requests cannot pass them.

use super::columns::columns;
use super::conn::{Conn, DbError, Row, Value};
use crate::domain::id::{BranchId, LinkId, NotificationId, PaymentId, StoreId};
use crate::domain::link::Language;
use crate::domain::notification::{Channel, Kind, Notification, Provider, Status};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a notification is read from, in row order (and written in, by [`insert`]).
    pub(crate) enum NotificationCol {
        Id = "id", StoreId = "store_id", Environment = "environment", LinkId = "link_id", PaymentId = "payment_id",
        BranchId = "branch_id", LinkCreatedBy = "link_created_by", Channel = "channel", Recipient = "recipient",
        Language = "language", Kind = "kind", Subject = "subject", Body = "body", Provider = "provider",
        Status = "status", Attempts = "attempts", NextAttemptAt = "next_attempt_at", LastError = "last_error",
        ProviderResponse = "provider_response", CreatedAt = "created_at", UpdatedAt = "updated_at",
        SentAt = "sent_at",
    }
}

/// The notification columns, comma-separated.
pub(crate) const COLUMNS: &str = NotificationCol::LIST;

/// A word column's parsed value, or a decode error naming the column.
fn word<T>(parsed: Option<T>, c: NotificationCol) -> Result<T, DbError> {
    parsed.ok_or(DbError::decode(c))
}

/// Decodes a row selected with [`COLUMNS`].
pub fn from_row(mut r: Row) -> Result<Notification, DbError> {
    use NotificationCol as C;
    Ok(Notification {
        id: NotificationId::from_trusted(r.take_text(C::Id)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: word(Environment::parse(&r.take_text(C::Environment)?), C::Environment)?,
        link_id: LinkId::from_trusted(r.take_text(C::LinkId)?),
        payment_id: r.take_opt_text(C::PaymentId)?.map(PaymentId::from_trusted),
        branch_id: r.take_opt_text(C::BranchId)?.map(BranchId::from_trusted),
        link_created_by: r.take_text(C::LinkCreatedBy)?,
        channel: word(Channel::parse(&r.take_text(C::Channel)?), C::Channel)?,
        recipient: r.take_text(C::Recipient)?,
        language: word(Language::parse(&r.take_text(C::Language)?), C::Language)?,
        kind: word(Kind::parse(&r.take_text(C::Kind)?), C::Kind)?,
        subject: r.take_opt_text(C::Subject)?,
        body: r.take_text(C::Body)?,
        provider: word(Provider::parse(&r.take_text(C::Provider)?), C::Provider)?,
        status: word(Status::parse(&r.take_text(C::Status)?), C::Status)?,
        attempts: r.i64(C::Attempts)?,
        next_attempt_at: Timestamp::from_micros(r.i64(C::NextAttemptAt)?),
        last_error: r.take_opt_text(C::LastError)?,
        provider_response: r.take_opt_text(C::ProviderResponse)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        sent_at: r.opt_i64(C::SentAt)?.map(Timestamp::from_micros),
    })
}

/// Inserts a new notification.
pub fn insert(c: &mut dyn Conn, n: &Notification) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO notifications ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, \
         ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    );
    let values: Vec<Value> = vec![
        n.id.as_str().into(),
        n.store_id.as_str().into(),
        n.environment.as_str().into(),
        n.link_id.as_str().into(),
        n.payment_id.as_ref().map(|p| p.as_str()).into(),
        n.branch_id.as_ref().map(|b| b.as_str()).into(),
        n.link_created_by.as_str().into(),
        n.channel.as_str().into(),
        n.recipient.as_str().into(),
        n.language.as_str().into(),
        n.kind.as_str().into(),
        n.subject.as_deref().into(),
        n.body.as_str().into(),
        n.provider.as_str().into(),
        n.status.as_str().into(),
        n.attempts.into(),
        n.next_attempt_at.micros().into(),
        n.last_error.as_deref().into(),
        n.provider_response.as_deref().into(),
        n.created_at.micros().into(),
        n.updated_at.micros().into(),
        n.sent_at.map(|t| t.micros()).into(),
    ];
    c.execute(&sql, &values).map(|_| ())
}

/// One notification of a store and environment (the caller checks the role scope).
pub fn get(
    c: &mut dyn Conn,
    store: &StoreId,
    env: Environment,
    id: &NotificationId,
) -> Result<Option<Notification>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE id = ?1 AND store_id = ?2 AND environment = ?3");
    c.query_opt(&sql, params![id.as_str(), store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// Whether any queued notification is due at `now` (a read, so idle workers write nothing).
pub fn any_due(c: &mut dyn Conn, now: Timestamp) -> Result<bool, DbError> {
    let sql = "SELECT 1 FROM notifications WHERE status = 'queued' AND next_attempt_at <= ?1 LIMIT 1";
    Ok(c.query_opt(sql, params![now.micros()])?.is_some())
}

/// Claims up to `limit` due notifications until `lease_end` under `token`, counting the attempt.
pub fn claim(
    c: &mut dyn Conn,
    now: Timestamp,
    lease_end: Timestamp,
    token: &str,
    limit: i64,
) -> Result<Vec<Notification>, DbError> {
    let sql = format!(
        "UPDATE notifications SET next_attempt_at = ?2, lease_token = ?3, attempts = attempts + 1, updated_at = ?1 \
         WHERE id IN (SELECT id FROM notifications WHERE status = 'queued' AND next_attempt_at <= ?1 \
         ORDER BY next_attempt_at LIMIT ?4) AND status = 'queued' AND next_attempt_at <= ?1 RETURNING {COLUMNS}"
    );
    c.query(&sql, params![now.micros(), lease_end.micros(), token, limit])?.into_iter().map(from_row).collect()
}

/// How an attempt ended, as stored.
pub struct Completion {
    pub status: Status,
    /// When a message left queued is tried again.
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub provider_response: Option<String>,
}

/// Records an attempt's outcome if `token` still holds the claim; `false` when it does not (the
/// lease passed and another worker took the message over).
pub fn complete(
    c: &mut dyn Conn,
    id: &NotificationId,
    token: &str,
    done: &Completion,
    now: Timestamp,
) -> Result<bool, DbError> {
    let sql = "UPDATE notifications SET status = ?3, next_attempt_at = ?4, lease_token = NULL, \
        last_error = coalesce(?5, last_error), provider_response = coalesce(?6, provider_response), \
        sent_at = CASE WHEN ?3 = 'sent' THEN ?7 ELSE sent_at END, updated_at = ?7 \
        WHERE id = ?1 AND lease_token = ?2 AND status = 'queued'";
    let values = params![
        id.as_str(),
        token,
        done.status.as_str(),
        done.next_attempt_at.micros(),
        done.last_error.as_deref(),
        done.provider_response.as_deref(),
        now.micros()
    ];
    Ok(c.execute(sql, values)? == 1)
}

/// The hour bucket of a time (hours since 1970, UTC).
pub fn hour_of(at: Timestamp) -> i64 {
    at.micros().div_euclid(3_600_000_000)
}

/// Takes one unit of `scope`'s cap for the hour; `false` (and nothing changed) at the cap.
pub fn take_quota(c: &mut dyn Conn, scope: &str, hour: i64, cap: i64) -> Result<bool, DbError> {
    let sql = "INSERT INTO notification_quotas (scope, bucket, used) VALUES (?1, ?2, 1) \
        ON CONFLICT (scope, bucket) DO UPDATE SET used = notification_quotas.used + 1 \
        WHERE notification_quotas.used < ?3 RETURNING used";
    Ok(cap > 0 && c.query_opt(sql, params![scope, hour, cap])?.is_some())
}

/// Gives a unit back (a later cap of the same message refused it).
pub fn give_back(c: &mut dyn Conn, scope: &str, hour: i64) -> Result<(), DbError> {
    let sql = "UPDATE notification_quotas SET used = used - 1 WHERE scope = ?1 AND bucket = ?2 AND used > 0";
    c.execute(sql, params![scope, hour]).map(|_| ())
}

/// Forgets the counters of hours before `hour`.
pub fn purge_quotas(c: &mut dyn Conn, hour: i64) -> Result<u64, DbError> {
    c.execute("DELETE FROM notification_quotas WHERE bucket < ?1", params![hour])
}

pub mod list;
