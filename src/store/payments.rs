//! Payment rows and the guarded statements that keep a link from being paid more than it may:
//! a claim is one conditional UPDATE of the link's `attempts_in_flight`, a success moves the
//! claim into `payments_count` in one UPDATE, and a payment leaves its open state only once
//! (`WHERE holds_claim`), so concurrent resolvers cannot both settle it.

pub mod list;

use super::columns::{Only, columns};
use super::conn::{Backend, Conn, DbError, Row, Value};
use crate::domain::id::{BranchId, LinkId, PaymentId, StoreId};
use crate::domain::link::Link;
use crate::domain::method::MethodKind;
use crate::domain::money::{Currency, Money};
use crate::domain::payment::{CardSummary, Failure, NextAction, Offline, OfflineMethod, Payer, Payment, PaymentStatus};
use crate::domain::{Environment, Timestamp};
use crate::params;

columns! {
    /// The columns a payment is read from, in row order.
    pub(crate) enum PaymentCol {
        Id = "id", LinkId = "link_id", StoreId = "store_id", Environment = "environment", BranchId = "branch_id",
        LinkCreatedBy = "link_created_by", MethodId = "method_id", Method = "method", Connector = "connector",
        Status = "status", AmountMinor = "amount_minor", Currency = "currency", Installments = "installments",
        NextAction = "next_action", ConnectorRef = "connector_ref", FailureCode = "failure_code",
        FailureMessage = "failure_message", Decline = "decline", CardBrand = "card_brand", CardLast4 = "card_last4",
        PayerName = "payer_name", PayerEmail = "payer_email", PayerPhone = "payer_phone",
        PayerAddress = "payer_address", CreatedAt = "created_at", UpdatedAt = "updated_at",
        CompletedAt = "completed_at", RefundReservedMinor = "refund_reserved_minor",
        RefundedMinor = "refunded_minor", OfflineMethod = "offline_method", TerminalId = "terminal_id",
        ReceiptNumber = "receipt_number", OfflineNote = "offline_note", RecordedBy = "recorded_by",
        RecordedBranchId = "recorded_branch_id",
    }
}

/// The payment columns, comma-separated.
pub(crate) const COLUMNS: &str = PaymentCol::LIST;

/// Decodes a row selected with [`COLUMNS`].
pub fn from_row(mut r: Row) -> Result<Payment, DbError> {
    use PaymentCol as C;
    let currency = Currency::parse(&r.take_text(C::Currency)?).map_err(|_| DbError::decode(C::Currency))?;
    let failure = match r.take_opt_text(C::FailureCode)? {
        Some(code) => Some(Failure {
            code,
            message: r.take_opt_text(C::FailureMessage)?.unwrap_or_default(),
            decline: r.bool(C::Decline)?,
        }),
        None => None,
    };
    let card = match (r.take_opt_text(C::CardBrand)?, r.take_opt_text(C::CardLast4)?) {
        (Some(brand), Some(last4)) => Some(CardSummary { brand, last4 }),
        _ => None,
    };
    Ok(Payment {
        id: PaymentId::from_trusted(r.take_text(C::Id)?),
        link_id: LinkId::from_trusted(r.take_text(C::LinkId)?),
        store_id: StoreId::from_trusted(r.take_text(C::StoreId)?),
        environment: Environment::parse(&r.take_text(C::Environment)?).ok_or(DbError::decode(C::Environment))?,
        branch_id: r.take_opt_text(C::BranchId)?.map(BranchId::from_trusted),
        link_created_by: r.take_text(C::LinkCreatedBy)?,
        method_id: r.i64(C::MethodId)?,
        method: MethodKind::parse(&r.take_text(C::Method)?).ok_or(DbError::decode(C::Method))?,
        connector: r.take_text(C::Connector)?,
        status: PaymentStatus::parse(&r.take_text(C::Status)?).ok_or(DbError::decode(C::Status))?,
        amount: Money::from_minor(r.i64(C::AmountMinor)?, currency),
        installments: r.opt_i64(C::Installments)?,
        next_action: r.take_opt_text(C::NextAction)?.as_deref().and_then(NextAction::parse),
        connector_ref: r.take_opt_text(C::ConnectorRef)?,
        failure,
        card,
        payer: Payer {
            name: r.take_opt_text(C::PayerName)?,
            email: r.take_opt_text(C::PayerEmail)?,
            phone: r.take_opt_text(C::PayerPhone)?,
            address: r.take_opt_text(C::PayerAddress)?,
        },
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
        updated_at: Timestamp::from_micros(r.i64(C::UpdatedAt)?),
        completed_at: r.opt_i64(C::CompletedAt)?.map(Timestamp::from_micros),
        refund_reserved_minor: r.i64(C::RefundReservedMinor)?,
        refunded_minor: r.i64(C::RefundedMinor)?,
        offline: offline_from_row(&mut r)?,
    })
}

fn offline_from_row(r: &mut Row) -> Result<Option<Offline>, DbError> {
    use PaymentCol as C;
    let Some(method) = r.take_opt_text(C::OfflineMethod)? else { return Ok(None) };
    Ok(Some(Offline {
        method: OfflineMethod::parse(&method).ok_or(DbError::decode(C::OfflineMethod))?,
        terminal_id: r.take_opt_text(C::TerminalId)?,
        receipt_number: r.take_opt_text(C::ReceiptNumber)?,
        note: r.take_opt_text(C::OfflineNote)?,
        recorded_by: r.take_opt_text(C::RecordedBy)?.unwrap_or_default(),
        recorded_branch_id: r.take_opt_text(C::RecordedBranchId)?.map(BranchId::from_trusted),
    }))
}

/// Takes one place on the link for a new attempt: the link must be open, unexpired at `now`, and
/// have room (single-use: nobody in flight and unpaid; multi-use: successes plus attempts in
/// flight below `max_payments`). Returns whether the place was taken.
pub fn claim(c: &mut dyn Conn, link: &LinkId, now: Timestamp) -> Result<bool, DbError> {
    let changed = c.execute(
        "UPDATE payment_links SET attempts_in_flight = attempts_in_flight + 1 WHERE id = ?1 AND status = 'open' \
         AND (expires_at IS NULL OR expires_at > ?2) AND payments_count + attempts_in_flight < \
         CASE WHEN single_use = TRUE THEN 1 ELSE coalesce(max_payments, 9223372036854775807) END",
        params![link.as_str(), now.micros()],
    )?;
    Ok(changed == 1)
}

/// Gives a place back (the attempt ended without a charge).
pub fn release(c: &mut dyn Conn, link: &LinkId, now: Timestamp) -> Result<(), DbError> {
    c.execute(
        "UPDATE payment_links SET attempts_in_flight = attempts_in_flight - 1, updated_at = ?2 WHERE id = ?1",
        params![link.as_str(), now.micros()],
    )
    .map(|_| ())
}

/// Turns the attempt's place into a payment on the link, if the link is still open and unexpired
/// at `now`; the link becomes `paid` when this was its last place. Returns the updated link.
pub fn count_success(c: &mut dyn Conn, link: &LinkId, amount: i64, now: Timestamp) -> Result<Option<Link>, DbError> {
    let sql = format!(
        "UPDATE payment_links SET attempts_in_flight = attempts_in_flight - 1, payments_count = payments_count + 1, \
         amount_paid_minor = amount_paid_minor + ?2, updated_at = ?3, status = CASE WHEN single_use = TRUE \
         OR payments_count + 1 >= coalesce(max_payments, 9223372036854775807) THEN 'paid' ELSE status END \
         WHERE id = ?1 AND status = 'open' AND (expires_at IS NULL OR expires_at > ?3) RETURNING {}",
        super::links::COLUMNS
    );
    c.query_opt(&sql, params![link.as_str(), amount, now.micros()])?.map(super::links::from_row).transpose()
}

/// Inserts a new attempt (it holds the claim just taken).
pub fn insert(c: &mut dyn Conn, p: &Payment, single_use: bool, client_key: Option<&str>) -> Result<(), DbError> {
    let values: Vec<Value> = vec![
        p.id.as_str().into(),
        p.link_id.as_str().into(),
        p.store_id.as_str().into(),
        p.environment.as_str().into(),
        p.branch_id.as_ref().map(|b| b.as_str()).into(),
        p.link_created_by.as_str().into(),
        single_use.into(),
        p.method_id.into(),
        p.method.as_str().into(),
        p.connector.as_str().into(),
        p.status.as_str().into(),
        p.amount.minor().into(),
        p.amount.currency().code().into(),
        p.installments.into(),
        p.card.as_ref().map(|k| k.brand.as_str()).into(),
        p.card.as_ref().map(|k| k.last4.as_str()).into(),
        p.payer.name.as_deref().into(),
        p.payer.email.as_deref().into(),
        p.payer.phone.as_deref().into(),
        p.payer.address.as_deref().into(),
        client_key.into(),
        p.created_at.micros().into(),
        p.offline.as_ref().map(|o| o.method.as_str()).into(),
        p.offline.as_ref().and_then(|o| o.terminal_id.as_deref()).into(),
        p.offline.as_ref().and_then(|o| o.receipt_number.as_deref()).into(),
        p.offline.as_ref().and_then(|o| o.note.as_deref()).into(),
        p.offline.as_ref().map(|o| o.recorded_by.as_str()).into(),
        p.offline.as_ref().and_then(|o| o.recorded_branch_id.as_ref().map(|b| b.as_str())).into(),
    ];
    c.execute(
        "INSERT INTO payments (id, link_id, store_id, environment, branch_id, link_created_by, single_use, method_id, \
         method, connector, status, holds_claim, amount_minor, currency, installments, card_brand, card_last4, \
         payer_name, payer_email, payer_phone, payer_address, client_key, created_at, updated_at, offline_method, \
         terminal_id, receipt_number, offline_note, recorded_by, recorded_branch_id) VALUES (?1, ?2, ?3, ?4, ?5, \
         ?6, ?7, ?8, ?9, ?10, ?11, TRUE, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?22, ?23, ?24, ?25, \
         ?26, ?27, ?28)",
        &values,
    )
    .map(|_| ())
}

/// Reads a payment by id (the hosted pages know only the id).
pub fn get(c: &mut dyn Conn, id: &PaymentId) -> Result<Option<Payment>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payments WHERE id = ?1");
    c.query_opt(&sql, params![id.as_str()])?.map(from_row).transpose()
}

/// The payments of a link, oldest first.
pub fn for_link(c: &mut dyn Conn, link: &LinkId) -> Result<Vec<Payment>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM payments WHERE link_id = ?1 ORDER BY created_at, id");
    c.query(&sql, params![link.as_str()])?.into_iter().map(from_row).collect()
}

/// Records that an open attempt waits (for the payer or the connector); no-op once resolved.
pub fn set_waiting(
    c: &mut dyn Conn,
    id: &PaymentId,
    status: PaymentStatus,
    action: Option<NextAction>,
    connector_ref: &str,
    now: Timestamp,
) -> Result<Option<Payment>, DbError> {
    let sql = format!(
        "UPDATE payments SET status = ?2, next_action = ?3, connector_ref = ?4, updated_at = ?5 \
         WHERE id = ?1 AND holds_claim = TRUE RETURNING {COLUMNS}"
    );
    let values = params![id.as_str(), status.as_str(), action.map(NextAction::as_str), connector_ref, now.micros()];
    c.query_opt(&sql, values)?.map(from_row).transpose()
}

/// The final word on an attempt: moves it out of its open state exactly once. `None` when it
/// was already resolved (by a concurrent request or the sweep).
pub fn resolve(
    c: &mut dyn Conn,
    id: &PaymentId,
    end: &Resolution<'_>,
    now: Timestamp,
) -> Result<Option<Payment>, DbError> {
    let sql = format!(
        "UPDATE payments SET status = ?2, holds_claim = FALSE, next_action = NULL, \
         connector_ref = coalesce(?3, connector_ref), failure_code = ?4, failure_message = ?5, decline = ?6, \
         updated_at = ?7, completed_at = ?7 WHERE id = ?1 AND holds_claim = TRUE RETURNING {COLUMNS}"
    );
    let f = end.failure;
    let values = params![
        id.as_str(),
        end.status.as_str(),
        end.connector_ref,
        f.map(|f| f.code.as_str()),
        f.map(|f| f.message.as_str()),
        f.is_some_and(|f| f.decline),
        now.micros()
    ];
    c.query_opt(&sql, values)?.map(from_row).transpose()
}

/// How an attempt ends.
pub struct Resolution<'a> {
    pub status: PaymentStatus,
    pub connector_ref: Option<&'a str>,
    pub failure: Option<&'a Failure>,
}

/// Overturns a success the link could no longer take (it expired or was cancelled while the
/// charge ran): the payment fails with `failure` and the charge is to be reversed.
pub fn overturn(c: &mut dyn Conn, id: &PaymentId, failure: &Failure, now: Timestamp) -> Result<Payment, DbError> {
    let sql = format!(
        "UPDATE payments SET status = 'failed', failure_code = ?2, failure_message = ?3, decline = FALSE, \
         updated_at = ?4 WHERE id = ?1 RETURNING {COLUMNS}"
    );
    let values = params![id.as_str(), failure.code.as_str(), failure.message.as_str(), now.micros()];
    c.query_opt(&sql, values)?.map(from_row).transpose()?.ok_or_else(|| DbError::Other("payment vanished".into()))
}

/// Declines since `since` on a link and from a client (the card-testing guard's counts). The
/// boolean is spelt as each backend's partial index spells it (SQLite `= 1`), or SQLite would
/// not use `payments_declines_by_client` and would scan every payment.
pub fn recent_declines(
    c: &mut dyn Conn,
    link: &LinkId,
    client_key: Option<&str>,
    since: Timestamp,
) -> Result<(i64, i64), DbError> {
    let yes = true_literal(c);
    let count = |c: &mut dyn Conn, column: &str, key: &str| -> Result<i64, DbError> {
        let sql = format!("SELECT count(*) FROM payments WHERE {column} = ?1 AND decline = {yes} AND updated_at >= ?2");
        c.query_opt(&sql, params![key, since.micros()])?.map_or(Ok(0), |r| r.i64(Only))
    };
    let on_link = count(c, "link_id", link.as_str())?;
    let from_client = match client_key {
        Some(client) => count(c, "client_key", client)?,
        None => 0,
    };
    Ok((on_link, from_client))
}

/// `TRUE` as the backend's partial indexes spell it.
fn true_literal(c: &dyn Conn) -> &'static str {
    match c.backend() {
        Backend::Sqlite => "1",
        Backend::Postgres => "TRUE",
    }
}

/// Open attempts not touched since `before`, oldest first (the sweep asks their connector).
pub fn unresolved_before(c: &mut dyn Conn, before: Timestamp, limit: i64) -> Result<Vec<PaymentId>, DbError> {
    let sql = format!(
        "SELECT id FROM payments WHERE holds_claim = {} AND updated_at < ?1 ORDER BY updated_at LIMIT ?2",
        true_literal(c)
    );
    c.query(&sql, params![before.micros(), limit])?
        .into_iter()
        .map(|mut r| r.take_text(Only).map(PaymentId::from_trusted))
        .collect()
}
