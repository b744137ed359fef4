//! The administrative operations as the `/v1` API performs them, on behalf of an actor: only
//! OWNER and ADMIN, only inside the actor's merchant and store, and ADMIN never over owners.

use super::{CreatedKey, CreatedUser, NewKey, NewUser};
use super::{
    create_branch, create_key, create_user, ensure_may_manage, key_role, require_admin, revoke_key, write_access_change,
};
use crate::domain::access::{Actor, Role};
use crate::domain::id::KeyId;
use crate::domain::tenancy::{ApiKey, Branch, User};
use crate::domain::{ErrorKind, Timestamp};
use crate::service::audit::{self, Audit};
use crate::service::{Ctx, Result, ServiceError};
use crate::store::{keys, tenancy as rows};

/// Creates a branch in the actor's store.
pub async fn add_branch(ctx: &Ctx, actor: &Actor, code: String, name: String) -> Result<Branch> {
    require_admin(actor)?;
    let (store, now) = (actor.store_id.clone(), ctx.clock.now());
    let audit = Audit::by(actor, now);
    ctx.db
        .write(move |c| {
            let b = create_branch(c, &store, &code, &name, now)?;
            audit::append(c, &branch_entry(&audit, "branch.create", None, &b))?;
            Ok(b)
        })
        .await
}

/// An audit entry about a branch (its code, name and whether it is closed).
fn branch_entry(
    audit: &Audit,
    action: &str,
    before: Option<&Branch>,
    after: &Branch,
) -> crate::domain::audit::NewAuditEntry {
    let target = audit::Target {
        object_type: "branch",
        object_id: after.id.as_str(),
        store_id: Some(&after.store_id),
        environment: None,
    };
    let shot = |b: &Branch| {
        audit::snapshot(&serde_json::json!({ "code": b.code, "name": b.name, "disabled": b.disabled_at.is_some() }))
    };
    audit.entry(target, action, before.map(shot), Some(shot(after)))
}

/// The actor's store's branches.
pub async fn branches(ctx: &Ctx, actor: &Actor) -> Result<Vec<Branch>> {
    require_admin(actor)?;
    let store = actor.store_id.clone();
    ctx.db.read(move |c| Ok(rows::list_branches(c, &store)?)).await
}

/// One branch of the actor's store.
pub async fn branch(ctx: &Ctx, actor: &Actor, id: String) -> Result<Branch> {
    require_admin(actor)?;
    let store = actor.store_id.clone();
    ctx.db.read(move |c| rows::find_branch(c, &store, &id)?.ok_or(ServiceError::NotFound)).await
}

/// Renames, disables or re-enables a branch.
pub async fn change_branch(
    ctx: &Ctx,
    actor: &Actor,
    id: String,
    name: Option<String>,
    disabled: Option<bool>,
) -> Result<Branch> {
    require_admin(actor)?;
    let (store, now) = (actor.store_id.clone(), ctx.clock.now());
    let audit = Audit::by(actor, now);
    ctx.db
        .write(move |c| {
            let mut b = rows::find_branch(c, &store, &id)?.ok_or(ServiceError::NotFound)?;
            let before = b.clone();
            if let Some(name) = name {
                if name.trim().is_empty() || name.chars().count() > 100 {
                    return Err(ServiceError::field("name", ErrorKind::Invalid, "must be 1 to 100 characters"));
                }
                b.name = name.trim().into();
            }
            if let Some(disabled) = disabled {
                b.disabled_at = if disabled { b.disabled_at.or(Some(now)) } else { None };
            }
            b.updated_at = now;
            rows::update_branch(c, &b)?;
            audit::append(c, &branch_entry(&audit, "branch.update", Some(&before), &b))?;
            Ok(b)
        })
        .await
}

/// Creates a staff user in the actor's merchant.
pub async fn add_user(
    ctx: &Ctx,
    actor: &Actor,
    email: String,
    name: String,
    role: Role,
    branch: Option<String>,
) -> Result<CreatedUser> {
    ensure_may_manage(actor, role)?;
    let (merchant, store, now) = (actor.merchant_id.clone(), actor.store_id.clone(), ctx.clock.now());
    let audit = Audit::by(actor, now);
    ctx.db
        .write(move |c| {
            let new = NewUser { email: &email, name: &name, role, branch: branch.as_deref() };
            let created = create_user(c, &merchant, &store, new, now)?;
            audit::append(c, &audit.user("user.create", None, &created.user))?;
            Ok(created)
        })
        .await
}

/// The merchant's users.
pub async fn users(ctx: &Ctx, actor: &Actor) -> Result<Vec<User>> {
    require_admin(actor)?;
    let merchant = actor.merchant_id.clone();
    ctx.db.read(move |c| Ok(rows::list_users(c, &merchant)?)).await
}

/// One user of the merchant.
pub async fn user(ctx: &Ctx, actor: &Actor, id: String) -> Result<User> {
    require_admin(actor)?;
    let merchant = actor.merchant_id.clone();
    ctx.db.read(move |c| rows::find_user(c, &merchant, &id)?.ok_or(ServiceError::NotFound)).await
}

/// Changes to a user.
#[derive(Default)]
pub struct UserChange {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub branch: Option<String>,
    pub disabled: Option<bool>,
}

/// Changes a user's name, role, branch or disabled state.
pub async fn change_user(ctx: &Ctx, actor: &Actor, id: String, ch: UserChange) -> Result<User> {
    require_admin(actor)?;
    let (actor, now) = (actor.clone(), ctx.clock.now());
    let audit = Audit::by(&actor, now);
    write_access_change(ctx, move |c| {
        let mut u = rows::find_user(c, &actor.merchant_id, &id)?.ok_or(ServiceError::NotFound)?;
        let before = u.clone();
        ensure_may_manage(&actor, u.role)?;
        if let Some(role) = ch.role {
            ensure_may_manage(&actor, role)?;
            u.role = role;
        }
        if let Some(name) = ch.name.filter(|n| !n.trim().is_empty()) {
            u.name = name.trim().chars().take(100).collect();
        }
        if let Some(branch) = ch.branch {
            let b = rows::find_branch(c, &actor.store_id, &branch)?;
            u.branch_id = Some(
                b.ok_or_else(|| ServiceError::field("branch", ErrorKind::Invalid, "is not a branch of this store"))?.id,
            );
        }
        if u.role.needs_branch() && u.branch_id.is_none() {
            return Err(ServiceError::field("branch", ErrorKind::Invalid, "is required for SUPERVISOR and CASHIER"));
        }
        if let Some(disabled) = ch.disabled {
            u.disabled_at = if disabled { u.disabled_at.or(Some(now)) } else { None };
        }
        u.updated_at = now;
        rows::update_user(c, &u)?;
        // A disabled user, or one whose role or branch changed, is signed out everywhere at once.
        let access_changed = (u.role, &u.branch_id, u.disabled_at.is_some())
            != (before.role, &before.branch_id, before.disabled_at.is_some());
        if access_changed {
            crate::store::sessions::delete_for_user(c, &u.id, None)?;
        }
        audit::append(c, &audit.user_change(&before, &u))?;
        Ok(u)
    })
    .await
}

/// What the API accepts for a new key.
pub struct KeyRequest {
    pub name: String,
    pub user: Option<String>,
    pub role: Option<Role>,
    pub branch: Option<String>,
    pub expires_at: Option<Timestamp>,
}

/// Creates a key for the actor's store and environment.
pub async fn add_key(ctx: &Ctx, actor: &Actor, r: KeyRequest) -> Result<CreatedKey> {
    require_admin(actor)?;
    let (actor, now) = (actor.clone(), ctx.clock.now());
    let audit = Audit::by(&actor, now);
    ctx.db
        .write(move |c| {
            let target = match (&r.user, r.role) {
                (Some(u), _) => rows::find_user(c, &actor.merchant_id, u)?.map(|u| u.role).unwrap_or(Role::Cashier),
                (None, Some(role)) => role,
                (None, None) => Role::Cashier,
            };
            ensure_may_manage(&actor, target)?;
            let new = NewKey {
                store: &actor.store_id,
                environment: actor.environment,
                name: &r.name,
                user: r.user.as_deref(),
                role: r.role,
                branch: r.branch.as_deref(),
                expires_at: r.expires_at,
            };
            let created = create_key(c, &actor.merchant_id, new, Some(&actor.principal()), now)?;
            audit::append(c, &audit.key("key.create", None, &created.key))?;
            Ok(created)
        })
        .await
}

/// The keys of the actor's store and environment.
pub async fn api_keys(ctx: &Ctx, actor: &Actor) -> Result<Vec<ApiKey>> {
    require_admin(actor)?;
    let (store, env) = (actor.store_id.clone(), actor.environment);
    ctx.db.read(move |c| Ok(keys::list(c, &store, env)?)).await
}

fn visible_key(c: &mut dyn crate::store::conn::Conn, actor: &Actor, id: &str) -> Result<ApiKey> {
    let id = KeyId::parse(id).ok_or(ServiceError::NotFound)?;
    keys::get(c, &actor.store_id, &id)?.filter(|k| k.environment == actor.environment).ok_or(ServiceError::NotFound)
}

/// One key of the actor's store and environment.
pub async fn api_key(ctx: &Ctx, actor: &Actor, id: String) -> Result<ApiKey> {
    require_admin(actor)?;
    let actor = actor.clone();
    ctx.db.read(move |c| visible_key(c, &actor, &id)).await
}

/// Renames a key.
pub async fn rename_key(ctx: &Ctx, actor: &Actor, id: String, name: String) -> Result<ApiKey> {
    require_admin(actor)?;
    let (actor, audit) = (actor.clone(), Audit::by(actor, ctx.clock.now()));
    ctx.db
        .write(move |c| {
            let mut k = visible_key(c, &actor, &id)?;
            ensure_may_manage(&actor, key_role(c, &actor.merchant_id, &k)?)?;
            let before = k.clone();
            k.name = name.trim().chars().take(100).collect();
            keys::rename(c, &k.id, &k.name)?;
            audit::append(c, &audit.key("key.update", Some(&before), &k))?;
            Ok(k)
        })
        .await
}

/// Revokes a key.
pub async fn revoke(ctx: &Ctx, actor: &Actor, id: String) -> Result<ApiKey> {
    require_admin(actor)?;
    let (actor, now) = (actor.clone(), ctx.clock.now());
    let audit = Audit::by(&actor, now);
    write_access_change(ctx, move |c| {
        let mut k = visible_key(c, &actor, &id)?;
        ensure_may_manage(&actor, key_role(c, &actor.merchant_id, &k)?)?;
        revoke_key(c, &k.id, now)?;
        let before = k.clone();
        k.revoked_at = Some(now);
        audit::append(c, &audit.key("key.revoke", Some(&before), &k))?;
        Ok(k)
    })
    .await
}
