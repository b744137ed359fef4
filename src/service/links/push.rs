//! Creating a link whose charge is pushed to the payer's mobile-money wallet at once (a dialect's
//! create naming mobile money and the customer's phone). The wallet is asked first, through
//! the connector of the link's mobile-money method, before anything is written: a wallet without
//! enough money refuses the whole request. Otherwise the link is created and a payment attempt
//! for the phone starts through the same service function the payment page uses
//! ([`pay::pay`](crate::service::pay::pay)); if that push cannot start, the link is still
//! created and stays payable on its page.

use super::{LinkExtras, NewLink, create_link_at};
use crate::connector::WalletCheck;
use crate::domain::Timestamp;
use crate::domain::access::Actor;
use crate::domain::link::Link;
use crate::domain::link::Rules;
use crate::domain::method::{MethodKind, PaymentMethod};
use crate::domain::money::Money;
use crate::domain::payment::Payment;
use crate::domain::text::parse_phone;
use crate::service::pay::{self, InstrumentForm, PayRequest, PayerForm};
use crate::service::{Ctx, Result, ServiceError, methods, stores};

/// What became of a create with a wallet push.
#[derive(Debug)]
pub enum Pushed {
    /// The link, and the attempt pushed to the wallet (`None`: no wallet to push to, or the
    /// push could not start; the link is payable on its page).
    Created(Box<Link>, Option<Box<Payment>>),
    /// The wallet cannot pay the amount; nothing was written.
    InsufficientFunds,
}

/// The enabled methods of `kind` in the actor's store and environment.
pub async fn enabled_of_kind(ctx: &Ctx, actor: &Actor, kind: MethodKind) -> Result<Vec<PaymentMethod>> {
    let all = methods::list_methods(ctx, actor).await?;
    Ok(all.into_iter().filter(|m| m.enabled && m.kind == kind).collect())
}

/// Creates the link (as of `now`) and pushes its charge to `phone`'s wallet through `method`
/// (an enabled mobile-money method the link allows).
pub async fn create_with_wallet_push(
    ctx: &Ctx,
    actor: &Actor,
    input: NewLink,
    method: &PaymentMethod,
    phone: &str,
    now: Timestamp,
) -> Result<Pushed> {
    let amount = checked_amount(ctx, actor, &input, now).await?;
    if let (Some(phone), Some(connector)) = (parse_phone(phone.trim()), ctx.connectors.get(&method.connector)) {
        match connector.precheck_wallet(&phone, amount).await {
            Ok(WalletCheck::InsufficientFunds) => return Ok(Pushed::InsufficientFunds),
            Ok(WalletCheck::NoWallet) => {
                let link = create_link_at(ctx, actor, input, LinkExtras::default(), now).await?;
                return Ok(Pushed::Created(Box::new(link), None));
            }
            Ok(WalletCheck::Chargeable) => {}
            // No answer: the charge itself will tell.
            Err(e) => tracing::warn!(error = %e, "wallet pre-check failed; pushing anyway"),
        }
    }
    let link = create_link_at(ctx, actor, input, LinkExtras::default(), now).await?;
    let payer = PayerForm {
        name: link.customer.full_name(),
        email: link.customer.email.clone(),
        phone: Some(phone.trim().to_owned()),
        address: None,
    };
    let req = PayRequest {
        method_id: method.id,
        instrument: InstrumentForm::MobileMoney { phone: phone.trim().to_owned() },
        payer,
        client: None,
    };
    match pay::pay(ctx, link.id.as_str(), req).await {
        Ok(payment) => Ok(Pushed::Created(Box::new(link), Some(Box::new(payment)))),
        Err(e) => {
            tracing::warn!(link = %link.id.as_str(), error = %e, "could not push the charge to the wallet");
            Ok(Pushed::Created(Box::new(link), None))
        }
    }
}

/// The draft's amount, once the whole draft passes the link's rules (the wallet is asked only
/// about a request that would otherwise be created; a bad one is refused naming its field).
async fn checked_amount(ctx: &Ctx, actor: &Actor, input: &NewLink, now: Timestamp) -> Result<Money> {
    let currency = stores::currency(ctx, &actor.store_id).await?;
    let rules = Rules { now, default_currency: currency, max_amount_major: ctx.config.limits.max_amount };
    let valid = input.draft.clone().validate(&rules).map_err(ServiceError::Invalid)?;
    Ok(valid.amount)
}
