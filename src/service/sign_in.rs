//! Signing staff in to the dashboard with their e-mail and password. Failures are counted per
//! e-mail (whether or not a user has it) and per client address; past the limits both are locked
//! for a while. An unknown e-mail and a wrong password get the same answer after the same work
//! (an argon2 check against a stand-in hash), so the answer never tells whether an account
//! exists. A good password opens a session at its first stage ([`domain::session::first_stage`]).

use super::audit::{self, Audit};
use super::sessions::{self, Opened};
use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::Timestamp;
use crate::domain::access::Role;
use crate::domain::session::first_stage;
use crate::domain::tenancy::User;
use crate::store::sign_in_failures::{self, Limit, Scope};
use crate::store::staff::{self, Credentials};
use crate::store::tenancy;
use std::net::IpAddr;
use std::sync::OnceLock;

/// What a sign-in form sends.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The client's address (a proxy's, behind one).
    pub client: Option<IpAddr>,
}

/// The subjects failures count against: the e-mail as typed (trimmed, lowercased, bounded) and
/// the client address.
fn subjects(a: &Attempt) -> (String, String) {
    let email: String = a.email.trim().to_lowercase().chars().take(254).collect();
    (email, a.client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()))
}

/// The failure rules of one scope.
fn limit(ctx: &Ctx, scope: Scope) -> Limit {
    let d = &ctx.config.dashboard;
    let failures = if scope == Scope::Account { d.account_failures } else { d.address_failures };
    Limit { failures, window_secs: d.failure_window_secs, lockout_secs: d.lockout_secs }
}

/// Signs in: a session at its first stage, `TooManyAttempts` while the e-mail or the address is
/// locked, `Unauthenticated` for anything else that is wrong. Each attempt counts in
/// `paylink_dashboard_logins_total` by outcome.
pub async fn sign_in(ctx: &Ctx, attempt: Attempt<'_>) -> Result<Opened> {
    let result = try_sign_in(ctx, attempt).await;
    ctx.metrics.login(match &result {
        Ok(_) => "success",
        Err(ServiceError::Unauthenticated) => "failure",
        Err(ServiceError::TooManyAttempts) => "locked",
        Err(_) => "error",
    });
    result
}

/// [`sign_in`]'s work.
async fn try_sign_in(ctx: &Ctx, attempt: Attempt<'_>) -> Result<Opened> {
    let (account, address) = subjects(&attempt);
    let now = ctx.clock.now();
    let (a, b) = (account.clone(), address.clone());
    let locked = ctx
        .db
        .read(move |c| {
            Ok::<_, crate::store::conn::DbError>(
                sign_in_failures::locked(c, Scope::Account, &a, now)?
                    || sign_in_failures::locked(c, Scope::Address, &b, now)?,
            )
        })
        .await?;
    if locked {
        return Err(ServiceError::TooManyAttempts);
    }
    let candidates = ctx.db.read(move |c| staff::by_email(c, &account)).await?;
    match matching(candidates.clone(), attempt.password.to_owned()).await? {
        Some(found) => open_first_stage(ctx, found, subjects(&attempt).0, now).await,
        None => Err(failed(ctx, &candidates, subjects(&attempt), now).await?),
    }
}

/// A hash that matches no password, checked when no user has the e-mail so that the answer
/// takes as long as a wrong password does.
fn stand_in_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| secrets::hash_password(&secrets::base62(32)))
}

/// The first candidate whose password matches (argon2 runs on a blocking thread).
async fn matching(candidates: Vec<Credentials>, password: String) -> Result<Option<Credentials>> {
    let checked = tokio::task::spawn_blocking(move || {
        if candidates.is_empty() {
            let _ = secrets::verify_password(&password, stand_in_hash());
            return None;
        }
        candidates.into_iter().find(|c| secrets::verify_password(&password, &c.password_hash))
    });
    checked.await.map_err(|e| ServiceError::internal_from("password check", e))
}

/// Counts a failure against both subjects and audits it (and a lockout it causes) in the
/// merchant of each user the e-mail names; the caller's answer.
async fn failed(
    ctx: &Ctx,
    users: &[Credentials],
    (account, address): (String, String),
    now: Timestamp,
) -> Result<ServiceError> {
    let (account_limit, address_limit) = (limit(ctx, Scope::Account), limit(ctx, Scope::Address));
    let users: Vec<User> = users.iter().map(|c| c.user.clone()).collect();
    ctx.db
        .write(move |c| {
            let locked = sign_in_failures::record(c, Scope::Account, &account, account_limit, now)?;
            sign_in_failures::record(c, Scope::Address, &address, address_limit, now)?;
            for u in &users {
                audit::append(c, &Audit::anonymous(&u.merchant_id, now).user("user.sign_in.failed", None, u))?;
                if locked {
                    audit::append(c, &Audit::anonymous(&u.merchant_id, now).user("user.sign_in.locked", None, u))?;
                }
            }
            Ok::<_, ServiceError>(())
        })
        .await?;
    Ok(ServiceError::Unauthenticated)
}

/// Opens a session for the user whose password matched, at its first stage, in the store the
/// user works in: their branch's, or the merchant's first.
async fn open_first_stage(ctx: &Ctx, found: Credentials, account: String, now: Timestamp) -> Result<Opened> {
    let user = found.user;
    let (id, merchant, branch) = (user.id.clone(), user.merchant_id.clone(), user.branch_id.clone());
    let (store, required) = ctx
        .db
        .read(move |c| {
            let store = match &branch {
                Some(b) => tenancy::branch_store(c, b)?,
                None => tenancy::first_store(c, &merchant)?,
            };
            let store = store.ok_or(ServiceError::Unauthenticated)?;
            let required = tenancy::requires_second_factor(c, &store)?;
            Ok::<_, ServiceError>((store, required))
        })
        .await?;
    let admin = matches!(user.role, Role::Owner | Role::Admin);
    let stage = first_stage(user.two_factor_since.is_some(), user.must_change_password, required && admin);
    let audit = Audit::as_user(&user, now);
    sessions::open(ctx, &id, &store, stage, move |c| {
        sign_in_failures::clear(c, Scope::Account, &account)?;
        audit::append(c, &audit.user("user.sign_in", None, &user))
    })
    .await
}
