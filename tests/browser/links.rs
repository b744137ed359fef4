//! The links list and the home page's figures in a browser: filters, the table in its scrolling
//! wrap, the pager and the empty state, photographed in Arabic and English at 412, 768 and
//! 1280 px (each shot checks the page fits the screen).

use crate::desk::Desk;
use serde_json::json;

const OWN: &str = "a quiet river at dawn";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_links_list_and_home_fit_every_screen_in_both_languages() {
    let Some(d) = Desk::start().await else { return };
    let titles = ["فستان سهرة مطرز", "Oud perfume, 100 ml", "طقم قهوة عربية فاخر مع فناجين", "Laptop repair"];
    for i in 0..24 {
        let body = json!({"amount": format!("{}.50", 100 + i * 37), "title": titles[i % 4],
            "customer": {"first_name": "نورة", "last_name": "القحطاني", "phone": "+966501234567"}});
        d.app.create_link(&d.app.owner_key, body).await;
    }
    let (email, generated) = d.user("OWNER", None).await;
    d.sign_in(&email, &generated).await;
    d.choose_password(OWN).await;
    d.shots("home-figures").await;
    d.open("/dashboard/links").await;
    assert!(d.text().await.contains("روابط الدفع"));
    d.shots("links").await;
    d.open("/dashboard/links?q=zzz-nothing").await;
    d.shots("links-empty").await;
    d.switch_language().await;
    d.open("/dashboard/links?status=open&sort=amount&order=asc").await;
    assert!(d.text().await.contains("Payment links"));
    d.shots("links").await;
    d.open("/dashboard").await;
    d.shots("home-figures").await;
    d.finish().await;
}
