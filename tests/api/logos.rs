//! The store logo: OWNER and ADMIN set it, the hosted pages show it from this origin, and bad
//! images are refused with the field named.

use crate::both;
use crate::helpers::TestApp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use paylink::domain::access::Role;
use serde_json::json;
use std::sync::Arc;

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xff\xff?\0\x05\xfe\x02\xfe\xa7\x35\x81\x84\0\0\0\0IEND\xaeB`\x82";

both!(
    an_uploaded_logo_replaces_the_monogram_on_the_page_and_is_served_from_this_origin,
    |app: Arc<TestApp>| async move {
        let link = app.create_link(&app.owner_key, json!({"amount": "10.00", "title": "Logo"})).await;
        let page = |app: Arc<TestApp>, url: String| async move {
            app.client.get(url).send().await.unwrap().text().await.unwrap()
        };
        let url = link["url"].as_str().unwrap().to_owned();
        assert!(!page(app.clone(), url.clone()).await.contains("<img class=\"logo\""));
        let body = json!({"content_type": "image/png", "data": STANDARD.encode(PNG)});
        let set = app.call("PUT", "/v1/store/logo", Some(&app.owner_key), Some(body)).await;
        assert_eq!(set.status, 200, "{}", set.text);
        let logo_url = set.body["url"].as_str().unwrap().to_owned();
        assert!(logo_url.starts_with(&format!("{}/assets/logos/{}?v=", app.base, app.store_id)));
        let path = &logo_url[app.base.len()..];
        assert!(
            page(app.clone(), url.clone())
                .await
                .contains(&format!("<img class=\"logo\" src=\"{}\"", path.replace('&', "&amp;")))
        );
        let image = app.client.get(&logo_url).send().await.unwrap();
        assert_eq!(image.headers()["content-type"], "image/png");
        assert!(image.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
        assert_eq!(app.call("DELETE", "/v1/store/logo", Some(&app.owner_key), None).await.status, 204);
        assert!(!page(app.clone(), url).await.contains("<img class=\"logo\""));
        assert_eq!(app.client.get(&logo_url).send().await.unwrap().status(), 404);
        assert_eq!(app.call("DELETE", "/v1/store/logo", Some(&app.owner_key), None).await.status, 404);
    }
);

both!(logos_that_are_not_small_raster_images_are_refused_and_staff_cannot_set_them, |app: Arc<TestApp>| async move {
    let svg = STANDARD.encode("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    let big = STANDARD.encode([PNG, &vec![0u8; 33 * 1024]].concat());
    for (body, field) in [
        (json!({"content_type": "image/svg+xml", "data": svg}), "content_type"),
        (json!({"content_type": "image/jpeg", "data": STANDARD.encode(PNG)}), "content_type"),
        (json!({"content_type": "image/png", "data": "not base64!"}), "data"),
        (json!({"content_type": "image/png", "data": big}), "data"),
    ] {
        let r = app.call("PUT", "/v1/store/logo", Some(&app.owner_key), Some(body)).await;
        assert_eq!((r.status, r.body["details"][field].is_string()), (400, true), "{}", r.text);
    }
    let (_, cashier) = app.staff(Role::Cashier, Some(&app.branch_id)).await;
    let body = json!({"content_type": "image/png", "data": STANDARD.encode(PNG)});
    assert_eq!(app.call("PUT", "/v1/store/logo", Some(&cashier), Some(body)).await.status, 403);
});
