//! The audit log as OWNER, ADMIN and ACCOUNTING read it: every entry of their merchant (all its
//! stores) in their key's environment, plus the entries that belong to no environment (users).

use super::super::{Ctx, Result, ServiceError};
use crate::domain::access::Actor;
use crate::domain::audit::{self, AuditId};
use crate::domain::{ErrorKind, FieldError};
use crate::service::list_params;
use crate::store::audit::StoredAudit;
use crate::store::audit::list::{self, Query};
use crate::store::keyset::Page;

/// List parameters as received (the `/v1/audit_log` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditListInput {
    /// Only this action (`payment_link.cancel`, `key.revoke`, …).
    pub action: Option<String>,
    /// Only entries about this object (`plink_…`, `usr_…`, `key_…`).
    pub object_id: Option<String>,
    /// Only actions by this principal (`usr_…`, `key_…`, `cli`) or made with this key.
    pub actor: Option<String>,
    /// Created at or after (RFC 3339 or YYYY-MM-DD).
    pub created_from: Option<String>,
    /// Created before (RFC 3339 or YYYY-MM-DD).
    pub created_to: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

fn require_reader(actor: &Actor) -> Result<()> {
    if audit::may_read(actor.role) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden("only OWNER, ADMIN and ACCOUNTING read the audit log"))
    }
}

/// Lists the merchant's audit entries, newest first.
pub async fn list_entries(ctx: &Ctx, actor: &Actor, i: AuditListInput) -> Result<Page<StoredAudit>> {
    require_reader(actor)?;
    let query = check(actor, i)?;
    ctx.db
        .read(move |c| {
            list::run(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not an entry of this audit log")
            })
        })
        .await
}

fn check(actor: &Actor, i: AuditListInput) -> Result<Query> {
    let mut errors = Vec::new();
    let mut bad = |field: &str, msg: &str| errors.push(FieldError::new(field, ErrorKind::Invalid, msg));
    let (created_from, created_to) =
        list_params::created_range(i.created_from.as_deref(), i.created_to.as_deref(), &mut bad);
    let limit = list_params::limit(i.limit, &mut bad);
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        let id = AuditId::parse(s);
        if id.is_none() {
            errors.push(FieldError::new("starting_after", ErrorKind::Invalid, "is not an audit entry id"));
        }
        id
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    Ok(Query {
        merchant_id: actor.merchant_id.clone(),
        environment: actor.environment,
        action: i.action,
        object_id: i.object_id,
        actor: i.actor,
        created_from,
        created_to,
        limit,
        starting_after,
    })
}

/// Reads one entry of the merchant's audit log.
pub async fn get_entry(ctx: &Ctx, actor: &Actor, id: &str) -> Result<StoredAudit> {
    require_reader(actor)?;
    let id = AuditId::parse(id).ok_or(ServiceError::NotFound)?;
    let (merchant, env) = (actor.merchant_id.clone(), actor.environment);
    ctx.db.read(move |c| list::get(c, &merchant, env, &id)?.ok_or(ServiceError::NotFound)).await
}
