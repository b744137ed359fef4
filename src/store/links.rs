//! Payment link rows. State changes are conditional updates (`WHERE status = 'open' AND not
//! expired`), so concurrent callers cannot both win; lists use keyset pagination over the
//! indexes in the migration.

use super::audit::NewAuditEntry;
use super::columns::columns;
use super::conn::{Backend, Conn, DbError, Row, Value};
use super::events::NewEvent;
use crate::domain::dialect::DialectName;
use crate::domain::event;
use crate::domain::id::{BranchId, CustomerId, LinkId, StoreId};
use crate::domain::link::{Customer, Language, Link, LinkStatus};
use crate::domain::money::{Currency, Money};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a link is read from, in row order.
    pub(crate) enum LinkCol {
        Id = "id", StoreId = "store_id", Environment = "environment", BranchId = "branch_id",
        CreatedBy = "created_by", AmountMinor = "amount_minor", Currency = "currency", Title = "title",
        Description = "description", ReferenceId = "reference_id", SingleUse = "single_use",
        MaxPayments = "max_payments", ExpiresAt = "expires_at", CustomerPhone = "customer_phone",
        CustomerEmail = "customer_email", CustomerFirstName = "customer_first_name",
        CustomerLastName = "customer_last_name", Language = "language", AddressRequired = "address_required",
        SendSms = "send_sms", SendEmail = "send_email", CallbackUrl = "callback_url", SuccessUrl = "success_url",
        CancelUrl = "cancel_url", Metadata = "metadata", Secret = "secret", ShortCode = "short_code",
        Status = "status", PaymentsCount = "payments_count", AmountPaidMinor = "amount_paid_minor",
        CreatedAt = "created_at", UpdatedAt = "updated_at", PaymentMethods = "payment_methods",
        CustomerId = "customer_id", Dialect = "dialect", DialectRef = "dialect_ref",
        AddressPrefill = "address_prefill", ImageId = "image_id", CallbackEvents = "callback_events",
    }
}

/// The link columns, comma-separated.
pub(crate) const COLUMNS: &str = LinkCol::LIST;

/// Decodes a row selected with [`COLUMNS`], moving its strings out rather than copying them.
pub fn from_row(mut r: Row) -> Result<Link, DbError> {
    use LinkCol as C;
    let currency = Currency::parse(&r.take_text(C::Currency)?).map_err(|_| DbError::decode(C::Currency))?;
    Ok(Link {
        id: LinkId::from_trusted(r.take_text(C::Id)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.take_text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        branch_id: r.take_opt_text(C::BranchId)?.map(BranchId::from_trusted),
        created_by: r.take_text(C::CreatedBy)?,
        amount: Money::from_minor(r.i64(C::AmountMinor)?, currency),
        title: r.take_text(C::Title)?,
        description: r.take_opt_text(C::Description)?,
        reference_id: r.take_opt_text(C::ReferenceId)?,
        single_use: r.bool(C::SingleUse)?,
        max_payments: r.opt_i64(C::MaxPayments)?,
        expires_at: r.opt_i64(C::ExpiresAt)?.map(Timestamp::from_micros),
        customer: Customer {
            id: r.take_opt_text(C::CustomerId)?.map(CustomerId::from_trusted),
            phone: r.take_opt_text(C::CustomerPhone)?,
            email: r.take_opt_text(C::CustomerEmail)?,
            first_name: r.take_opt_text(C::CustomerFirstName)?,
            last_name: r.take_opt_text(C::CustomerLastName)?,
        },
        language: Language::parse(&r.take_text(C::Language)?).ok_or(DbError::decode(C::Language))?,
        address_required: r.bool(C::AddressRequired)?,
        send_sms: r.bool(C::SendSms)?,
        send_email: r.bool(C::SendEmail)?,
        callback_url: r.take_opt_text(C::CallbackUrl)?,
        success_url: r.take_opt_text(C::SuccessUrl)?,
        cancel_url: r.take_opt_text(C::CancelUrl)?,
        metadata: r.take_text(C::Metadata)?,
        secret: r.take_text(C::Secret)?,
        short_code: r.take_text(C::ShortCode)?,
        status: LinkStatus::parse(&r.take_text(C::Status)?).ok_or(DbError::decode(C::Status))?,
        payments_count: r.i64(C::PaymentsCount)?,
        amount_paid_minor: r.i64(C::AmountPaidMinor)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        payment_methods: r
            .take_opt_text(C::PaymentMethods)?
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|_| DbError::decode(C::PaymentMethods))?,
        dialect: r.take_opt_text(C::Dialect)?.map(DialectName::stored),
        dialect_ref: r.take_opt_text(C::DialectRef)?,
        address_prefill: r
            .take_opt_text(C::AddressPrefill)?
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|_| DbError::decode(C::AddressPrefill))?,
        image_id: r.take_opt_text(C::ImageId)?,
        callback_events: r
            .take_opt_text(C::CallbackEvents)?
            .map(|t| event::parse_stored_list(&t).ok_or(DbError::decode(C::CallbackEvents)))
            .transpose()?,
    })
}

const INSERT: &str = "INSERT INTO payment_links (id, store_id, environment, branch_id, created_by, amount_minor, \
    currency, title, description, reference_id, single_use, max_payments, expires_at, customer_phone, customer_email, \
    customer_first_name, customer_last_name, language, address_required, send_sms, send_email, callback_url, \
    success_url, cancel_url, metadata, secret, short_code, status, payments_count, amount_paid_minor, search_text, \
    created_at, updated_at, payment_methods, customer_id, dialect, dialect_ref, address_prefill, image_id, callback_events) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, \
    ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40)";

fn insert_values(l: &Link) -> Vec<Value> {
    let cu = &l.customer;
    vec![
        l.id.as_str().into(),
        l.store_id.as_str().into(),
        l.environment.as_str().into(),
        l.branch_id.as_ref().map(|b| b.as_str()).into(),
        l.created_by.as_str().into(),
        l.amount.minor().into(),
        l.amount.currency().code().into(),
        l.title.as_str().into(),
        l.description.as_deref().into(),
        l.reference_id.as_deref().into(),
        l.single_use.into(),
        l.max_payments.into(),
        l.expires_at.map(|t| t.micros()).into(),
        cu.phone.as_deref().into(),
        cu.email.as_deref().into(),
        cu.first_name.as_deref().into(),
        cu.last_name.as_deref().into(),
        l.language.as_str().into(),
        l.address_required.into(),
        l.send_sms.into(),
        l.send_email.into(),
        l.callback_url.as_deref().into(),
        l.success_url.as_deref().into(),
        l.cancel_url.as_deref().into(),
        l.metadata.as_str().into(),
        l.secret.as_str().into(),
        l.short_code.as_str().into(),
        l.status.as_str().into(),
        l.payments_count.into(),
        l.amount_paid_minor.into(),
        l.search_text().into(),
        l.created_at.micros().into(),
        l.updated_at.micros().into(),
        l.payment_methods.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_default()).into(),
        cu.id.as_ref().map(|id| id.as_str()).into(),
        l.dialect.as_ref().map(|d| d.as_str()).into(),
        l.dialect_ref.as_deref().into(),
        l.address_prefill.as_ref().map(|a| serde_json::to_string(a).unwrap_or_default()).into(),
        l.image_id.as_deref().into(),
        l.callback_events.as_deref().map(event::stored_list).into(),
    ]
}

/// Inserts a new link (a duplicate reference raises `DbError::Unique` naming `reference_id`).
pub fn insert(c: &mut dyn Conn, l: &Link) -> Result<(), DbError> {
    c.execute(INSERT, &insert_values(l)).map(|_| ())
}

/// Inserts a new link, its creation event, the event's deliveries and the audit entry as ONE
/// statement (a data-modifying CTE) on PostgreSQL, for `Db::write_once`; as separate statements
/// in the writer's batch on SQLite.
pub fn insert_with_event(c: &mut dyn Conn, l: &Link, e: &NewEvent, audit: &NewAuditEntry) -> Result<(), DbError> {
    if c.backend() == Backend::Sqlite {
        insert(c, l)?;
        super::events::insert(c, e)?;
        return super::audit::append(c, audit);
    }
    use super::deliveries::{INSERT_COLUMNS, link_callback, subscribed, subscription_pattern};
    let mut values = insert_values(l);
    // The link takes ?1..?n; the event's parameters follow, numbered from the link's count so a
    // new link column cannot shift them out of place.
    let n = values.len();
    let p = |i: usize| format!("?{}", n + i);
    let (id, store, env, kind, payload, at) = (p(1), p(2), p(3), p(4), p(5), p(6));
    let (join, condition) = link_callback("link", n + 2, n + 3, n + 7);
    let sql = format!(
        "WITH link AS ({INSERT} RETURNING id, callback_url, dialect, callback_events), aud AS ({audit_insert}), \
         ev AS (INSERT INTO events (id, store_id, environment, type, object_id, seq, payload, created_at) \
         SELECT {id}, {store}, {env}, {kind}, link.id, NULL, {payload}, {at} FROM link RETURNING id), \
         hooks AS (INSERT INTO deliveries {INSERT_COLUMNS} SELECT ev.id, w.id, NULL, 'pending', 0, {at}, {at}, {at} \
         FROM ev, webhook_endpoints w WHERE {}) \
         INSERT INTO deliveries {INSERT_COLUMNS} SELECT ev.id, COALESCE(link.dialect, 'callback'), \
         COALESCE(x.callback_url, link.callback_url), 'pending', 0, {at}, {at}, {at} FROM ev, link {join} WHERE {condition}",
        subscribed(n + 2, n + 3, n + 7),
        audit_insert = super::audit::insert_sql(n + 8),
    );
    let mut event = super::events::values(e);
    event.remove(4); // object_id: the CTE takes it from the inserted link
    values.extend(event);
    values.push(subscription_pattern(e.kind).into());
    values.extend(super::audit::values(audit));
    c.execute(&sql, &values).map(|_| ())
}

/// Reads a link by id alone (the hosted page: the id is the capability).
pub fn get_public(c: &mut dyn Conn, id: &LinkId) -> Result<Option<Link>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_links WHERE id = ?1");
    c.query_opt(&sql, params![id.as_str()])?.map(from_row).transpose()
}

/// Reads a link by its short code.
pub fn get_by_code(c: &mut dyn Conn, code: &str) -> Result<Option<Link>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_links WHERE short_code = ?1");
    c.query_opt(&sql, params![code])?.map(from_row).transpose()
}

/// Reads a link by a dialect's own name for it, unique per dialect.
pub fn get_by_dialect_ref(c: &mut dyn Conn, dialect: &str, reference: &str) -> Result<Option<Link>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_links WHERE dialect = ?1 AND dialect_ref = ?2");
    c.query_opt(&sql, params![dialect, reference])?.map(from_row).transpose()
}

/// Reads a link by id within a store and environment.
pub fn get(c: &mut dyn Conn, store: &StoreId, env: Environment, id: &LinkId) -> Result<Option<Link>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payment_links WHERE id = ?1 AND store_id = ?2 AND environment = ?3");
    c.query_opt(&sql, params![id.as_str(), store.as_str(), env.as_str()])?.map(from_row).transpose()
}

/// Cancels an open, unexpired link; `None` when it was not (still) open at `now`.
pub fn cancel(c: &mut dyn Conn, id: &LinkId, now: Timestamp) -> Result<Option<Link>, DbError> {
    let sql = format!(
        "UPDATE payment_links SET status = 'cancelled', updated_at = ?2 WHERE id = ?1 AND status = 'open' \
         AND (expires_at IS NULL OR expires_at > ?2) RETURNING {COLUMNS}"
    );
    c.query_opt(&sql, params![id.as_str(), now.micros()])?.map(from_row).transpose()
}

/// Marks up to `limit` open links whose expiry has passed at `now` as expired and returns them.
/// The outer `status = 'open'` guard makes each transition happen once, however many sweepers
/// run at the same time: on PostgreSQL a second sweeper waiting on the row lock re-checks it and
/// skips the row.
pub fn expire_due(c: &mut dyn Conn, now: Timestamp, limit: i64) -> Result<Vec<Link>, DbError> {
    let sql = format!(
        "UPDATE payment_links SET status = 'expired', updated_at = ?1 WHERE id IN (SELECT id FROM payment_links \
         WHERE status = 'open' AND expires_at IS NOT NULL AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2) \
         AND status = 'open' AND expires_at <= ?1 RETURNING {COLUMNS}"
    );
    c.query(&sql, params![now.micros(), limit])?.into_iter().map(from_row).collect()
}

/// The editable fields of an open link; `None` leaves a field unchanged.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub expires_at: Option<Option<Timestamp>>,
    pub metadata: Option<String>,
}

/// Applies changes to an open, unexpired link; `None` when it was not open at `now`.
pub fn update(c: &mut dyn Conn, current: &Link, ch: &Changes, now: Timestamp) -> Result<Option<Link>, DbError> {
    let mut next = current.clone();
    if let Some(t) = &ch.title {
        next.title = t.clone();
    }
    if let Some(d) = &ch.description {
        next.description = d.clone();
    }
    if let Some(e) = ch.expires_at {
        next.expires_at = e;
    }
    if let Some(m) = &ch.metadata {
        next.metadata = m.clone();
    }
    let sql = format!(
        "UPDATE payment_links SET title = ?2, description = ?3, expires_at = ?4, metadata = ?5, search_text = ?6, \
         updated_at = ?7 WHERE id = ?1 AND status = 'open' AND (expires_at IS NULL OR expires_at > ?7) RETURNING {COLUMNS}"
    );
    let values = params![
        next.id.as_str(),
        next.title.as_str(),
        next.description.as_deref(),
        next.expires_at.map(|t| t.micros()),
        next.metadata.as_str(),
        next.search_text(),
        now.micros()
    ];
    c.query_opt(&sql, values)?.map(from_row).transpose()
}

pub mod list;
pub mod paid;
pub mod search;
