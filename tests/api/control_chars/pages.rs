//! The payment pages: a control character in any input of a page form re-renders the form with a
//! 400 and that input marked, like any other invalid input; one in any page address is the "not
//! found" page. Never a 500 page, and nothing is paid or recorded.

use super::BAD;
use crate::both;
use crate::helpers::TestApp;
use crate::pages::{Browser, csrf, id, location, new_link, pay_by_card};
use paylink::connector::sandbox::instruments::OTP_CODE;
use paylink::web::i18n::EN;
use serde_json::json;
use std::sync::Arc;

/// The inputs of the payment form.
const INPUTS: [&str; 16] = [
    "method_id",
    "card_number",
    "card_expiry",
    "card_cvv",
    "mobile_phone",
    "installments",
    "installments_phone",
    "name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "address_city",
    "address_region",
    "address_postal_code",
    "address_country",
];

/// The part of a page that says what went wrong.
fn excerpt(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    &html[start..html.len().min(start + 1500)]
}

/// Whether the page marks input `name` as wrong; `None` when the page does not show it.
fn marked(html: &str, name: &str) -> Option<bool> {
    if name == "installments" {
        // The plans are radio buttons; their fieldset carries the error.
        let plans = html.split("<fieldset class=\"plans\">").nth(1)?.split("</fieldset>").next()?;
        return Some(plans.contains("<small class=\"err\">"));
    }
    let input = format!("name=\"{name}\"");
    let label =
        html.split("<label class=\"").skip(1).find(|l| l.split("</label>").next().unwrap_or("").contains(&input));
    label.map(|l| l.split('"').next().unwrap_or("").split(' ').any(|class| class == "bad"))
}

both!(a_control_character_in_any_payment_form_input_re_renders_the_form_with_a_400, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en", "address_required": true})).await);
    let method = crate::sandbox::method_id(&app, "card").await.to_string();
    let valid = [
        ("method_id", method.as_str()),
        ("card_number", "4242 4242 4242 4242"),
        ("card_expiry", "12/34"),
        ("card_cvv", "123"),
        ("name", "Sara Ali"),
        ("address_line1", "1 King Road"),
        ("address_city", "Riyadh"),
        ("address_country", "SA"),
    ];
    let mut b = Browser::new(&app);
    let mut token = csrf(&b.get(&format!("/pay/{link}")).await.text);
    for input in INPUTS {
        for (bad, _) in BAD {
            let value = format!("a{bad}b");
            let mut fields: Vec<(&str, &str)> = valid.iter().filter(|(k, _)| *k != input).copied().collect();
            fields.extend([("csrf", token.as_str()), ("lang", "en"), (input, value.as_str())]);
            let r = b.post(&format!("/pay/{link}"), &fields).await;
            assert_eq!(r.status, 400, "{input} {bad:?}: {}", excerpt(&r.text));
            assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"), "{input}");
            assert_ne!(marked(&r.text, input), Some(false), "{input} {bad:?} is not marked: {}", excerpt(&r.text));
            token = csrf(&r.text);
        }
    }
    let shown = b.post(&format!("/pay/{link}"), &[("csrf", token.as_str()), ("name", "x\u{0}")]).await;
    assert_eq!(marked(&shown.text, "name"), Some(true), "the payer's name is shown marked: {}", shown.text);
    assert!(shown.text.contains(EN.e_invalid));
    let after = app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await;
    assert_eq!((after.body["status"].as_str(), after.body["payments_count"].as_i64()), (Some("open"), Some(0)));
});

both!(a_control_character_in_the_one_time_code_is_a_field_error_on_the_payment_page, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en"})).await);
    let mut b = Browser::new(&app);
    let waiting = location(&pay_by_card(&app, &mut b, &link, "4000 0000 0000 3220").await);
    let mut token = csrf(&b.get(&waiting).await.text);
    let otp_path = format!("{}/otp", waiting.split('?').next().unwrap());
    for (bad, _) in BAD {
        let code = format!("12{bad}456");
        let r = b.post(&otp_path, &[("csrf", token.as_str()), ("otp", code.as_str()), ("lang", "en")]).await;
        assert_eq!(r.status, 400, "{bad:?}: {}", r.text);
        assert_eq!(marked(&r.text, "otp"), Some(true), "{bad:?}: {}", r.text);
        token = csrf(&r.text);
    }
    let right = b.post(&otp_path, &[("csrf", token.as_str()), ("otp", OTP_CODE), ("lang", "en")]).await;
    assert_eq!(right.status, 303, "the payment still waits for its code: {}", right.text);
});

both!(a_control_character_in_a_page_address_is_the_not_found_page, |app: Arc<TestApp>| async move {
    let link = id(&new_link(&app, json!({"language": "en"})).await);
    let mut b = Browser::new(&app);
    let token = csrf(&b.get(&format!("/pay/{link}")).await.text);
    let form = [("csrf", token.as_str())];
    for (_, pct) in BAD {
        for path in [
            format!("/pay/x{pct}y"),
            format!("/payment-link/x{pct}y"),
            format!("/invoice/x{pct}y"),
            format!("/l/x{pct}y"),
            format!("/receipts/x{pct}y"),
            format!("/pay/{link}/payments/x{pct}y"),
            format!("/assets/logos/x{pct}y"),
            format!("/images/links/x{pct}y"),
            format!("/assets/x{pct}y"),
        ] {
            let r = b.get(&path).await;
            assert_eq!(r.status, 404, "GET {path}: {}", r.text);
            assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/html"), "GET {path}");
        }
        for path in [
            format!("/pay/x{pct}y"),
            format!("/pay/x{pct}y/cancel"),
            format!("/pay/{link}/payments/x{pct}y/otp"),
            format!("/pay/{link}/payments/x{pct}y/cancel"),
        ] {
            let r = b.post(&path, &form).await;
            assert_eq!(r.status, 404, "POST {path}: {}", r.text);
        }
    }
});
