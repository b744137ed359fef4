//! The sandbox's documented test instruments and the rules that map an instrument to its
//! outcome. Pure data: the `/sandbox` help page renders these same tables, so the page and the
//! behaviour cannot drift apart.

use crate::domain::method::MethodKind;
use crate::domain::money::Money;

/// The one-time code that completes an OTP card.
pub const OTP_CODE: &str = "123456";
/// Wrong OTP entries allowed before the charge is declined.
pub const OTP_TRIES: i64 = 3;
/// Installment plans on offer, in months.
pub const INSTALLMENT_PLANS: [i64; 3] = [3, 4, 6];
/// Installment plans are approved from this amount (major units) …
pub const INSTALLMENTS_MIN_MAJOR: i64 = 100;
/// … up to this amount (major units) inclusive.
pub const INSTALLMENTS_MAX_MAJOR: i64 = 5_000;

/// What the simulated provider does with a charge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    Succeed,
    Decline(&'static str),
    /// Asks for [`OTP_CODE`], then succeeds.
    RequireOtp,
    /// Processes for the card delay, then succeeds.
    SucceedAfterDelay,
    /// Waits for the payer's approval on the phone for the mobile-money delay, then succeeds.
    ApproveAfterDelay,
    /// Waits as above, then the payer rejects it.
    RejectAfterDelay(&'static str),
    /// Never answers; the payment times out.
    NeverAnswer,
    /// Succeeds; every refund of it fails.
    SucceedRefundsFail,
}

/// One documented test instrument.
#[derive(Clone, Copy, Debug)]
pub struct TestInstrument {
    pub kind: MethodKind,
    /// The card number or phone number to type.
    pub value: &'static str,
    pub behaviour: Behaviour,
    /// What happens, in English and Arabic.
    pub en: &'static str,
    pub ar: &'static str,
}

const fn card(value: &'static str, behaviour: Behaviour, en: &'static str, ar: &'static str) -> TestInstrument {
    TestInstrument { kind: MethodKind::Card, value, behaviour, en, ar }
}

const fn phone(value: &'static str, behaviour: Behaviour, en: &'static str, ar: &'static str) -> TestInstrument {
    TestInstrument { kind: MethodKind::MobileMoney, value, behaviour, en, ar }
}

/// Test cards. Any future expiry and any CVV of the right length work.
pub const CARDS: [TestInstrument; 8] = [
    card("4242 4242 4242 4242", Behaviour::Succeed, "Visa: succeeds", "فيزا: تنجح"),
    card("5555 5555 5555 4444", Behaviour::Succeed, "Mastercard: succeeds", "ماستركارد: تنجح"),
    card("4000 0000 0000 0002", Behaviour::Decline("card_declined"), "Declined", "مرفوضة"),
    card("4000 0000 0000 9995", Behaviour::Decline("insufficient_funds"), "Insufficient funds", "رصيد غير كافٍ"),
    card("4000 0000 0000 0069", Behaviour::Decline("expired_card"), "Expired card", "بطاقة منتهية الصلاحية"),
    card(
        "4000 0000 0000 3220",
        Behaviour::RequireOtp,
        "Asks for the OTP 123456, then succeeds",
        "تطلب رمز التحقق 123456 ثم تنجح",
    ),
    card(
        "4000 0000 0000 1976",
        Behaviour::SucceedAfterDelay,
        "Processes for a few seconds, then succeeds",
        "تُعالَج لبضع ثوانٍ ثم تنجح",
    ),
    card(
        "4000 0000 0000 5126",
        Behaviour::SucceedRefundsFail,
        "Succeeds; its refunds fail",
        "تنجح، لكن استرداد مبالغها يفشل",
    ),
];

/// Test mobile-money numbers: any country code, matched on the last six digits.
pub const MOBILE_NUMBERS: [TestInstrument; 4] = [
    phone(
        "+966500000001",
        Behaviour::ApproveAfterDelay,
        "Approved on the phone after a few seconds",
        "يُوافَق عليه من الهاتف بعد بضع ثوانٍ",
    ),
    phone(
        "+966500000002",
        Behaviour::RejectAfterDelay("payment_rejected"),
        "Rejected on the phone after a few seconds",
        "يُرفَض من الهاتف بعد بضع ثوانٍ",
    ),
    phone("+966500000003", Behaviour::Decline("insufficient_funds"), "Insufficient funds", "رصيد غير كافٍ"),
    phone("+966500000004", Behaviour::NeverAnswer, "Never answers: the payment times out", "لا يرد: تنتهي مهلة الدفع"),
];

/// The behaviour of a card number (digits only). Unknown numbers are declined: the sandbox
/// accepts documented test cards only.
pub fn card_behaviour(digits: &str) -> Behaviour {
    CARDS
        .iter()
        .find(|c| c.value.replace(' ', "") == digits)
        .map_or(Behaviour::Decline("test_card_required"), |c| c.behaviour)
}

/// The behaviour of a mobile-money number (E.164).
pub fn mobile_behaviour(phone: &str) -> Behaviour {
    let suffix = |p: &str| p.get(p.len().saturating_sub(6)..).map(str::to_owned);
    MOBILE_NUMBERS
        .iter()
        .find(|m| suffix(m.value) == suffix(phone))
        .map_or(Behaviour::Decline("test_number_required"), |m| m.behaviour)
}

/// Installment plans are approved for amounts within the limits, for a plan on offer.
pub fn installments_behaviour(amount: Money, months: i64) -> Behaviour {
    let unit = 10i64.pow(u32::from(amount.currency().exponent()));
    if !INSTALLMENT_PLANS.contains(&months) {
        Behaviour::Decline("plan_unavailable")
    } else if amount.minor() < INSTALLMENTS_MIN_MAJOR * unit {
        Behaviour::Decline("amount_below_minimum")
    } else if amount.minor() > INSTALLMENTS_MAX_MAJOR * unit {
        Behaviour::Decline("credit_limit_exceeded")
    } else {
        Behaviour::Succeed
    }
}

/// The English sentence for a decline code (the page translates by code).
pub fn decline_message(code: &str) -> &'static str {
    match code {
        "card_declined" => "The card was declined.",
        "insufficient_funds" => "There are not enough funds.",
        "expired_card" => "The card has expired.",
        "otp_failed" => "The one-time code was wrong too many times.",
        "test_card_required" => "The sandbox accepts only the test cards listed on /sandbox.",
        "test_number_required" => "The sandbox accepts only the test numbers listed on /sandbox.",
        "payment_rejected" => "The payment was rejected on the phone.",
        "plan_unavailable" => "This installment plan is not offered.",
        "amount_below_minimum" => "The amount is below the installment minimum.",
        "credit_limit_exceeded" => "The amount is above the installment limit.",
        _ => "The payment did not go through.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::card::luhn;
    use crate::domain::money::Currency;

    #[test]
    fn every_test_card_passes_the_luhn_check() {
        for c in CARDS {
            assert!(luhn(&c.value.replace(' ', "")), "{}", c.value);
        }
    }

    #[test]
    fn mobile_numbers_match_on_their_last_six_digits_in_any_country() {
        assert_eq!(mobile_behaviour("+251900000001"), Behaviour::ApproveAfterDelay);
        assert_eq!(mobile_behaviour("+966512345678"), Behaviour::Decline("test_number_required"));
    }

    #[test]
    fn installments_follow_the_amount_rules() {
        let sar = Currency::parse("SAR").unwrap();
        assert_eq!(
            installments_behaviour(Money::from_minor(9_999, sar), 3),
            Behaviour::Decline("amount_below_minimum")
        );
        assert_eq!(installments_behaviour(Money::from_minor(10_000, sar), 6), Behaviour::Succeed);
        assert_eq!(
            installments_behaviour(Money::from_minor(500_001, sar), 4),
            Behaviour::Decline("credit_limit_exceeded")
        );
        assert_eq!(installments_behaviour(Money::from_minor(20_000, sar), 12), Behaviour::Decline("plan_unavailable"));
    }
}
