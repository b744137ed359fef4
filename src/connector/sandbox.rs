//! The sandbox connector: a deterministic simulated provider. Outcomes follow the documented
//! test instruments ([`instruments`]); what it would remember remotely lives in its own ledger
//! table, so a restarted or second instance can still answer for a charge. Delays are measured
//! with the injected clock, so tests move time instead of sleeping.

pub mod instruments;

use super::{
    ActionInput, BoxFuture, Charge, Connector, ConnectorError, Instrument, Outcome, RefundOutcome, Result, WalletCheck,
};
use crate::clock::Clock;
use crate::domain::money::Money;
use crate::domain::payment::{Failure, NextAction};
use crate::store::Db;
use crate::store::conn::DbError;
use crate::store::sandbox::{self as ledger, ChargeRow, NewCharge};
use instruments::Behaviour;
use std::sync::Arc;

/// How long the simulated waits last.
#[derive(Clone, Copy, Debug)]
pub struct Delays {
    /// A delayed card processes this long.
    pub card_secs: i64,
    /// A mobile-money payer approves or rejects after this long.
    pub mobile_money_secs: i64,
}

/// The sandbox connector.
pub struct Sandbox {
    db: Arc<Db>,
    clock: Clock,
    delays: Delays,
}

impl Sandbox {
    /// A sandbox keeping its ledger in `db`.
    pub fn new(db: Arc<Db>, clock: Clock, delays: Delays) -> Self {
        Sandbox { db, clock, delays }
    }

    fn plan(&self, instrument: &Instrument, amount: Money) -> (Behaviour, String) {
        match instrument {
            Instrument::Card(card) => {
                (instruments::card_behaviour(card.number()), format!("{} •••• {}", card.brand(), card.last4()))
            }
            Instrument::MobileMoney { phone } => (instruments::mobile_behaviour(phone), phone.clone()),
            Instrument::Installments { phone, months } => {
                (instruments::installments_behaviour(amount, *months), format!("{months} months, {phone}"))
            }
        }
    }

    async fn record(&self, charge: Charge<'_>) -> Result<ChargeRow> {
        let now = self.clock.now().micros();
        let (behaviour, label) = self.plan(charge.instrument, charge.amount);
        let (status, final_status, code, wait) = match behaviour {
            Behaviour::Succeed | Behaviour::SucceedRefundsFail => ("succeeded", "succeeded", None, None),
            Behaviour::Decline(code) => ("declined", "declined", Some(code), None),
            Behaviour::RequireOtp => ("requires_otp", "succeeded", None, None),
            Behaviour::SucceedAfterDelay => ("processing", "succeeded", None, Some(self.delays.card_secs)),
            Behaviour::ApproveAfterDelay => {
                ("awaiting_approval", "succeeded", None, Some(self.delays.mobile_money_secs))
            }
            Behaviour::RejectAfterDelay(code) => {
                ("awaiting_approval", "declined", Some(code), Some(self.delays.mobile_money_secs))
            }
            Behaviour::NeverAnswer => ("awaiting_approval", "succeeded", None, None),
        };
        let row = NewCharge {
            attempt_id: charge.attempt_id.to_owned(),
            reference: charge.reference.to_owned(),
            instrument: label,
            amount_minor: charge.amount.minor(),
            currency: charge.amount.currency().code(),
            status,
            final_status,
            decline_code: code,
            ready_at: wait.map(|s| now + s * 1_000_000),
            refunds_fail: behaviour == Behaviour::SucceedRefundsFail,
        };
        self.db.write(move |c| ledger::insert(c, &row, now)).await.map_err(unavailable)
    }

    async fn current(&self, attempt_id: &str) -> Result<Outcome> {
        let (id, now) = (attempt_id.to_owned(), self.clock.now().micros());
        let row = self
            .db
            .write(move |c| {
                ledger::settle_if_ready(c, &id, now)?;
                ledger::get(c, &id)
            })
            .await
            .map_err(unavailable)?;
        row.map(|r| outcome_of(&r)).ok_or(ConnectorError::UnknownAttempt)
    }
}

fn unavailable(e: DbError) -> ConnectorError {
    ConnectorError::Unavailable(e.to_string())
}

/// The outcome a ledger row stands for.
fn outcome_of(row: &ChargeRow) -> Outcome {
    let reference = format!("sbx_{}", row.attempt_id);
    match row.status.as_str() {
        "succeeded" => Outcome::Succeeded { reference },
        "declined" => {
            let code = row.decline_code.clone().unwrap_or_else(|| "card_declined".into());
            let message = instruments::decline_message(&code).to_owned();
            Outcome::Failed(Failure { code, message, decline: true })
        }
        "requires_otp" => Outcome::RequiresAction { action: NextAction::Otp, reference },
        "awaiting_approval" => Outcome::RequiresAction { action: NextAction::ApproveOnPhone, reference },
        "cancelled" => Outcome::Cancelled,
        _ => Outcome::Processing { reference },
    }
}

impl Connector for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn start<'a>(&'a self, charge: Charge<'a>) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(async move { self.record(charge).await.map(|row| outcome_of(&row)) })
    }

    fn continue_action<'a>(&'a self, attempt_id: &'a str, input: ActionInput) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(async move {
            let ActionInput::Otp(code) = input;
            let (id, now) = (attempt_id.to_owned(), self.clock.now().micros());
            let correct = code.trim() == instruments::OTP_CODE;
            let row = self
                .db
                .write(move |c| {
                    ledger::enter_otp(c, &id, correct, instruments::OTP_TRIES, now)?;
                    ledger::get(c, &id)
                })
                .await
                .map_err(unavailable)?
                .ok_or(ConnectorError::UnknownAttempt)?;
            match outcome_of(&row) {
                Outcome::RequiresAction { .. } if !correct => {
                    Err(ConnectorError::Rejected("the one-time code is not correct".into()))
                }
                outcome => Ok(outcome),
            }
        })
    }

    fn query<'a>(&'a self, attempt_id: &'a str) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(self.current(attempt_id))
    }

    fn cancel<'a>(&'a self, attempt_id: &'a str) -> BoxFuture<'a, Result<Outcome>> {
        Box::pin(async move {
            let (id, now) = (attempt_id.to_owned(), self.clock.now().micros());
            self.db.write(move |c| ledger::cancel(c, &id, now)).await.map_err(unavailable)?;
            self.current(attempt_id).await
        })
    }

    fn refund<'a>(
        &'a self,
        attempt_id: &'a str,
        refund_id: &'a str,
        amount: Money,
    ) -> BoxFuture<'a, Result<RefundOutcome>> {
        Box::pin(async move {
            let (id, rid, now) = (attempt_id.to_owned(), refund_id.to_owned(), self.clock.now().micros());
            let minor = amount.minor();
            let done = self.db.write(move |c| ledger::refund(c, &rid, &id, minor, now)).await.map_err(unavailable)?;
            Ok(if done {
                RefundOutcome::Succeeded
            } else {
                let message = "the charge cannot be refunded by this amount".to_owned();
                RefundOutcome::Failed(Failure { code: "refund_refused".into(), message, decline: false })
            })
        })
    }

    /// Answers from the test numbers: the insufficient-funds number has not enough, a number
    /// that is not a test number has no wallet, every other one can be charged (and then
    /// behaves as documented).
    fn precheck_wallet<'a>(&'a self, phone: &'a str, _amount: Money) -> BoxFuture<'a, Result<WalletCheck>> {
        Box::pin(async move {
            Ok(match instruments::mobile_behaviour(phone) {
                Behaviour::Decline("insufficient_funds") => WalletCheck::InsufficientFunds,
                Behaviour::Decline("test_number_required") => WalletCheck::NoWallet,
                _ => WalletCheck::Chargeable,
            })
        })
    }
}
