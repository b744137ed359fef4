//! Conformance with seed 002: the provider's own examples give the provider's answer, field by
//! field and in its key order; the QR code is a PNG that decodes; the secret is a UUID v4.

use super::{create_invoice, invoices_path, link_of, put_to, read_invoice, seed_example};
use crate::both;
use crate::helpers::TestApp;
use base64::Engine;
use serde_json::json;
use std::sync::Arc;

fn is_hex24(s: &str) -> bool {
    s.len() == 24 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_uuid_v4(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    let lens: Vec<usize> = groups.iter().map(|g| g.len()).collect();
    let hex = s.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    hex && lens == [8, 4, 4, 4, 12] && groups[2].starts_with('4') && "89ab".contains(&groups[3][..1])
}

/// Decodes a `data:image/png;base64,` URL far enough to know it is a sound PNG: signature,
/// chunk CRCs, a square 1-bit grayscale image whose zlib data inflates to its exact size.
fn assert_png_data_url(url: &str) {
    let b64 = url.strip_prefix("data:image/png;base64,").expect("a PNG data URL");
    let png = base64::engine::general_purpose::STANDARD.decode(b64).expect("base64");
    assert_eq!(png[..8], [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']);
    let (mut at, mut chunks) = (8, Vec::new());
    while at < png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let (kind, data) = (&png[at + 4..at + 8], &png[at + 8..at + 8 + len]);
        let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
        assert_eq!(crc, paylink::web::png::crc32(&[kind, data]), "CRC");
        chunks.push((kind.to_vec(), data.to_vec()));
        at += 12 + len;
    }
    let kinds: Vec<&[u8]> = chunks.iter().map(|(k, _)| k.as_slice()).collect();
    assert_eq!(kinds, [&b"IHDR"[..], b"IDAT", b"IEND"]);
    let ihdr = &chunks[0].1;
    let side = u32::from_be_bytes(ihdr[..4].try_into().unwrap()) as usize;
    assert_eq!(ihdr[4..8], ihdr[..4], "square");
    assert_eq!(ihdr[8..10], [1, 0], "1-bit grayscale");
    let raw = miniz_oxide::inflate::decompress_to_vec_zlib(&chunks[1].1).expect("zlib");
    assert_eq!(raw.len(), side * (side.div_ceil(8) + 1));
    // A QR code is 21 + 4k modules, plus the 8-module quiet zone, at 6 pixels per module.
    assert!(side % 6 == 0 && (side / 6 - 8 - 21) % 4 == 0, "{side} px");
}

both!(the_seeds_typescript_example_gets_the_documented_answer, |app: Arc<TestApp>| async move {
    let r = put_to(&app, &invoices_path(&app), Some(&app.owner_key), seed_example()).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/json");
    let at = |key: &str| r.text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {}", r.text));
    let order = ["data", "invoiceId", "url", "QR", "secret", "status", "err"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "key order as documented: {}", r.text);
    let (body, data) = (r.body.as_object().unwrap(), r.body["data"].as_object().unwrap());
    assert_eq!((body.len(), data.len()), (2, 5), "exactly data+err and five fields: {}", r.text);
    assert_eq!(r.body["err"], 0);
    let id = data["invoiceId"].as_str().unwrap();
    assert!(is_hex24(id), "{id}");
    assert_eq!(data["url"], format!("{}/invoice/{id}", app.base));
    assert_png_data_url(data["QR"].as_str().unwrap());
    assert!(is_uuid_v4(data["secret"].as_str().unwrap()), "{}", data["secret"]);
    assert_eq!(data["status"], 1);
});

both!(the_required_only_example_and_numeric_strings_are_accepted, |app: Arc<TestApp>| async move {
    let a = create_invoice(&app, json!({"amount": 5, "header": "Invoice header to display on the payment page"})).await;
    let b = create_invoice(&app, json!({"amount": "12.50", "header": "Basket 2"})).await;
    assert_ne!(a["invoiceId"], b["invoiceId"]);
    assert_ne!(a["secret"], b["secret"], "each invoice has its own secret");
    let read = read_invoice(&app, b["invoiceId"].as_str().unwrap()).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert!(read.text.contains("\"amount\":12.5,"), "the amount as a number, exactly: {}", read.text);
});

both!(fields_the_provider_does_not_know_are_ignored, |app: Arc<TestApp>| async move {
    let body = json!({"amount": 7.25, "header": "Extras", "vendorInvoiceId": "INV-9", "vendorInvoiceData": {"a": 1},
        "currency": "USD", "metadata": [1, 2]});
    let data = create_invoice(&app, body).await;
    let link = link_of(&app, data["invoiceId"].as_str().unwrap()).await;
    let l = app.get(&app.owner_key, &format!("/v1/payment_links/{link}")).await.body;
    assert_eq!((l["amount"].as_str(), l["currency"].as_str()), (Some("7.25"), Some("SAR")), "the store's currency");
    assert_eq!(l["metadata"], json!({}));
});

both!(reading_an_invoice_shows_its_state_but_not_its_secret, |app: Arc<TestApp>| async move {
    let data = create_invoice(&app, seed_example()).await;
    let id = data["invoiceId"].as_str().unwrap();
    let r = read_invoice(&app, id).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["err"], 0);
    let d = &r.body["data"];
    assert_eq!((d["invoiceId"].as_str(), d["url"].as_str()), (Some(id), data["url"].as_str()));
    assert_eq!((d["status"].as_i64(), d["amount"].as_i64(), d["currency"].as_str()), (Some(1), Some(5), Some("SAR")));
    assert_eq!(d["header"], "Invoice header to display on the payment page");
    assert_eq!(d["description"], "Short description");
    assert_eq!((d["paid"].as_bool(), &d["paidAt"], &d["paymentSessionId"]), (Some(false), &json!(null), &json!(null)));
    assert!(!r.text.contains(data["secret"].as_str().unwrap()), "the secret is shown once");
});
