//! `paylink backup` and `paylink restore` as real processes on SQLite: a backup taken while
//! `paylink serve` is under write load restores into a new path, passes `paylink audit verify`,
//! serves, and holds every link acknowledged before the backup began. The refusals: an existing
//! FILE, a file that is not a Paylink database, a target in use, a PostgreSQL URL.

mod cli;

use crate::admin::Scratch;
use crate::processes::{Proc, free_port, printed_key, wait_ready};
use crate::writers::Writers;
use cli::{fails, succeeds};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Room for the writers and the checks after them (the counts are kept in the database, so a
/// restored copy carries the minute's count along).
pub(crate) const NO_KEY_LIMIT: (&str, &str) = ("PAYLINK_AUTH_SANDBOX_REQUESTS_PER_MINUTE", "10000000");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_write_load_restores_passes_audit_verify_and_serves() {
    let live = Scratch::sqlite();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = Proc::start(&live, &["serve"], port, &[NO_KEY_LIMIT]);
    wait_ready(&base).await;
    let key = printed_key(&live);
    let writers = Writers::start(&base, &key, 4, Duration::from_secs(10));
    let started = Instant::now();
    while writers.created().len() < 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "the writers made only {}", writers.created().len());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let before: HashSet<String> = writers.created().into_iter().collect();
    let file = live.dir.join("backup.db");
    let file_arg = file.to_string_lossy().into_owned();
    let out = tokio::task::block_in_place(|| succeeds(&live, &["backup", &file_arg]));
    let during = writers.created().len() - before.len();
    let refused = tokio::task::block_in_place(|| fails(&live, &["restore", &file_arg]));
    assert!(refused.contains("in use"), "restore onto the served database is refused: {refused}");
    let answers = writers.stop().await;
    let failed: Vec<_> = answers.iter().filter(|(_, a)| matches!(a, crate::writers::Answer::Refused(..))).collect();
    assert!(failed.is_empty(), "the backup disturbed no write: {:?}", &failed[..failed.len().min(3)]);
    println!("{} links acknowledged before the backup, {during} while it ran: {out}", before.len());
    drop(serve);

    let restored = Scratch::sqlite();
    let out = tokio::task::block_in_place(|| succeeds(&restored, &["restore", &file_arg]));
    println!("{out}");
    let verified = tokio::task::block_in_place(|| succeeds(&restored, &["audit", "verify"]));
    assert!(verified.starts_with("ok: "), "audit verify passes on the restored copy: {verified}");
    let in_copy = cli::link_ids(&restored);
    let missing: Vec<_> = before.difference(&in_copy).collect();
    assert!(missing.is_empty(), "{} acknowledged links are not in the backup: {missing:?}", missing.len());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let serve = Proc::start(&restored, &["serve"], port, &[NO_KEY_LIMIT]);
    wait_ready(&base).await;
    let client = reqwest::Client::new();
    for id in before.iter().take(20) {
        let r = client.get(format!("{base}/v1/payment_links/{id}")).bearer_auth(&key).send().await.unwrap();
        assert_eq!(r.status(), 200, "the restored server answers for {id}");
    }
    drop(serve);
    live.cleanup();
    restored.cleanup();
}

#[test]
fn a_backup_never_replaces_an_existing_file_without_force() {
    let scratch = Scratch::sqlite();
    succeeds(&scratch, &["migrate"]);
    let file = scratch.dir.join("kept.db");
    std::fs::write(&file, b"an older backup").unwrap();
    let file_arg = file.to_string_lossy().into_owned();
    let refused = fails(&scratch, &["backup", &file_arg]);
    assert!(refused.contains("exists") && refused.contains("--force"), "{refused}");
    assert_eq!(std::fs::read(&file).unwrap(), b"an older backup", "FILE is untouched");
    succeeds(&scratch, &["backup", &file_arg, "--force"]);
    assert!(std::fs::read(&file).unwrap().starts_with(b"SQLite format 3\0"), "--force replaced FILE");
    scratch.cleanup();
}

#[test]
fn restore_refuses_a_file_that_is_not_a_paylink_database() {
    let scratch = Scratch::sqlite();
    let garbage = scratch.dir.join("garbage.db");
    std::fs::write(&garbage, vec![7u8; 8192]).unwrap();
    let other = scratch.dir.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)")
        .unwrap();
    for file in [garbage, other] {
        let refused = fails(&scratch, &["restore", &file.to_string_lossy()]);
        assert!(refused.contains("not a Paylink database"), "{} is refused: {refused}", file.display());
    }
    assert!(!scratch.dir.join("paylink.db").exists(), "nothing was restored");
    scratch.cleanup();
}

#[test]
fn backup_and_restore_of_a_postgresql_database_point_at_postgresqls_own_tools() {
    let mut scratch = Scratch::sqlite();
    scratch.url = "postgres://postgres@127.0.0.1:1/paylink".to_owned();
    for command in ["backup", "restore"] {
        let refused = fails(&scratch, &[command, "copy.db"]);
        assert!(refused.contains("pg_dump") && refused.contains("pg_basebackup"), "{command}: {refused}");
    }
    assert!(!scratch.dir.join("copy.db").exists());
    scratch.cleanup();
}
