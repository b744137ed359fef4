//! Customer use cases: create, read (with their recent links and payments), list with search,
//! update, and resolving the customer a new link names. Access follows docs/roles.md's customers row:
//! OWNER, ADMIN and OPERATION write every customer, ACCOUNTING reads them, a SUPERVISOR reads and
//! writes their branch's, a CASHIER none (403). A customer outside the actor's reach (another
//! store, environment or branch) answers 404. Each change writes its `customer.*` event in the
//! same transaction, so the webhook outbox delivers it.

use super::{Ctx, Result, ServiceError, events, list_params, secrets};
use crate::domain::access::{self, Action, Actor, Owned, Visibility};
use crate::domain::customer::{self, Customer, CustomerDraft, CustomerPatch};
use crate::domain::event::EventType;
use crate::domain::id::CustomerId;
use crate::domain::link::{Link, LinkDraft};
use crate::domain::payment::Payment;
use crate::domain::{ErrorKind, FieldError, Rule, text};
use crate::dto::customer::CustomerOut;
use crate::store::customers;
use crate::store::keyset::Page;

/// How many of a customer's links, and of their payments, a customer read shows.
pub const RECENT: i64 = 20;

/// A create request: the draft and the branch (id or code) the customer belongs to.
pub struct NewCustomer {
    pub draft: CustomerDraft,
    pub branch: Option<String>,
}

/// A customer with their most recent links and payments (within the actor's link scope).
pub struct CustomerView {
    pub customer: Customer,
    pub links: Vec<Link>,
    pub payments: Vec<Payment>,
}

/// The customers the actor reaches for `action`, or 403 for a role that may not.
fn scope(actor: &Actor, action: Action) -> Result<Visibility> {
    customer::scope(actor, action).ok_or(ServiceError::Forbidden(match action {
        Action::WriteCustomers => "this role cannot create or change customers",
        _ => "this role cannot see customers",
    }))
}

/// Creates a customer in the actor's store and environment, with its `customer.created` event.
pub async fn create_customer(ctx: &Ctx, actor: &Actor, input: NewCustomer) -> Result<Customer> {
    scope(actor, Action::WriteCustomers)?;
    let refused = "this role can create customers only in its own branch";
    let branch_id = super::stores::resolve_branch(ctx, actor, input.branch, Action::WriteCustomers, refused).await?;
    let details = input.draft.validate().map_err(ServiceError::Invalid)?;
    let now = ctx.clock.now();
    let (ms, rnd) = secrets::id_parts(now);
    let customer = Customer {
        id: CustomerId::generate(ms, rnd),
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        branch_id,
        created_by: actor.principal(),
        details,
        created_at: now,
        updated_at: now,
    };
    let (home, snapshot) = ((&customer.store_id, customer.environment), CustomerOut::new(&customer));
    let event = events::prepare(home, EventType::CustomerCreated, customer.id.as_str(), &snapshot, now);
    ctx.db
        .write(move |c| {
            customers::insert(c, &customer)?;
            crate::store::events::insert(c, &event)?;
            Ok(customer)
        })
        .await
}

/// Reads a customer with their most recent links and payments. The links and payments are those
/// the actor sees as links (a SUPERVISOR: their branch's), whoever made them.
pub async fn get_customer(ctx: &Ctx, actor: &Actor, id: &str) -> Result<CustomerView> {
    let scope = scope(actor, Action::ReadCustomers)?;
    let id = CustomerId::parse(id).ok_or(ServiceError::NotFound)?;
    let (actor, links_scope) = (actor.clone(), access::visibility(actor));
    ctx.db
        .read(move |c| {
            let found = customers::get(c, (&actor.store_id, actor.environment), &scope, &id, false)?;
            let customer = found.ok_or(ServiceError::NotFound)?;
            let links = customers::links_of(c, &id, &links_scope, RECENT)?;
            let payments = customers::payments_of(c, &id, &links_scope, RECENT)?;
            Ok(CustomerView { customer, links, payments })
        })
        .await
}

/// List parameters as received (the `/v1/customers` query string).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CustomerListInput {
    /// Case-insensitive substring of the name, phone or e-mail (≤ 100 characters).
    pub q: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<i64>,
    /// Cursor: the last id of the previous page.
    pub starting_after: Option<String>,
}

/// Lists the customers the actor can see, newest first.
pub async fn list_customers(ctx: &Ctx, actor: &Actor, input: CustomerListInput) -> Result<Page<Customer>> {
    let query = check_list(actor, input)?;
    ctx.db
        .read(move |c| {
            customers::list(c, &query)?.ok_or_else(|| {
                ServiceError::field("starting_after", ErrorKind::Invalid, "is not a customer in this list")
            })
        })
        .await
}

/// Lists the customers the actor can see, newest first, skipping `offset` of them (limit/offset
/// paging, for dialects that page that way; `starting_after` is ignored): the page and the total that match.
pub async fn list_customers_at(
    ctx: &Ctx,
    actor: &Actor,
    input: CustomerListInput,
    offset: i64,
) -> Result<(Vec<Customer>, i64)> {
    let offset = list_params::offset_first(offset)?;
    let query = check_list(actor, CustomerListInput { starting_after: None, ..input })?;
    let page = ctx.db.read(move |c| customers::list_offset(c, &query, offset)).await?;
    Ok((page.items, page.total.unwrap_or(0)))
}

fn check_list(actor: &Actor, i: CustomerListInput) -> Result<customers::Query> {
    let scope = scope(actor, Action::ReadCustomers)?;
    let mut errors = Vec::new();
    let search = i.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_lowercase);
    if search.as_deref().is_some_and(|q| text::too_long(q, 100)) {
        errors
            .push(FieldError::new("q", ErrorKind::Invalid, "must be at most 100 characters").with_rule(Rule::TooLong));
    }
    let limit = list_params::limit(i.limit, &mut |field, msg| {
        errors.push(FieldError::new(field, ErrorKind::Invalid, msg).with_rule(Rule::OutOfRange))
    });
    let starting_after = i.starting_after.as_deref().and_then(|s| {
        let id = CustomerId::parse(s);
        if id.is_none() {
            errors.push(FieldError::new("starting_after", ErrorKind::Invalid, "is not a customer id"));
        }
        id
    });
    if !errors.is_empty() {
        return Err(ServiceError::Invalid(errors));
    }
    let (store_id, environment) = (actor.store_id.clone(), actor.environment);
    Ok(customers::Query { store_id, environment, scope, search, limit, starting_after })
}

/// Changes a customer's details (`null` clears an optional field) and writes `customer.updated`;
/// a patch that changes nothing writes nothing. The row is locked while it is read, so two
/// concurrent patches of different fields both land.
pub async fn update_customer(ctx: &Ctx, actor: &Actor, id: &str, patch: CustomerPatch) -> Result<Customer> {
    let readable = scope(actor, Action::ReadCustomers)?;
    let id = CustomerId::parse(id).ok_or(ServiceError::NotFound)?;
    let (actor, now) = (actor.clone(), ctx.clock.now());
    ctx.db
        .write(move |c| {
            let found = customers::get(c, (&actor.store_id, actor.environment), &readable, &id, true)?;
            let current = found.ok_or(ServiceError::NotFound)?;
            let owned = Owned { branch_id: current.branch_id.as_ref(), created_by: &current.created_by };
            if !scope(&actor, Action::WriteCustomers)?.allows(owned) {
                return Err(ServiceError::Forbidden("this role cannot change this customer"));
            }
            let details = patch.apply(&current.details).map_err(ServiceError::Invalid)?;
            if details == current.details {
                return Ok(current);
            }
            let updated = Customer { details, updated_at: now, ..current };
            customers::update(c, &updated)?;
            let home = (&updated.store_id, updated.environment);
            events::record(c, home, EventType::CustomerUpdated, updated.id.as_str(), &CustomerOut::new(&updated), now)?;
            Ok(updated)
        })
        .await
}

/// Fills a new link's customer fields from the customer its draft names (`customer_id`). A
/// customer the actor cannot see (another store's, environment's or branch's; any, for a role
/// without customer access) is a 400 naming `customer_id`, like an id that does not exist.
pub async fn fill_link_draft(ctx: &Ctx, actor: &Actor, draft: &mut LinkDraft) -> Result<()> {
    let Some(text) = draft.customer_id.take() else { return Ok(()) };
    let unknown = || ServiceError::field("customer_id", ErrorKind::Invalid, "is not a customer you can see");
    let (Some(id), Some(scope)) = (CustomerId::parse(&text), customer::scope(actor, Action::ReadCustomers)) else {
        return Err(unknown());
    };
    let actor = actor.clone();
    let found =
        ctx.db.read(move |c| customers::get(c, (&actor.store_id, actor.environment), &scope, &id, false)).await?;
    draft.customer = found.ok_or_else(unknown)?.fill(std::mem::take(&mut draft.customer));
    Ok(())
}
