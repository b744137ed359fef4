//! The `smtp` provider against a local SMTP server (Python's `aiosmtpd`, started by the test from
//! `tests/support/smtp_server.py`) that logs in with AUTH and parses each message with Python's
//! own `email` package, an independent reading of the encoded subject and body. This file: the
//! plain mode (`tls = "none"`); `smtp_tls.rs`: STARTTLS and implicit TLS. Skipped without
//! `PAYLINK_TEST_PYTHON`.

use super::{sara, send_all};
use crate::helpers::{Backend, TestApp};
use crate::python::python;
use paylink::domain::notification::Status;
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The running server; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    out: PathBuf,
    /// The PEM of its self-signed certificate (TLS modes).
    pub cert: PathBuf,
}

impl SmtpServer {
    /// Starts the server in `mode`: `plain`, `starttls`, `starttls-optional` or `tls`.
    pub async fn start(python: String, mode: &'static str) -> SmtpServer {
        tokio::task::spawn_blocking(move || SmtpServer::start_blocking(&python, mode)).await.unwrap()
    }

    fn start_blocking(python: &str, mode: &str) -> SmtpServer {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_server.py");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let base = std::env::temp_dir().join(format!("paylink-smtp-{}", paylink::service::secrets::base62(10)));
        let (out, cert) = (base.with_extension("jsonl"), base.with_extension("pem"));
        let mut child = Command::new(python)
            .args([script, &port.to_string(), out.to_str().unwrap(), mode, cert.to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer { child, port, out, cert }
    }

    /// The messages it accepted, parsed.
    pub fn messages(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
        let _ = std::fs::remove_file(&self.cert);
    }
}

/// A server using the relay at `server`, with `extra` settings (`PAYLINK_NOTIFICATIONS_SMTP_…`).
pub async fn app_for(backend: Backend, server: &SmtpServer, extra: &[(&str, &str)]) -> Option<TestApp> {
    let port = server.port.to_string();
    let mut settings = vec![
        ("PAYLINK_NOTIFICATIONS_EMAIL_PROVIDER", "smtp"),
        ("PAYLINK_NOTIFICATIONS_SMTP_HOST", "127.0.0.1"),
        ("PAYLINK_NOTIFICATIONS_SMTP_PORT", port.as_str()),
        ("PAYLINK_NOTIFICATIONS_SMTP_FROM", "pay@paylink.test"),
    ];
    settings.extend_from_slice(extra);
    TestApp::spawn_with(backend, &settings).await
}

/// Creates a link for Sara with its e-mail, sends it, and checks that the server got it as sent:
/// envelope, login (`paylink`), whether it came over TLS, the decoded subject and body. Returns
/// the link's id.
pub async fn sara_gets_her_link(app: &TestApp, server: &SmtpServer, over_tls: bool) -> String {
    let link = app.create_link(&app.owner_key, sara(json!({"send_email": true}))).await;
    let id = link["id"].as_str().unwrap();
    let sent = send_all(app, id).await;
    let n = &sent[0];
    assert_eq!((n.status, n.provider.as_str()), (Status::Sent, "smtp"), "{:?}", n.last_error);
    assert_eq!(n.provider_response.as_deref(), Some("250 2.0.0 queued as T1"));
    let [m] = &server.messages()[..] else { panic!("one message: {:?}", server.messages()) };
    assert_eq!((m["mail_from"].as_str(), m["login"].as_str()), (Some("pay@paylink.test"), Some("paylink")));
    assert_eq!(m["tls"], json!(over_tls), "over TLS: {over_tls}");
    assert_eq!(m["helo"].as_str(), Some("paylink.test"), "EHLO gives the sender's domain");
    assert_eq!((m["rcpt_tos"].clone(), m["to"].as_str()), (json!(["sara@example.com"]), Some("sara@example.com")));
    assert_eq!(m["subject"].as_str(), n.subject.as_deref());
    assert!(n.subject.as_deref().unwrap().contains("طلب دفع بمبلغ ١٬٢٣٤٫٥٠ ر.س"));
    assert_eq!((m["content_type"].as_str(), m["charset"].as_str()), (Some("text/plain"), Some("utf-8")));
    // The body travels in MIME's canonical form (CRLF line ends), which base64 keeps.
    assert_eq!(m["body"].as_str().unwrap().replace("\r\n", "\n").trim_end(), n.body);
    assert!(n.body.contains(link["short_url"].as_str().unwrap()));
    id.to_owned()
}

/// A message to a recipient the relay refuses with 550 fails at its first attempt.
pub async fn a_refused_recipient_fails(app: &TestApp, link_id: &str) {
    let path = format!("/v1/payment_links/{link_id}/notify");
    let refused = app.post(&app.owner_key, &path, json!({"channel": "email", "to": "nobody@example.com"})).await;
    assert_eq!(refused.status, 202);
    let after = send_all(app, link_id).await;
    let failed = after.iter().find(|n| n.recipient == "nobody@example.com").unwrap();
    assert_eq!((failed.status, failed.attempts), (Status::Failed, 1), "a 5xx reply is final");
    assert!(failed.last_error.as_deref().unwrap().starts_with("550 5.1.1"), "{:?}", failed.last_error);
}

async fn smtp_delivery(backend: Backend) {
    let Some(python) = python() else { return };
    let server = SmtpServer::start(python, "plain").await;
    let plain = [
        ("PAYLINK_NOTIFICATIONS_SMTP_TLS", "none"),
        ("PAYLINK_NOTIFICATIONS_SMTP_USERNAME", "paylink"),
        ("PAYLINK_NOTIFICATIONS_SMTP_PASSWORD", "s3cret"),
    ];
    let Some(app) = app_for(backend, &server, &plain).await else { return };
    let id = sara_gets_her_link(&app, &server, false).await;
    a_refused_recipient_fails(&app, &id).await;
    app.cleanup().await;
    drop(server);
}

crate::on_both!(smtp_delivers_the_email_with_its_encoded_subject_and_body_to_a_local_server, smtp_delivery);
