//! Running `paylink` commands to completion for the backup tests, and reading a database file.

use crate::admin::Scratch;
use std::collections::HashSet;

/// Runs `paylink args…`, asserting success; returns its stdout.
pub(crate) fn succeeds(scratch: &Scratch, args: &[&str]) -> String {
    let out = scratch.command(args).output().expect("run paylink");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "paylink {args:?} failed ({}): {stderr}", out.status);
    stdout.trim().to_owned()
}

/// Runs `paylink args…`, asserting failure; returns its stderr.
pub(crate) fn fails(scratch: &Scratch, args: &[&str]) -> String {
    let out = scratch.command(args).output().expect("run paylink");
    assert!(!out.status.success(), "paylink {args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The ids of every payment link in the scratch SQLite database.
pub(crate) fn link_ids(scratch: &Scratch) -> HashSet<String> {
    let conn = rusqlite::Connection::open(scratch.dir.join("paylink.db")).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM payment_links").unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}
