//! Auth tokens for dialects whose clients trade an API key for a bearer token first: an opaque
//! random token stands for the same key for a while (the dialect says how long). Only its digest is
//! stored; using the token checks, each time, that it has not expired and that its key is still
//! usable (not revoked or expired, its user not disabled), and counts against the key's rate
//! limit like the key itself. Expired rows are pruned whenever a token is issued.

use super::{Ctx, Result, ServiceError, auth, rate_limit, secrets};
use crate::domain::Timestamp;
use crate::domain::access::Actor;
use crate::domain::tenancy::{Store, User};
use crate::store::{dialect_tokens, keys, tenancy};

/// The token's length: 128 base62 characters (≈ 760 bits).
const TOKEN_CHARS: usize = 128;

/// A token just issued, with what the answer shows of its key's owner.
pub struct Issued {
    /// The token (shown once; only its digest is kept).
    pub token: String,
    /// When it stops working.
    pub expires_at: Timestamp,
    /// Who the key acts as.
    pub actor: Actor,
    /// The key's store.
    pub store: Store,
    /// The key's user, for a key bound to one.
    pub user: Option<User>,
}

/// Trades a secret API key for a token that works for `lifetime_secs`.
pub async fn issue(ctx: &Ctx, api_key: &str, lifetime_secs: i64) -> Result<Issued> {
    let actor = auth::authenticate(ctx, api_key).await?;
    let token = secrets::base62(TOKEN_CHARS);
    let (digest, now) = (secrets::digest(&token), ctx.clock.now());
    let expires_at = now.plus_secs(lifetime_secs);
    let key = actor.key_id.clone().ok_or(ServiceError::Unauthenticated)?;
    ctx.db
        .write(move |c| {
            dialect_tokens::prune(c, now)?;
            dialect_tokens::insert(c, &digest, &key, expires_at, now)
        })
        .await?;
    let (store, merchant, user) = (actor.store_id.clone(), actor.merchant_id.clone(), actor.user_id.clone());
    let (store, user) = ctx
        .db
        .read(move |c| {
            let store = tenancy::get_store(c, &store)?;
            let user = match user {
                Some(u) => tenancy::find_user(c, &merchant, u.as_str())?,
                None => None,
            };
            Ok::<_, ServiceError>((store, user))
        })
        .await?;
    Ok(Issued { token, expires_at, store: store.ok_or(ServiceError::NotFound)?, user, actor })
}

/// The actor a token stands for, or `Unauthenticated` (unknown, expired, or its key no longer
/// usable). Counts one request against the key's rate limit.
pub async fn authenticate(ctx: &Ctx, token: &str) -> Result<Actor> {
    if token.is_empty() || token.len() > 512 {
        return Err(ServiceError::Unauthenticated);
    }
    let (digest, now) = (secrets::digest(token), ctx.clock.now());
    let lookup = ctx
        .db
        .read(move |c| match dialect_tokens::key_of(c, &digest, now)? {
            Some(key) => keys::find_by_id(c, &key),
            None => Ok(None),
        })
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    let expired = lookup.expires_at.is_some_and(|at| at <= now);
    if lookup.revoked || lookup.user_disabled || expired {
        return Err(ServiceError::Unauthenticated);
    }
    rate_limit::check(ctx, &lookup.actor).await?;
    Ok(lookup.actor)
}
