//! Tampering with the audit log directly in the database — altering, deleting or reordering a
//! row — makes the real `paylink audit verify` fail and name the first bad entry, on SQLite and
//! PostgreSQL. The entries come from the operator CLI; chaining and the tampering run in-process
//! on the same database.

use crate::admin::Scratch;
use crate::helpers::postgres_url;
use paylink::clock::Clock;
use paylink::config::Config;
use paylink::service::Ctx;
use serde_json::Value;

/// Runs `paylink …` on the scratch database; (success, stdout, stderr).
fn paylink(scratch: &Scratch, args: &[&str]) -> (bool, String, String) {
    let out = scratch.command(args).output().expect("run paylink");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

fn admin(scratch: &Scratch, args: &[&str]) -> Value {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    all.push("--json");
    let (ok, stdout, stderr) = paylink(scratch, &all);
    assert!(ok, "paylink {all:?}: {stderr}");
    serde_json::from_str(stdout.trim()).expect("one JSON object")
}

pub(crate) async fn open(scratch: &Scratch) -> Ctx {
    let url = scratch.url.clone();
    let config = Config::from_sources(None, move |k| (k == "PAYLINK_DATABASE_URL").then(|| url.clone())).unwrap();
    paylink::app::build(config, Clock::system()).await.expect("open the scratch database")
}

pub(crate) async fn sql(ctx: &Ctx, statements: &str) {
    let statements: Vec<String> = statements.split(';').map(str::to_owned).collect();
    ctx.db
        .write(move |c| {
            statements.iter().filter(|s| !s.trim().is_empty()).try_for_each(|s| c.execute(s, &[]).map(|_| ()))
        })
        .await
        .expect("tampering statement");
}

/// The entries' ids in chain order.
async fn ids(ctx: &Ctx) -> Vec<String> {
    let rows = ctx.db.read(|c| c.query("SELECT id FROM audit_log ORDER BY seq", &[])).await.unwrap();
    rows.into_iter().map(|r| r.text(0).unwrap()).collect()
}

/// Six entries by the operator: the new merchant's owner and key, two users, a key made and revoked.
fn operator_actions(scratch: &Scratch) {
    let m =
        admin(scratch, &["merchant", "create", "--name", "Acme", "--currency", "SAR", "--owner-email", "o@acme.test"]);
    let (merchant, store) = (m["merchant_id"].as_str().unwrap(), m["store_id"].as_str().unwrap());
    admin(scratch, &["user", "create", "--merchant", merchant, "--email", "a@acme.test", "--role", "ADMIN"]);
    admin(scratch, &["user", "create", "--merchant", merchant, "--email", "b@acme.test", "--role", "ACCOUNTING"]);
    let k = admin(scratch, &["key", "create", "--store", store, "--environment", "sandbox", "--role", "OPERATION"]);
    admin(scratch, &["key", "revoke", "--key", k["key_id"].as_str().unwrap()]);
}

fn assert_intact(scratch: &Scratch, n: usize) {
    let (ok, stdout, stderr) = paylink(scratch, &["audit", "verify"]);
    assert!(ok && stdout.starts_with(&format!("ok: {n} entries\n")), "{stdout}{stderr}");
}

async fn tamper_flow(scratch: &Scratch) {
    operator_actions(scratch);
    let ctx = open(scratch).await;
    paylink::service::audit::chain_pending(&ctx).await.unwrap();
    assert_intact(scratch, 6);
    let ids = ids(&ctx).await;
    sql(&ctx, "CREATE TABLE audit_copy AS SELECT * FROM audit_log").await;
    let swap = |col: &str| {
        format!(
            "UPDATE audit_log SET {col} = (SELECT {col} FROM audit_copy WHERE seq = 3) WHERE seq = 2; \
             UPDATE audit_log SET {col} = (SELECT {col} FROM audit_copy WHERE seq = 2) WHERE seq = 3"
        )
    };
    let cases: [(&str, String, usize, &str); 6] = [
        ("altered content", "UPDATE audit_log SET after_state = '{}' WHERE seq = 4".into(), 4, "hash mismatch"),
        ("altered actor", "UPDATE audit_log SET actor_id = 'usr_forged' WHERE seq = 1".into(), 1, "hash mismatch"),
        ("deleted", "DELETE FROM audit_log WHERE seq = 3".into(), 4, "missing seq 3"),
        ("deleted last", "DELETE FROM audit_log WHERE seq = 6".into(), 6, "missing seq 6"),
        (
            "reordered",
            "UPDATE audit_log SET seq = -1 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; \
             UPDATE audit_log SET seq = 3 WHERE seq = -1"
                .into(),
            2,
            "order",
        ),
        ("contents swapped", format!("{}; {}", swap("action"), swap("after_state")), 2, "hash mismatch"),
    ];
    for (name, tampering, seq, problem) in cases {
        sql(&ctx, &tampering).await;
        let (ok, stdout, stderr) = paylink(scratch, &["audit", "verify"]);
        assert!(!ok, "{name}: verify passed: {stdout}");
        // "deleted": the first bad place is the gap before seq 4, named by the entry after it.
        let id = if name == "reordered" { &ids[2] } else { &ids[seq - 1] };
        let named = format!("entry {id} (seq {seq}): {problem}");
        assert!(stderr.contains(&named), "{name}: expected `{named}` in: {stderr}");
        sql(&ctx, "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_copy").await;
        assert_intact(scratch, 6);
    }
    drop(ctx);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_with_the_audit_log_is_detected_and_named_on_sqlite() {
    let scratch = Scratch::sqlite();
    tamper_flow(&scratch).await;
    scratch.cleanup();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_with_the_audit_log_is_detected_and_named_on_postgres() {
    let Some(server) = postgres_url() else { return };
    let scratch = Scratch::postgres(server);
    tamper_flow(&scratch).await;
    scratch.cleanup();
}
