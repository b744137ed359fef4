//! The audit trail's rules: what an entry holds, how its chain hash is computed, and how a chain
//! is checked. An entry's hash covers the previous entry's hash, its position and every content
//! field in a length-prefixed encoding, so altering, removing or reordering a stored entry breaks
//! the chain from that entry on.

use super::access::Role;
use super::id::{MerchantId, StoreId};
use super::{Environment, Timestamp};
use sha2::{Digest, Sha256};

/// The hash a chain starts from (the "previous hash" of entry 1).
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Roles that read the audit log of their merchant (docs/roles.md: they see everything of it).
pub fn may_read(role: Role) -> bool {
    matches!(role, Role::Owner | Role::Admin | Role::Accounting)
}

/// An audit entry id (`aud_…`): time-sortable like every other id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AuditId(String);

impl AuditId {
    /// The prefix every audit entry id starts with.
    pub const PREFIX: &'static str = "aud";

    /// A new id from the given time and randomness.
    pub fn generate(millis: u64, random: [u8; 10]) -> Self {
        AuditId(format!("aud_{}", super::id::ulid_body(millis, random)))
    }

    /// Parses an id, refusing other kinds and malformed text.
    pub fn parse(s: &str) -> Option<Self> {
        let body = s.strip_prefix("aud_")?;
        let crockford = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        let valid = body.len() == 26 && body.bytes().all(|b| crockford.contains(&b));
        valid.then(|| AuditId(s.to_owned()))
    }

    /// Rebuilds an id read back from storage.
    pub fn from_trusted(s: String) -> Self {
        AuditId(s)
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who acted: the principal (user, service key, or the operator's CLI) and what it acted with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditActor {
    /// `usr_…`, `key_…` (a key bound to a role), or `cli`.
    pub id: String,
    /// The API key used, if any.
    pub key_id: Option<String>,
    /// The role acted with (`OWNER`, …; none for the operator). Text, as recorded: a record of
    /// the past stays readable whatever roles exist later.
    pub role: Option<String>,
    /// The branch of a SUPERVISOR or CASHIER.
    pub branch_id: Option<String>,
}

/// One audit entry's content: everything the chain hash covers apart from its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAuditEntry {
    pub id: AuditId,
    pub merchant_id: MerchantId,
    /// The store of the object (none for users, which belong to the merchant).
    pub store_id: Option<StoreId>,
    /// The environment of the object (none for users, which serve both).
    pub environment: Option<Environment>,
    pub actor: AuditActor,
    /// `payment_link.create`, `key.revoke`, `refund.approve`, …
    pub action: String,
    /// `payment_link`, `user`, `api_key`, `refund`, `payment`, …
    pub object_type: String,
    pub object_id: String,
    /// JSON snapshot before the change (none for a creation); never secrets.
    pub before: Option<String>,
    /// JSON snapshot after the change; never secrets.
    pub after: Option<String>,
    /// The API request that made the change, if any.
    pub request_id: Option<String>,
    pub created_at: Timestamp,
}

fn put(h: &mut Sha256, field: Option<&str>) {
    match field {
        None => h.update([0u8]),
        Some(s) => {
            h.update([1u8]);
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        }
    }
}

/// The chain hash of `entry` at position `seq` after an entry whose hash is `prev` (lowercase
/// hex SHA-256 over a versioned, length-prefixed encoding: no two contents encode alike).
pub fn chain_hash(prev: &str, seq: i64, e: &NewAuditEntry) -> String {
    let mut h = Sha256::new();
    h.update(b"paylink-audit-v1");
    put(&mut h, Some(prev));
    h.update(seq.to_be_bytes());
    let a = &e.actor;
    let fields = [
        Some(e.id.as_str()),
        Some(e.merchant_id.as_str()),
        e.store_id.as_ref().map(StoreId::as_str),
        e.environment.map(Environment::as_str),
        Some(a.id.as_str()),
        a.key_id.as_deref(),
        a.role.as_deref(),
        a.branch_id.as_deref(),
        Some(e.action.as_str()),
        Some(e.object_type.as_str()),
        Some(e.object_id.as_str()),
        e.before.as_deref(),
        e.after.as_deref(),
        e.request_id.as_deref(),
    ];
    for f in fields {
        put(&mut h, f);
    }
    h.update(e.created_at.micros().to_be_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A chained entry as stored: its content and its chain columns.
#[derive(Clone, Debug)]
pub struct ChainedEntry {
    pub entry: NewAuditEntry,
    pub seq: i64,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The stored end of a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub last_seq: i64,
    pub last_hash: String,
    pub last_id: Option<String>,
}

/// The first place a chain is broken: the entry (id and position) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The entry's id (the head's record of it when the entry itself is gone).
    pub id: String,
    /// The position the entry holds or should hold.
    pub seq: i64,
    pub problem: String,
}

/// Walks one chain in `seq` order. Checks, in order: each position follows the previous one
/// (a gap is a missing entry), each entry names the previous entry's hash (otherwise entries were
/// reordered), and each hash is recomputed from the content (otherwise the entry was altered).
#[derive(Clone, Debug)]
pub struct ChainCheck {
    last_seq: i64,
    last_hash: String,
    last_id: Option<String>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck { last_seq: 0, last_hash: GENESIS.to_owned(), last_id: None }
    }
}

impl ChainCheck {
    /// How many entries have passed.
    pub fn count(&self) -> i64 {
        self.last_seq
    }

    /// Checks the next entry (entries must come in ascending `seq`).
    pub fn step(&mut self, c: &ChainedEntry) -> Result<(), Break> {
        let id = c.entry.id.as_str().to_owned();
        let (seq, expected) = (c.seq, self.last_seq + 1);
        let broken = |problem: String| Err(Break { id: id.clone(), seq, problem });
        if seq > expected {
            return broken(format!("missing seq {expected}: the entry before this one is gone"));
        }
        if seq < expected {
            return broken(format!("order: seq {seq} appears again after seq {}", self.last_seq));
        }
        if c.prev_hash.as_deref() != Some(self.last_hash.as_str()) {
            return broken(format!("order: the entry does not follow seq {} (previous hash differs)", self.last_seq));
        }
        let hash = chain_hash(&self.last_hash, seq, &c.entry);
        if c.hash.as_deref() != Some(hash.as_str()) {
            return broken("hash mismatch: the entry's content was changed".into());
        }
        (self.last_seq, self.last_hash, self.last_id) = (seq, hash, Some(id));
        Ok(())
    }

    /// Checks that the stored head names the last entry walked (a head further on means the
    /// chain's last entries are gone; the head's `last_id` names the last of them).
    pub fn finish(&self, head: &Head) -> Result<(), Break> {
        if head.last_seq > self.last_seq {
            let known = head.last_seq == self.last_seq + 1;
            let id = head.last_id.clone().filter(|_| known).unwrap_or_else(|| "?".into());
            let problem = format!("missing seq {}: the chain ends at seq {}", self.last_seq + 1, self.last_seq);
            return Err(Break { id, seq: self.last_seq + 1, problem });
        }
        if head.last_hash != self.last_hash || head.last_id != self.last_id {
            let id = self.last_id.clone().unwrap_or_default();
            let problem = "head mismatch: the chain head does not name this entry".into();
            return Err(Break { id, seq: self.last_seq, problem });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
