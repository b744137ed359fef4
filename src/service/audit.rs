//! The audit trail. A service function that changes money or access captures an [`Audit`] (who,
//! when, which request) before its write and appends one entry in the write's own transaction:
//!
//! ```text
//! let audit = Audit::by(actor, now);
//! ctx.db.write(move |c| {
//!     /* … the change … */
//!     audit::append(c, &audit.link("payment_link.cancel", Some(&before), &after))?;
//! })
//! ```
//!
//! Entries are chained afterwards by [`chain_pending`] (worker loop and `run_pending`), and
//! [`verify`] walks every chain for `paylink audit verify`.

use super::{Ctx, Result, secrets};
use crate::domain::access::Actor;
use crate::domain::audit::{AuditActor, AuditId, Break, ChainCheck, GENESIS, Head, NewAuditEntry};
use crate::domain::id::{MerchantId, StoreId};
use crate::domain::link::Link;
use crate::domain::tenancy::{ApiKey, User};
use crate::domain::{Environment, Timestamp};
use crate::dto::audit::{KeySnapshot, LinkSnapshot, UserSnapshot};
use crate::store::audit;
use crate::store::conn::{Conn, DbError};

pub use crate::store::audit::append;

/// Who acts, when, and in which request: captured in the request's task before the write,
/// because the write closure runs on a database thread where the request id is not visible.
#[derive(Clone, Debug)]
pub struct Audit {
    merchant_id: MerchantId,
    actor: AuditActor,
    request_id: Option<String>,
    now: Timestamp,
}

/// What an entry is about.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    /// `payment_link`, `user`, `api_key`, `refund`, `payment`, …
    pub object_type: &'static str,
    pub object_id: &'a str,
    /// The object's store (none for merchant-wide objects such as users).
    pub store_id: Option<&'a StoreId>,
    /// The object's environment (none for objects serving both, such as users).
    pub environment: Option<Environment>,
}

/// An object as JSON text, for an entry's `before` / `after`. Pass only secret-free shapes.
pub fn snapshot(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

impl Audit {
    /// An action by an API key's actor (its user, or the key itself when bound to a role).
    pub fn by(actor: &Actor, now: Timestamp) -> Audit {
        let recorded = AuditActor {
            id: actor.principal(),
            key_id: actor.key_id.as_ref().map(|k| k.to_string()),
            role: Some(actor.role.as_str().to_owned()),
            branch_id: actor.branch_id.as_ref().map(ToString::to_string),
        };
        Audit { merchant_id: actor.merchant_id.clone(), actor: recorded, request_id: request_id(), now }
    }

    /// An action by a user signed in to the dashboard (or signing in), as themselves.
    pub fn as_user(user: &User, now: Timestamp) -> Audit {
        let actor = AuditActor {
            id: user.id.to_string(),
            key_id: None,
            role: Some(user.role.as_str().to_owned()),
            branch_id: user.branch_id.as_ref().map(ToString::to_string),
        };
        Audit { merchant_id: user.merchant_id.clone(), actor, request_id: request_id(), now }
    }

    /// An action by someone not signed in (a failed sign-in), recorded in `merchant`'s trail.
    pub fn anonymous(merchant: &MerchantId, now: Timestamp) -> Audit {
        let actor = AuditActor { id: "anonymous".into(), key_id: None, role: None, branch_id: None };
        Audit { merchant_id: merchant.clone(), actor, request_id: request_id(), now }
    }

    /// An action by the operator through `paylink admin …` (no key, no role).
    pub fn operator(merchant: &MerchantId, now: Timestamp) -> Audit {
        let actor = AuditActor { id: "cli".into(), key_id: None, role: None, branch_id: None };
        Audit { merchant_id: merchant.clone(), actor, request_id: None, now }
    }

    /// An entry about any object; `before` / `after` are JSON text (see [`snapshot`]).
    pub fn entry(&self, t: Target<'_>, action: &str, before: Option<String>, after: Option<String>) -> NewAuditEntry {
        let (ms, rnd) = secrets::id_parts(self.now);
        NewAuditEntry {
            id: AuditId::generate(ms, rnd),
            merchant_id: self.merchant_id.clone(),
            store_id: t.store_id.cloned(),
            environment: t.environment,
            actor: self.actor.clone(),
            action: action.to_owned(),
            object_type: t.object_type.to_owned(),
            object_id: t.object_id.to_owned(),
            before,
            after,
            request_id: self.request_id.clone(),
            created_at: self.now,
        }
    }

    /// An entry about a payment link.
    pub fn link(&self, action: &str, before: Option<&Link>, after: &Link) -> NewAuditEntry {
        let t = Target {
            object_type: "payment_link",
            object_id: after.id.as_str(),
            store_id: Some(&after.store_id),
            environment: Some(after.environment),
        };
        let shot = |l: &Link| snapshot(&LinkSnapshot::from(l));
        self.entry(t, action, before.map(shot), Some(shot(after)))
    }

    /// An entry about a staff user (merchant-wide: no store or environment).
    pub fn user(&self, action: &str, before: Option<&User>, after: &User) -> NewAuditEntry {
        let t = Target { object_type: "user", object_id: after.id.as_str(), store_id: None, environment: None };
        let shot = |u: &User| snapshot(&UserSnapshot::from(u));
        self.entry(t, action, before.map(shot), Some(shot(after)))
    }

    /// An entry about a change to a user: `user.disable` / `user.enable` when that is what
    /// changed (other changes in the same request show in before / after), else `user.update`.
    pub fn user_change(&self, before: &User, after: &User) -> NewAuditEntry {
        let action = match (before.disabled_at.is_some(), after.disabled_at.is_some()) {
            (false, true) => "user.disable",
            (true, false) => "user.enable",
            _ => "user.update",
        };
        self.user(action, Some(before), after)
    }

    /// An entry about an API key (its id, name and binding; never its secret).
    pub fn key(&self, action: &str, before: Option<&ApiKey>, after: &ApiKey) -> NewAuditEntry {
        let t = Target {
            object_type: "api_key",
            object_id: after.id.as_str(),
            store_id: Some(&after.store_id),
            environment: Some(after.environment),
        };
        let shot = |k: &ApiKey| snapshot(&KeySnapshot::from(k));
        self.entry(t, action, before.map(shot), Some(shot(after)))
    }
}

/// The id the request-id middleware gave the request being handled, if any.
fn request_id() -> Option<String> {
    crate::request_id::current()
}

/// Chains every committed, unchained entry (run by the worker loop and by tests).
pub async fn chain_pending(ctx: &Ctx) -> Result<u64> {
    const BATCH: i64 = 500;
    let merchants = ctx.db.read(audit::unchained_merchants).await?;
    let mut total = 0;
    for merchant in merchants {
        loop {
            let m = merchant.clone();
            let n = ctx.db.write(move |c| audit::chain(c, &m, BATCH)).await?;
            total += n;
            if n < BATCH as u64 {
                break;
            }
        }
    }
    Ok(total)
}

/// The outcome of walking every chain.
#[derive(Debug)]
pub enum Verdict {
    /// Every chain holds: the number of entries, each chain's head, and entries still waiting to
    /// be chained (not yet covered).
    Intact { entries: i64, heads: Vec<(MerchantId, Head)>, unchained: i64 },
    /// The first broken place of the first broken chain.
    Broken(MerchantId, Break),
}

/// Walks every chain from its start, recomputing each hash (`paylink audit verify`).
pub async fn verify(ctx: &Ctx) -> Result<Verdict> {
    let merchants = ctx.db.read(audit::chains).await?;
    let (mut entries, mut heads) = (0, Vec::new());
    for merchant in merchants {
        let m = merchant.clone();
        match ctx.db.read(move |c| walk(c, &m)).await? {
            Ok(head) => {
                entries += head.last_seq;
                heads.push((merchant, head));
            }
            Err(b) => return Ok(Verdict::Broken(merchant, b)),
        }
    }
    let unchained = ctx.db.read(audit::unchained_count).await?;
    Ok(Verdict::Intact { entries, heads, unchained })
}

/// Walks one chain. The head is read before the entries, so every entry it names is visible to
/// the walk; a walk that goes past the head (a chainer moved on meanwhile) reads the head again.
fn walk(c: &mut dyn Conn, merchant: &MerchantId) -> std::result::Result<std::result::Result<Head, Break>, DbError> {
    const PAGE: i64 = 1000;
    let (mut check, mut attempt) = (ChainCheck::default(), 0);
    loop {
        attempt += 1;
        let head = audit::head(c, merchant)?.unwrap_or(Head { last_seq: 0, last_hash: GENESIS.into(), last_id: None });
        loop {
            let page = audit::chained_after(c, merchant, check.count(), PAGE)?;
            for entry in &page {
                if let Err(b) = check.step(entry) {
                    return Ok(Err(b));
                }
            }
            if (page.len() as i64) < PAGE {
                break;
            }
        }
        if check.count() <= head.last_seq || attempt == 5 {
            return Ok(check.finish(&head).map(|()| head));
        }
    }
}

pub mod log;
