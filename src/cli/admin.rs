//! `paylink admin …`: operator commands acting on the database directly, for scripts. Each prints
//! one JSON object with `--json`, or readable lines without.

use super::Flags;
use crate::domain::access::Role;
use crate::domain::id::{KeyId, MerchantId, StoreId};
use crate::domain::{Environment, ErrorKind, Timestamp};
use crate::service::admin::{self, NewKey, NewUser};
use crate::service::audit::{self, Audit};
use crate::service::{Ctx, ServiceError, bootstrap};
use crate::store::conn::Conn;
use crate::store::tenancy;
use serde_json::{Value, json};

/// Runs one admin command.
pub async fn run(ctx: &Ctx, words: &[&str], flags: &Flags) -> Result<(), String> {
    let out = match words {
        ["merchant", "create"] => merchant_create(ctx, flags).await,
        ["store", "create"] => store_create(ctx, flags).await,
        ["branch", "create"] => branch_create(ctx, flags).await,
        ["user", "create"] => user_create(ctx, flags).await,
        ["key", "create"] => key_create(ctx, flags).await,
        ["key", "revoke"] => key_revoke(ctx, flags).await,
        _ => match crate::dialects::admin_commands().iter().find(|c| c.words == words) {
            Some(command) => (command.run)(ctx, flags).await,
            None => Err("unknown admin command; run `paylink --help`".to_owned()),
        },
    }?;
    if flags.has("json") {
        println!("{out}");
    } else if let Value::Object(map) = out {
        for (k, v) in map {
            println!("{k:<18} {}", v.as_str().map_or_else(|| v.to_string(), str::to_owned));
        }
    }
    Ok(())
}

/// A service failure as the operator reads it (`--flag message` for invalid input).
pub(crate) fn explain(e: ServiceError) -> String {
    match e {
        ServiceError::Invalid(errors) => errors
            .iter()
            .map(|f| format!("--{} {}", f.field.replace('_', "-"), f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

async fn merchant_create(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let (name, currency, email) =
        (f.need("name")?.to_owned(), f.need("currency")?.to_owned(), f.need("owner-email")?.to_owned());
    let now = ctx.clock.now();
    let m = ctx
        .db
        .write(move |c| {
            let m = bootstrap::create_merchant(c, &name, &currency, &email, now)?;
            audit_new_merchant(c, &m, now).map(|()| m)
        })
        .await
        .map_err(explain)?;
    Ok(json!({
        "merchant_id": m.merchant_id, "store_id": m.store_id, "owner_user_id": m.owner_user_id,
        "owner_email": m.owner_email, "owner_password": m.owner_password,
        "sandbox_key_id": m.sandbox_key_id, "sandbox_key": m.sandbox_key,
    }))
}

/// The owner and the sandbox key a new merchant starts with, recorded as the operator's actions
/// (they open the merchant's audit chain).
fn audit_new_merchant(c: &mut dyn Conn, m: &bootstrap::NewMerchant, now: Timestamp) -> Result<(), ServiceError> {
    let merchant = MerchantId::from_trusted(m.merchant_id.clone());
    let audit = Audit::operator(&merchant, now);
    if let Some(owner) = tenancy::find_user(c, &merchant, &m.owner_user_id)? {
        audit::append(c, &audit.user("user.create", None, &owner))?;
    }
    if let Some(key) = crate::store::keys::get_any(c, &KeyId::from_trusted(m.sandbox_key_id.clone()))? {
        audit::append(c, &audit.key("key.create", None, &key))?;
    }
    Ok(())
}

async fn store_create(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let merchant = MerchantId::parse(f.need("merchant")?).ok_or("--merchant is not a merchant id")?;
    let (name, currency, now) = (f.need("name")?.to_owned(), f.need("currency")?.to_owned(), ctx.clock.now());
    let store = ctx
        .db
        .write(move |c| {
            if !tenancy::merchant_exists(c, &merchant)? {
                return Err(ServiceError::NotFound);
            }
            admin::create_store(c, &merchant, &name, &currency, now)
        })
        .await
        .map_err(explain)?;
    Ok(json!({ "store_id": store.id, "currency": store.currency.code() }))
}

async fn branch_create(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let store = StoreId::parse(f.need("store")?).ok_or("--store is not a store id")?;
    let (code, name, now) = (f.need("code")?.to_owned(), f.need("name")?.to_owned(), ctx.clock.now());
    let branch = ctx
        .db
        .write(move |c| {
            tenancy::get_store(c, &store)?.ok_or(ServiceError::NotFound)?;
            admin::create_branch(c, &store, &code, &name, now)
        })
        .await
        .map_err(explain)?;
    Ok(json!({ "branch_id": branch.id, "code": branch.code }))
}

async fn user_create(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let merchant = MerchantId::parse(f.need("merchant")?).ok_or("--merchant is not a merchant id")?;
    let role = Role::parse(f.need("role")?)
        .ok_or("--role must be OWNER, ADMIN, OPERATION, ACCOUNTING, SUPERVISOR or CASHIER")?;
    let store = f.get("store").map(|s| StoreId::parse(s).ok_or("--store is not a store id")).transpose()?;
    let (email, name, branch) =
        (f.need("email")?.to_owned(), f.get("name").unwrap_or("").to_owned(), f.get("branch").map(str::to_owned));
    let now = ctx.clock.now();
    let created = ctx
        .db
        .write(move |c| {
            let store = user_store(c, &merchant, store, branch.as_deref())?;
            let user = NewUser { email: &email, name: &name, role, branch: branch.as_deref() };
            let created = admin::create_user(c, &merchant, &store, user, now)?;
            audit::append(c, &Audit::operator(&merchant, now).user("user.create", None, &created.user))?;
            Ok(created)
        })
        .await
        .map_err(explain)?;
    Ok(
        json!({ "user_id": created.user.id, "email": created.user.email, "role": role.as_str(), "password": created.password }),
    )
}

/// The store a new user's `--branch` is looked up in: `--store` when given (it must be the
/// merchant's); otherwise the one store of the merchant that has that branch (an id or a code);
/// without `--branch`, the merchant's first store.
fn user_store(
    c: &mut dyn Conn,
    merchant: &MerchantId,
    store: Option<StoreId>,
    branch: Option<&str>,
) -> Result<StoreId, ServiceError> {
    let invalid = |flag: &str, message: String| ServiceError::field(flag, ErrorKind::Invalid, message);
    if !tenancy::merchant_exists(c, merchant)? {
        return Err(invalid("merchant", "is not a merchant of this database".into()));
    }
    if let Some(store) = store {
        return match tenancy::get_store(c, &store)? {
            Some(s) if s.merchant_id == *merchant => Ok(store),
            _ => Err(invalid("store", "is not a store of this merchant".into())),
        };
    }
    let Some(code) = branch.filter(|b| !b.is_empty()) else {
        return tenancy::first_store(c, merchant)?.ok_or_else(|| invalid("merchant", "has no store".into()));
    };
    match tenancy::stores_with_branch(c, merchant, code)?.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(invalid("branch", format!("{code} is not a branch of any store of this merchant"))),
        several => {
            let ids: Vec<&str> = several.iter().map(StoreId::as_str).collect();
            Err(invalid(
                "branch",
                format!("{code} is a branch of several stores ({}): choose one with --store", ids.join(", ")),
            ))
        }
    }
}

async fn key_create(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let store = StoreId::parse(f.need("store")?).ok_or("--store is not a store id")?;
    let environment =
        Environment::parse(f.need("environment")?).ok_or("--environment must be sandbox or production")?;
    let role = f.get("role").map(|r| Role::parse(r).ok_or("--role is not a role")).transpose()?;
    let expires_at =
        f.get("expires-at").map(|t| Timestamp::parse_rfc3339(t).ok_or("--expires-at must be RFC 3339")).transpose()?;
    let (user, branch, name) = (
        f.get("user").map(str::to_owned),
        f.get("branch").map(str::to_owned),
        f.get("name").unwrap_or("CLI key").to_owned(),
    );
    let now = ctx.clock.now();
    let created = ctx
        .db
        .write(move |c| {
            let s = tenancy::get_store(c, &store)?.ok_or(ServiceError::NotFound)?;
            let new = NewKey {
                store: &store,
                environment,
                name: &name,
                user: user.as_deref(),
                role,
                branch: branch.as_deref(),
                expires_at,
            };
            let created = admin::create_key(c, &s.merchant_id, new, Some("cli"), now)?;
            audit::append(c, &Audit::operator(&s.merchant_id, now).key("key.create", None, &created.key))?;
            Ok(created)
        })
        .await
        .map_err(explain)?;
    Ok(json!({ "key_id": created.key.id, "environment": environment.as_str(), "secret": created.secret }))
}

async fn key_revoke(ctx: &Ctx, f: &Flags) -> Result<Value, String> {
    let key = KeyId::parse(f.need("key")?).ok_or("--key is not a key id")?;
    let now = ctx.clock.now();
    let id = key.clone();
    ctx.db
        .write(move |c| {
            let before = crate::store::keys::get_any(c, &id)?.ok_or(ServiceError::NotFound)?;
            admin::revoke_key(c, &id, now)?;
            let merchant = tenancy::get_store(c, &before.store_id)?.ok_or(ServiceError::NotFound)?.merchant_id;
            let after = crate::domain::tenancy::ApiKey { revoked_at: Some(now), ..before.clone() };
            audit::append(c, &Audit::operator(&merchant, now).key("key.revoke", Some(&before), &after))?;
            Ok(())
        })
        .await
        .map_err(explain)?;
    Ok(json!({ "key_id": key, "revoked": true }))
}
