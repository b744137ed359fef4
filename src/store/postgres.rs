//! PostgreSQL through the synchronous `postgres` client on blocking threads: a fixed pool of
//! connections, each with its own prepared-statement cache. Store code is the same as for
//! SQLite; placeholders `?N` become `$N` here. PostgreSQL batches commits across sessions itself.
//!
//! Failover: a session that lost its server (or finds it read-only) is closed instead of going
//! back to the pool, and every session opened before it is discarded on its next use, since the
//! server they talk to is most likely gone too. New sessions follow the URL's host list and
//! `target_session_attrs`, so they find the promoted standby. Until one does, callers get
//! [`DbError::Unavailable`] at once (the API answers 503), never a hang.

use super::conn::{Backend, Conn, DbError, Row, Value};
use super::stats::{PoolUse, StoreStats};
use postgres::types::{IsNull, ToSql, Type, private::BytesMut};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

mod lost;

/// One pooled connection and its statement cache.
pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
    /// In a `write_once`, the number of statements run so far (at most one is allowed).
    single: Option<u8>,
    /// The pool generation the session was opened in; older ones are not reused.
    generation: u64,
    /// The session lost its server, or the server no longer takes writes: never reuse it.
    broken: bool,
}

/// The PostgreSQL pool.
pub struct PgDb {
    /// The parsed URL: every host, `target_session_attrs`, timeouts.
    config: Arc<postgres::Config>,
    idle: Arc<Mutex<Vec<PgConn>>>,
    permits: Arc<Semaphore>,
    /// The pool's size, and the waits for a session it measures.
    size: usize,
    stats: Arc<StoreStats>,
    /// Bumped when a session is found broken; sessions of an older generation are closed.
    generation: Arc<AtomicU64>,
}

/// How long one host may take to accept a session when the URL does not say (`connect_timeout`):
/// an unreachable host must fail over to the next one, not hang for the kernel's TCP timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

fn connect(config: &postgres::Config, generation: u64) -> Result<PgConn, DbError> {
    // The error chain names the cause ("db error" alone does not: e.g. too many connections).
    let client = config.connect(NoTls).map_err(|e| DbError::Unavailable(crate::service::error_chain(&e)))?;
    Ok(PgConn { client, statements: HashMap::new(), single: None, generation, broken: false })
}

/// Closes sessions on a plain thread: a synchronous client blocks while closing.
fn close_later(conn: PgConn) {
    let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(conn));
}

impl PgDb {
    /// Connects `size` sessions (blocking; call from a blocking context) after running `init`.
    pub fn open(
        url: &str,
        size: usize,
        stats: Arc<StoreStats>,
        init: impl FnOnce(&mut PgConn) -> Result<(), DbError>,
    ) -> Result<Self, DbError> {
        let mut config: postgres::Config = url.parse().map_err(|e| DbError::driver("invalid PostgreSQL URL", e))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let mut first = connect(&config, 0)?;
        init(&mut first)?;
        let mut idle = vec![first];
        for _ in 1..size.max(1) {
            idle.push(connect(&config, 0)?);
        }
        Ok(PgDb {
            config: Arc::new(config),
            permits: Arc::new(Semaphore::new(idle.len())),
            size: idle.len(),
            idle: Arc::new(Mutex::new(idle)),
            stats,
            generation: Arc::new(AtomicU64::new(0)),
        })
    }

    /// The pool's size and the sessions taken from it now.
    pub fn pool_use(&self) -> PoolUse {
        let in_use = self.size.saturating_sub(self.permits.available_permits());
        PoolUse { pool: "postgres", size: self.size, in_use }
    }

    /// Runs `f` in a transaction on a pooled session.
    pub async fn write<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.with_conn(move |conn| {
            conn.client.batch_execute("BEGIN").map_err(|e| conn.fail(e))?;
            let result = f(conn);
            let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
            conn.client.batch_execute(end).map_err(|e| conn.fail(e))?;
            result
        })
        .await
    }

    /// Runs `f`, which must issue exactly one statement, in autocommit: one statement is atomic
    /// by itself, and skipping BEGIN and COMMIT saves two round trips. A second statement fails.
    pub async fn write_once<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.with_conn(move |conn| {
            conn.single = Some(0);
            let result = f(conn);
            conn.single = None;
            result
        })
        .await
    }

    /// Runs `f` outside a transaction (each statement on its own).
    pub async fn read<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.with_conn(move |conn| f(conn)).await
    }

    async fn with_conn<T, E>(&self, f: impl FnOnce(&mut PgConn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let _permit = super::stats::acquire(&self.permits, &self.stats)
            .await
            .map_err(|_| E::from(DbError::Unavailable("closed".into())))?;
        let (idle, config, generation) = (self.idle.clone(), self.config.clone(), self.generation.clone());
        let joined = tokio::task::spawn_blocking(move || {
            let current = generation.load(Ordering::Acquire);
            let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut conn = match taken {
                Some(c) if c.generation == current && !c.client.is_closed() => c,
                stale => {
                    if let Some(old) = stale {
                        close_later(old);
                    }
                    connect(&config, current).map_err(E::from)?
                }
            };
            let result = f(&mut conn);
            if conn.broken || conn.client.is_closed() {
                // One session lost its server: the others opened before it are stale too. Only
                // the first to notice moves the generation on, so fresh sessions stay.
                let g = conn.generation;
                let _ = generation.compare_exchange(g, g + 1, Ordering::AcqRel, Ordering::Acquire);
                close_later(conn);
            } else {
                idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
            }
            result
        })
        .await;
        joined.unwrap_or_else(|e| Err(E::from(DbError::driver("database task failed", e))))
    }
}

/// Rewrites `?N` placeholders to `$N`.
fn rewrite(sql: &str) -> String {
    sql.replace('?', "$")
}

fn map_err(e: postgres::Error) -> DbError {
    if let Some(db) = e.as_db_error() {
        let name = db.constraint().unwrap_or_else(|| db.message()).to_owned();
        match db.code().code() {
            "23505" => return DbError::Unique(name),
            c if c.starts_with("23") => return DbError::Constraint(name),
            _ => {}
        }
    }
    if lost::server_lost(&e) {
        return DbError::Unavailable(crate::service::error_chain(&e));
    }
    DbError::Driver(Box::new(e))
}

impl PgConn {
    /// Classifies a failure, marking the session broken when its server is gone or read-only.
    fn fail(&mut self, e: postgres::Error) -> DbError {
        self.broken |= lost::server_lost(&e);
        map_err(e)
    }

    fn statement(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(n) = self.single.as_mut() {
            *n += 1;
            if *n > 1 {
                return Err(DbError::Other("write_once ran more than one statement".into()));
            }
        }
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let stmt = self.client.prepare(&rewrite(sql)).map_err(|e| self.fail(e))?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    /// Runs several statements (migrations).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.client.batch_execute(sql).map_err(|e| self.fail(e))
    }
}

impl Conn for PgConn {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&stmt, &refs).map_err(|e| self.fail(e))?;
        rows.iter().map(decode_row).collect()
    }

    fn query_planned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(rewrite(sql).as_str(), &refs).map_err(|e| self.fail(e))?;
        rows.iter().map(decode_row).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client.execute(&stmt, &refs).map_err(|e| self.fail(e))
    }

    fn backend(&self) -> Backend {
        Backend::Postgres
    }
}

fn decode_row(row: &postgres::Row) -> Result<Row, DbError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let bad = |_| DbError::decode(i);
        let v = match *col.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i).map_err(bad)?.map(Value::Int),
            Type::INT4 => row.try_get::<_, Option<i32>>(i).map_err(bad)?.map(|v| Value::Int(v.into())),
            Type::INT2 => row.try_get::<_, Option<i16>>(i).map_err(bad)?.map(|v| Value::Int(v.into())),
            Type::BOOL => row.try_get::<_, Option<bool>>(i).map_err(bad)?.map(Value::Bool),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i).map_err(bad)?.map(Value::Text)
            }
            _ => return Err(DbError::decode(i)),
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (self, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Int(v), &Type::INT4) => i32::try_from(*v)?.to_sql(ty, out),
            (Value::Int(v), &Type::INT2) => i16::try_from(*v)?.to_sql(ty, out),
            (Value::Int(v), _) => v.to_sql(ty, out),
            (Value::Bool(v), _) => v.to_sql(ty, out),
            (Value::Text(v), _) => v.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

impl Drop for PgDb {
    /// A synchronous client blocks while closing, which must not happen on an async worker
    /// thread; the idle sessions are closed on a plain thread instead.
    fn drop(&mut self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(|p| p.into_inner()));
        if !idle.is_empty() {
            let _ = std::thread::Builder::new().name("pg-close".into()).spawn(move || drop(idle));
        }
    }
}
