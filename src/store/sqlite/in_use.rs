//! Who is using a SQLite database file. Every process that opens it (`serve`, `worker`, `admin`,
//! `audit`, `migrate`) keeps a read transaction open on a companion file `FILE.lock`, a tiny
//! SQLite database in rollback-journal mode where a reader holds a SHARED lock; `paylink restore`
//! takes an EXCLUSIVE lock on it without waiting, so it refuses while anything uses the file, and
//! nothing can open the file while it is being replaced. The locks are SQLite's own (POSIX file
//! locks), so a process that dies releases them, and a leftover `.lock` file means nothing.
//!
//! SQLite's locks on the database itself cannot tell "in use" apart: in WAL mode a connection
//! holds no lock on the database file between transactions.

use super::super::conn::DbError;
use rusqlite::{Connection, ErrorCode};
use std::sync::Mutex;

/// The companion lock file of the database at `path`, or `None` for an in-memory database.
pub fn lock_path(path: &str) -> Option<String> {
    if path.is_empty() || path == ":memory:" || path.starts_with("file:") {
        return None;
    }
    Some(format!("{path}.lock"))
}

/// A held lock; released when dropped (or when the process ends).
pub struct Held {
    _conn: Mutex<Connection>,
}

/// Opens the lock file with no waiting: a lock held elsewhere fails at once (SQLITE_BUSY).
fn open_lock(lock: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(lock)?;
    conn.busy_timeout(std::time::Duration::ZERO)?;
    Ok(conn)
}

fn busy(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code().is_some_and(|c| c == ErrorCode::DatabaseBusy || c == ErrorCode::DatabaseLocked)
}

/// Marks the database as in use by this process until the returned value is dropped.
pub fn share(path: &str) -> Result<Option<Held>, DbError> {
    let Some(lock) = lock_path(path) else { return Ok(None) };
    let held = open_lock(&lock).and_then(|c| {
        c.execute_batch("CREATE TABLE IF NOT EXISTS holders (x INTEGER); BEGIN; SELECT count(*) FROM holders;")?;
        Ok(c)
    });
    match held {
        Ok(conn) => Ok(Some(Held { _conn: Mutex::new(conn) })),
        Err(e) if busy(&e) => {
            Err(DbError::Unavailable(format!("{path} is being replaced by `paylink restore`; try again when it ends")))
        }
        Err(e) => Err(DbError::Unavailable(format!("cannot lock {lock}: {e}"))),
    }
}

/// Takes the database for this process alone, or says that something is using it.
pub fn exclusive(path: &str) -> Result<Option<Held>, String> {
    let Some(lock) = lock_path(path) else { return Ok(None) };
    let held = open_lock(&lock).and_then(|c| {
        c.execute_batch("BEGIN EXCLUSIVE")?;
        Ok(c)
    });
    match held {
        Ok(conn) => Ok(Some(Held { _conn: Mutex::new(conn) })),
        Err(e) if busy(&e) => Err(format!(
            "{path} is in use (a `paylink serve`, `worker`, `admin` or `audit` process has it open); stop it first"
        )),
        Err(e) => Err(format!("cannot lock {lock}: {e}")),
    }
}
