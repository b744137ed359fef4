//! Online backup and restore of a SQLite database. Both copy with `VACUUM INTO`, which reads the
//! source inside one read transaction: in WAL mode that is a consistent snapshot while the
//! server keeps committing (readers and the writer do not block each other), and the copy is a
//! single compact file with no `-wal` beside it. The copy is written to a temporary file next to
//! its destination, checked, fsynced, and only then put in place, so a crash leaves either the
//! old file or the new one. PostgreSQL has its own tools (`pg_dump`, base backups).

use super::sqlite::in_use;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What a backup or restore wrote.
#[derive(Debug)]
pub struct Copied {
    /// Size of the written database file.
    pub bytes: u64,
    /// The newest migration applied to it.
    pub schema_version: i64,
}

/// The database file a `sqlite:` URL names, or the reason this URL cannot be backed up here.
pub fn sqlite_path(url: &str) -> Result<&str, String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err("the database is PostgreSQL: back it up with PostgreSQL's own tools — `pg_dump -Fc` for a \
                    logical copy, or `pg_basebackup` with WAL archiving for point-in-time recovery \
                    (docs/operations.md, \"Backups\"); `paylink backup` and `restore` handle SQLite only"
            .to_owned());
    }
    Ok(url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url))
}

/// Writes a consistent copy of the database at `source` to `target`, refusing to replace an
/// existing `target` unless `force`.
pub fn backup(source: &Path, target: &Path, force: bool) -> Result<Copied, String> {
    if !force && target.exists() {
        return Err(format!("{} exists; pass --force to replace it", target.display()));
    }
    if !source.is_file() {
        return Err(format!("no database at {}", source.display()));
    }
    let (tmp, schema_version) = copy_beside(source, target)?;
    let placed = if force {
        std::fs::rename(&tmp, target).map_err(|e| format!("cannot move the copy to {}: {e}", target.display()))
    } else {
        // A hard link never replaces an existing file, so a FILE created meanwhile is kept.
        let linked = std::fs::hard_link(&tmp, target).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!("{} exists; pass --force to replace it", target.display()),
            _ => format!("cannot create {}: {e}", target.display()),
        });
        let _ = std::fs::remove_file(&tmp);
        linked
    };
    placed.inspect_err(|_| remove_quietly(&tmp))?;
    sync_dir(target)?;
    summary(target, schema_version)
}

/// Replaces the database at `target` by a copy of the Paylink database in `source`. Refuses if
/// `source` is not an intact Paylink database, or if any process has `target` open.
pub fn restore(source: &Path, target: &Path) -> Result<Copied, String> {
    let _exclusive = in_use::exclusive(&target.to_string_lossy())?;
    let version = verify(source)?;
    if version > super::migrate::sqlite_latest() {
        return Err(format!(
            "{} has schema version {version}, newer than this paylink knows ({}); restore it with a newer paylink",
            source.display(),
            super::migrate::sqlite_latest()
        ));
    }
    let (tmp, schema_version) = copy_beside(source, target)?;
    // The old file's WAL and shared memory must not be applied to the new file: they go first.
    for suffix in ["-wal", "-shm", "-journal"] {
        let stale = PathBuf::from(format!("{}{suffix}", target.display()));
        if let Err(e) = std::fs::remove_file(&stale) {
            if e.kind() != std::io::ErrorKind::NotFound {
                remove_quietly(&tmp);
                return Err(format!("cannot remove {}: {e}", stale.display()));
            }
        }
    }
    std::fs::rename(&tmp, target).map_err(|e| {
        remove_quietly(&tmp);
        format!("cannot move the copy to {}: {e}", target.display())
    })?;
    sync_dir(target)?;
    summary(target, schema_version)
}

/// Copies `source` with `VACUUM INTO` to a temporary file next to `target`, checks the copy and
/// fsyncs it; returns the temporary file's path and the copy's schema version.
fn copy_beside(source: &Path, target: &Path) -> Result<(PathBuf, i64), String> {
    let name = target.file_name().ok_or_else(|| format!("{} is not a file name", target.display()))?;
    let tmp = target.with_file_name(format!(".{}.tmp-{}", name.to_string_lossy(), std::process::id()));
    remove_quietly(&tmp);
    let copied = (|| {
        let conn = open_read_only(source)?;
        conn.execute("VACUUM INTO ?1", [tmp.to_string_lossy()])
            .map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
        drop(conn);
        let version = verify(&tmp)?;
        std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| format!("cannot sync the copy: {e}"))?;
        Ok(version)
    })();
    copied.map(|v| (tmp.clone(), v)).inspect_err(|_| remove_quietly(&tmp))
}

fn open_read_only(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(30)).map_err(|e| e.to_string())?;
    Ok(conn)
}

/// Checks that `path` is an intact Paylink database; returns its schema version.
fn verify(path: &Path) -> Result<i64, String> {
    let not_paylink = |why: String| format!("{} is not a Paylink database: {why}", path.display());
    let conn = open_read_only(path)?;
    let check: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| not_paylink(e.to_string()))?;
    if check != "ok" {
        return Err(not_paylink(format!("integrity check failed: {check}")));
    }
    let version: Option<i64> = conn
        .query_row("SELECT max(version) FROM schema_migrations", [], |r| r.get(0))
        .map_err(|e| not_paylink(format!("no migrations table ({e})")))?;
    version.ok_or_else(|| not_paylink("no migration was ever applied".to_owned()))
}

fn summary(path: &Path, schema_version: i64) -> Result<Copied, String> {
    let bytes = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    Ok(Copied { bytes, schema_version })
}

/// Makes a rename or link in `path`'s directory durable.
fn sync_dir(path: &Path) -> Result<(), String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(|e| format!("cannot sync {}: {e}", dir.display()))
}

fn remove_quietly(path: &Path) {
    let _ = std::fs::remove_file(path);
}
