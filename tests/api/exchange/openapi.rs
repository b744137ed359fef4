//! The dialect's own OpenAPI document at `/exchange/openapi.json`: it describes exactly the two
//! invoice operations, their envelope and bearer auth; the native document stays without them.

use crate::both;
use crate::helpers::TestApp;
use std::sync::Arc;

both!(the_dialect_serves_its_own_openapi_document, |app: Arc<TestApp>| async move {
    let r = app.client.get(format!("{}/exchange/openapi.json", app.base)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["servers"][0]["url"], "/exchange");
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert_eq!(paths, ["/projects/{project_id}/invoices", "/projects/{project_id}/invoices/{invoice_id}"]);
    let put = &doc["paths"]["/projects/{project_id}/invoices"]["put"];
    assert_eq!(put["operationId"], "create_invoice");
    for status in ["200", "400", "401", "404", "413", "415"] {
        assert!(put["responses"][status].is_object(), "{status} documented");
    }
    let schemas = &doc["components"]["schemas"];
    let required = schemas["CreateInvoiceIn"]["required"].as_array().unwrap();
    assert!(required.contains(&"amount".into()) && required.contains(&"header".into()), "{required:?}");
    let created = &text[text.find("\"NewInvoice\"").unwrap()..];
    let at = |key: &str| created.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} in {created}"));
    let order = ["invoiceId", "url", "QR", "secret", "status"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "documented in the answer's order: {created}");
    assert!(schemas["ErrorEnvelope"]["properties"]["err"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

    let native = app.client.get(format!("{}/openapi.json", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(!native.contains("/projects/{project_id}/invoices") && !native.contains("CreateInvoiceIn"));
    assert!(native.contains("\"/v1/store/exchange_project\""));
});
