//! Payment link use cases: create, read, list, update, cancel. Access rules come from
//! `domain::access`; state changes are guarded updates; each change writes its event in the same
//! transaction.

use super::audit::{self, Audit};
use super::{Conflict, Ctx, Result, ServiceError, events, secrets, stores};
use crate::domain::access::{self, Action, Actor, Owned};
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::id::{BranchId, LinkId};
use crate::domain::link::{self, Link, LinkDraft, LinkStatus, Rules};
use crate::domain::payment::Payment;
use crate::domain::{ErrorKind, Timestamp};
use crate::dto::link::LinkOut;
use crate::store::conn::{Conn, DbError};
use crate::store::links;

pub use crate::store::keyset::Page;
pub use crate::store::links::list::{Paging, SortKey};

/// A create request: the draft, the branch (code or id) it should belong to, and the dialect
/// that asked (with the dialect's own name for the link, if it has one).
#[derive(Default)]
pub struct NewLink {
    pub draft: LinkDraft,
    pub branch: Option<String>,
    pub dialect: Option<DialectName>,
    pub dialect_ref: Option<String>,
}

/// What a dialect adds to a new link inside its creation transaction.
#[derive(Default)]
pub struct LinkExtras {
    /// The payment page's image, stored with the link.
    pub image: Option<super::link_images::NewImage>,
    /// A dialect counter (`store::dialect_counters`) whose next number becomes the link's
    /// `dialect_ref` (for a dialect with integer ids). It is taken in the link's own transaction,
    /// so a create that fails (a duplicate reference) leaves no gap in the numbers.
    pub counter: Option<&'static str>,
}

impl LinkExtras {
    fn is_empty(&self) -> bool {
        self.image.is_none() && self.counter.is_none()
    }

    fn apply(&self, c: &mut dyn Conn, link: &mut Link) -> std::result::Result<(), DbError> {
        if let Some(counter) = self.counter {
            link.dialect_ref = Some(crate::store::dialect_counters::next(c, counter)?.to_string());
        }
        if let Some(image) = &self.image {
            link.image_id = Some(image.store(c, &link.store_id, link.created_at)?);
        }
        Ok(())
    }
}

/// Creates a payment link. Everything pure (checks, ids, the event snapshot) happens before the
/// write, so the transaction itself only inserts: on SQLite it runs on the single writer thread.
pub async fn create_link(ctx: &Ctx, actor: &Actor, input: NewLink) -> Result<Link> {
    create_link_with(ctx, actor, input, LinkExtras::default()).await
}

/// [`create_link`] with what a dialect adds in the same transaction ([`LinkExtras`]).
pub async fn create_link_with(ctx: &Ctx, actor: &Actor, input: NewLink, extras: LinkExtras) -> Result<Link> {
    create_link_at(ctx, actor, input, extras, ctx.clock.now()).await
}

/// [`create_link_with`] with `created_at` = `now`, for a caller that derives a default from the
/// creation time (a dialect's default expiry) and so reads the clock once. Every way of creating a
/// link ends here, so this is where `paylink_links_created_total` counts.
pub async fn create_link_at(
    ctx: &Ctx,
    actor: &Actor,
    input: NewLink,
    extras: LinkExtras,
    now: Timestamp,
) -> Result<Link> {
    if !access::may(actor, Action::CreateLink) {
        return Err(ServiceError::Forbidden("this role cannot create payment links"));
    }
    let currency = stores::currency(ctx, &actor.store_id).await?;
    let refused = "this role can create links only in its own branch";
    let branch_id = stores::resolve_branch(ctx, actor, input.branch, Action::CreateLink, refused).await?;
    let mut draft = input.draft;
    if draft.language.is_none() {
        draft.language = Some(super::store_profile::profile(ctx, actor).await?.default_language.as_str().to_owned());
    }
    super::customers::fill_link_draft(ctx, actor, &mut draft).await?;
    check_methods(ctx, actor, draft.payment_methods.as_deref()).await?;
    let rules = Rules { now, default_currency: currency, max_amount_major: ctx.config.limits.max_amount };
    let mut link = build(actor, branch_id, draft.validate(&rules).map_err(ServiceError::Invalid)?, now);
    link.callback_events = dialect_callback_events(ctx, input.dialect.as_ref())?;
    (link.dialect, link.dialect_ref) = (input.dialect, input.dialect_ref);
    check_callback_reach(ctx, &link)?;
    let snapshot = LinkOut::new(&link, now, ctx.config.public_base());
    let event =
        events::prepare((&link.store_id, link.environment), EventType::LinkCreated, link.id.as_str(), &snapshot, now);
    let audit = Audit::by(actor, now).link("payment_link.create", None, &link);
    let messages = super::notify::for_new_link(ctx, &link)?;
    if messages.is_none() && extras.is_empty() {
        let write = move |c: &mut dyn Conn| links::insert_with_event(c, &link, &event, &audit).map(|()| link);
        let created = ctx.db.write_once(write).await.map_err(duplicate_reference)?;
        ctx.metrics.link_created();
        return Ok(created);
    }
    // Queuing SMS / e-mail or the extras takes more statements: a transaction instead of the
    // fast path.
    ctx.db
        .write(move |c: &mut dyn Conn| {
            extras.apply(c, &mut link)?;
            links::insert_with_event(c, &link, &event, &audit).map_err(duplicate_reference)?;
            if let Some(messages) = messages {
                messages.queue(c, &link)?;
            }
            Ok::<_, ServiceError>(link)
        })
        .await
        .inspect(|_| ctx.metrics.link_created())
}

/// What the callback of a link the dialect `name` makes hears of, as that dialect says.
fn dialect_callback_events(ctx: &Ctx, name: Option<&DialectName>) -> Result<Option<Vec<EventType>>> {
    let Some(name) = name else { return Ok(None) };
    let dialect = ctx.dialects.get(name).ok_or_else(|| ServiceError::internal(format!("no dialect {name}")))?;
    Ok(dialect.link_callback_events().map(<[EventType]>::to_vec))
}

/// A callback URL naming an address this environment may not reach (a production link's
/// `http://127.0.0.1/…`) is refused now; names are checked when the callback is sent.
fn check_callback_reach(ctx: &Ctx, link: &Link) -> Result<()> {
    let Some(url) = &link.callback_url else { return Ok(()) };
    crate::egress::check_url(url, ctx.egress.reach_for(link.environment))
        .map_err(|msg| ServiceError::field("callback_url", crate::domain::ErrorKind::Url, msg))
}

fn build(actor: &Actor, branch_id: Option<BranchId>, v: link::ValidLink, now: Timestamp) -> Link {
    let (ms, rnd) = secrets::id_parts(now);
    Link {
        id: LinkId::generate(ms, rnd),
        store_id: actor.store_id.clone(),
        environment: actor.environment,
        branch_id,
        created_by: actor.principal(),
        amount: v.amount,
        title: v.title,
        description: v.description,
        reference_id: v.reference_id,
        single_use: v.single_use,
        max_payments: v.max_payments,
        expires_at: v.expires_at,
        customer: v.customer,
        language: v.language,
        address_required: v.address_required,
        send_sms: v.send_sms,
        send_email: v.send_email,
        callback_url: v.callback_url,
        success_url: v.success_url,
        cancel_url: v.cancel_url,
        metadata: v.metadata,
        secret: secrets::new_link_secret(),
        short_code: secrets::new_short_code(),
        status: LinkStatus::Open,
        payments_count: 0,
        amount_paid_minor: 0,
        created_at: now,
        updated_at: now,
        payment_methods: v.payment_methods,
        dialect: None,
        dialect_ref: None,
        callback_events: None,
        address_prefill: v.address_prefill,
        image_id: None,
    }
}

/// Every listed method must be an enabled method of the actor's store and environment.
async fn check_methods(ctx: &Ctx, actor: &Actor, ids: Option<&[i64]>) -> Result<()> {
    let Some(ids) = ids.filter(|ids| !ids.is_empty()) else { return Ok(()) };
    let enabled: Vec<i64> =
        super::methods::list_methods(ctx, actor).await?.into_iter().filter(|m| m.enabled).map(|m| m.id).collect();
    match ids.iter().find(|id| !enabled.contains(id)) {
        Some(id) => Err(ServiceError::field(
            "payment_methods",
            ErrorKind::Invalid,
            format!("{id} is not an enabled payment method of this store in this environment"),
        )),
        None => Ok(()),
    }
}

fn duplicate_reference(e: DbError) -> ServiceError {
    match e {
        DbError::Unique(what) if what.contains("reference_id") => ServiceError::Conflict(
            Conflict::DuplicateReference,
            "a payment link with this reference_id already exists".into(),
        ),
        other => other.into(),
    }
}

pub(crate) fn write_event(c: &mut dyn Conn, link: &Link, kind: EventType, now: Timestamp, base: &str) -> Result<()> {
    let snapshot = LinkOut::new(link, now, base);
    events::record(c, (&link.store_id, link.environment), kind, link.id.as_str(), &snapshot, now)?;
    Ok(())
}

/// Writes the expiry of every open link past `expires_at` (database clock) with its
/// `payment_link.expired` event, in batches of 500, each batch one transaction. Returns how many
/// links expired. Safe to run from several instances at once: each link expires once.
pub async fn expire_due(ctx: &Ctx) -> Result<usize> {
    let mut total = 0;
    loop {
        let (now, base) = (ctx.clock.now(), ctx.config.public_base().to_owned());
        let expired = ctx
            .db
            .write(move |c| -> Result<usize> {
                let links = links::expire_due(c, now, 500)?;
                for link in &links {
                    write_event(c, link, EventType::LinkExpired, now, &base)?;
                }
                Ok(links.len())
            })
            .await?;
        total += expired;
        if expired < 500 {
            return Ok(total);
        }
    }
}

/// Reads a link the actor can see.
pub async fn get_link(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Link> {
    let id = LinkId::parse(id).ok_or(ServiceError::NotFound)?;
    let actor = actor.clone();
    ctx.db.read(move |c| load_visible(c, &actor, &id)).await
}

/// Reads a link the actor can see, with its payments (one read).
pub async fn get_link_with_payments(ctx: &Ctx, actor: &Actor, id: &str) -> Result<(Link, Vec<Payment>)> {
    let id = LinkId::parse(id).ok_or(ServiceError::NotFound)?;
    let actor = actor.clone();
    ctx.db
        .read(move |c| {
            let link = load_visible(c, &actor, &id)?;
            let payments = crate::store::payments::for_link(c, &link.id)?;
            Ok((link, payments))
        })
        .await
}

pub(crate) fn load_visible(c: &mut dyn Conn, actor: &Actor, id: &LinkId) -> Result<Link> {
    let link = links::get(c, &actor.store_id, actor.environment, id)?.ok_or(ServiceError::NotFound)?;
    let owned = Owned { branch_id: link.branch_id.as_ref(), created_by: &link.created_by };
    if !access::can_see(actor, owned) {
        return Err(ServiceError::NotFound);
    }
    Ok(link)
}

/// Loads a visible link the actor may manage and that is still open at `now`.
pub(crate) fn load_manageable(c: &mut dyn Conn, actor: &Actor, id: &LinkId, now: Timestamp) -> Result<Link> {
    let link = load_visible(c, actor, id)?;
    let owned = Owned { branch_id: link.branch_id.as_ref(), created_by: &link.created_by };
    if !access::can_act_on(actor, Action::ManageLink, owned) {
        return Err(ServiceError::Forbidden("this role cannot change this payment link"));
    }
    ensure_open(&link, now)?;
    Ok(link)
}

fn ensure_open(link: &Link, now: Timestamp) -> Result<()> {
    match link.status_at(now) {
        LinkStatus::Open => Ok(()),
        other => Err(ServiceError::Conflict(Conflict::LinkNotOpen, format!("the payment link is {}", other.as_str()))),
    }
}

/// Cancels an open link.
pub async fn cancel_link(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Link> {
    let id = LinkId::parse(id).ok_or(ServiceError::NotFound)?;
    let (actor, now, base) = (actor.clone(), ctx.clock.now(), ctx.config.public_base().to_owned());
    let audit = Audit::by(&actor, now);
    ctx.db
        .write(move |c| {
            let link = load_manageable(c, &actor, &id, now)?;
            let cancelled = links::cancel(c, &link.id, now)?.ok_or_else(|| not_open(&link, now))?;
            write_event(c, &cancelled, EventType::LinkCancelled, now, &base)?;
            audit::append(c, &audit.link("payment_link.cancel", Some(&link), &cancelled))?;
            Ok(cancelled)
        })
        .await
}

pub(crate) fn not_open(link: &Link, now: Timestamp) -> ServiceError {
    ensure_open(link, now)
        .err()
        .unwrap_or(ServiceError::Conflict(Conflict::LinkNotOpen, "the payment link is no longer open".into()))
}

pub mod attempts;
pub mod by_ref;
pub mod export;
pub mod labels;
pub mod list;
pub mod push;
mod update;

pub use update::{LinkPatch, update_link};
