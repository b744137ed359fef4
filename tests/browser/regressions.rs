//! Page bugs the browser tests found, kept as regression tests: long unbroken text must not widen
//! the page on a phone, and the language switch must lead to a GET address after a POST.

use crate::payer::Payer;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_unbroken_reference_or_description_does_not_widen_the_page_on_a_phone() {
    let Some(p) = Payer::start().await else { return };
    let reference = format!("INV-{}", "0".repeat(60));
    let description = "https://shop.example/orders/2024/000000000000000000000000000000000000000000001";
    for fields in [json!({"reference_id": reference}), json!({"description": description})] {
        let link = p.link(fields).await;
        p.open(&link.url).await;
    }
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_still_works_after_a_wrong_otp() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "ar"})).await;
    p.open(&link.url).await;
    p.pay_by_card("4000 0000 0000 3220").await;
    p.enter_otp("000000").await;
    p.js("document.querySelector('a.lang').click(); return null").await;
    p.wait_for_text("Enter the verification code").await;
    p.finish().await;
}
