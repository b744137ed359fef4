//! Connectors carry a payment to whoever moves the money. Every call carries our own idempotency
//! key (the attempt id), so asking twice never charges twice, and every answer is one of a few
//! outcomes. An error means "outcome unknown": the caller keeps its claim on the link and asks
//! again later (docs/architecture.md: a claim is released only once the connector says no charge happened).

pub mod sandbox;

use crate::domain::card::CardDetails;
use crate::domain::money::Money;
use crate::domain::payment::{Failure, NextAction};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A boxed future, so the trait stays object-safe.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What the payer pays with. Card details exist only for the duration of the `start` call.
#[derive(Clone, Debug)]
pub enum Instrument {
    Card(CardDetails),
    MobileMoney {
        phone: String,
    },
    /// A buy-now-pay-later plan: the payer is identified by phone.
    Installments {
        phone: String,
        months: i64,
    },
}

/// One charge to start.
#[derive(Clone, Copy, Debug)]
pub struct Charge<'a> {
    /// Our idempotency key: the payment id.
    pub attempt_id: &'a str,
    /// The merchant-side order reference (the link id).
    pub reference: &'a str,
    pub amount: Money,
    pub instrument: &'a Instrument,
}

/// What the connector says about a charge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The money moved.
    Succeeded { reference: String },
    /// The charge did not and will not happen.
    Failed(Failure),
    /// The payer must act (OTP, approve on the phone).
    RequiresAction { action: NextAction, reference: String },
    /// Accepted; the outcome comes later.
    Processing { reference: String },
    /// The charge was cancelled before it happened.
    Cancelled,
}

/// Input to a `requires_action` charge.
#[derive(Clone, Debug)]
pub enum ActionInput {
    Otp(String),
}

/// The outcome of a refund.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefundOutcome {
    Succeeded,
    Failed(Failure),
}

/// Whether a mobile-money wallet can take a charge, asked before a charge is pushed to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletCheck {
    /// The wallet exists and can take the charge (or the provider cannot tell before charging).
    Chargeable,
    /// The wallet does not hold enough for the charge.
    InsufficientFunds,
    /// No wallet the provider can charge answers to this number.
    NoWallet,
}

/// Why a connector call gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    /// No answer (network, timeout, provider down): the outcome is unknown.
    #[error("connector unavailable: {0}")]
    Unavailable(String),
    /// The connector does not know this attempt.
    #[error("unknown attempt")]
    UnknownAttempt,
    /// The payer's input was refused, the charge goes on (e.g. a wrong OTP with tries left).
    #[error("{0}")]
    Rejected(String),
}

/// Result of a connector call.
pub type Result<T> = std::result::Result<T, ConnectorError>;

/// A payment connector. Implementations must be idempotent per attempt id.
pub trait Connector: Send + Sync {
    /// The name payment methods refer to (`sandbox`).
    fn name(&self) -> &'static str;
    /// Starts a charge (or returns the outcome of the one already started with this attempt id).
    fn start<'a>(&'a self, charge: Charge<'a>) -> BoxFuture<'a, Result<Outcome>>;
    /// Continues a charge that requires action.
    fn continue_action<'a>(&'a self, attempt_id: &'a str, input: ActionInput) -> BoxFuture<'a, Result<Outcome>>;
    /// The charge's current outcome.
    fn query<'a>(&'a self, attempt_id: &'a str) -> BoxFuture<'a, Result<Outcome>>;
    /// Cancels a charge that has not happened; answers with its outcome if it already has.
    fn cancel<'a>(&'a self, attempt_id: &'a str) -> BoxFuture<'a, Result<Outcome>>;
    /// Refunds part or all of a succeeded charge; idempotent per `refund_id`.
    fn refund<'a>(
        &'a self,
        attempt_id: &'a str,
        refund_id: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<RefundOutcome>>;
    /// Whether the mobile-money wallet of `phone` (E.164) can be charged `amount`, asked before
    /// anything is written. Providers that cannot tell say `Chargeable`: the charge will tell.
    fn precheck_wallet<'a>(&'a self, phone: &'a str, amount: Money) -> BoxFuture<'a, Result<WalletCheck>> {
        let _ = (phone, amount);
        Box::pin(async { Ok(WalletCheck::Chargeable) })
    }
}

/// The connectors this process can use, by name.
#[derive(Clone, Default)]
pub struct Connectors {
    by_name: HashMap<&'static str, Arc<dyn Connector>>,
}

impl Connectors {
    /// Adds a connector under its name.
    pub fn with(mut self, connector: Arc<dyn Connector>) -> Self {
        self.by_name.insert(connector.name(), connector);
        self
    }

    /// The connector of this name, if configured.
    pub fn get(&self, name: &str) -> Option<Arc<dyn Connector>> {
        self.by_name.get(name).cloned()
    }
}
