//! What the BirrLink dialect plugs into the core: its name, the events its payments' callbacks
//! hear of, its envelope and `BirrLink-Signature` for those callbacks and for the endpoints
//! registered through it, BirrLink's delivery policy (three attempts, 410 retried like any other
//! failure), and its names for the events of an endpoint changed through the native API.

use super::{catalogue, event};
use crate::dialects::Registry;
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::outbox::Delivery;
use crate::domain::sign::Signer;
use crate::domain::webhook::Subscription;
use crate::egress::OutboundRequest;
use crate::service::Ctx;
use crate::service::dialect::{Answer, DeliveryRules, Dialect};

/// The BirrLink dialect, as the core asks it.
pub struct BirrLink;

/// Registers the dialect and its routes.
pub fn register(r: Registry) -> Registry {
    r.dialect(BirrLink).routes(super::router)
}

impl Dialect for BirrLink {
    fn name(&self) -> DialectName {
        DialectName::of(super::NAME)
    }

    /// A payment's `callback_url` hears of its outcomes: completed, failed, cancelled, expired.
    fn link_callback_events(&self) -> Option<&'static [EventType]> {
        use EventType::*;
        Some(&[PaymentSucceeded, PaymentFailed, LinkCancelled, LinkExpired])
    }

    fn delivery_request<'a>(
        &'a self,
        ctx: &'a Ctx,
        delivery: &'a Delivery,
        url: String,
        signer: &'a Signer,
    ) -> Option<Answer<'a, std::result::Result<OutboundRequest, &'static str>>> {
        Some(Box::pin(event::request(ctx, delivery, url, signer)))
    }

    fn delivery_rules(&self) -> DeliveryRules {
        DeliveryRules {
            delays_secs: Some(&catalogue::RETRY_SECS),
            jitter_percent: Some(0),
            final_4xx: false,
            gone_is_final: false,
        }
    }

    fn endpoint_event_names(&self, subscription: &Subscription) -> Result<Vec<String>, String> {
        catalogue::names_for(subscription)
    }
}
