//! Audit rows. [`append`] writes an entry inside the business transaction with its chain columns
//! NULL; [`chain`] numbers and hashes committed entries afterwards, holding only the merchant's
//! chain head row: hashing at insert time would hold that lock until every writer's commit and
//! serialise all audited writes of a merchant on PostgreSQL (the same reasoning as event
//! sequence numbers). Reads serve `/v1/audit_log` and `paylink audit verify`.

use super::columns::{Only, columns};
use super::conn::{Conn, DbError, Row, Value};
use crate::domain::audit::{AuditActor, AuditId, ChainedEntry, GENESIS, Head, chain_hash};
use crate::domain::id::{MerchantId, StoreId};
use crate::domain::{Environment, Timestamp};
use crate::params;

pub use crate::domain::audit::NewAuditEntry;

/// The content columns, in [`values`] order; the chain columns follow in reads.
pub const CONTENT_COLUMNS: &str = "id, merchant_id, store_id, environment, actor_id, actor_key_id, actor_role, \
    actor_branch_id, action, object_type, object_id, before_state, after_state, request_id, created_at";

columns! {
    /// The columns an entry is read from: [`CONTENT_COLUMNS`], then the chain columns.
    enum AuditCol {
        Id = "id", MerchantId = "merchant_id", StoreId = "store_id", Environment = "environment",
        ActorId = "actor_id", ActorKeyId = "actor_key_id", ActorRole = "actor_role",
        ActorBranchId = "actor_branch_id", Action = "action", ObjectType = "object_type", ObjectId = "object_id",
        BeforeState = "before_state", AfterState = "after_state", RequestId = "request_id",
        CreatedAt = "created_at", Seq = "seq", PrevHash = "prev_hash", Hash = "hash",
    }
}

const COLUMNS: &str = AuditCol::LIST;

/// The entry's content values, in [`CONTENT_COLUMNS`] order (15 values).
pub fn values(e: &NewAuditEntry) -> Vec<Value> {
    let a = &e.actor;
    vec![
        e.id.as_str().into(),
        e.merchant_id.as_str().into(),
        e.store_id.as_ref().map(StoreId::as_str).into(),
        e.environment.map(Environment::as_str).into(),
        a.id.as_str().into(),
        a.key_id.as_deref().into(),
        a.role.as_deref().into(),
        a.branch_id.as_deref().into(),
        e.action.as_str().into(),
        e.object_type.as_str().into(),
        e.object_id.as_str().into(),
        e.before.as_deref().into(),
        e.after.as_deref().into(),
        e.request_id.as_deref().into(),
        e.created_at.micros().into(),
    ]
}

/// `INSERT INTO audit_log (…) VALUES (?first, …)`: one entry, its parameters numbered from
/// `first` (so a larger statement, the link-creation CTE, can embed it).
pub fn insert_sql(first: usize) -> String {
    let params: Vec<String> = (first..first + 15).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO audit_log ({CONTENT_COLUMNS}) VALUES ({})", params.join(", "))
}

/// Appends an entry (unchained) in the caller's transaction, so the change it records cannot
/// commit without it.
pub fn append(c: &mut dyn Conn, e: &NewAuditEntry) -> Result<(), DbError> {
    c.execute(&insert_sql(1), &values(e)).map(|_| ())
}

/// A stored entry with its chain columns (NULL until chained).
#[derive(Clone, Debug)]
pub struct StoredAudit {
    pub entry: NewAuditEntry,
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

fn from_row(mut r: Row) -> Result<StoredAudit, DbError> {
    use AuditCol as C;
    let environment =
        r.take_opt_text(C::Environment)?.map(|e| Environment::parse(&e).ok_or(DbError::decode(C::Environment)));
    let actor = AuditActor {
        id: r.take_text(C::ActorId)?,
        key_id: r.take_opt_text(C::ActorKeyId)?,
        role: r.take_opt_text(C::ActorRole)?,
        branch_id: r.take_opt_text(C::ActorBranchId)?,
    };
    let entry = NewAuditEntry {
        id: AuditId::from_trusted(r.take_text(C::Id)?),
        merchant_id: MerchantId::from_trusted(r.take_text(C::MerchantId)?),
        store_id: r.take_opt_text(C::StoreId)?.map(StoreId::from_trusted),
        environment: environment.transpose()?,
        actor,
        action: r.take_text(C::Action)?,
        object_type: r.take_text(C::ObjectType)?,
        object_id: r.take_text(C::ObjectId)?,
        before: r.take_opt_text(C::BeforeState)?,
        after: r.take_opt_text(C::AfterState)?,
        request_id: r.take_opt_text(C::RequestId)?,
        created_at: Timestamp::from_micros(r.i64(C::CreatedAt)?),
    };
    let (seq, prev_hash, hash) = (r.opt_i64(C::Seq)?, r.take_opt_text(C::PrevHash)?, r.take_opt_text(C::Hash)?);
    Ok(StoredAudit { entry, seq, prev_hash, hash })
}

/// Merchants with committed, unchained entries.
pub fn unchained_merchants(c: &mut dyn Conn) -> Result<Vec<MerchantId>, DbError> {
    let rows = c.query("SELECT DISTINCT merchant_id FROM audit_log WHERE seq IS NULL", &[])?;
    rows.into_iter().map(|mut r| Ok(MerchantId::from_trusted(r.take_text(Only)?))).collect()
}

/// Chains up to `batch` committed, unchained entries of one merchant, oldest first, continuing
/// its chain. The head row is locked *before* the unchained entries are read, so a concurrent
/// chainer waits and then finds them chained: a position is never given twice (the unique
/// `(merchant_id, seq)` index would refuse it anyway). Returns how many entries were chained.
pub fn chain(c: &mut dyn Conn, merchant: &MerchantId, batch: i64) -> Result<u64, DbError> {
    let m = merchant.as_str();
    c.execute(
        "INSERT INTO audit_heads (merchant_id, last_seq, last_hash, last_id) VALUES (?1, 0, ?2, NULL) \
         ON CONFLICT (merchant_id) DO NOTHING",
        params![m, GENESIS],
    )?;
    columns! {
        enum LockedHead { Seq = "last_seq", Hash = "last_hash" }
        const LOCK = "UPDATE audit_heads SET last_seq = last_seq WHERE merchant_id = ?1 RETURNING " + COLUMNS;
    }
    let head = c.query_opt(LOCK, params![m])?.ok_or(DbError::Other("audit head missing".into()))?;
    let (mut seq, mut prev) = (head.i64(LockedHead::Seq)?, head.text(LockedHead::Hash)?);
    let sql = format!(
        "SELECT {COLUMNS} FROM audit_log WHERE merchant_id = ?1 AND seq IS NULL ORDER BY created_at, id LIMIT ?2"
    );
    let mut links: Vec<[Value; 4]> = Vec::new();
    for row in c.query(&sql, params![m, batch])? {
        let entry = from_row(row)?.entry;
        seq += 1;
        let hash = chain_hash(&prev, seq, &entry);
        links.push([
            entry.id.as_str().into(),
            seq.into(),
            std::mem::replace(&mut prev, hash.clone()).into(),
            hash.into(),
        ]);
    }
    let Some(last) = links.last().map(|l| l[0].clone()) else { return Ok(0) };
    write_links(c, &links)?;
    c.execute(
        "UPDATE audit_heads SET last_seq = ?2, last_hash = ?3, last_id = ?4 WHERE merchant_id = ?1",
        params![m, seq, prev.as_str(), last],
    )?;
    Ok(links.len() as u64)
}

/// Writes `[id, seq, prev_hash, hash]` into unchained entries: whole chunks of 50 in one
/// statement (one round trip on PostgreSQL), the rest one by one, so only two statement shapes
/// are ever prepared.
fn write_links(c: &mut dyn Conn, links: &[[Value; 4]]) -> Result<(), DbError> {
    const CHUNK: usize = 50;
    let mut chunks = links.chunks_exact(CHUNK);
    for chunk in &mut chunks {
        write_chunk(c, chunk)?;
    }
    chunks.remainder().iter().try_for_each(|one| write_chunk(c, std::slice::from_ref(one)))
}

fn write_chunk(c: &mut dyn Conn, rows: &[[Value; 4]]) -> Result<(), DbError> {
    let tuples: Vec<String> = (0..rows.len())
        .map(|i| {
            let p = 4 * i;
            format!(
                "(CAST(?{} AS TEXT), CAST(?{} AS BIGINT), CAST(?{} AS TEXT), CAST(?{} AS TEXT))",
                p + 1,
                p + 2,
                p + 3,
                p + 4
            )
        })
        .collect();
    let sql = format!(
        "UPDATE audit_log SET seq = v.column2, prev_hash = v.column3, hash = v.column4 FROM (VALUES {}) AS v \
         WHERE audit_log.id = v.column1 AND audit_log.seq IS NULL",
        tuples.join(", ")
    );
    let values: Vec<Value> = rows.iter().flatten().cloned().collect();
    if c.execute(&sql, &values)? as usize != rows.len() {
        return Err(DbError::Other("an audit entry was chained concurrently".into()));
    }
    Ok(())
}

/// Every merchant with a chain: a head, or chained entries (a deleted head is still walked).
pub fn chains(c: &mut dyn Conn) -> Result<Vec<MerchantId>, DbError> {
    let sql = "SELECT merchant_id FROM audit_heads UNION \
               SELECT DISTINCT merchant_id FROM audit_log WHERE seq IS NOT NULL ORDER BY merchant_id";
    c.query(sql, &[])?.into_iter().map(|mut r| Ok(MerchantId::from_trusted(r.take_text(Only)?))).collect()
}

/// A merchant's chain head, if any.
pub fn head(c: &mut dyn Conn, merchant: &MerchantId) -> Result<Option<Head>, DbError> {
    columns! {
        enum HeadCol { Seq = "last_seq", Hash = "last_hash", Id = "last_id" }
        const SQL = "SELECT " + COLUMNS + " FROM audit_heads WHERE merchant_id = ?1";
    }
    let Some(mut r) = c.query_opt(SQL, params![merchant.as_str()])? else { return Ok(None) };
    let (last_seq, last_hash) = (r.i64(HeadCol::Seq)?, r.take_text(HeadCol::Hash)?);
    Ok(Some(Head { last_seq, last_hash, last_id: r.take_opt_text(HeadCol::Id)? }))
}

/// Up to `limit` chained entries of a merchant after position `after`, in position order.
pub fn chained_after(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    after: i64,
    limit: i64,
) -> Result<Vec<ChainedEntry>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM audit_log WHERE merchant_id = ?1 AND seq > ?2 ORDER BY seq, id LIMIT ?3");
    let rows = c.query(&sql, params![merchant.as_str(), after, limit])?;
    rows.into_iter()
        .map(|r| {
            let s = from_row(r)?;
            Ok(ChainedEntry {
                entry: s.entry,
                seq: s.seq.ok_or(DbError::decode(AuditCol::Seq))?,
                prev_hash: s.prev_hash,
                hash: s.hash,
            })
        })
        .collect()
}

/// How many committed entries wait to be chained.
pub fn unchained_count(c: &mut dyn Conn) -> Result<i64, DbError> {
    c.query_opt("SELECT COUNT(*) FROM audit_log WHERE seq IS NULL", &[])?.map_or(Ok(0), |r| r.i64(Only))
}

pub mod list;
