//! The states a payer can meet besides paying: a declined card, an expired link, a cancelled
//! link, and the mobile-money wait that reloads itself until the phone approves.

use crate::payer::Payer;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_card_shows_the_failure_and_try_again_leads_back_to_the_form() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "ar"})).await;
    p.open(&link.url).await;
    p.pay_by_card("4000 0000 0000 0002").await;
    p.wait_for_path(&format!("/pay/{}/payments/", link.id)).await;
    assert_eq!(p.heading().await, "تعذّر الدفع");
    let text = p.text().await;
    assert!(text.contains("رُفضت بطاقتك") && text.contains("حاول مرة أخرى"), "{text}");
    p.shot("ar-failed").await;
    p.click("a.btn").await;
    p.wait_for_path(&format!("/pay/{}?lang=ar", link.id)).await;
    p.js("return document.querySelector('input[name=card_number]').name").await;
    assert_eq!(p.link_status(&link.id).await, "open");
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_link_says_so_in_both_languages_and_offers_no_form() {
    let Some(p) = Payer::start().await else { return };
    let expires = p.app.ctx.clock.now().plus_secs(3600).to_rfc3339();
    let link = p.link(json!({"language": "ar", "expires_at": expires})).await;
    p.open(&link.url).await;
    assert!(p.text().await.contains("ينتهي في"), "{}", p.text().await);
    p.app.ctx.clock.advance_secs(7200);
    p.open(&link.url).await;
    assert!(p.text().await.contains("انتهت صلاحية هذا الرابط"), "{}", p.text().await);
    assert_eq!(p.js("return document.forms.length").await, json!(0));
    p.shot("ar-expired").await;
    p.open(&format!("{}?lang=en", link.url)).await;
    assert!(p.text().await.contains("This link has expired"), "{}", p.text().await);
    p.shot("en-expired").await;
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_link_says_so_in_both_languages_and_offers_no_form() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "en"})).await;
    let r = p.app.post(&p.app.owner_key, &format!("/v1/payment_links/{}/cancel", link.id), json!({})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    p.open(&link.url).await;
    assert!(p.text().await.contains("This link was cancelled"), "{}", p.text().await);
    assert_eq!(p.js("return document.forms.length").await, json!(0));
    p.shot("en-cancelled").await;
    p.open(&format!("{}?lang=ar", link.url)).await;
    assert!(p.text().await.contains("تم إلغاء هذا الرابط"), "{}", p.text().await);
    p.shot("ar-cancelled").await;
    p.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mobile_money_shows_the_wait_screen_which_reloads_itself_until_the_phone_approves() {
    let Some(p) = Payer::start().await else { return };
    let link = p.link(json!({"language": "ar"})).await;
    p.open(&link.url).await;
    p.pay_by_mobile("+966500000001").await;
    p.wait_for_path(&format!("/pay/{}/payments/", link.id)).await;
    assert_eq!(p.heading().await, "وافق من جوالك");
    let refresh = p.js("const m = document.querySelector('meta[http-equiv=refresh]'); return m && m.content").await;
    assert_eq!(refresh, json!("2"));
    p.shot("ar-mobile-wait").await;
    // The sandbox approves a few seconds later; the page's next reload shows it.
    p.app.ctx.clock.advance_secs(10);
    p.wait_for_text("تم الدفع بنجاح").await;
    p.shot("ar-mobile-paid").await;
    assert_eq!(p.link_status(&link.id).await, "paid");
    p.finish().await;
}
