//! `paylink admin user create` finds `--branch` in whichever store of the merchant has it, and
//! says what to do when none or several do.

use crate::admin::Scratch;
use crate::helpers::postgres_url;
use serde_json::Value;

/// Runs `paylink admin args… --json`; (success, the JSON printed or the error text).
fn admin(scratch: &Scratch, args: &[&str]) -> (bool, Value, String) {
    let mut all = vec!["admin"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = scratch.command(&all).output().expect("run paylink");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(stdout.trim()).unwrap_or(Value::Null);
    (out.status.success(), value, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn created(scratch: &Scratch, args: &[&str], field: &str) -> String {
    let (ok, value, stderr) = admin(scratch, args);
    assert!(ok, "paylink admin {args:?}: {stderr}");
    value[field].as_str().unwrap_or_else(|| panic!("{field} in {value}")).to_owned()
}

fn user<'a>(merchant: &'a str, email: &'a str, branch: &'a str) -> Vec<&'a str> {
    vec!["user", "create", "--merchant", merchant, "--email", email, "--role", "CASHIER", "--branch", branch]
}

fn branch_codes_are_found_in_the_merchants_stores(scratch: &Scratch) {
    let args = ["merchant", "create", "--name", "Acme", "--currency", "SAR", "--owner-email", "o@acme.test"];
    let merchant = created(scratch, &args, "merchant_id");
    let args = ["store", "create", "--merchant", &merchant, "--name", "Jeddah", "--currency", "SAR"];
    let jeddah = created(scratch, &args, "store_id");
    created(scratch, &["branch", "create", "--store", &jeddah, "--code", "JED-1", "--name", "Corniche"], "branch_id");
    let args = user(&merchant, "c1@acme.test", "JED-1");
    let (ok, value, stderr) = admin(scratch, &args);
    assert!(ok && value["role"] == "CASHIER", "a branch of the second store, without --store: {stderr}");
    let args = user(&merchant, "c2@acme.test", "NOWHERE-1");
    let (ok, _, stderr) = admin(scratch, &args);
    assert!(!ok && stderr.contains("--branch NOWHERE-1 is not a branch of any store of this merchant"), "{stderr}");
    let args = ["store", "create", "--merchant", &merchant, "--name", "Jeddah 2", "--currency", "SAR"];
    let twin = created(scratch, &args, "store_id");
    created(scratch, &["branch", "create", "--store", &twin, "--code", "JED-1", "--name", "Twin"], "branch_id");
    let args = user(&merchant, "c3@acme.test", "JED-1");
    let (ok, _, stderr) = admin(scratch, &args);
    assert!(!ok && stderr.contains("several stores") && stderr.contains("--store"), "{stderr}");
    let mut args = user(&merchant, "c3@acme.test", "JED-1");
    args.extend(["--store", &twin]);
    let (ok, _, stderr) = admin(scratch, &args);
    assert!(ok, "--store settles it: {stderr}");
    let args = ["merchant", "create", "--name", "Other", "--currency", "SAR", "--owner-email", "o@other.test"];
    let other = created(scratch, &args, "store_id");
    let mut args = user(&merchant, "c4@acme.test", "JED-1");
    args.extend(["--store", &other]);
    let (ok, _, stderr) = admin(scratch, &args);
    assert!(!ok && stderr.contains("--store is not a store of this merchant"), "{stderr}");
}

#[test]
fn user_create_finds_the_branch_code_in_the_merchants_stores_on_sqlite() {
    let scratch = Scratch::sqlite();
    branch_codes_are_found_in_the_merchants_stores(&scratch);
    scratch.cleanup();
}

#[test]
fn user_create_finds_the_branch_code_in_the_merchants_stores_on_postgres() {
    let Some(server) = postgres_url() else { return };
    let scratch = Scratch::postgres(server);
    branch_codes_are_found_in_the_merchants_stores(&scratch);
    scratch.cleanup();
}
