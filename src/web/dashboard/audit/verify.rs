//! `POST /dashboard/audit/verify`: the chain check of `paylink audit verify`
//! (`service::audit::verify`), its result shown on the list as a notice — for this merchant only:
//! the number of its entries, or its first altered entry; never another merchant's.

use super::Filters;
use super::texts::AuditTexts;
use crate::domain::audit::may_read;
use crate::service::audit::{Verdict, verify};
use crate::service::{Ctx, ServiceError};
use crate::web::dashboard::auth::Staff;
use crate::web::dashboard::error;
use axum::extract::State;
use axum::response::Response;

/// `POST /dashboard/audit/verify`.
/// The form carries only its token, which the form guard has checked.
pub async fn submit(State(ctx): State<Ctx>, staff: Staff) -> Response {
    if !may_read(staff.actor.role) {
        return error::page(ServiceError::Forbidden("only OWNER, ADMIN and ACCOUNTING read the audit log"), staff.t);
    }
    let verdict = match verify(&ctx).await {
        Ok(v) => v,
        Err(e) => return error::page(e, staff.t),
    };
    let notice = notice(AuditTexts::of(staff.session.user.language), &staff, verdict);
    super::list::render(&ctx, &staff, Filters::default(), Some(notice)).await
}

/// The verdict as this merchant may see it.
fn notice(at: &AuditTexts, staff: &Staff, verdict: Verdict) -> String {
    let mine = &staff.actor.merchant_id;
    match verdict {
        Verdict::Intact { heads, unchained, .. } => {
            let n = heads.iter().find(|(m, _)| m == mine).map_or(0, |(_, h)| h.last_seq);
            let intact = at.intact.replace("{n}", &n.to_string());
            if unchained > 0 { format!("{intact} {}", at.unchained) } else { intact }
        }
        Verdict::Broken(m, b) if &m == mine => at.broken.replace("{id}", &b.id).replace("{n}", &b.seq.to_string()),
        Verdict::Broken(..) => at.unknown.to_owned(),
    }
}
