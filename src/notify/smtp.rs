//! The `smtp` provider: lettre's SMTP client on tokio, over rustls (ring, the compiled-in Mozilla
//! roots plus the optional `ca_file`) as `[notifications.smtp] tls` says: STARTTLS required,
//! implicit TLS, or plain for a local relay. AUTH when a username is configured. We compose the
//! message ourselves (UTF-8 text: the subject as RFC 2047 encoded-words, the body in base64) and
//! hand it over raw with its envelope. A 5xx reply is final (the message fails); anything else —
//! a 4xx, a refused connection, a certificate that is not trusted, a relay that does not offer
//! STARTTLS — may work later, and nothing is ever sent in clear in place of TLS.

use super::{Notification, Outcome, excerpt};
use crate::config::{SmtpSettings, SmtpTls};
use crate::domain::Timestamp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::{Error, response::Response};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Sends one e-mail notification through the relay.
pub async fn send(s: &SmtpSettings, n: &Notification, now: Timestamp, timeout: Duration) -> Outcome {
    let envelope = match envelope(&s.from, &n.recipient) {
        Ok(envelope) => envelope,
        Err(why) => return Outcome::Fail(why),
    };
    // Built per message: settings may differ between servers in one process (tests), and a
    // connection per message is what the hand-written client did too (no pool).
    let transport = match transport(s, timeout) {
        Ok(transport) => transport,
        Err(why) => return Outcome::Retry(excerpt(&why, 512)),
    };
    let message = message(&s.from, n, now);
    match tokio::time::timeout(timeout, transport.send_raw(&envelope, message.as_bytes())).await {
        Err(_) => Outcome::Retry(format!("the SMTP relay did not finish within {} s", timeout.as_secs())),
        Ok(Ok(reply)) => Outcome::Sent(excerpt(&reply_text(&reply), 256)),
        Ok(Err(e)) if e.is_permanent() => Outcome::Fail(excerpt(&describe(&e), 512)),
        Ok(Err(e)) => Outcome::Retry(excerpt(&describe(&e), 512)),
    }
}

/// The SMTP envelope; an address lettre cannot parse will never be sent, so it is final.
fn envelope(from: &str, to: &str) -> Result<Envelope, String> {
    let from: Address = from.parse().map_err(|e| format!("the sender address is not valid: {e}"))?;
    let to: Address = to.parse().map_err(|e| format!("the recipient address is not valid: {e}"))?;
    Envelope::new(Some(from), vec![to]).map_err(|e| e.to_string())
}

/// A transport for one message: the relay, its TLS mode and roots, AUTH and EHLO name.
fn transport(s: &SmtpSettings, timeout: Duration) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let tls = match s.tls {
        SmtpTls::None => Tls::None,
        SmtpTls::Starttls => Tls::Required(tls_parameters(s)?),
        SmtpTls::Tls => Tls::Wrapper(tls_parameters(s)?),
    };
    // lettre's "dangerous" builder only means that we set the port and TLS mode ourselves.
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(s.host.as_str())
        .port(s.effective_port())
        .tls(tls)
        .hello_name(client_id(s.helo_name()))
        .timeout(Some(timeout));
    if !s.username.is_empty() {
        builder = builder.credentials(Credentials::new(s.username.clone(), s.password.0.clone()));
    }
    Ok(builder.build())
}

/// rustls with the compiled-in Mozilla roots plus the certificates of `ca_file`.
fn tls_parameters(s: &SmtpSettings) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(s.host.clone());
    for root in s.extra_roots()? {
        let cert = Certificate::from_der(root.to_vec()).map_err(|e| format!("notifications.smtp.ca_file: {e}"))?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build_rustls().map_err(|e| format!("the SMTP TLS settings cannot be used: {e}"))
}

fn client_id(helo: &str) -> ClientId {
    match helo.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ClientId::Ipv4(ip),
        Ok(std::net::IpAddr::V6(ip)) => ClientId::Ipv6(ip),
        Err(_) => ClientId::Domain(helo.to_owned()),
    }
}

/// A reply as the relay wrote it: `250 2.0.0 queued as …`.
fn reply_text(reply: &Response) -> String {
    let lines: Vec<&str> = reply.message().collect();
    format!("{} {}", reply.code(), lines.join(" "))
}

/// What went wrong, for the message's `last_error`: a relay's reply as it wrote it (`550 5.1.1 …`),
/// otherwise lettre's description (connection, certificate, STARTTLS not offered…) without the
/// repeats of its nested errors. Neither holds the password: AUTH is sent, never echoed.
fn describe(e: &Error) -> String {
    match (e.status(), std::error::Error::source(e)) {
        (Some(code), Some(reply)) => format!("{code} {reply}"),
        _ => {
            let text = e.to_string();
            let mut parts: Vec<&str> = text.split(": ").collect();
            parts.dedup();
            parts.join(": ")
        }
    }
}

/// The message: headers, a blank line, the body in base64 (CRLF line ends throughout).
fn message(from: &str, n: &Notification, now: Timestamp) -> String {
    let date = time::OffsetDateTime::from_unix_timestamp(now.micros() / 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc2822).ok())
        .unwrap_or_default();
    let domain = from.rsplit_once('@').map_or("paylink", |(_, d)| d);
    let body = B64.encode(n.body.replace('\n', "\r\n"));
    let lines: Vec<&str> = body.as_bytes().chunks(76).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
    format!(
        "Date: {date}\r\nFrom: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{id}@{domain}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}",
        to = n.recipient,
        subject = encode_header(n.subject.as_deref().unwrap_or("")),
        id = n.id,
        body = lines.join("\r\n"),
    )
}

/// A header value as RFC 2047 encoded-words (`=?UTF-8?B?…?=`), each at most 75 characters,
/// folded onto continuation lines. Characters are never split across words.
pub fn encode_header(text: &str) -> String {
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", B64.encode(&chunk)));
            chunk.clear();
        }
        chunk.push(c);
    }
    words.push(format!("=?UTF-8?B?{}?=", B64.encode(&chunk)));
    words.join("\r\n ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_become_encoded_words_of_at_most_75_characters() {
        let subject = "إيصال من متجر الرياض: ١٬٢٣٤٫٥٠ ر.س";
        let encoded = encode_header(subject);
        let decoded: String = encoded
            .split("\r\n ")
            .map(|w| {
                assert!(w.len() <= 75 && w.starts_with("=?UTF-8?B?") && w.ends_with("?="), "{w}");
                String::from_utf8(B64.decode(&w[10..w.len() - 2]).unwrap()).unwrap()
            })
            .collect();
        assert_eq!(decoded, subject);
    }
}
