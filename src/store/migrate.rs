//! Embedded migrations, one directory per backend with the same version numbers, applied in
//! order at start-up (and by `paylink migrate`). On PostgreSQL an advisory lock keeps several
//! starting instances from migrating at once.

use super::conn::{Conn, DbError};
use super::postgres::PgConn;
use super::sqlite::SqliteConn;
use crate::params;

const SQLITE: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/sqlite/0001_core.sql")),
    (2, include_str!("../../migrations/sqlite/0002_payment_methods.sql")),
    (3, include_str!("../../migrations/sqlite/0003_link_methods.sql")),
    (4, include_str!("../../migrations/sqlite/0004_payments.sql")),
    (5, include_str!("../../migrations/sqlite/0005_store_logos.sql")),
    (6, include_str!("../../migrations/sqlite/0006_expiry_sweep.sql")),
    (7, include_str!("../../migrations/sqlite/0007_delivery.sql")),
    (8, include_str!("../../migrations/sqlite/0008_notifications.sql")),
    (9, include_str!("../../migrations/sqlite/0009_customers.sql")),
    (10, include_str!("../../migrations/sqlite/0010_audit.sql")),
    (11, include_str!("../../migrations/sqlite/0011_refunds.sql")),
    (12, include_str!("../../migrations/sqlite/0012_dialects.sql")),
    (13, include_str!("../../migrations/sqlite/0013_dialects_ii.sql")),
    (14, include_str!("../../migrations/sqlite/0014_dialect_seam.sql")),
    (15, include_str!("../../migrations/sqlite/0015_dashboard_sign_in.sql")),
    (16, include_str!("../../migrations/sqlite/0016_store_profile.sql")),
];
const POSTGRES: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_core.sql")),
    (2, include_str!("../../migrations/postgres/0002_payment_methods.sql")),
    (3, include_str!("../../migrations/postgres/0003_link_methods.sql")),
    (4, include_str!("../../migrations/postgres/0004_payments.sql")),
    (5, include_str!("../../migrations/postgres/0005_store_logos.sql")),
    (6, include_str!("../../migrations/postgres/0006_expiry_sweep.sql")),
    (7, include_str!("../../migrations/postgres/0007_delivery.sql")),
    (8, include_str!("../../migrations/postgres/0008_notifications.sql")),
    (9, include_str!("../../migrations/postgres/0009_customers.sql")),
    (10, include_str!("../../migrations/postgres/0010_audit.sql")),
    (11, include_str!("../../migrations/postgres/0011_refunds.sql")),
    (12, include_str!("../../migrations/postgres/0012_dialects.sql")),
    (13, include_str!("../../migrations/postgres/0013_dialects_ii.sql")),
    (14, include_str!("../../migrations/postgres/0014_dialect_seam.sql")),
    (15, include_str!("../../migrations/postgres/0015_dashboard_sign_in.sql")),
    (16, include_str!("../../migrations/postgres/0016_store_profile.sql")),
];

/// The newest SQLite migration this binary knows.
pub(crate) fn sqlite_latest() -> i64 {
    SQLITE.last().map_or(0, |m| m.0)
}

const LEDGER: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

fn applied(conn: &mut dyn Conn, version: i64) -> Result<bool, DbError> {
    Ok(conn.query_opt("SELECT version FROM schema_migrations WHERE version = ?1", params![version])?.is_some())
}

/// Applies pending SQLite migrations.
pub fn sqlite(conn: &mut SqliteConn) -> Result<(), DbError> {
    conn.batch(LEDGER)?;
    for (version, sql) in SQLITE {
        if !applied(conn, *version)? {
            conn.batch(&format!(
                "BEGIN IMMEDIATE; {sql}; INSERT INTO schema_migrations VALUES ({version}, 0); COMMIT;"
            ))
            .inspect_err(|_| {
                let _ = conn.batch("ROLLBACK");
            })?;
        }
    }
    Ok(())
}

/// Applies pending PostgreSQL migrations under an advisory lock.
pub fn postgres(conn: &mut PgConn) -> Result<(), DbError> {
    conn.batch("SELECT pg_advisory_lock(7345001)")?;
    let result = (|| {
        conn.batch(LEDGER)?;
        for (version, sql) in POSTGRES {
            if !applied(conn, *version)? {
                let script = format!("BEGIN; {sql}; INSERT INTO schema_migrations VALUES ({version}, 0); COMMIT;");
                conn.batch(&script).inspect_err(|_| {
                    let _ = conn.batch("ROLLBACK");
                })?;
            }
        }
        Ok(())
    })();
    conn.batch("SELECT pg_advisory_unlock(7345001)")?;
    result
}
