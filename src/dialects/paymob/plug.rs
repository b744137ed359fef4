//! What the Paymob dialect plugs into the core: its name, its transaction callbacks (payment
//! outcomes, to the QuickLink's `notification_url`, with Paymob's `hmac`, on the native retry
//! schedule), and the redirect a payer of a QuickLink with a `redirection_url` takes.

use super::callback;
use crate::dialects::Registry;
use crate::domain::dialect::DialectName;
use crate::domain::event::EventType;
use crate::domain::link::Link;
use crate::domain::outbox::Delivery;
use crate::domain::payment::Payment;
use crate::domain::sign::Signer;
use crate::egress::OutboundRequest;
use crate::service::Ctx;
use crate::service::dialect::{Answer, Dialect};

/// The Paymob dialect, as the core asks it.
pub struct Paymob;

/// Registers the dialect and its routes.
pub fn register(r: Registry) -> Registry {
    r.dialect(Paymob).routes(super::router)
}

impl Dialect for Paymob {
    fn name(&self) -> DialectName {
        DialectName::of(super::NAME)
    }

    fn link_callback_events(&self) -> Option<&'static [EventType]> {
        Some(&[EventType::PaymentSucceeded, EventType::PaymentFailed])
    }

    /// Signed with the store's callback secret, as its text (Paymob's HMAC secret).
    fn delivery_request<'a>(
        &'a self,
        ctx: &'a Ctx,
        delivery: &'a Delivery,
        url: String,
        signer: &'a Signer,
    ) -> Option<Answer<'a, std::result::Result<OutboundRequest, &'static str>>> {
        Some(Box::pin(async move {
            let secret = signer.secret_texts().into_iter().next().ok_or("no_signing_secret")?;
            callback::request(ctx, delivery, url, &secret).await
        }))
    }

    fn success_redirect<'a>(
        &'a self,
        ctx: &'a Ctx,
        link: &'a Link,
        payment: &'a Payment,
    ) -> Option<Answer<'a, Option<String>>> {
        Some(Box::pin(callback::success_url(ctx, link, payment)))
    }
}
