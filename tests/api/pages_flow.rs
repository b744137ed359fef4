//! Paying through the hosted page's forms, as a browser without JavaScript does: the card up to
//! the receipt, field errors, a decline, the OTP form, the self-refreshing mobile-money wait, and
//! the signed returns to the merchant.

use crate::both;
use crate::helpers::TestApp;
use crate::pages::{Browser, csrf, id, location, new_link, pay_by_card};
use paylink::connector::sandbox::instruments::OTP_CODE;
use paylink::web::i18n::{AR, EN};
use serde_json::json;
use std::sync::Arc;

both!(paying_with_the_test_card_through_the_form_ends_on_the_receipt, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"reference_id": "INV-9", "language": "en"})).await);
    let mut b = Browser::new(&app);
    let paid = pay_by_card(&app, &mut b, &link, "4242 4242 4242 4242").await;
    assert_eq!(paid.status, 303);
    let receipt_path = location(&paid);
    assert!(receipt_path.starts_with("/receipts/pay_"), "{receipt_path}");
    let receipt = b.get(&receipt_path).await;
    assert_eq!(receipt.status, 200);
    for fact in ["Visa •••• 4242", "INV-9", "Order #7", "SAR 1,234.50", EN.receipt_title, AR.receipt_title] {
        assert!(receipt.text.contains(fact), "{fact}: {}", receipt.text);
    }
});

both!(form_errors_come_back_next_to_their_fields_without_the_card, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en", "address_required": true})).await);
    let mut b = Browser::new(&app);
    let r = pay_by_card(&app, &mut b, &link, "4242 4242 4242 4241").await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains(EN.e_card_number) && r.text.contains(EN.check_fields), "{}", r.text);
    assert!(!r.text.contains("4241") && r.text.contains("value=\"Sara Ali\""), "the card is never echoed");
    let method = crate::sandbox::method_id(&app, "card").await.to_string();
    let fields = [("csrf", csrf(&r.text)), ("method_id", method), ("card_number", "4242424242424242".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let fields = [&fields[..], &[("card_expiry", "12/34"), ("card_cvv", "123")]].concat();
    let r = b.post(&format!("/pay/{link}"), &fields).await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains(EN.e_required), "the address is required: {}", r.text);
});

both!(a_declined_card_shows_its_reason_and_a_way_to_try_again, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en"})).await);
    let mut b = Browser::new(&app);
    let r = pay_by_card(&app, &mut b, &link, "4000 0000 0000 9995").await;
    let page = b.get(&location(&r)).await;
    assert!(page.text.contains(EN.failed_title) && page.text.contains(EN.f_insufficient_funds), "{}", page.text);
    assert!(page.text.contains(&format!("href=\"/pay/{link}?lang=en\"")), "try again");
});

both!(the_otp_card_asks_for_the_code_on_the_page_then_pays, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en"})).await);
    let mut b = Browser::new(&app);
    let waiting = location(&pay_by_card(&app, &mut b, &link, "4000 0000 0000 3220").await);
    let page = b.get(&waiting).await;
    assert!(page.text.contains(EN.otp_title) && page.text.contains("name=\"otp\""), "{}", page.text);
    assert!(!page.text.contains("http-equiv=\"refresh\""), "the OTP page waits for the payer");
    assert!(page.text.contains(&format!("{} <bdi dir=\"ltr\">{OTP_CODE}</bdi>", EN.otp_sandbox_hint)));
    let otp_path = format!("{}/otp", waiting.split('?').next().unwrap());
    let wrong = b.post(&otp_path, &[("csrf", &csrf(&page.text)), ("otp", "000000"), ("lang", "en")]).await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.text.contains(EN.e_otp));
    let right = b.post(&otp_path, &[("csrf", &csrf(&wrong.text)), ("otp", OTP_CODE), ("lang", "en")]).await;
    assert_eq!(right.status, 303);
    assert!(location(&right).starts_with("/receipts/pay_"));
});

both!(returns_to_the_merchant_are_signed_and_allowed_by_the_policy, |app: Arc<TestApp>| async move {
    let urls = json!({"success_url": "https://shop.example/thanks", "cancel_url": "https://cart.example/back"});
    let (link, leaving) = (id(&new_link(&app, urls.clone()).await), id(&new_link(&app, urls).await));
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/pay/{leaving}")).await;
    let csp = page.headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("form-action 'self' https://shop.example https://cart.example;"), "{csp}");
    let left = b.post(&format!("/pay/{leaving}/cancel"), &[("csrf", &csrf(&page.text))]).await;
    assert!(location(&left).starts_with("https://cart.example/back?link_id="), "{}", location(&left));
    let paid = location(&pay_by_card(&app, &mut b, &link, "4242 4242 4242 4242").await);
    assert!(paid.starts_with("https://shop.example/thanks?") && paid.contains("status=succeeded"), "{paid}");
    assert!(paid.contains("&signature="), "{paid}");
});

both!(mobile_money_waits_on_a_self_refreshing_page_until_the_phone_answers, |app: Arc<TestApp>| async move {
    let (link, cancelled) =
        (id(&new_link(&app, json!({"language": "en"})).await), id(&new_link(&app, json!({})).await));
    let method = crate::sandbox::method_id(&app, "mobile_money").await.to_string();
    let mut b = Browser::new(&app);
    let mut start = async |link: &str| {
        let token = csrf(&b.get(&format!("/pay/{link}")).await.text);
        let fields = [("csrf", token.as_str()), ("method_id", &method), ("mobile_phone", "+966500000001")];
        location(&b.post(&format!("/pay/{link}"), &fields).await)
    };
    let waiting = start(&link).await;
    let leaving = start(&cancelled).await;
    let page = b.get(&waiting).await;
    assert!(page.text.contains(EN.approve_title) && page.text.contains("<meta http-equiv=\"refresh\" content=\"2\">"));
    let page = b.get(&leaving).await;
    let cancel_path = format!("{}/cancel", leaving.split('?').next().unwrap());
    let left = b.post(&cancel_path, &[("csrf", &csrf(&page.text))]).await;
    assert_eq!(location(&left), format!("/pay/{cancelled}?lang=ar"), "no cancel_url: back to the link page");
    assert!(b.get(&leaving).await.text.contains(AR.cancelled_payment_title));
    app.ctx.clock.advance_secs(4);
    let done = b.get(&waiting).await;
    assert!(done.text.contains(EN.succeeded_title) && !done.text.contains("http-equiv=\"refresh\""), "{}", done.text);
});

both!(too_many_declines_answer_a_friendly_429_page, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en"})).await);
    let mut b = Browser::new(&app);
    let limit = app.ctx.config.payments.decline_limit_per_link;
    for _ in 0..limit {
        assert_eq!(pay_by_card(&app, &mut b, &link, "4000 0000 0000 0002").await.status, 303);
    }
    let refused = pay_by_card(&app, &mut b, &link, "4242 4242 4242 4242").await;
    assert_eq!(refused.status, 429);
    assert!(
        refused.text.contains(EN.too_many_title) && refused.text.contains(&format!("href=\"/pay/{link}?lang=en\""))
    );
});
