//! PostgreSQL through the synchronous `postgres` client on blocking threads: a fixed pool of
//! connections, each with its own prepared-statement cache. Store code is the same as for
//! SQLite; placeholders `?N` become `$N` here. PostgreSQL batches commits across sessions itself.

use super::conn::{Backend, Conn, DbError, Row, Value};
use super::stats::{PoolUse, StoreStats};
use postgres::types::{IsNull, ToSql, Type, private::BytesMut};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// One pooled connection and its statement cache.
pub struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
    /// In a `write_once`, the number of statements run so far (at most one is allowed).
    single: Option<u8>,
}

/// The PostgreSQL pool.
pub struct PgDb {
    url: String,
    idle: Arc<Mutex<Vec<PgConn>>>,
    permits: Arc<Semaphore>,
    /// The pool's size, and the waits for a session it measures.
    size: usize,
    stats: Arc<StoreStats>,
}

fn connect(url: &str) -> Result<PgConn, DbError> {
    let client = Client::connect(url, NoTls).map_err(|e| DbError::Unavailable(e.to_string()))?;
    Ok(PgConn { client, statements: HashMap::new(), single: None })
}

impl PgDb {
    /// Connects `size` sessions (blocking; call from a blocking context) after running `init`.
    pub fn open(
        url: &str,
        size: usize,
        stats: Arc<StoreStats>,
        init: impl FnOnce(&mut PgConn) -> Result<(), DbError>,
    ) -> Result<Self, DbError> {
        let mut first = connect(url)?;
        init(&mut first)?;
        let mut idle = vec![first];
        for _ in 1..size.max(1) {
            idle.push(connect(url)?);
        }
        Ok(PgDb {
            url: url.to_owned(),
            permits: Arc::new(Semaphore::new(idle.len())),
            size: idle.len(),
            idle: Arc::new(Mutex::new(idle)),
            stats,
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
            conn.client.batch_execute("BEGIN").map_err(map_err)?;
            let result = f(conn);
            let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
            conn.client.batch_execute(end).map_err(map_err)?;
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
        let (idle, url) = (self.idle.clone(), self.url.clone());
        let joined = tokio::task::spawn_blocking(move || {
            let taken = idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let mut conn = match taken {
                Some(c) if !c.client.is_closed() => c,
                _ => connect(&url).map_err(E::from)?,
            };
            let result = f(&mut conn);
            idle.lock().unwrap_or_else(|p| p.into_inner()).push(conn);
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
    if e.is_closed() {
        return DbError::Unavailable(e.to_string());
    }
    DbError::Driver(Box::new(e))
}

impl PgConn {
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
        let stmt = self.client.prepare(&rewrite(sql)).map_err(map_err)?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    /// Runs several statements (migrations).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.client.batch_execute(sql).map_err(map_err)
    }
}

impl Conn for PgConn {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(&stmt, &refs).map_err(map_err)?;
        rows.iter().map(decode_row).collect()
    }

    fn query_planned(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let rows = self.client.query(rewrite(sql).as_str(), &refs).map_err(map_err)?;
        rows.iter().map(decode_row).collect()
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client.execute(&stmt, &refs).map_err(map_err)
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
