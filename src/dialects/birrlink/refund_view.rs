//! A refund as BirrLink shows it (seed 003's create response, plus the decision times), and
//! the spellings of ids and status words the refund routes read and write. A BirrLink refund
//! id is `ref_` + the body of our `re_…` id; its `payment_id` is the BirrLink payment (`pay_` +
//! the body of the refunded link's `plink_…` id), so the two convert without a mapping table.
//! [`amount`], [`time`] and [`payment_id`] are BirrLink's money, time and payment-id spellings
//! for every BirrLink view (payments too).

use crate::domain::Timestamp;
use crate::domain::id::{LinkId, RefundId};
use crate::domain::refund::{Refund, RefundStatus};
use serde::Serialize;
use serde_json::value::RawValue;
use utoipa::ToSchema;

/// BirrLink's prefix of a refund id.
const REFUND_PREFIX: &str = "ref_";
/// BirrLink's prefix of a payment id (a payment link of ours).
const PAYMENT_PREFIX: &str = "pay_";

/// A refund.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundData {
    /// Refund id (`ref_…`).
    #[schema(example = "ref_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub id: String,
    /// The refunded payment (`pay_…`).
    #[schema(example = "pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O")]
    pub payment_id: String,
    /// `pending_approval` (waits for an approver), `approved` (being sent), `completed`,
    /// `failed` or `rejected`.
    #[schema(example = "pending_approval")]
    pub status: &'static str,
    /// Amount given back, in major units with the currency's decimals (`50.00`).
    #[schema(value_type = f64, example = 50.00)]
    pub amount: Box<RawValue>,
    /// ISO 4217 code (the payment's).
    #[schema(example = "ETB")]
    pub currency: String,
    /// Why the money goes back.
    pub reason: Option<String>,
    /// Your own data, as sent.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    /// When it was requested (ISO 8601, UTC).
    pub created_at: String,
    /// When it was approved (by a person, or by the store's auto-approval policy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_at: Option<String>,
    /// When it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejected_at: Option<String>,
    /// When the money went back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<String>,
    /// When sending it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed_at: Option<String>,
    /// Why sending it failed (the provider's message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
    /// The approver's or rejecter's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
}

/// A page of refunds.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefundPage {
    /// Newest first.
    pub refunds: Vec<RefundData>,
    /// Where this page sits.
    pub pagination: super::customer_view::Pagination,
}

impl From<&Refund> for RefundData {
    fn from(r: &Refund) -> Self {
        let status = r.status;
        let approved = matches!(status, RefundStatus::Approved | RefundStatus::Succeeded | RefundStatus::Failed);
        RefundData {
            id: refund_id(&r.id),
            payment_id: payment_id(&r.link_id),
            status: status_word(status),
            amount: amount(r.amount),
            currency: r.amount.currency().code().to_owned(),
            reason: r.reason.clone(),
            metadata: serde_json::from_str(&r.metadata).unwrap_or_else(|_| serde_json::json!({})),
            created_at: time(r.created_at),
            approved_at: r.decided_at.filter(|_| approved).map(time),
            rejected_at: r.decided_at.filter(|_| status == RefundStatus::Rejected).map(time),
            completed_at: r.completed_at.filter(|_| status == RefundStatus::Succeeded).map(time),
            failed_at: r.completed_at.filter(|_| status == RefundStatus::Failed).map(time),
            failure_reason: (status == RefundStatus::Failed)
                .then(|| r.failure_message.clone().or_else(|| r.failure_code.clone()))
                .flatten(),
            decision_note: r.decision_note.clone(),
        }
    }
}

/// BirrLink's status word for a refund (`succeeded` is `completed`, as its events say).
pub fn status_word(s: RefundStatus) -> &'static str {
    match s {
        RefundStatus::PendingApproval => "pending_approval",
        RefundStatus::Approved => "approved",
        RefundStatus::Rejected => "rejected",
        RefundStatus::Succeeded => "completed",
        RefundStatus::Failed => "failed",
    }
}

/// Our status for BirrLink's word, or `None`.
pub fn status_of_word(word: &str) -> Option<RefundStatus> {
    RefundStatus::ALL.into_iter().find(|s| status_word(*s) == word)
}

/// `ref_X` for our `re_X`.
pub fn refund_id(id: &RefundId) -> String {
    let body = id.as_str().strip_prefix(RefundId::PREFIX).and_then(|b| b.strip_prefix('_')).unwrap_or(id.as_str());
    format!("{REFUND_PREFIX}{body}")
}

/// Our `re_X` for BirrLink's `ref_X` (also accepts `re_X` itself); `None` for anything else.
pub fn native_refund_id(text: &str) -> Option<RefundId> {
    let body = text.strip_prefix(REFUND_PREFIX);
    RefundId::parse(&body.map_or_else(|| text.to_owned(), |b| format!("{}_{b}", RefundId::PREFIX)))
}

/// `pay_X` for our link `plink_X`.
pub fn payment_id(link: &LinkId) -> String {
    let body = link.as_str().strip_prefix(LinkId::PREFIX).and_then(|b| b.strip_prefix('_')).unwrap_or(link.as_str());
    format!("{PAYMENT_PREFIX}{body}")
}

/// Our link `plink_X` for BirrLink's `pay_X`; `None` for anything else.
pub fn native_link_id(text: &str) -> Option<LinkId> {
    LinkId::parse(&format!("{}_{}", LinkId::PREFIX, text.strip_prefix(PAYMENT_PREFIX)?))
}

/// An amount as a JSON number with the currency's decimals (`50.00`), from its exact text.
pub fn amount(m: crate::domain::money::Money) -> Box<RawValue> {
    RawValue::from_string(m.to_canonical()).unwrap_or_else(|_| RawValue::from_string("0".into()).expect("0 is JSON"))
}

/// A time as BirrLink writes one: ISO 8601 in UTC to the second (`2023-10-20T15:00:00Z`).
pub fn time(t: Timestamp) -> String {
    let micros = t.micros();
    Timestamp::from_micros(micros - micros.rem_euclid(1_000_000)).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_convert_both_ways_and_refuse_other_kinds() {
        let re = RefundId::generate(1_700_000_000_000, [7; 10]);
        let ours = refund_id(&re);
        assert!(ours.starts_with("ref_") && ours.len() == "ref_".len() + 26);
        assert_eq!(native_refund_id(&ours), Some(re.clone()));
        assert_eq!(native_refund_id(re.as_str()), Some(re));
        assert_eq!(native_refund_id("pay_01JD8X3V9Q2W5E7R9T1Y3U5I7O"), None);
        let link = LinkId::generate(1_700_000_000_000, [9; 10]);
        assert_eq!(native_link_id(&payment_id(&link)), Some(link));
        assert_eq!(native_link_id("ref_01JD8X3V9Q2W5E7R9T1Y3U5I7O"), None);
    }

    #[test]
    fn status_words_round_trip() {
        for s in RefundStatus::ALL {
            assert_eq!(status_of_word(status_word(s)), Some(s));
        }
        assert_eq!(status_of_word("succeeded"), None);
    }
}
