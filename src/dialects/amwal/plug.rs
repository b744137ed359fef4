//! What the Amwal dialect plugs into the core: its name, its signed link callbacks (payment
//! outcomes only, retried as Amwal documents: 4xx final, 5 retries 2^n seconds apart), and the
//! `/payment-link/{uuid}` page address it hands out.

use super::{callback, words};
use crate::dialects::Registry;
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::id::{LinkId, id_from_uuid};
use crate::domain::outbox::Delivery;
use crate::domain::sign::Signer;
use crate::egress::OutboundRequest;
use crate::service::dialect::{Answer, DeliveryRules, Dialect};
use crate::service::{Ctx, Result};

/// The Amwal dialect, as the core asks it.
pub struct Amwal;

/// Registers the dialect and its routes.
pub fn register(r: Registry) -> Registry {
    r.dialect(Amwal).routes(super::router)
}

impl Dialect for Amwal {
    fn name(&self) -> DialectName {
        DialectName::of(super::NAME)
    }

    fn link_callback_events(&self) -> Option<&'static [EventType]> {
        Some(&[EventType::PaymentSucceeded, EventType::PaymentFailed])
    }

    fn delivery_request<'a>(
        &'a self,
        ctx: &'a Ctx,
        delivery: &'a Delivery,
        url: String,
        _signer: &'a Signer,
    ) -> Option<Answer<'a, std::result::Result<OutboundRequest, &'static str>>> {
        Some(Box::pin(callback::request(ctx, delivery, url)))
    }

    fn delivery_rules(&self) -> DeliveryRules {
        DeliveryRules {
            delays_secs: Some(&words::RETRY_SECS),
            jitter_percent: Some(0),
            final_4xx: true,
            gone_is_final: true,
        }
    }

    fn page_alias(&self) -> Option<&'static str> {
        Some("payment-link")
    }

    /// The link's UUID spelling (`domain::id::uuid_of`), or any link by its own id.
    fn alias_link_id<'a>(&'a self, _ctx: &'a Ctx, id: &'a str) -> Answer<'a, Result<String>> {
        Box::pin(async move { Ok(id_from_uuid(LinkId::PREFIX, id).unwrap_or_else(|| id.to_owned())) })
    }
}
