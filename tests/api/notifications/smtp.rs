//! The `smtp` provider against a local SMTP server (Python's `aiosmtpd`, started by the test)
//! that logs in with AUTH PLAIN and parses each message with Python's own `email` package, an
//! independent reading of the encoded subject and body. Skipped without `PAYLINK_TEST_PYTHON`.

use super::{sara, send_all};
use crate::helpers::{Backend, TestApp};
use crate::python::python;
use paylink::domain::notification::Status;
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// Accepts one login, refuses recipients at `nobody@`, and appends each message, parsed, to a
/// file as one JSON line.
const SERVER: &str = r#"
import json, sys, threading
from email import message_from_bytes, policy
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

port, out = int(sys.argv[1]), sys.argv[2]

def authenticator(server, session, envelope, mechanism, data):
    ok = mechanism == "PLAIN" and data.login == b"paylink" and data.password == b"s3cret"
    return AuthResult(success=ok, auth_data=data.login)

class Handler:
    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "to": str(msg["to"]),
                  "login": (session.auth_data or b"").decode(), "subject": str(msg["subject"]),
                  "content_type": msg.get_content_type(), "charset": msg.get_content_charset(),
                  "body": msg.get_content()}
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        return "250 2.0.0 queued as T1"

controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                        auth_require_tls=False)
controller.start()
print("ready", flush=True)
threading.Event().wait()
"#;

/// The running server; stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl SmtpServer {
    fn start(python: &str) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let out = std::env::temp_dir().join(format!("paylink-smtp-{}.jsonl", paylink::service::secrets::base62(10)));
        let mut child = Command::new(python)
            .args(["-c", SERVER, &port.to_string(), out.to_str().unwrap()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer { child, port, out }
    }

    fn messages(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.out).unwrap_or_default();
        text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
    }
}

async fn smtp_delivery(backend: Backend) {
    let Some(python) = python() else { return };
    let server = tokio::task::spawn_blocking(move || SmtpServer::start(&python)).await.unwrap();
    let port = server.port.to_string();
    let settings = [
        ("PAYLINK_NOTIFICATIONS_EMAIL_PROVIDER", "smtp"),
        ("PAYLINK_NOTIFICATIONS_SMTP_HOST", "127.0.0.1"),
        ("PAYLINK_NOTIFICATIONS_SMTP_PORT", port.as_str()),
        ("PAYLINK_NOTIFICATIONS_SMTP_FROM", "pay@paylink.test"),
        ("PAYLINK_NOTIFICATIONS_SMTP_USERNAME", "paylink"),
        ("PAYLINK_NOTIFICATIONS_SMTP_PASSWORD", "s3cret"),
    ];
    let Some(app) = TestApp::spawn_with(backend, &settings).await else { return };
    let link = app.create_link(&app.owner_key, sara(json!({"send_email": true}))).await;
    let id = link["id"].as_str().unwrap();
    let sent = send_all(&app, id).await;
    let n = &sent[0];
    assert_eq!((n.status, n.provider.as_str()), (Status::Sent, "smtp"), "{:?}", n.last_error);
    assert_eq!(n.provider_response.as_deref(), Some("250 2.0.0 queued as T1"));
    let [m] = &server.messages()[..] else { panic!("one message: {:?}", server.messages()) };
    assert_eq!((m["mail_from"].as_str(), m["login"].as_str()), (Some("pay@paylink.test"), Some("paylink")));
    assert_eq!((m["rcpt_tos"].clone(), m["to"].as_str()), (json!(["sara@example.com"]), Some("sara@example.com")));
    assert_eq!(m["subject"].as_str(), n.subject.as_deref());
    assert!(n.subject.as_deref().unwrap().contains("طلب دفع بمبلغ ١٬٢٣٤٫٥٠ ر.س"));
    assert_eq!((m["content_type"].as_str(), m["charset"].as_str()), (Some("text/plain"), Some("utf-8")));
    // The body travels in MIME's canonical form (CRLF line ends), which base64 keeps.
    assert_eq!(m["body"].as_str().unwrap().replace("\r\n", "\n").trim_end(), n.body);
    assert!(n.body.contains(link["short_url"].as_str().unwrap()));
    let path = format!("/v1/payment_links/{id}/notify");
    let refused = app.post(&app.owner_key, &path, json!({"channel": "email", "to": "nobody@example.com"})).await;
    assert_eq!(refused.status, 202);
    let after = send_all(&app, id).await;
    let failed = after.iter().find(|n| n.recipient == "nobody@example.com").unwrap();
    assert_eq!((failed.status, failed.attempts), (Status::Failed, 1), "a 5xx reply is final");
    assert!(failed.last_error.as_deref().unwrap().starts_with("550"), "{:?}", failed.last_error);
    app.cleanup().await;
    drop(server);
}

crate::on_both!(smtp_delivers_the_email_with_its_encoded_subject_and_body_to_a_local_server, smtp_delivery);
