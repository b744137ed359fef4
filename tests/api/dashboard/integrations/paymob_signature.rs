//! The callback secret the dashboard shows after replacing it is the one Paylink signs with: a
//! Paymob QuickLink paid afterwards calls back with an HMAC recomputed here (by the Paymob
//! callback tests' independent code) from that secret, and not from the old one.

use super::{DIALECTS, ROTATE, field_of};
use crate::both;
use crate::dashboard::client::Staff;
use crate::helpers::TestApp;
use crate::paymob;
use crate::paymob_callbacks::callback_hmac;
use crate::receiver::Receiver;
use crate::sandbox::{card, method_id, pay_with};
use paylink::domain::access::Role;
use serde_json::{Value, json};
use std::sync::Arc;

both!(
    a_paymob_callback_after_a_rotation_in_the_dashboard_is_signed_with_the_secret_shown,
    |app: Arc<TestApp>| async move {
        let mut owner = Staff::signed_in(&app, Role::Owner, None).await;
        let old =
            app.get(&app.owner_key, "/v1/store/callback_secret").await.body["secret"].as_str().unwrap().to_owned();
        let new = field_of(&owner.post(DIALECTS, ROTATE, &[]).await.text, "secret");
        let rx = Receiver::start().await;
        let body = json!({"amount_cents": 5500, "payment_methods": [method_id(&app, "card").await], "is_live": false,
        "notification_url": rx.url("paymob"), "reference_id": "REF-ROTATED", "email": "buyer@example.com",
        "full_name": "Mona Adel", "phone_number": "+201012345678", "description": "test"});
        let made = paymob::post_json(&app, paymob::CREATE, Some(&format!("Token {}", app.owner_key)), &body).await;
        assert_eq!(made.status, 200, "{}", made.text);
        let link = made.body["client_url"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
        pay_with(&app, &link, "card", card("5555555555554444")).await.expect("paid");
        paylink::worker::run_pending(&app.ctx).await;
        let got = rx.at("paymob");
        assert_eq!(got.len(), 1, "one callback");
        let query: Vec<(String, String)> = url::form_urlencoded::parse(got[0].query.as_bytes()).into_owned().collect();
        let hmac = query.iter().find(|(k, _)| k == "hmac").expect("an hmac").1.clone();
        let obj = serde_json::from_slice::<Value>(&got[0].body).unwrap()["obj"].clone();
        assert_eq!(hmac, callback_hmac(&new, &obj), "signed with the secret the dashboard showed");
        assert_ne!(hmac, callback_hmac(&old, &obj));
    }
);
