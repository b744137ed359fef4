//! `paylink backup FILE [--force]` and `paylink restore FILE`: a consistent copy of the SQLite
//! database while it serves, and putting such a copy back (with every process on the database
//! stopped). The work is in `store::backup`; PostgreSQL URLs are refused with a pointer to
//! PostgreSQL's own tools.

use super::Flags;
use crate::config::Config;
use crate::store::backup;
use std::path::Path;

/// `paylink backup FILE`: copies the configured database to FILE.
pub fn backup(config: &Config, file: &str, flags: &Flags) -> Result<(), String> {
    let source = backup::sqlite_path(&config.database_url)?;
    let copied = backup::backup(Path::new(source), Path::new(file), flags.has("force"))?;
    println!("backup of {source} written to {file} ({} bytes, schema version {})", copied.bytes, copied.schema_version);
    Ok(())
}

/// `paylink restore FILE`: replaces the configured database by the backup in FILE.
pub fn restore(config: &Config, file: &str) -> Result<(), String> {
    let target = backup::sqlite_path(&config.database_url)?;
    let copied = backup::restore(Path::new(file), Path::new(target))?;
    println!("{target} restored from {file} ({} bytes, schema version {})", copied.bytes, copied.schema_version);
    Ok(())
}
