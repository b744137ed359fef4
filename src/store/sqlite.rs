//! SQLite: one writer thread owns the only write connection and commits every write waiting for
//! it as one durable transaction, each write inside its own savepoint (a failed write rolls back
//! alone). Callers are answered only after the commit is durable. Readers use a small pool of
//! read-only connections, each with a budgeted page cache. WAL mode, `synchronous=FULL`.
//! This design never returns "database is locked" and turns one fsync into many writes.

use super::conn::{Backend, Conn, DbError, Row, Value};
use super::stats::{PoolUse, StoreStats};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{Semaphore, oneshot};

pub mod in_use;

/// Settings for the SQLite backend.
#[derive(Clone, Debug)]
pub struct SqliteOptions {
    pub path: String,
    pub read_connections: usize,
    /// Page cache per connection, KiB.
    pub cache_kib: i64,
    /// Most writes committed together.
    pub max_batch: usize,
}

type Done = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<dyn FnOnce(&mut SqliteConn) -> Done + Send>;

/// A SQLite connection wrapped to implement [`Conn`].
pub struct SqliteConn(Connection);

/// The SQLite database: the writer's queue and the reader pool.
pub struct SqliteDb {
    writer: mpsc::Sender<Job>,
    /// Dropped with the database, which ends the checkpoint thread.
    _alive: Arc<()>,
    readers: Arc<Mutex<Vec<Connection>>>,
    permits: Arc<Semaphore>,
    /// The reader pool's size, and what the writer and the pool measure.
    size: usize,
    stats: Arc<StoreStats>,
    /// The shared lock that tells `paylink restore` the file is in use; held while open.
    _in_use: Option<in_use::Held>,
}

fn open(opts: &SqliteOptions, flags: OpenFlags) -> Result<Connection, DbError> {
    let conn = Connection::open_with_flags(&opts.path, flags).map_err(|e| DbError::Unavailable(e.to_string()))?;
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(map_err)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; \
         PRAGMA cache_size=-{};",
        opts.cache_kib
    ))
    .map_err(map_err)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

impl SqliteDb {
    /// Opens (creating if missing) the database file, runs `init` on the write connection
    /// (migrations), then starts the writer thread and the readers.
    pub fn open(
        opts: &SqliteOptions,
        stats: Arc<StoreStats>,
        init: impl FnOnce(&mut SqliteConn) -> Result<(), DbError>,
    ) -> Result<Self, DbError> {
        let in_use = in_use::share(&opts.path)?;
        let mut writer = SqliteConn(open(opts, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?);
        init(&mut writer)?;
        // The writer only appends to the WAL; copying it into the database file (and that
        // file's fsync) happens on the checkpointer's own connection and thread.
        writer.batch("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;")?;
        // The checkpointer reads WAL frames and writes pages; it needs almost no page cache.
        let checkpointer = open(&SqliteOptions { cache_kib: 256, ..opts.clone() }, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        let (alive, wal_frames) = (Arc::new(()), Arc::new(AtomicI64::new(0)));
        let (weak, frames) = (Arc::downgrade(&alive), wal_frames.clone());
        std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || checkpoint_loop(checkpointer, weak, frames))
            .map_err(|e| DbError::driver("cannot start the checkpoint thread", e))?;
        let readers = (0..opts.read_connections.max(1))
            .map(|_| open(opts, OpenFlags::SQLITE_OPEN_READ_ONLY))
            .collect::<Result<Vec<_>, _>>()?;
        let (tx, rx) = mpsc::channel::<Job>();
        let (max_batch, measured) = (opts.max_batch.max(1), stats.clone());
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_loop(writer, rx, max_batch, wal_frames, &measured))
            .map_err(|e| DbError::driver("cannot start the writer thread", e))?;
        Ok(SqliteDb {
            writer: tx,
            _alive: alive,
            permits: Arc::new(Semaphore::new(readers.len())),
            size: readers.len(),
            readers: Arc::new(Mutex::new(readers)),
            stats,
            _in_use: in_use,
        })
    }

    /// The read pool's size and the connections taken from it now.
    pub fn pool_use(&self) -> PoolUse {
        let in_use = self.size.saturating_sub(self.permits.available_permits());
        PoolUse { pool: "sqlite_read", size: self.size, in_use }
    }

    /// Runs `f` inside the next durable batch; resolves after the commit.
    pub async fn write<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel::<Result<T, E>>();
        let job: Job = Box::new(move |conn: &mut SqliteConn| {
            let result = in_savepoint(conn, f);
            Box::new(move |commit: Result<(), String>| {
                let _ = tx.send(commit.map_err(|e| E::from(DbError::Unavailable(e))).and(result));
            })
        });
        self.writer.send(job).map_err(|_| E::from(DbError::Unavailable("writer stopped".into())))?;
        rx.await.unwrap_or_else(|_| Err(E::from(DbError::Other("write aborted".into()))))
    }

    /// Runs `f` on a read-only connection from the pool.
    pub async fn read<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let _permit = super::stats::acquire(&self.permits, &self.stats)
            .await
            .map_err(|_| E::from(DbError::Unavailable("closed".into())))?;
        let readers = self.readers.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let conn = readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
            let Some(conn) = conn else { return Err(E::from(DbError::Other("reader pool empty".into()))) };
            let mut conn = SqliteConn(conn);
            // The connection goes back to the pool even if `f` panics, or its slot would be lost.
            let result = std::panic::catch_unwind(AssertUnwindSafe(|| f(&mut conn)));
            readers.lock().unwrap_or_else(|p| p.into_inner()).push(conn.0);
            result.unwrap_or_else(|_| Err(E::from(DbError::Other("read panicked".into()))))
        })
        .await;
        joined.unwrap_or_else(|e| Err(E::from(DbError::driver("read task failed", e))))
    }
}

fn in_savepoint<T, E: From<DbError>>(
    conn: &mut SqliteConn,
    f: impl FnOnce(&mut dyn Conn) -> Result<T, E>,
) -> Result<T, E> {
    if let Err(e) = conn.0.execute_batch("SAVEPOINT w") {
        return Err(E::from(map_err(e)));
    }
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| f(conn)));
    let keep = matches!(outcome, Ok(Ok(_)));
    let end = if keep { "RELEASE w" } else { "ROLLBACK TO w; RELEASE w" };
    let ended = conn.0.execute_batch(end).map_err(map_err);
    match (outcome, ended) {
        (Ok(result), Ok(())) => result,
        (Ok(_), Err(e)) => Err(E::from(e)),
        (Err(_), _) => Err(E::from(DbError::Other("write panicked".into()))),
    }
}

/// Checkpoints the WAL in the background. PASSIVE never blocks the writer or readers; it copies
/// what no reader still needs. The loop ends when the writer is gone (the database was dropped).
/// It publishes the WAL's length so the writer knows when to finish a checkpoint itself.
fn checkpoint_loop(conn: Connection, alive: std::sync::Weak<()>, wal_frames: Arc<AtomicI64>) {
    while alive.upgrade().is_some() {
        std::thread::sleep(std::time::Duration::from_millis(100));
        match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1)) {
            Ok(frames) => wal_frames.store(frames, Ordering::Relaxed),
            Err(e) => tracing::warn!(error = %e, "sqlite checkpoint failed"),
        }
    }
}

/// Under continuous writes a background checkpoint never catches up completely, so the WAL would
/// only grow, and every commit would extend the file (which the filesystem zero-fills). Past
/// `RESET_FRAMES` the writer checkpoints between batches: nothing is appended meanwhile, so the
/// checkpoint completes (it copies only what the background runs have not) and the next
/// transaction reuses the WAL from its start.
fn finish_checkpoint(conn: &mut SqliteConn, wal_frames: &AtomicI64) {
    const RESET_FRAMES: i64 = 8192;
    if wal_frames.load(Ordering::Relaxed) > RESET_FRAMES {
        wal_frames.store(0, Ordering::Relaxed);
        if let Err(e) = conn.0.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "sqlite checkpoint failed");
        }
    }
}

fn writer_loop(
    mut conn: SqliteConn,
    rx: mpsc::Receiver<Job>,
    max_batch: usize,
    wal_frames: Arc<AtomicI64>,
    stats: &StoreStats,
) {
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        while jobs.len() < max_batch {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let begun = conn.0.execute_batch("BEGIN IMMEDIATE").map_err(|e| e.to_string());
        if let Err(e) = begun {
            tracing::error!(error = %e, "sqlite writer could not begin a transaction");
            continue; // dropping the jobs answers their callers with an error
        }
        let size = jobs.len();
        let done: Vec<Done> = jobs.into_iter().map(|job| job(&mut conn)).collect();
        let started = Instant::now();
        let committed = conn.0.execute_batch("COMMIT").map_err(|e| e.to_string());
        stats.committed(size, started.elapsed());
        if committed.is_err() {
            let _ = conn.0.execute_batch("ROLLBACK");
        }
        for d in done {
            d(committed.clone());
        }
        finish_checkpoint(&mut conn, &wal_frames);
    }
}

fn map_err(e: rusqlite::Error) -> DbError {
    if let rusqlite::Error::SqliteFailure(code, msg) = &e {
        let text = msg.clone().unwrap_or_default();
        return match code.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                DbError::Unique(text)
            }
            _ if code.code == rusqlite::ErrorCode::ConstraintViolation => DbError::Constraint(text),
            _ => DbError::Driver(Box::new(e)),
        };
    }
    DbError::Driver(Box::new(e))
}

fn to_sql(v: &Value) -> rusqlite::types::Value {
    match v {
        Value::Null => rusqlite::types::Value::Null,
        Value::Int(i) => rusqlite::types::Value::Integer(*i),
        Value::Text(s) => rusqlite::types::Value::Text(s.clone()),
        Value::Bool(b) => rusqlite::types::Value::Integer(*b as i64),
    }
}

impl Conn for SqliteConn {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.0.prepare_cached(sql).map_err(map_err)?;
        let width = stmt.column_count();
        let params = rusqlite::params_from_iter(params.iter().map(to_sql));
        let mut rows = stmt.query(params).map_err(map_err)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(map_err)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(match row.get_ref(i).map_err(map_err)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(v) => Value::Int(v),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Real(_) | ValueRef::Blob(_) => return Err(DbError::decode(i)),
                });
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, DbError> {
        let mut stmt = self.0.prepare_cached(sql).map_err(map_err)?;
        let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(to_sql))).map_err(map_err)?;
        Ok(n as u64)
    }

    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
}

impl SqliteConn {
    /// Runs several statements (migrations).
    pub fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        self.0.execute_batch(sql).map_err(map_err)
    }
}
