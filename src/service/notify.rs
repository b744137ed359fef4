//! Notifications to payers: queued in the business transaction (link creation with `send_sms` /
//! `send_email`, a payment's success, or `POST /v1/payment_links/{id}/notify`), rendered at once
//! from the templates in the link's language, and sent later by [`send::send_due`].
//!
//! Caps are taken in the same transaction as the row: a refused request writes nothing (429
//! `NOTIFICATION_LIMIT`). Where nobody can be answered 429 (a link's creation, a receipt), the
//! message is recorded as failed with `cap_reached` instead, and the change goes through.

use super::{Conflict, Ctx, Result, ServiceError, secrets};
use crate::config::Config;
use crate::domain::access::{self, Action, Actor, Owned};
use crate::domain::id::{LinkId, NotificationId, PaymentId};
use crate::domain::link::{Language, Link, LinkStatus};
use crate::domain::notification::{Channel, Kind, Notification, Provider, Status};
use crate::domain::payment::Payment;
use crate::domain::{ErrorKind, FieldError, Rule, Timestamp, text};
use crate::notify::template::{self, Rendered, View};
use crate::store::conn::Conn;
use crate::store::notifications::{self, hour_of};
use crate::store::{links, tenancy};
use std::sync::Arc;

pub mod alert;
pub mod list;
pub mod send;

pub use send::send_due;

/// What queuing needs from the context, taken before the transaction (on SQLite it runs on the
/// writer thread, away from the context).
#[derive(Clone)]
pub struct Outbox {
    config: Arc<Config>,
}

impl Outbox {
    /// The outbox of this context.
    pub fn of(ctx: &Ctx) -> Outbox {
        Outbox { config: ctx.config.clone() }
    }

    fn provider(&self, channel: Channel) -> Provider {
        let s = &self.config.notifications;
        let name = match channel {
            Channel::Sms => &s.sms_provider,
            Channel::Email => &s.email_provider,
        };
        Provider::parse(name).unwrap_or(Provider::Log)
    }
}

/// What a reached cap does: refuse the request (429), or record the message as failed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AtCap {
    Refuse,
    Record,
}

/// One message to queue.
struct Message<'a> {
    link: &'a Link,
    payment: Option<&'a Payment>,
    channel: Channel,
    kind: Kind,
    recipient: String,
}

/// Writes one message inside the caller's transaction, taking its caps first.
fn queue(c: &mut dyn Conn, o: &Outbox, m: Message, at_cap: AtCap, now: Timestamp) -> Result<Notification> {
    let reached = take_caps(c, o, m.link, m.kind, now)?;
    if let (Some(reached), AtCap::Refuse) = (&reached, at_cap) {
        return Err(ServiceError::RateLimited("NOTIFICATION_LIMIT", format!("{reached}; try again later")));
    }
    let mut n = compose(c, o, m, now)?;
    if let Some(reached) = reached {
        (n.status, n.last_error) = (Status::Failed, Some(format!("cap_reached: {reached}")));
    }
    notifications::insert(c, &n)?;
    Ok(n)
}

/// The queued row: the message rendered in the link's language, its provider from the settings.
fn compose(c: &mut dyn Conn, o: &Outbox, m: Message, now: Timestamp) -> Result<Notification> {
    let store = tenancy::get_store(c, &m.link.store_id)?.ok_or(ServiceError::NotFound)?;
    let view = View::new(&store.name, m.link, m.payment, o.config.public_base());
    let text = template::render(m.kind, m.channel, m.link.language, &view)
        .map_err(|e| ServiceError::internal_from("notification template", e))?;
    let to = Addressee {
        link: m.link,
        payment: m.payment.map(|p| p.id.clone()),
        channel: m.channel,
        recipient: m.recipient,
        language: m.link.language,
    };
    Ok(queued(o, to, m.kind, text, now))
}

/// Who a message goes to, about which link (and payment), in which language.
pub struct Addressee<'a> {
    pub link: &'a Link,
    pub payment: Option<PaymentId>,
    pub channel: Channel,
    pub recipient: String,
    pub language: Language,
}

/// A message ready to queue: the rendered `text` of `kind` to `to`, due `now`, its provider
/// from the settings.
pub fn queued(o: &Outbox, to: Addressee, kind: Kind, text: Rendered, now: Timestamp) -> Notification {
    let (ms, rnd) = secrets::id_parts(now);
    Notification {
        id: NotificationId::generate(ms, rnd),
        store_id: to.link.store_id.clone(),
        environment: to.link.environment,
        link_id: to.link.id.clone(),
        payment_id: to.payment,
        branch_id: to.link.branch_id.clone(),
        link_created_by: to.link.created_by.clone(),
        channel: to.channel,
        recipient: to.recipient,
        language: to.language,
        kind,
        subject: text.subject,
        body: text.body,
        provider: o.provider(to.channel),
        status: Status::Queued,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
        provider_response: None,
        created_at: now,
        updated_at: now,
        sent_at: None,
    }
}

/// Takes a unit of each cap that applies; on the first refusal gives the others back and names
/// the cap. Receipts count against the store's cap only: they follow payments, not requests.
fn take_caps(c: &mut dyn Conn, o: &Outbox, link: &Link, kind: Kind, now: Timestamp) -> Result<Option<String>> {
    let (s, hour) = (&o.config.notifications, hour_of(now));
    // A store may set caps below the instance's, never above.
    let (own_link, own_store) = crate::store::store_profile::caps(c, &link.store_id)?;
    let (per_link, per_store) = (
        own_link.map_or(s.per_link_per_hour, |v| v.min(s.per_link_per_hour)),
        own_store.map_or(s.per_store_per_hour, |v| v.min(s.per_store_per_hour)),
    );
    let mut caps = vec![(format!("store:{}:{}", link.store_id, link.environment.as_str()), per_store, "store")];
    if kind == Kind::Link {
        caps.insert(0, (format!("link:{}", link.id), per_link, "link"));
    }
    let mut taken: Vec<String> = Vec::new();
    for (scope, cap, what) in caps {
        if !notifications::take_quota(c, &scope, hour, cap)? {
            for scope in &taken {
                notifications::give_back(c, scope, hour)?;
            }
            return Ok(Some(format!("at most {cap} notifications per {what} per hour")));
        }
        taken.push(scope);
    }
    Ok(None)
}

/// The link's contact on a channel.
fn contact(link: &Link, channel: Channel) -> Option<&String> {
    match channel {
        Channel::Sms => link.customer.phone.as_ref(),
        Channel::Email => link.customer.email.as_ref(),
    }
}

/// The channels a link asked for.
fn channels(link: &Link) -> impl Iterator<Item = Channel> {
    [(link.send_sms, Channel::Sms), (link.send_email, Channel::Email)].into_iter().filter(|f| f.0).map(|f| f.1)
}

/// The messages a new link asked for, checked before its transaction.
pub struct NewLinkMessages {
    outbox: Outbox,
}

/// Checks a new link's `send_sms` / `send_email` against its contact details; `None` when it
/// asks for no message (the link takes the one-statement fast path).
pub fn for_new_link(ctx: &Ctx, link: &Link) -> Result<Option<NewLinkMessages>> {
    let missing: Vec<FieldError> = channels(link)
        .filter(|ch| contact(link, *ch).is_none())
        .map(|ch| match ch {
            Channel::Sms => FieldError::new("customer.phone", ErrorKind::Invalid, "is required when send_sms is true")
                .with_rule(Rule::Required),
            Channel::Email => {
                FieldError::new("customer.email", ErrorKind::Invalid, "is required when send_email is true")
                    .with_rule(Rule::Required)
            }
        })
        .collect();
    if !missing.is_empty() {
        return Err(ServiceError::Invalid(missing));
    }
    Ok(channels(link).next().map(|_| NewLinkMessages { outbox: Outbox::of(ctx) }))
}

impl NewLinkMessages {
    /// Queues the link's messages in its creation transaction (a reached cap is recorded, not
    /// refused: the link exists either way).
    pub fn queue(&self, c: &mut dyn Conn, link: &Link) -> Result<()> {
        for channel in channels(link) {
            let recipient = contact(link, channel).cloned().unwrap_or_default();
            let m = Message { link, payment: None, channel, kind: Kind::Link, recipient };
            queue(c, &self.outbox, m, AtCap::Record, link.created_at)?;
        }
        Ok(())
    }
}

/// Queues the receipt of a succeeded payment on the channels its link asked for, to the link's
/// customer, in the success transaction.
pub fn queue_receipts(c: &mut dyn Conn, o: &Outbox, link: &Link, paid: &Payment, now: Timestamp) -> Result<()> {
    for channel in channels(link) {
        let Some(recipient) = contact(link, channel).cloned() else { continue };
        let m = Message { link, payment: Some(paid), channel, kind: Kind::Receipt, recipient };
        queue(c, o, m, AtCap::Record, now)?;
    }
    Ok(())
}

/// A request to send a link now: the channel, and a recipient other than the link's customer.
pub struct NotifyInput {
    pub channel: Option<String>,
    pub to: Option<String>,
}

fn check_input(i: NotifyInput) -> Result<(Channel, Option<String>)> {
    let channel = match i.channel.as_deref().map(Channel::parse) {
        Some(Some(channel)) => channel,
        Some(None) => {
            return Err(ServiceError::rule("channel", ErrorKind::Invalid, Rule::UnknownValue, "must be sms or email"));
        }
        None => return Err(ServiceError::rule("channel", ErrorKind::Invalid, Rule::Required, "is required")),
    };
    let to = match (channel, i.to) {
        (_, None) => None,
        (Channel::Sms, Some(to)) => Some(text::parse_phone(&to).ok_or_else(|| {
            ServiceError::rule(
                "to",
                ErrorKind::Phone,
                Rule::NotAPhone,
                "must be an E.164 phone number, e.g. +966501234567",
            )
        })?),
        (Channel::Email, Some(to)) => Some(text::parse_email(&to).ok_or_else(|| {
            ServiceError::rule("to", ErrorKind::Email, Rule::NotAnEmail, "is not a valid e-mail address")
        })?),
    };
    Ok((channel, to))
}

/// `POST /v1/payment_links/{id}/notify`: queues the link for its payer now. The link must be
/// visible (404), the actor may resend it (403), and it must be open (409); past a cap, 429.
pub async fn notify_link(ctx: &Ctx, actor: &Actor, id: &str, input: NotifyInput) -> Result<Notification> {
    let id = LinkId::parse(id).ok_or(ServiceError::NotFound)?;
    let (channel, to) = check_input(input)?;
    let (actor, outbox, now) = (actor.clone(), Outbox::of(ctx), ctx.clock.now());
    ctx.db
        .write(move |c| {
            let link = load_sendable(c, &actor, &id, now)?;
            let recipient = to.or_else(|| contact(&link, channel).cloned()).ok_or_else(|| {
                let what = if channel == Channel::Sms { "phone number" } else { "e-mail address" };
                ServiceError::rule(
                    "to",
                    ErrorKind::Invalid,
                    Rule::Required,
                    format!("is required: the link has no customer {what}"),
                )
            })?;
            let m = Message { link: &link, payment: None, channel, kind: Kind::Link, recipient };
            queue(c, &outbox, m, AtCap::Refuse, now)
        })
        .await
}

fn load_sendable(c: &mut dyn Conn, actor: &Actor, id: &LinkId, now: Timestamp) -> Result<Link> {
    let link = links::get(c, &actor.store_id, actor.environment, id)?.ok_or(ServiceError::NotFound)?;
    let owned = Owned { branch_id: link.branch_id.as_ref(), created_by: &link.created_by };
    if !access::can_see(actor, owned) {
        return Err(ServiceError::NotFound);
    }
    if !access::can_act_on(actor, Action::ManageLink, owned) {
        return Err(ServiceError::Forbidden("this role cannot send this payment link"));
    }
    match link.status_at(now) {
        LinkStatus::Open => Ok(link),
        other => Err(ServiceError::Conflict(Conflict::LinkNotOpen, format!("the payment link is {}", other.as_str()))),
    }
}
