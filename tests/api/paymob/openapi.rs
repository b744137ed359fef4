//! The dialect's own OpenAPI document at `/paymob/openapi.json`.

use crate::both;
use crate::helpers::TestApp;
use std::sync::Arc;

both!(the_dialect_serves_its_openapi_document, |app: Arc<TestApp>| async move {
    let r = app.call("GET", "/paymob/openapi.json", None, None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["servers"][0]["url"], "/paymob");
    let paths = &r.body["paths"];
    let create = &paths["/api/ecommerce/payment-links"]["post"];
    let content = create["requestBody"]["content"].as_object().expect("request bodies");
    assert!(content.contains_key("multipart/form-data") && content.contains_key("application/json"), "{create}");
    for status in ["200", "400", "401", "404"] {
        assert!(create["responses"].get(status).is_some(), "create documents {status}");
    }
    let schemas = &r.body["components"]["schemas"];
    let form = &schemas["QuickLinkForm"]["properties"];
    assert_eq!(form["payment_link_image"]["format"], "binary", "{form}");
    assert!(schemas["QuickLinkOut"]["properties"]["order"].is_object());
    assert!(paths["/api/auth/tokens"]["post"].is_object());
    assert!(paths["/api/ecommerce/payment-links/cancel"]["post"].is_object());
    assert!(r.body["components"]["securitySchemes"]["bearer"].is_object());
});
