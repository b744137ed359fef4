//! The payments and refunds behind a report, as CSV: the succeeded rows completed in the range
//! (what the report's figures sum), oldest first, walked in keyset pages so memory stays flat at
//! any size. Not for roles without the export right (as the links export).

use super::{ReportInput, Window, branch, currency, range};
use crate::domain::Timestamp;
use crate::domain::access::{self, Action, Actor};
use crate::domain::csv::{BOM, push_row};
use crate::domain::id::BranchId;
use crate::domain::money::{Currency, Money};
use crate::service::{Ctx, Result, ServiceError, store_profile};
use crate::store::reports::{self, ExportKind, ExportRow};

/// Rows per read.
pub const PAGE_SIZE: i64 = 500;

const PAYMENTS: [&str; 9] =
    ["id", "completed_at", "payment_link_id", "amount", "currency", "method", "place", "branch_id", "link_created_by"];
const REFUNDS: [&str; 10] = [
    "id",
    "completed_at",
    "payment_id",
    "payment_link_id",
    "amount",
    "currency",
    "kind",
    "reason",
    "branch_id",
    "link_created_by",
];

/// An export under way.
pub struct RangeExport {
    actor: Actor,
    kind: ExportKind,
    currency: Currency,
    branch: Option<BranchId>,
    span: (Timestamp, Timestamp),
    after: Option<(Timestamp, String)>,
    started: bool,
    done: bool,
}

/// Starts exporting `kind` for the report `input` asks for; refused (403) or a bad range (400)
/// before any byte is sent.
pub async fn start(ctx: &Ctx, actor: &Actor, input: ReportInput, kind: ExportKind) -> Result<RangeExport> {
    if !access::may(actor, Action::Export) {
        return Err(ServiceError::Forbidden("this role cannot export"));
    }
    let zone = store_profile::zone(ctx, &actor.store_id).await?;
    let (from, to) = range(&zone, ctx, input.from.as_deref(), input.to.as_deref())?;
    let currency = currency(ctx, actor, input.currency.as_deref()).await?;
    let branch = branch(ctx, actor, input.branch_id).await?;
    let span = (zone.start_of(from), zone.start_of(to.next().unwrap_or(to)));
    Ok(RangeExport { actor: actor.clone(), kind, currency, branch, span, after: None, started: false, done: false })
}

impl RangeExport {
    /// The next piece of the file (the byte order mark and header first); `None` after the last.
    pub async fn next(&mut self, ctx: &Ctx) -> Result<Option<String>> {
        if self.done {
            return Ok(None);
        }
        let rows = self.read(ctx).await?;
        let mut out = String::new();
        if !self.started {
            out.push_str(BOM);
            push_row(&mut out, if self.kind == ExportKind::Payments { &PAYMENTS[..] } else { &REFUNDS[..] });
            self.started = true;
        }
        for r in &rows {
            self.push(r, &mut out);
        }
        self.done = (rows.len() as i64) < PAGE_SIZE;
        self.after = rows.last().map(|r| (r.completed_at, r.id.clone()));
        Ok(Some(out))
    }

    async fn read(&self, ctx: &Ctx) -> Result<Vec<ExportRow>> {
        let (a, kind, after, currency) = (self.actor.clone(), self.kind, self.after.clone(), self.currency);
        let (branch, span) = (self.branch.clone(), self.span);
        let rows = ctx
            .db
            .read(move |c| {
                let scope = access::visibility(&a);
                let w = Window {
                    at: (&a.store_id, a.environment),
                    scope: &scope,
                    currency: currency.code(),
                    from: span.0,
                    to: span.1,
                    branch: branch.as_ref().map(|b| b.as_str()),
                    creator: None,
                };
                reports::export_page(c, &w, kind, after, PAGE_SIZE)
            })
            .await?;
        Ok(rows)
    }

    fn push(&self, r: &ExportRow, out: &mut String) {
        let amount = Money::from_minor(r.amount_minor, self.currency).to_canonical();
        let (when, branch) = (r.completed_at.to_rfc3339(), r.branch_id.clone().unwrap_or_default());
        let detail = r.detail.clone().unwrap_or_default();
        match self.kind {
            ExportKind::Payments => {
                let place = if detail == "offline" { "branch" } else { "online" };
                let cells = [&r.id, &when, &r.link_id, &amount, &r.currency, &r.method, place, &branch, &r.creator];
                push_row(out, &cells.map(|c| c.to_string()));
            }
            ExportKind::Refunds => {
                let cells = [
                    &r.id,
                    &when,
                    &r.parent_id,
                    &r.link_id,
                    &amount,
                    &r.currency,
                    &r.method,
                    &detail,
                    &branch,
                    &r.creator,
                ];
                push_row(out, &cells.map(|c| c.to_string()));
            }
        }
    }
}
