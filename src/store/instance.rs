//! Secrets the installation's instances share, created once.

use super::columns::Only;
use super::conn::{Conn, DbError};
use crate::params;

/// The secret called `name`, stored as `fresh` if it does not exist yet (the first instance to
/// start wins; the others read its value).
pub fn secret(c: &mut dyn Conn, name: &str, fresh: &str) -> Result<String, DbError> {
    c.execute(
        "INSERT INTO instance_secrets (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![name, fresh],
    )?;
    c.query_opt("SELECT value FROM instance_secrets WHERE name = ?1", params![name])?
        .ok_or_else(|| DbError::Other(format!("instance secret {name} vanished")))?
        .text(Only)
}
