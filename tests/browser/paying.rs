//! Paying by card in each language, switching language, and the OTP step.

use crate::payer::Payer;
use serde_json::json;

async fn assert_dir_and_lang(p: &Payer, dir: &[&str], lang: &str) {
    let (d, l) = p.dir_and_lang().await;
    assert!(
        dir.contains(&d.as_str()) && l == lang,
        "dir={d:?} lang={l:?} on {}, wanted {dir:?} {lang}",
        p.path().await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_link_reads_right_to_left_and_the_success_card_pays_it() {
    let Some(p) = Payer::start().await else { return };
    let fields = json!({
        "language": "ar",
        "title": "طلب رقم 1042",
        "description": "قهوة مختصة، كيس واحد ٢٥٠ غرام",
        "reference_id": "INV-1042",
    });
    let link = p.link(fields).await;
    p.open(&link.url).await;
    assert_dir_and_lang(&p, &["rtl"], "ar").await;
    assert!(p.text().await.contains("اختر طريقة الدفع"), "{}", p.text().await);
    p.shot("ar-link").await;
    p.pay_by_card("4242 4242 4242 4242").await;
    p.wait_for_path("/receipts/").await;
    assert_dir_and_lang(&p, &["rtl"], "ar").await;
    assert_eq!(p.heading().await.lines().next(), Some("إيصال الدفع"));
    assert!(p.text().await.contains("مدفوع"), "{}", p.text().await);
    p.shot("ar-receipt").await;
    assert_eq!(p.link_status(&link.id).await, "paid");
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_english_link_reads_left_to_right_switches_to_arabic_and_back_and_pays() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "en", "title": "Order 1042", "reference_id": "INV-1042"})).await;
    p.open(&link.url).await;
    assert_dir_and_lang(&p, &["ltr", ""], "en").await;
    assert!(p.text().await.contains("Choose how to pay"), "{}", p.text().await);
    p.shot("en-link").await;
    p.click("a.lang").await;
    p.wait_for_path(&format!("/pay/{}?lang=ar", link.id)).await;
    assert_dir_and_lang(&p, &["rtl"], "ar").await;
    assert!(p.text().await.contains("اختر طريقة الدفع"), "{}", p.text().await);
    p.shot("en-link-switched-to-ar").await;
    p.click("a.lang").await;
    p.wait_for_path(&format!("/pay/{}?lang=en", link.id)).await;
    assert_dir_and_lang(&p, &["ltr", ""], "en").await;
    p.pay_by_card("4242 4242 4242 4242").await;
    p.wait_for_path("/receipts/").await;
    assert_dir_and_lang(&p, &["ltr", ""], "en").await;
    assert_eq!(p.heading().await.lines().next(), Some("Receipt"));
    assert!(p.text().await.contains("Paid"), "{}", p.text().await);
    p.shot("en-receipt").await;
    assert_eq!(p.link_status(&link.id).await, "paid");
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_otp_card_asks_for_a_code_shows_an_error_for_a_wrong_one_and_pays_with_123456() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "ar", "title": "طلب رقم 1043"})).await;
    p.open(&link.url).await;
    p.pay_by_card("4000 0000 0000 3220").await;
    p.wait_for_path(&format!("/pay/{}/payments/", link.id)).await;
    assert_eq!(p.heading().await, "أدخل رمز التحقق");
    p.shot("ar-otp").await;
    p.enter_otp("000000").await;
    let error = p.js("const e = document.querySelector('label.bad .err'); return e && e.innerText").await;
    assert!(error.as_str().is_some_and(|e| !e.is_empty()), "no error next to the code: {}", p.text().await);
    assert_eq!(p.heading().await, "أدخل رمز التحقق");
    p.shot("ar-otp-wrong").await;
    assert_eq!(p.link_status(&link.id).await, "open");
    p.enter_otp("123456").await;
    p.wait_for_path("/receipts/").await;
    assert!(p.text().await.contains("مدفوع"), "{}", p.text().await);
    p.shot("ar-otp-receipt").await;
    assert_eq!(p.link_status(&link.id).await, "paid");
    p.finish().await;
}
