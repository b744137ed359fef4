//! The seam between the core and the provider dialects. The core never names a provider: it asks
//! the dialect that made a link (or registered an endpoint), through [`Dialect`], for what only
//! that dialect knows — the callbacks it sends and how they are retried, the page address it
//! hands out, where a payer goes after paying, and its names for events. The dialects register
//! themselves when the application is built (`src/dialects/`), and every instance holds
//! the same [`Dialects`] in its context.

use super::{Ctx, Result};
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::link::Link;
use crate::domain::notification::Notification;
use crate::domain::outbox::{Attempt, Delivery, Next};
use crate::domain::payment::Payment;
use crate::domain::sign::Signer;
use crate::domain::webhook::Subscription;
use crate::egress::OutboundRequest;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A future a dialect answers with (the trait is used as `dyn Dialect`).
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a dialect's deliveries are retried and ended; [`DeliveryRules::NATIVE`] is Paylink's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeliveryRules {
    /// Waits after each failed attempt; `None`: the configured schedule.
    pub delays_secs: Option<&'static [u64]>,
    /// Spread of each wait in percent; `None`: the configured jitter.
    pub jitter_percent: Option<u64>,
    /// Whether any 4xx answer ends the delivery.
    pub final_4xx: bool,
    /// Whether `410 Gone` ends the delivery (and disables a native endpoint).
    pub gone_is_final: bool,
}

impl DeliveryRules {
    /// The configured schedule and jitter; 410 ends a delivery, other answers are retried.
    pub const NATIVE: DeliveryRules =
        DeliveryRules { delays_secs: None, jitter_percent: None, final_4xx: false, gone_is_final: true };
}

/// What the core asks a provider dialect. Every method but [`Dialect::name`] has the native
/// answer as its default, so a dialect states only where it differs.
pub trait Dialect: Send + Sync {
    /// The name stored on what the dialect makes and on its callbacks' deliveries.
    fn name(&self) -> DialectName;

    /// The event types the callback of a link this dialect makes hears of (kept on the link);
    /// `None`: every event of the link and its payments, as a native link's `callback_url`.
    fn link_callback_events(&self) -> Option<&'static [EventType]> {
        None
    }

    /// The request of one attempt of a delivery in this dialect's shape — its link callback,
    /// or an endpoint registered through it — to `url`, signed with `signer`'s secrets; `Err`
    /// ends the delivery unsent with that reason. `None`: the native Standard Webhooks request.
    fn delivery_request<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _delivery: &'a Delivery,
        _url: String,
        _signer: &'a Signer,
    ) -> Option<Answer<'a, std::result::Result<OutboundRequest, &'static str>>> {
        None
    }

    /// How the dialect's deliveries are retried.
    fn delivery_rules(&self) -> DeliveryRules {
        DeliveryRules::NATIVE
    }

    /// A message to the merchant about a failed attempt, written with the attempt's record.
    fn failed_attempt_alert<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _delivery: &'a Delivery,
        _attempt: &'a Attempt,
        _next: Next,
    ) -> Answer<'a, Option<Notification>> {
        Box::pin(async { None })
    }

    /// Where the payer of a succeeded payment on one of the dialect's links goes, when the
    /// dialect decides it (the answer's `None`: to the receipt); `None` keeps the native rule
    /// (the link's signed success URL, else the receipt).
    fn success_redirect<'a>(
        &'a self,
        _ctx: &'a Ctx,
        _link: &'a Link,
        _payment: &'a Payment,
    ) -> Option<Answer<'a, Option<String>>> {
        None
    }

    /// The first path segment of the payment-page address the dialect hands out
    /// (`/{alias}/{id}`), if it has its own.
    fn page_alias(&self) -> Option<&'static str> {
        None
    }

    /// The id of the link that the page alias `id` names (any link's own id works too).
    fn alias_link_id<'a>(&'a self, _ctx: &'a Ctx, id: &'a str) -> Answer<'a, Result<String>> {
        Box::pin(async move { Ok(id.to_owned()) })
    }

    /// The dialect's names for the events an endpoint registered through it receives, after its
    /// subscription was changed through the native API; `Err` explains a type it has no name for.
    fn endpoint_event_names(&self, _subscription: &Subscription) -> std::result::Result<Vec<String>, String> {
        Err("this dialect registers no webhook endpoints".to_owned())
    }
}

/// The registered dialects.
#[derive(Clone, Default)]
pub struct Dialects(Vec<Arc<dyn Dialect>>);

impl Dialects {
    /// Adds a dialect. Its name must be a valid, unused dialect name: a clash is a programming
    /// error caught when the application is built.
    pub fn with(mut self, dialect: impl Dialect + 'static) -> Self {
        let name = dialect.name();
        assert!(DialectName::is_valid(name.as_str()), "invalid dialect name {name}");
        assert!(self.get(&name).is_none(), "dialect {name} registered twice");
        self.0.push(Arc::new(dialect));
        self
    }

    /// The dialect stored as `name`, if it is registered.
    pub fn get(&self, name: &DialectName) -> Option<&dyn Dialect> {
        self.0.iter().find(|d| d.name() == *name).map(|d| d.as_ref())
    }

    /// Every registered dialect, in registration order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Dialect> {
        self.0.iter().map(|d| d.as_ref())
    }

    /// The dialect whose page alias is `alias`.
    pub fn by_page_alias(&self, alias: &str) -> Option<&dyn Dialect> {
        self.iter().find(|d| d.page_alias() == Some(alias))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Named(&'static str);

    impl Dialect for Named {
        fn name(&self) -> DialectName {
            DialectName::of(self.0)
        }
    }

    #[test]
    fn a_registered_dialect_is_found_by_its_stored_name() {
        let dialects = Dialects::default().with(Named("acme")).with(Named("other"));
        assert!(dialects.get(&DialectName::stored("acme".to_owned())).is_some());
        assert!(dialects.get(&DialectName::of("missing")).is_none());
        assert_eq!(dialects.iter().count(), 2);
    }

    #[test]
    #[should_panic(expected = "registered twice")]
    fn a_name_cannot_be_registered_twice() {
        let _ = Dialects::default().with(Named("acme")).with(Named("acme"));
    }
}
