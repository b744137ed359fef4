//! What the Amwal Exchange dialect plugs into the core: its name, the project callback its paid
//! invoices are announced to (the store-level callback URL, 30 attempts within three days, each
//! failure e-mailed to the merchant when the project asks), the `/invoice/{id}` page address, the
//! project settings it adds to the native API and the operator's commands.

use super::{callback, invoice, words};
use crate::dialects::{AdminCommand, Registry};
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::notification::Notification;
use crate::domain::outbox::{Attempt, Delivery, Next};
use crate::domain::sign::Signer;
use crate::egress::OutboundRequest;
use crate::service::dialect::{Answer, DeliveryRules, Dialect};
use crate::service::{Ctx, Result};

/// The Amwal Exchange dialect, as the core asks it.
pub struct Exchange;

/// Registers the dialect, its routes, its native project settings and its operator command.
pub fn register(r: Registry) -> Registry {
    r.dialect(Exchange).routes(super::router).native_routes(super::project::router).admin(AdminCommand {
        words: &["exchange-project"],
        usage: super::cli::USAGE,
        run: |ctx, flags| Box::pin(super::cli::exchange_project(ctx, flags)),
    })
}

impl Dialect for Exchange {
    fn name(&self) -> DialectName {
        DialectName::of(super::NAME)
    }

    fn link_callback_events(&self) -> Option<&'static [EventType]> {
        Some(&[EventType::PaymentSucceeded])
    }

    fn delivery_request<'a>(
        &'a self,
        ctx: &'a Ctx,
        delivery: &'a Delivery,
        url: String,
        signer: &'a Signer,
    ) -> Option<Answer<'a, std::result::Result<OutboundRequest, &'static str>>> {
        Some(Box::pin(callback::request(ctx, delivery, url, signer)))
    }

    fn delivery_rules(&self) -> DeliveryRules {
        DeliveryRules { delays_secs: Some(&words::RETRY_SECS), ..DeliveryRules::NATIVE }
    }

    fn failed_attempt_alert<'a>(
        &'a self,
        ctx: &'a Ctx,
        delivery: &'a Delivery,
        attempt: &'a Attempt,
        next: Next,
    ) -> Answer<'a, Option<Notification>> {
        Box::pin(callback::alert(ctx, delivery, attempt, next))
    }

    fn page_alias(&self) -> Option<&'static str> {
        Some("invoice")
    }

    fn alias_link_id<'a>(&'a self, ctx: &'a Ctx, id: &'a str) -> Answer<'a, Result<String>> {
        Box::pin(invoice::page_link_id(ctx, id))
    }
}
