//! Amwal Exchange project settings (OWNER and ADMIN, or the operator's CLI): the callback URL
//! that hears of paid invoices, whether it is on, and whether each failed callback e-mails the
//! merchant (NOTES §3). One project per store and environment; the rules live here once, for
//! the native API and the CLI alike, and every change is audited like other store settings.

use super::admin::require_admin;
use super::audit::{self, Audit, Target, snapshot};
use super::{Ctx, Result, ServiceError};
use crate::domain::access::Actor;
use crate::domain::id::StoreId;
use crate::domain::{Environment, ErrorKind, Rule, text};
use crate::store::conn::Conn;
use crate::store::exchange_projects::{self, Project};
use crate::store::tenancy;

/// Changes to a project's settings: `None` keeps a value, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct ProjectPatch {
    pub callback_url: Option<Option<String>>,
    pub callback_enabled: Option<bool>,
    pub email_on_failure: Option<bool>,
    pub failure_email: Option<Option<String>>,
}

/// The settings of the actor's project (its store, in its key's environment).
pub async fn get_project(ctx: &Ctx, actor: &Actor) -> Result<Project> {
    require_admin(actor)?;
    let (store, env) = (actor.store_id.clone(), actor.environment);
    Ok(ctx.db.read(move |c| exchange_projects::get(c, &store, env)).await?)
}

/// Changes the settings of the actor's project.
pub async fn update_project(ctx: &Ctx, actor: &Actor, patch: ProjectPatch) -> Result<Project> {
    require_admin(actor)?;
    let audit = Audit::by(actor, ctx.clock.now());
    write(ctx, actor.store_id.clone(), actor.environment, patch, move |_, _| Ok(audit)).await
}

/// Changes a store's project as the operator (`paylink admin exchange-project`); an empty patch
/// changes nothing and returns the settings.
pub async fn update_project_by_operator(
    ctx: &Ctx,
    store: StoreId,
    env: Environment,
    patch: ProjectPatch,
) -> Result<Project> {
    let now = ctx.clock.now();
    write(ctx, store, env, patch, move |c, store| {
        let merchant = tenancy::get_store(c, store)?.ok_or(ServiceError::NotFound)?.merchant_id;
        Ok(Audit::operator(&merchant, now))
    })
    .await
}

/// Applies `patch` to the stored settings and writes them with their audit entry, in one
/// transaction (an unchanged project writes nothing).
async fn write(
    ctx: &Ctx,
    store: StoreId,
    env: Environment,
    patch: ProjectPatch,
    who: impl FnOnce(&mut dyn Conn, &StoreId) -> Result<Audit> + Send + 'static,
) -> Result<Project> {
    let (checker, now) = (ctx.clone(), ctx.clock.now());
    ctx.db
        .write(move |c| {
            let audit = who(c, &store)?;
            let before = exchange_projects::get(c, &store, env)?;
            let mut after = before.clone();
            apply(&checker, env, &mut after, patch)?;
            if after == before {
                return Ok(before);
            }
            exchange_projects::put(c, &store, env, &after, now)?;
            let target = Target {
                object_type: "exchange_project",
                object_id: store.as_str(),
                store_id: Some(&store),
                environment: Some(env),
            };
            let entry = audit.entry(target, "store.exchange_project.update", Some(shot(&before)), Some(shot(&after)));
            audit::append(c, &entry)?;
            Ok(Project { updated_at: Some(now), ..after })
        })
        .await
}

/// Checks and applies a patch: a URL this environment may reach (as webhook endpoints are
/// checked), a valid e-mail address, and no callback turned on without a URL.
fn apply(ctx: &Ctx, env: Environment, p: &mut Project, patch: ProjectPatch) -> Result<()> {
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
fn shot(p: &Project) -> String {
    let url =
        p.callback_url.as_deref().map(|u| u.split_once('?').map_or(u.to_owned(), |(base, _)| format!("{base}?…")));
    snapshot(&serde_json::json!({
        "callback_url": url,
        "callback_enabled": p.callback_enabled,
        "email_on_failure": p.email_on_failure,
        "failure_email": p.failure_email,
    }))
}
