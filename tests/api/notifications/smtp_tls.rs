//! The `smtp` provider over TLS, against local aiosmtpd servers that make a fresh self-signed
//! certificate for 127.0.0.1 at each start. Paylink trusts it only through
//! `notifications.smtp.ca_file` in the tests that set it: without it the certificate is as
//! unknown as any other, and the message waits for a retry instead of going out in clear.
//! Skipped without `PAYLINK_TEST_PYTHON`.

use super::smtp::{SmtpServer, a_refused_recipient_fails, app_for, sara_gets_her_link};
use super::{sara, settle};
use crate::helpers::{Backend, TestApp};
use crate::python::python;
use paylink::domain::notification::{Notification, Status};
use serde_json::json;

/// AUTH with the login the test servers accept.
const LOGIN: [(&str, &str); 2] =
    [("PAYLINK_NOTIFICATIONS_SMTP_USERNAME", "paylink"), ("PAYLINK_NOTIFICATIONS_SMTP_PASSWORD", "s3cret")];

async fn starttls_delivery(backend: Backend) {
    let Some(python) = python() else { return };
    let server = SmtpServer::start(python, "starttls").await;
    let ca_file = server.cert.to_str().unwrap();
    let mut settings =
        vec![("PAYLINK_NOTIFICATIONS_SMTP_TLS", "starttls"), ("PAYLINK_NOTIFICATIONS_SMTP_CA_FILE", ca_file)];
    settings.extend_from_slice(&LOGIN);
    let Some(app) = app_for(backend, &server, &settings).await else { return };
    let id = sara_gets_her_link(&app, &server, true).await;
    a_refused_recipient_fails(&app, &id).await;
    app.cleanup().await;
}

crate::on_both!(starttls_with_auth_delivers_the_email_when_the_relay_certificate_is_trusted, starttls_delivery);

async fn implicit_tls_delivery(backend: Backend) {
    let Some(python) = python() else { return };
    let server = SmtpServer::start(python, "tls").await;
    let ca_file = server.cert.to_str().unwrap();
    let mut settings = vec![("PAYLINK_NOTIFICATIONS_SMTP_TLS", "tls"), ("PAYLINK_NOTIFICATIONS_SMTP_CA_FILE", ca_file)];
    settings.extend_from_slice(&LOGIN);
    let Some(app) = app_for(backend, &server, &settings).await else { return };
    let id = sara_gets_her_link(&app, &server, true).await;
    a_refused_recipient_fails(&app, &id).await;
    app.cleanup().await;
}

crate::on_both!(implicit_tls_with_auth_delivers_the_email_when_the_relay_certificate_is_trusted, implicit_tls_delivery);

/// Queues Sara's link e-mail and runs the sender until its first attempt has ended.
async fn first_attempt(app: &TestApp) -> Notification {
    let link = app.create_link(&app.owner_key, sara(json!({"send_email": true}))).await;
    let id = link["id"].as_str().unwrap();
    let rows = settle(app, id, |rows| rows[0].attempts == 1 && rows[0].last_error.is_some()).await;
    rows[0].clone()
}

/// The attempt ended with a retry: queued again for later, neither sent nor failed.
fn assert_retried(n: &Notification, error_mentions: &str) {
    assert_eq!((n.status, n.attempts), (Status::Queued, 1), "{:?}", n.last_error);
    assert!(n.next_attempt_at > n.updated_at, "a later attempt is scheduled");
    let error = n.last_error.as_deref().unwrap();
    assert!(error.to_lowercase().contains(error_mentions), "{error}");
    assert!(!error.contains("s3cret"), "{error}");
}

async fn untrusted_certificate(backend: Backend) {
    let Some(python) = python() else { return };
    // This server would take the message in clear too: only Paylink's refusal keeps it from it.
    let server = SmtpServer::start(python, "starttls-optional").await;
    let Some(app) = app_for(backend, &server, &[("PAYLINK_NOTIFICATIONS_SMTP_TLS", "starttls")]).await else { return };
    let n = first_attempt(&app).await;
    assert_retried(&n, "certificate");
    assert_eq!(server.messages(), Vec::<serde_json::Value>::new(), "nothing reached the relay");
    app.cleanup().await;
}

crate::on_both!(
    a_relay_whose_certificate_is_not_trusted_gets_nothing_and_the_message_is_retried,
    untrusted_certificate
);

async fn starttls_not_offered(backend: Backend) {
    let Some(python) = python() else { return };
    let server = SmtpServer::start(python, "plain").await;
    let mut settings = vec![("PAYLINK_NOTIFICATIONS_SMTP_TLS", "starttls")];
    settings.extend_from_slice(&LOGIN);
    let Some(app) = app_for(backend, &server, &settings).await else { return };
    let n = first_attempt(&app).await;
    assert_retried(&n, "starttls");
    assert_eq!(server.messages(), Vec::<serde_json::Value>::new(), "nothing was sent in clear");
    app.cleanup().await;
}

crate::on_both!(a_relay_without_starttls_gets_nothing_in_clear_and_the_message_is_retried, starttls_not_offered);
