use super::*;
use crate::domain::FieldError;
use crate::domain::money::Currency;

fn rules() -> Rules {
    Rules {
        now: Timestamp::from_micros(1_700_000_000_000_000),
        default_currency: Currency::parse("SAR").unwrap(),
        max_amount_major: 1_000_000,
    }
}

fn draft(amount: &str) -> LinkDraft {
    LinkDraft { amount: Some(amount.into()), title: Some("Order #1".into()), ..Default::default() }
}

fn fields(result: Result<ValidLink, Vec<FieldError>>) -> Vec<String> {
    result.unwrap_err().into_iter().map(|e| e.field).collect()
}

#[test]
fn a_minimal_draft_becomes_a_single_use_arabic_link_in_the_store_currency() {
    let link = draft("299.99").validate(&rules()).unwrap();
    assert_eq!(link.amount.minor(), 29999);
    assert_eq!(link.amount.currency().code(), "SAR");
    assert!(link.single_use && link.max_payments.is_none());
    assert_eq!(link.language, Language::Ar);
    assert_eq!(link.metadata, "{}");
}

#[test]
fn every_broken_rule_is_reported_with_its_field() {
    let mut d = draft("1.001");
    d.customer.phone = Some("0501234567".into());
    d.callback_url = Some("ftp://x".into());
    d.expires_at = Some("2000-01-01T00:00:00Z".into());
    d.language = Some("fr".into());
    d.metadata = Some(serde_json::json!([1]));
    let got = fields(d.validate(&rules()));
    for f in ["amount", "customer.phone", "callback_url", "expires_at", "language", "metadata"] {
        assert!(got.contains(&f.to_owned()), "{f} missing from {got:?}");
    }
}

#[test]
fn usage_rules_reconcile_single_use_and_max_payments() {
    let mut d = draft("5");
    d.max_payments = Some(50);
    let link = d.validate(&rules()).unwrap();
    assert!(!link.single_use);
    assert_eq!(link.max_payments, Some(50));
    let mut d = draft("5");
    d.single_use = Some(true);
    d.max_payments = Some(3);
    assert_eq!(fields(d.validate(&rules())), ["max_payments"]);
}

#[test]
fn an_open_link_reads_as_expired_from_its_expiry_on() {
    let mut d = draft("5");
    d.expires_at = Some("2023-11-14T22:13:21Z".into());
    let valid = d.validate(&rules()).unwrap();
    let at = valid.expires_at.unwrap();
    let link = Link {
        id: LinkId::generate(1, [0; 10]),
        store_id: StoreId::generate(1, [0; 10]),
        environment: Environment::Sandbox,
        branch_id: None,
        created_by: "usr".into(),
        amount: valid.amount,
        title: valid.title,
        description: None,
        reference_id: None,
        single_use: true,
        max_payments: None,
        expires_at: Some(at),
        customer: Customer::default(),
        language: Language::Ar,
        address_required: false,
        send_sms: false,
        send_email: false,
        callback_url: None,
        success_url: None,
        cancel_url: None,
        metadata: "{}".into(),
        secret: String::new(),
        short_code: String::new(),
        status: LinkStatus::Open,
        payments_count: 0,
        amount_paid_minor: 0,
        created_at: rules().now,
        updated_at: rules().now,
        payment_methods: None,
        dialect: None,
        dialect_ref: None,
        callback_events: None,
        address_prefill: None,
        image_id: None,
    };
    assert_eq!(link.status_at(Timestamp::from_micros(at.micros() - 1)), LinkStatus::Open);
    assert_eq!(link.status_at(at), LinkStatus::Expired);
}

#[test]
fn each_field_error_names_the_rule_it_broke_whatever_its_wording() {
    use crate::domain::{Expected, Rule};
    let rule_of = |d: LinkDraft| d.validate(&rules()).unwrap_err()[0].rule;
    assert_eq!(rule_of(draft("abc")), Rule::NotANumber);
    assert_eq!(rule_of(draft("1.001")), Rule::TooManyDecimals);
    assert_eq!(rule_of(draft("-1")), Rule::NotPositive);
    assert_eq!(rule_of(draft("2000000")), Rule::AboveMaximum);
    assert_eq!(rule_of(LinkDraft { amount: None, ..draft("1") }), Rule::Required);
    assert_eq!(rule_of(LinkDraft { expires_at: Some("soon".into()), ..draft("1") }), Rule::NotADateTime);
    assert_eq!(rule_of(LinkDraft { expires_at: Some("2000-01-01T00:00:00Z".into()), ..draft("1") }), Rule::InPast);
    assert_eq!(rule_of(LinkDraft { title: Some("t".repeat(201)), ..draft("1") }), Rule::TooLong);
    assert_eq!(rule_of(LinkDraft { language: Some("fr".into()), ..draft("1") }), Rule::UnknownValue);
    let wrong = LinkDraft { metadata: Some(serde_json::json!([1])), ..draft("1") };
    assert_eq!(rule_of(wrong), Rule::WrongType(Expected::Object));
}
