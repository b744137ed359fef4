//! `paylink admin exchange-project` run as a real process: it prints the resulting settings,
//! changes only what it is given, and refuses bad values naming the flag — the same rules as the
//! native API, because it calls the same service function.

use crate::admin::Scratch;
use crate::helpers::postgres_url;
use serde_json::{Value, json};

/// Runs `paylink admin args… --json`: the printed object, or the error text.
fn admin(scratch: &Scratch, args: &[&str]) -> Result<Value, String> {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = scratch.command(&all).output().expect("run paylink");
    if !out.status.success() {
        assert!(out.stdout.is_empty(), "a failure prints nothing on stdout");
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).expect("one JSON object"))
}

fn settings(v: &Value) -> Value {
    json!([v["callback_url"], v["callback_enabled"], v["email_on_failure"], v["failure_email"]])
}

fn exchange_project_flow(scratch: &Scratch) {
    let m =
        admin(scratch, &["merchant", "create", "--name", "Shop", "--currency", "SAR", "--owner-email", "o@shop.test"])
            .unwrap();
    let store = m["store_id"].as_str().unwrap();
    let project = |extra: &[&str]| {
        let mut args = vec!["exchange-project", "--store", store, "--environment", "sandbox"];
        args.extend_from_slice(extra);
        admin(scratch, &args)
    };
    let shown = project(&[]).unwrap();
    assert_eq!((shown["project_id"].as_str(), shown["environment"].as_str()), (Some(store), Some("sandbox")));
    assert_eq!(settings(&shown), json!([null, false, true, null]));
    let set = project(&[
        "--callback-url",
        "https://shop.example/cb",
        "--callback",
        "on",
        "--failure-email",
        "ops@shop.example",
    ]);
    assert_eq!(settings(&set.unwrap()), json!(["https://shop.example/cb", true, true, "ops@shop.example"]));
    let changed = project(&["--email-on-failure", "off"]).unwrap();
    assert_eq!(settings(&changed), json!(["https://shop.example/cb", true, false, "ops@shop.example"]));
    assert!(changed["updated_at"].is_string());
    let cleared = project(&["--callback", "off", "--callback-url", "none", "--failure-email", "none"]).unwrap();
    assert_eq!(settings(&cleared), json!([null, false, false, null]));
    let live = admin(scratch, &["exchange-project", "--store", store, "--environment", "production"]).unwrap();
    assert_eq!(settings(&live), json!([null, false, true, null]), "production is another project");

    assert!(project(&["--failure-email", "nope"]).unwrap_err().contains("--failure-email"));
    assert!(project(&["--callback", "on"]).unwrap_err().contains("--callback "));
    assert!(project(&["--callback", "maybe"]).unwrap_err().contains("--callback must be on or off"));
    assert!(project(&["--callback-url", "gopher://x"]).unwrap_err().contains("--callback-url"));
    let live_loopback =
        ["exchange-project", "--store", store, "--environment", "production", "--callback-url", "http://127.0.0.1/cb"];
    assert!(admin(scratch, &live_loopback).unwrap_err().contains("--callback-url"));
    let unknown = ["exchange-project", "--store", "sto_01JD3ZK9QW8X7Y6V5T4S3R2Q1P", "--environment", "sandbox"];
    assert!(admin(scratch, &unknown).is_err());
    assert!(
        admin(scratch, &["exchange-project", "--store", store, "--environment", "staging"])
            .unwrap_err()
            .contains("--environment")
    );
}

#[test]
fn the_exchange_project_command_sets_and_prints_the_settings_on_sqlite() {
    let scratch = Scratch::sqlite();
    exchange_project_flow(&scratch);
    scratch.cleanup();
}

#[test]
fn the_exchange_project_command_sets_and_prints_the_settings_on_postgres() {
    let Some(server) = postgres_url() else { return };
    let scratch = Scratch::postgres(server);
    exchange_project_flow(&scratch);
    scratch.cleanup();
}
