//! The links CSV export: every link a list's filters select, in the list's order, walked in
//! keyset pages of the same store query `list_links` runs, so memory stays flat at any size and
//! the file holds exactly what the list shows. Each page becomes CSV text (`domain::csv`).

use super::labels::{Labels, labels};
use super::list::{self, ListInput};
use crate::domain::Timestamp;
use crate::domain::access::{self, Action, Actor};
use crate::domain::csv::{BOM, push_row};
use crate::domain::link::{Customer, Link, LinkStatus};
use crate::domain::money::Money;
use crate::service::{Ctx, Result, ServiceError};
use crate::store::links::list::{Paging, Query};
use crate::store::links::paid;
use std::collections::HashMap;

/// Links per page the export reads (one query each).
pub const PAGE_SIZE: i64 = 200;

/// The CSV's columns.
pub const HEADER: [&str; 13] = [
    "id",
    "created_at",
    "title",
    "amount",
    "currency",
    "status",
    "customer_name",
    "customer_phone",
    "customer_email",
    "branch",
    "creator",
    "reference",
    "paid_at",
];

/// One exported link, as the CSV writes it.
pub struct ExportRow<'a> {
    pub id: &'a str,
    pub created_at: Timestamp,
    pub title: &'a str,
    pub amount: Money,
    pub status: LinkStatus,
    pub customer: &'a Customer,
    pub branch: &'a str,
    pub creator: &'a str,
    pub reference: Option<&'a str>,
    pub paid_at: Option<Timestamp>,
}

impl ExportRow<'_> {
    /// Appends the record: times in RFC 3339 UTC, the amount exactly in major units (`12.50`).
    pub fn push_to(&self, out: &mut String) {
        let c = self.customer;
        let name = [c.first_name.as_deref(), c.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        let cells = [
            self.id.to_owned(),
            self.created_at.to_rfc3339(),
            self.title.to_owned(),
            self.amount.to_canonical(),
            self.amount.currency().code().to_owned(),
            self.status.as_str().to_owned(),
            name.join(" "),
            c.phone.clone().unwrap_or_default(),
            c.email.clone().unwrap_or_default(),
            self.branch.to_owned(),
            self.creator.to_owned(),
            self.reference.unwrap_or_default().to_owned(),
            self.paid_at.map(Timestamp::to_rfc3339).unwrap_or_default(),
        ];
        push_row(out, &cells);
    }
}

/// An export under way: the checked query and how far it has read.
pub struct Export {
    actor: Actor,
    query: Query,
    started: bool,
    done: bool,
}

/// Starts exporting the links `input` selects (its paging ignored: the export starts at the
/// first link), `page_size` links per read. A role without the export right is refused, and a
/// bad filter is a 400, before any byte is sent.
pub async fn start(ctx: &Ctx, actor: &Actor, input: ListInput, page_size: i64) -> Result<Export> {
    if !access::may(actor, Action::Export) {
        return Err(ServiceError::Forbidden("this role cannot export"));
    }
    let input = ListInput { starting_after: None, page: None, page_size: None, limit: None, ..input };
    let mut query = list::checked_query(ctx, actor, input).await?;
    (query.limit, query.paging) = (page_size.max(1), Paging::After(None));
    Ok(Export { actor: actor.clone(), query, started: false, done: false })
}

impl Export {
    /// The next piece of the file: the byte order mark and header with the first page, then one
    /// page of records per call; `None` after the last.
    pub async fn next(&mut self, ctx: &Ctx) -> Result<Option<String>> {
        if self.done {
            return Ok(None);
        }
        let page = list::run_query(ctx, self.query.clone()).await?;
        let mut out = String::new();
        if !self.started {
            out.push_str(BOM);
            push_row(&mut out, &HEADER);
            self.started = true;
        }
        self.write(ctx, &page.items, &mut out).await?;
        self.done = !page.has_more;
        self.query.paging = Paging::After(page.items.last().map(|l| l.id.clone()));
        Ok(Some(out))
    }

    async fn write(&self, ctx: &Ctx, links: &[Link], out: &mut String) -> Result<()> {
        if links.is_empty() {
            return Ok(());
        }
        let names = labels(ctx, &self.actor, links.iter().map(|l| l.created_by.clone()).collect()).await?;
        let ids = links.iter().map(|l| l.id.clone()).collect::<Vec<_>>();
        let paid: HashMap<_, _> = ctx.db.read(move |c| paid::paid_at(c, &ids).map_err(ServiceError::from)).await?;
        for l in links {
            row(l, &names, self.query.now, paid.get(l.id.as_str()).copied()).push_to(out);
        }
        Ok(())
    }
}

fn row<'a>(l: &'a Link, names: &'a Labels, now: Timestamp, paid_at: Option<Timestamp>) -> ExportRow<'a> {
    let branch = l.branch_id.as_ref().map(|b| names.branches.get(b.as_str()).map_or(b.as_str(), |b| &b.name));
    ExportRow {
        id: l.id.as_str(),
        created_at: l.created_at,
        title: &l.title,
        amount: l.amount,
        status: l.status_at(now),
        customer: &l.customer,
        branch: branch.unwrap_or_default(),
        creator: names.creators.get(&l.created_by).map_or(&l.created_by, |c| &c.name),
        reference: l.reference_id.as_deref(),
        paid_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn a_record_has_exact_amounts_rfc3339_times_and_escaped_neutralised_text() {
        let customer = Customer {
            first_name: Some("=Sara".into()),
            last_name: Some("Ali".into()),
            phone: Some("+966500000001".into()),
            ..Customer::default()
        };
        let row = ExportRow {
            id: "lnk_1",
            created_at: Timestamp::parse_rfc3339("2026-12-06T10:00:00Z").unwrap(),
            title: "Tea, \"green\"",
            amount: Money::from_minor(1250, Currency::parse("SAR").unwrap()),
            status: LinkStatus::Paid,
            customer: &customer,
            branch: "Riyadh",
            creator: "@boss",
            reference: Some("INV-1"),
            paid_at: Some(Timestamp::parse_rfc3339("2026-12-06T11:00:00Z").unwrap()),
        };
        let mut out = String::new();
        row.push_to(&mut out);
        assert_eq!(
            out,
            "lnk_1,2026-12-06T10:00:00Z,\"Tea, \"\"green\"\"\",12.50,SAR,paid,'=Sara Ali,'+966500000001,,Riyadh,\
             '@boss,INV-1,2026-12-06T11:00:00Z\r\n"
        );
    }
}
