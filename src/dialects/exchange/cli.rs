//! `paylink admin exchange-project`, which this dialect adds to the operator's commands: read or
//! change a store's Amwal Exchange project settings as the operator, through the same service
//! function (and rules) as `PATCH /v1/store/exchange_project`.

use super::project::PROJECT;
use crate::cli::Flags;
use crate::domain::Environment;
use crate::domain::id::StoreId;
use crate::service::Ctx;
use crate::service::dialect_callbacks::{self, CallbackPatch};
use serde_json::{Value, json};

/// The command's usage line.
pub const USAGE: &str = "admin exchange-project --store S --environment sandbox|production [--callback-url URL|none]
        [--callback on|off] [--email-on-failure on|off] [--failure-email ADDR|none] [--json]";

/// `admin exchange-project --store S --environment E [--callback-url URL|none] [--callback on|off]
/// [--email-on-failure on|off] [--failure-email ADDR|none]`: prints the resulting settings.
pub async fn exchange_project(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let store = StoreId::parse(f.need("store")?).ok_or("--store is not a store id")?;
    let env = Environment::parse(f.need("environment")?).ok_or("--environment must be sandbox or production")?;
    let patch = CallbackPatch {
        callback_url: f.get("callback-url").map(clearable),
        callback_enabled: switch(f, "callback")?,
        email_on_failure: switch(f, "email-on-failure")?,
        failure_email: f.get("failure-email").map(clearable),
    };
    let p = dialect_callbacks::update_settings_by_operator(ctx, (store.clone(), env), PROJECT, patch)
        .await
        .map_err(|e| crate::cli::admin::explain(e).replace("--callback-enabled", "--callback"))?;
    Ok(json!({
        "project_id": store, "environment": env.as_str(), "callback_url": p.callback_url,
        "callback_enabled": p.callback_enabled, "email_on_failure": p.email_on_failure,
        "failure_email": p.failure_email, "updated_at": p.updated_at.map(|t| t.to_rfc3339()),
    }))
}

/// `none` clears a value; anything else sets it.
fn clearable(value: &str) -> Option<String> {
    (value != "none").then(|| value.to_owned())
}

/// An `on` / `off` flag, if given.
fn switch(f: &Flags, name: &str) -> Result<Option<bool>, String> {
    match f.get(name) {
        None => Ok(None),
        Some("on") => Ok(Some(true)),
        Some("off") => Ok(Some(false)),
        Some(_) => Err(format!("--{name} must be on or off")),
    }
}
