//! Two QuickLinks with one `reference_id` at the same moment: the unique index decides, exactly
//! one is created and the other gets the seed's 400; the loser's transaction leaves no gap in the
//! QuickLink numbers.

use super::{CREATE, minimal, post_form, sandbox_methods, token_auth};
use crate::both;
use crate::helpers::TestApp;
use std::sync::Arc;

both!(concurrent_creates_with_one_reference_make_exactly_one_quicklink, |app: Arc<TestApp>| async move {
    let method = sandbox_methods(&app).await[0].to_string();
    let auth = token_auth(&app);
    for round in 0..5 {
        let reference = format!("RACE-{round}");
        let fields = [
            ("amount_cents", "5500"),
            ("payment_methods", method.as_str()),
            ("is_live", "false"),
            ("reference_id", reference.as_str()),
        ];
        let (a, b) = tokio::join!(
            post_form(&app, CREATE, Some(&auth), &fields, None),
            post_form(&app, CREATE, Some(&auth), &fields, None)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "round {round}: {} / {}", a.text, b.text);
        let (won, lost) = if a.status == 200 { (a, b) } else { (b, a) };
        assert_eq!(lost.text, r#"{"message":"Reference ID already exists."}"#);
        let next = minimal(&app, "100").await["id"].as_i64().unwrap();
        assert_eq!(next, won.body["id"].as_i64().unwrap() + 1, "round {round}: no number lost");
    }
});
