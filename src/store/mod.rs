//! The only place that runs SQL. Every operation is a plain function over [`Conn`], so the same
//! code runs on SQLite and PostgreSQL; [`Db`] decides where it runs. Invariants live in the
//! schema (unique indexes, checks, foreign keys) and in conditional updates.

pub mod audit;
pub mod backup;
pub mod columns;
pub mod conn;
pub mod customers;
pub mod deliveries;
pub mod delivery_log;
pub mod dialect_callbacks;
pub mod dialect_counters;
pub mod dialect_keys;
pub mod dialect_tokens;
pub mod endpoint_deliveries;
pub mod event_list;
pub mod events;
pub mod idempotency;
pub mod instance;
pub mod keys;
pub mod keyset;
pub mod link_images;
pub mod links;
pub mod logos;
pub mod methods;
mod migrate;
pub mod notifications;
pub mod outbox_stats;
pub mod pages;
pub mod payments;
pub mod postgres;
pub mod rate_limits;
pub mod refunds;
pub mod reports;
pub mod sandbox;
pub mod sessions;
pub mod sign_in_failures;
pub mod sqlite;
pub mod staff;
pub mod stats;
pub mod store_profile;
pub mod summary;
pub mod tenancy;
pub mod webhooks;

use columns::Only;
use conn::{Conn, DbError};

/// Store-level failures that callers react to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A database handle: SQLite (single batching writer + readers) or a PostgreSQL pool.
pub enum Db {
    Sqlite(sqlite::SqliteDb),
    Postgres(postgres::PgDb),
}

/// How to open the database.
#[derive(Clone, Debug)]
pub struct DbOptions {
    pub url: String,
    pub sqlite_read_connections: usize,
    pub sqlite_cache_kib: i64,
    pub sqlite_max_batch: usize,
    pub postgres_pool_size: usize,
    /// Where the backend records its batches, commits and pool waits.
    pub stats: std::sync::Arc<stats::StoreStats>,
}

impl Db {
    /// Opens the database named by the URL and applies pending migrations.
    pub async fn open(opts: DbOptions) -> Result<Db, DbError> {
        tokio::task::spawn_blocking(move || Db::open_blocking(&opts))
            .await
            .map_err(|e| DbError::driver("opening the database failed", e))?
    }

    fn open_blocking(opts: &DbOptions) -> Result<Db, DbError> {
        if opts.url.starts_with("postgres://") || opts.url.starts_with("postgresql://") {
            let db = postgres::PgDb::open(&opts.url, opts.postgres_pool_size, opts.stats.clone(), migrate::postgres)?;
            return Ok(Db::Postgres(db));
        }
        let path = opts.url.strip_prefix("sqlite://").or_else(|| opts.url.strip_prefix("sqlite:")).unwrap_or(&opts.url);
        let sqlite_opts = sqlite::SqliteOptions {
            path: path.to_owned(),
            read_connections: opts.sqlite_read_connections,
            cache_kib: opts.sqlite_cache_kib,
            max_batch: opts.sqlite_max_batch,
        };
        Ok(Db::Sqlite(sqlite::SqliteDb::open(&sqlite_opts, opts.stats.clone(), migrate::sqlite)?))
    }

    /// How busy the connection pool is (SQLite: the read-only connections).
    pub fn pool_use(&self) -> stats::PoolUse {
        match self {
            Db::Sqlite(db) => db.pool_use(),
            Db::Postgres(db) => db.pool_use(),
        }
    }

    /// Runs `f` as one atomic, durable write.
    pub async fn write<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        match self {
            Db::Sqlite(db) => db.write(f).await,
            Db::Postgres(db) => db.write(f).await,
        }
    }

    /// Runs `f`, which issues exactly one statement, as one atomic write. On PostgreSQL it runs in
    /// autocommit (no BEGIN / COMMIT round trips); on SQLite it joins the writer's next batch.
    pub async fn write_once<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        match self {
            Db::Sqlite(db) => db.write(f).await,
            Db::Postgres(db) => db.write_once(f).await,
        }
    }

    /// Runs `f` as a read.
    pub async fn read<T, E>(&self, f: impl FnOnce(&mut dyn Conn) -> Result<T, E> + Send + 'static) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        match self {
            Db::Sqlite(db) => db.read(f).await,
            Db::Postgres(db) => db.read(f).await,
        }
    }

    /// The database's current time in microseconds (the clock several instances agree on).
    pub async fn now_micros(&self) -> Result<i64, DbError> {
        self.read(|c| {
            let sql = match c.backend() {
                conn::Backend::Postgres => "SELECT (extract(epoch from clock_timestamp()) * 1000000)::bigint",
                conn::Backend::Sqlite => "SELECT CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)",
            };
            c.query_opt(sql, &[])?.ok_or(DbError::Other("no time".into()))?.i64(Only)
        })
        .await
    }
}
