//! The audit log as the API shows it, and the snapshots its entries keep of the objects they are
//! about. Snapshots hold what matters for money and access and never a secret: no key digest or
//! prefix, no password, no link secret or short code.

use crate::domain::link::Link;
use crate::domain::tenancy::{ApiKey, KeyBinding, User};
use crate::domain::{Environment, Timestamp};
use crate::store::audit::StoredAudit;
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// A payment link as an audit entry records it.
#[derive(Serialize)]
pub struct LinkSnapshot {
    id: String,
    status: &'static str,
    amount_minor: i64,
    currency: &'static str,
    title: String,
    reference_id: Option<String>,
    branch_id: Option<String>,
    created_by: String,
    single_use: bool,
    max_payments: Option<i64>,
    expires_at: Option<String>,
    payments_count: i64,
    amount_paid_minor: i64,
}

impl From<&Link> for LinkSnapshot {
    fn from(l: &Link) -> Self {
        LinkSnapshot {
            id: l.id.to_string(),
            status: l.status.as_str(),
            amount_minor: l.amount.minor(),
            currency: l.amount.currency().code(),
            title: l.title.clone(),
            reference_id: l.reference_id.clone(),
            branch_id: l.branch_id.as_ref().map(ToString::to_string),
            created_by: l.created_by.clone(),
            single_use: l.single_use,
            max_payments: l.max_payments,
            expires_at: l.expires_at.map(Timestamp::to_rfc3339),
            payments_count: l.payments_count,
            amount_paid_minor: l.amount_paid_minor,
        }
    }
}

/// A staff user as an audit entry records it.
#[derive(Serialize)]
pub struct UserSnapshot {
    id: String,
    email: String,
    name: String,
    role: &'static str,
    branch_id: Option<String>,
    disabled: bool,
}

impl From<&User> for UserSnapshot {
    fn from(u: &User) -> Self {
        UserSnapshot {
            id: u.id.to_string(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.as_str(),
            branch_id: u.branch_id.as_ref().map(ToString::to_string),
            disabled: u.disabled_at.is_some(),
        }
    }
}

/// An API key as an audit entry records it: who it acts as, never its secret.
#[derive(Serialize)]
pub struct KeySnapshot {
    id: String,
    name: String,
    environment: &'static str,
    user_id: Option<String>,
    role: Option<&'static str>,
    branch_id: Option<String>,
    expires_at: Option<String>,
    revoked: bool,
}

impl From<&ApiKey> for KeySnapshot {
    fn from(k: &ApiKey) -> Self {
        let (user_id, role, branch_id) = match &k.binding {
            KeyBinding::User(u) => (Some(u.to_string()), None, None),
            KeyBinding::Role { role, branch_id } => {
                (None, Some(role.as_str()), branch_id.as_ref().map(ToString::to_string))
            }
        };
        KeySnapshot {
            id: k.id.to_string(),
            name: k.name.clone(),
            environment: k.environment.as_str(),
            user_id,
            role,
            branch_id,
            expires_at: k.expires_at.map(Timestamp::to_rfc3339),
            revoked: k.revoked_at.is_some(),
        }
    }
}

/// Who acted.
#[derive(Serialize, ToSchema)]
pub struct AuditActorOut {
    /// The user (`usr_…`), the service key (`key_…`) for a key bound to a role, or `cli` for the
    /// operator's command line.
    pub id: String,
    /// The API key used (`key_…`), if any.
    pub key_id: Option<String>,
    /// The role acted with (none for the operator).
    pub role: Option<String>,
    /// The branch of a SUPERVISOR or CASHIER.
    pub branch_id: Option<String>,
}

/// One recorded action that changed money or access.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    /// Entry id (`aud_…`).
    pub id: String,
    /// Always `audit_entry`.
    pub object: &'static str,
    /// Position in the merchant's hash chain (null for a moment after the change commits, until
    /// the chaining worker has run).
    pub sequence: Option<i64>,
    /// `payment_link.create`, `payment_link.cancel`, `user.create`, `user.update`,
    /// `user.disable`, `user.enable`, `key.create`, `key.update`, `key.revoke`, `refund.request`,
    /// `refund.approve`, `refund.reject`, `payment.record_offline`.
    pub action: String,
    /// Who acted.
    pub actor: AuditActorOut,
    /// The store of the object (null for users, which belong to the merchant).
    pub store_id: Option<String>,
    /// The environment of the object (null for users, which serve both).
    pub environment: Option<Environment>,
    /// `payment_link`, `user`, `api_key`, `refund`, `payment`.
    pub object_type: String,
    /// Id of the object.
    pub object_id: String,
    /// The object before the change (null for a creation); never secrets.
    #[schema(value_type = Option<Object>)]
    pub before: Option<Box<RawValue>>,
    /// The object after the change; never secrets.
    #[schema(value_type = Option<Object>)]
    pub after: Option<Box<RawValue>>,
    /// The API request that made the change (`x-request-id`), if any.
    pub request_id: Option<String>,
    /// When (RFC 3339).
    pub created_at: String,
    /// Hash of the previous entry in the chain (null until chained).
    pub prev_hash: Option<String>,
    /// SHA-256 over the previous hash, the position and this entry's content (hex; null until
    /// chained). `paylink audit verify` recomputes it.
    pub hash: Option<String>,
}

fn raw(json: Option<String>) -> Option<Box<RawValue>> {
    json.and_then(|j| RawValue::from_string(j).ok())
}

impl From<StoredAudit> for AuditEntryOut {
    fn from(s: StoredAudit) -> Self {
        let e = s.entry;
        AuditEntryOut {
            id: e.id.as_str().to_owned(),
            object: "audit_entry",
            sequence: s.seq,
            action: e.action,
            actor: AuditActorOut {
                id: e.actor.id,
                key_id: e.actor.key_id,
                role: e.actor.role,
                branch_id: e.actor.branch_id,
            },
            store_id: e.store_id.map(|s| s.to_string()),
            environment: e.environment,
            object_type: e.object_type,
            object_id: e.object_id,
            before: raw(e.before),
            after: raw(e.after),
            request_id: e.request_id,
            created_at: e.created_at.to_rfc3339(),
            prev_hash: s.prev_hash,
            hash: s.hash,
        }
    }
}
