//! Dashboard sessions. A session's cookie carries 256 random bits; the database keeps only their
//! digest, with the user, the store and environment the session works in, its stage, and when it
//! was last seen. Every instance reads the same rows, so any instance serves any session, and
//! ending a user's sessions (disabled, password changed, role changed) ends them everywhere.

use super::{Ctx, Result, ServiceError, secrets};
use crate::domain::access::Actor;
use crate::domain::id::{StoreId, UserId};
use crate::domain::session::{Stage, Timeouts};
use crate::domain::tenancy::{Store, User};
use crate::domain::{Environment, Timestamp};
use crate::store::conn::{Conn, DbError};
use crate::store::sessions::{self, SessionRow};
use crate::store::tenancy;

/// How often (at most) a session's `last_seen_at` is written: the idle timeout is coarse, and a
/// write on every request would load the writer for nothing.
const TOUCH_EVERY_SECS: i64 = 60;

/// A session just opened: the value for the cookie (shown once, never stored) and its stage.
pub struct Opened {
    pub cookie: String,
    pub stage: Stage,
}

/// A live session with its user and store.
#[derive(Clone, Debug)]
pub struct StaffSession {
    /// The digest the session is stored under.
    pub digest: String,
    pub user: User,
    pub store: Store,
    /// The store's time zone: the dashboard shows every time on the store's clock.
    pub zone: crate::domain::zone::Zone,
    pub environment: Environment,
    pub stage: Stage,
}

impl StaffSession {
    /// The actor the dashboard acts as: the user, in the session's store and environment.
    pub fn actor(&self) -> Actor {
        Actor {
            merchant_id: self.user.merchant_id.clone(),
            store_id: self.store.id.clone(),
            environment: self.environment,
            role: self.user.role,
            branch_id: self.user.branch_id.clone(),
            user_id: Some(self.user.id.clone()),
            key_id: None,
        }
    }
}

/// The configured lifetimes.
pub fn timeouts(ctx: &Ctx) -> Timeouts {
    let d = &ctx.config.dashboard;
    Timeouts { idle_secs: d.session_idle_secs, absolute_secs: d.session_absolute_secs }
}

/// Opens a session for `user` in `store` at `stage`, running `also` in the same transaction (the
/// sign-in's audit entry and bookkeeping). The sandbox is where a new session starts.
pub async fn open(
    ctx: &Ctx,
    user: &UserId,
    store: &StoreId,
    stage: Stage,
    also: impl FnOnce(&mut dyn Conn) -> std::result::Result<(), DbError> + Send + 'static,
) -> Result<Opened> {
    let cookie = secrets::base62(43);
    let now = ctx.clock.now();
    let row = SessionRow {
        digest: secrets::digest(&cookie),
        user_id: user.clone(),
        store_id: store.clone(),
        environment: Environment::Sandbox,
        stage,
        created_at: now,
        last_seen_at: now,
        expires_at: now.plus_secs(timeouts(ctx).absolute_secs),
    };
    ctx.db
        .write(move |c| {
            sessions::insert(c, &row)?;
            also(c)
        })
        .await?;
    Ok(Opened { cookie, stage })
}

/// The live session a cookie value names, or `None` (unknown, timed out, or its user disabled).
pub async fn find(ctx: &Ctx, cookie: &str) -> Result<Option<StaffSession>> {
    let digest = secrets::digest(cookie);
    let now = ctx.clock.now();
    let found = ctx.db.read(move |c| load(c, &digest)).await?;
    let Some((row, user, store, zone)) = found else { return Ok(None) };
    if timeouts(ctx).ends_at(row.last_seen_at, row.expires_at) <= now || user.disabled_at.is_some() {
        let digest = row.digest.clone();
        ctx.db.write(move |c| sessions::delete(c, &digest)).await?;
        return Ok(None);
    }
    if now.micros() - row.last_seen_at.micros() >= TOUCH_EVERY_SECS * 1_000_000 {
        let digest = row.digest.clone();
        ctx.db.write(move |c| sessions::touch(c, &digest, now)).await?;
    }
    let (digest, environment, stage) = (row.digest, row.environment, row.stage);
    let zone =
        zone.and_then(|z| crate::domain::zone::Zone::parse(&z)).unwrap_or_else(crate::domain::zone::Zone::default_zone);
    Ok(Some(StaffSession { digest, user, store, zone, environment, stage }))
}

type Loaded = (SessionRow, User, Store, Option<String>);

fn load(c: &mut dyn Conn, digest: &str) -> std::result::Result<Option<Loaded>, DbError> {
    let Some(row) = sessions::get(c, digest)? else { return Ok(None) };
    let Some(user) = crate::store::staff::by_id(c, &row.user_id)?.map(|cr| cr.user) else { return Ok(None) };
    let Some(store) = tenancy::get_store(c, &row.store_id)? else { return Ok(None) };
    let zone = crate::store::store_profile::zone_name(c, &row.store_id)?;
    Ok(Some((row, user, store, zone)))
}

/// Ends the session (sign-out).
pub async fn end(ctx: &Ctx, session: &StaffSession) -> Result<()> {
    let digest = session.digest.clone();
    Ok(ctx.db.write(move |c| sessions::delete(c, &digest)).await?)
}

/// Moves the session from `from` to `to` inside the caller's transaction; a session no longer at
/// `from` (another tab moved it on) is refused.
pub fn advance(c: &mut dyn Conn, session: &StaffSession, from: Stage, to: Stage) -> Result<()> {
    match sessions::advance(c, &session.digest, from, to)? {
        true => Ok(()),
        false => Err(ServiceError::Unauthenticated),
    }
}

/// Switches the session to the other environment (sandbox ⇄ production) of its store.
pub async fn switch_environment(ctx: &Ctx, session: &StaffSession, env: Environment) -> Result<()> {
    let (digest, store) = (session.digest.clone(), session.store.id.clone());
    Ok(ctx.db.write(move |c| sessions::set_scope(c, &digest, &store, env)).await?)
}

/// Remembers the dashboard language of the session's user.
pub async fn set_language(ctx: &Ctx, session: &StaffSession, lang: crate::domain::link::Language) -> Result<()> {
    let id = session.user.id.clone();
    Ok(ctx.db.write(move |c| crate::store::staff::set_language(c, &id, lang)).await?)
}

/// Removes sessions past their absolute end (a background job).
pub async fn purge_expired(ctx: &Ctx) -> Result<u64> {
    let now: Timestamp = ctx.clock.now();
    Ok(ctx.db.write(move |c| sessions::delete_expired(c, now)).await?)
}
