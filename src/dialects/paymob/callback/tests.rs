use super::*;
use crate::domain::Timestamp;

/// A transaction with the values of Paymob's HMAC documentation example.
fn documented() -> Transaction {
    let obj = json!({
        "id": 192036465, "pending": false, "amount_cents": 100000, "success": true, "is_auth": false,
        "is_capture": false, "is_standalone_payment": true, "is_voided": false, "is_refunded": false,
        "is_3d_secure": true, "integration_id": 4097558, "has_parent_transaction": false,
        "order": {"id": 217503754}, "created_at": "2024-06-13T11:33:44.592345", "currency": "EGP",
        "source_data": {"pan": "2346", "type": "card", "sub_type": "MasterCard"},
        "error_occured": false, "owner": 302852,
    });
    Transaction { obj }
}

#[test]
fn the_hmac_text_is_the_twenty_values_in_paymobs_order() {
    assert_eq!(
        documented().hmac_text(),
        "1000002024-06-13T11:33:44.592345EGPfalsefalse1920364654097558truefalsefalsefalsetruefalse\
         217503754302852false2346MasterCardcardtrue"
    );
}

#[test]
fn the_redirect_carries_the_same_values_and_hmac() {
    let t = documented();
    let q = t.query("secret");
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!((get("order"), get("id"), get("success")), (Some("217503754"), Some("192036465"), Some("true")));
    assert_eq!((get("source_data.pan"), get("source_data.sub_type")), (Some("2346"), Some("MasterCard")));
    assert_eq!(get("hmac"), Some(t.hmac("secret").as_str()));
    assert_eq!(q.last().map(|(k, _)| k.as_str()), Some("hmac"));
}

#[test]
fn ids_and_times_have_paymobs_shapes() {
    assert_eq!(order_id(580001), 450_580_001);
    let store = StoreId::from_trusted("sto_01JD8X3V9Q2W5E7R9T1Y3U5I7O".to_owned());
    assert!((100_000..1_000_000).contains(&owner(&store)) && (100_000..1_000_000).contains(&profile_id(&store)));
    assert_eq!(owner(&store), owner(&store.clone()));
    assert_eq!(naive(Timestamp::from_micros(1_768_680_772_282_814)), "2026-01-17T20:12:52.282814");
    assert_eq!(naive(Timestamp::from_micros(1_768_680_772_000_000)), "2026-01-17T20:12:52.000000");
    assert_eq!(
        with_query("https://a.example/cb?x=1", &[("hmac".into(), "ab".into())]),
        "https://a.example/cb?x=1&hmac=ab"
    );
}

#[test]
fn the_profile_id_is_the_auth_tokens() {
    // The token's `profile.id`: 100000 + the first 8 hex digits of the store id's SHA-256, mod 900000.
    let store = StoreId::from_trusted("sto_01JD8X3V9Q2W5E7R9T1Y3U5I7O".to_owned());
    let hex = crate::service::secrets::digest(store.as_str());
    assert_eq!(profile_id(&store), 100_000 + i64::from_str_radix(&hex[..8], 16).unwrap() % 900_000);
}
