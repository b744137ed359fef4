//! A dialect's store-level callback settings (OWNER and ADMIN, or the operator's CLI): the URL
//! that hears of the events of the dialect's links in the store, whether it is on, and whether
//! each failed callback e-mails the merchant. One per store, environment and dialect; the rules
//! live here once, for every surface a dialect offers them on, and every change is audited like
//! other store settings, under the names the dialect gives them.

use super::admin::require_admin;
use super::audit::{self, Audit, Target, snapshot};
use super::{Ctx, Result, ServiceError};
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::domain::{Environment, ErrorKind, Rule, text};
use crate::store::conn::Conn;
use crate::store::dialect_callbacks;
pub use crate::store::dialect_callbacks::StoreCallback;
use crate::store::tenancy;

/// Which dialect's settings, and the names its audit entries go by.
#[derive(Clone, Copy, Debug)]
pub struct Setting {
    /// The dialect's stored name.
    pub dialect: &'static str,
    /// The audit entry's object type (`…_project`).
    pub object_type: &'static str,
    /// The audit entry's action (`store.…_project.update`).
    pub action: &'static str,
}

/// Changes to the settings: `None` keeps a value, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct CallbackPatch {
    pub callback_url: Option<Option<String>>,
    pub callback_enabled: Option<bool>,
    pub email_on_failure: Option<bool>,
    pub failure_email: Option<Option<String>>,
}

/// The settings of the actor's store (in its key's environment).
pub async fn get_settings(ctx: &Ctx, actor: &Actor, setting: Setting) -> Result<StoreCallback> {
    require_admin(actor)?;
    settings_of(ctx, &actor.store_id, actor.environment, setting.dialect).await
}

/// The settings of a store, for the outbox (no actor: a delivery of that store asks).
pub async fn settings_of(ctx: &Ctx, store: &StoreId, env: Environment, dialect: &str) -> Result<StoreCallback> {
    let (store, dialect) = (store.clone(), dialect.to_owned());
    Ok(ctx.db.read(move |c| dialect_callbacks::get(c, &store, env, &dialect)).await?)
}

/// Changes the settings of the actor's store.
pub async fn update_settings(
    ctx: &Ctx,
    actor: &Actor,
    setting: Setting,
    patch: CallbackPatch,
) -> Result<StoreCallback> {
    require_admin(actor)?;
    let audit = Audit::by(actor, ctx.clock.now());
    write(ctx, (actor.store_id.clone(), actor.environment), setting, patch, move |_, _| Ok(audit)).await
}

/// Changes a store's settings as the operator (the CLI); an empty patch changes nothing and
/// returns the settings.
pub async fn update_settings_by_operator(
    ctx: &Ctx,
    (store, env): (StoreId, Environment),
    setting: Setting,
    patch: CallbackPatch,
) -> Result<StoreCallback> {
    let now = ctx.clock.now();
    write(ctx, (store, env), setting, patch, move |c, store| {
        let merchant = tenancy::get_store(c, store)?.ok_or(ServiceError::NotFound)?.merchant_id;
        Ok(Audit::operator(&merchant, now))
    })
    .await
}

/// Applies `patch` to the stored settings and writes them with their audit entry, in one
/// transaction (an unchanged project writes nothing).
async fn write(
    ctx: &Ctx,
    (store, env): (StoreId, Environment),
    setting: Setting,
    patch: CallbackPatch,
    who: impl FnOnce(&mut dyn Conn, &StoreId) -> Result<Audit> + Send + 'static,
) -> Result<StoreCallback> {
    let (checker, now, name) = (ctx.clone(), ctx.clock.now(), setting.dialect);
    ctx.db
        .write(move |c| {
            let audit = who(c, &store)?;
            let before = dialect_callbacks::get(c, &store, env, name)?;
            let mut after = before.clone();
            apply(&checker, env, &mut after, patch)?;
            if after == before {
                return Ok(before);
            }
            dialect_callbacks::put(c, (&store, env), name, &after, now)?;
            let target = Target {
                object_type: setting.object_type,
                object_id: store.as_str(),
                store_id: Some(&store),
                environment: Some(env),
            };
            let entry = audit.entry(target, setting.action, Some(shot(&before)), Some(shot(&after)));
            audit::append(c, &entry)?;
            Ok(StoreCallback { updated_at: Some(now), ..after })
        })
        .await
}

/// Checks and applies a patch: a URL this environment may reach (as webhook endpoints are
/// checked), a valid e-mail address, and no callback turned on without a URL.
fn apply(ctx: &Ctx, env: Environment, p: &mut StoreCallback, patch: CallbackPatch) -> Result<()> {
    if let Some(url) = patch.callback_url {
        if let Some(u) = &url {
            crate::egress::check_url(u, ctx.egress.reach_for(env))
                .map_err(|msg| ServiceError::rule("callback_url", ErrorKind::Url, Rule::NotAUrl, msg))?;
        }
        p.callback_url = url;
    }
    if let Some(email) = patch.failure_email {
        p.failure_email = match email {
            Some(e) => Some(text::parse_email(&e).ok_or_else(|| {
                ServiceError::rule("failure_email", ErrorKind::Email, Rule::NotAnEmail, "is not a valid e-mail address")
            })?),
            None => None,
        };
    }
    p.callback_enabled = patch.callback_enabled.unwrap_or(p.callback_enabled);
    p.email_on_failure = patch.email_on_failure.unwrap_or(p.email_on_failure);
    if p.callback_enabled && p.callback_url.is_none() {
        let field = if patch.callback_enabled == Some(true) { "callback_enabled" } else { "callback_url" };
        return Err(ServiceError::field(field, ErrorKind::Invalid, "a callback that is on needs a callback_url"));
    }
    Ok(())
}

/// The audit snapshot of the settings. A callback URL's query may carry the merchant's token,
/// so only its part before `?` is recorded.
fn shot(p: &StoreCallback) -> String {
    let url =
        p.callback_url.as_deref().map(|u| u.split_once('?').map_or(u.to_owned(), |(base, _)| format!("{base}?…")));
    snapshot(&serde_json::json!({
        "callback_url": url,
        "callback_enabled": p.callback_enabled,
        "email_on_failure": p.email_on_failure,
        "failure_email": p.failure_email,
    }))
}
