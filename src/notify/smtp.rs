//! A small SMTP client (RFC 5321) for the `smtp` provider: EHLO, AUTH PLAIN when a username is
//! configured, MAIL FROM, RCPT TO, DATA, QUIT over a plain TCP connection, the whole conversation
//! bounded by one timeout. The message is UTF-8 text: the subject as RFC 2047 encoded-words, the
//! body in base64. A 5xx reply is final (the message fails); anything else may work later.
//! TLS (STARTTLS) is not supported yet: point it at a relay on this host or a private network.

use super::{Notification, Outcome, excerpt};
use crate::config::SmtpSettings;
use crate::domain::Timestamp;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

/// Why a conversation stopped.
enum Failure {
    /// A 5xx reply: sending this message again will not help.
    Permanent(String),
    /// A 4xx reply, a connection problem, or a reply that makes no sense.
    Transient(String),
}

/// Sends one e-mail notification through the relay.
pub async fn send(s: &SmtpSettings, n: &Notification, now: Timestamp, timeout: Duration) -> Outcome {
    let message = message(&s.from, n, now);
    match tokio::time::timeout(timeout, converse(s, &n.recipient, &message)).await {
        Err(_) => Outcome::Retry(format!("the SMTP relay did not finish within {} s", timeout.as_secs())),
        Ok(Ok(reply)) => Outcome::Sent(excerpt(&reply, 256)),
        Ok(Err(Failure::Permanent(reply))) => Outcome::Fail(excerpt(&reply, 512)),
        Ok(Err(Failure::Transient(why))) => Outcome::Retry(excerpt(&why, 512)),
    }
}

struct Session {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

async fn converse(s: &SmtpSettings, to: &str, message: &str) -> Result<String, Failure> {
    let stream = TcpStream::connect((s.host.as_str(), s.port))
        .await
        .map_err(|e| Failure::Transient(format!("cannot connect to the SMTP relay: {e}")))?;
    let (reader, writer) = stream.into_split();
    let mut c = Session { reader: BufReader::new(reader), writer };
    c.reply(2).await?;
    c.command(&format!("EHLO {}", s.helo), 2).await?;
    if !s.username.is_empty() {
        let token = B64.encode(format!("\0{}\0{}", s.username, s.password.0));
        c.command(&format!("AUTH PLAIN {token}"), 2).await?;
    }
    c.command(&format!("MAIL FROM:<{}>", s.from), 2).await?;
    c.command(&format!("RCPT TO:<{to}>"), 2).await?;
    c.command("DATA", 3).await?;
    c.write(&format!("{}\r\n.\r\n", dot_stuff(message))).await?;
    let accepted = c.reply(2).await?;
    let _ = c.command("QUIT", 2).await; // the message is accepted whatever QUIT says
    Ok(accepted)
}

impl Session {
    async fn write(&mut self, text: &str) -> Result<(), Failure> {
        let sent = self.writer.write_all(text.as_bytes()).await;
        sent.map_err(|e| Failure::Transient(format!("the SMTP connection failed: {e}")))
    }

    async fn command(&mut self, line: &str, class: u8) -> Result<String, Failure> {
        self.write(&format!("{line}\r\n")).await?;
        self.reply(class).await
    }

    /// Reads one (possibly multi-line) reply and checks its class (2: done, 3: go on).
    async fn reply(&mut self, class: u8) -> Result<String, Failure> {
        let mut text = String::new();
        loop {
            let mut line = Vec::new();
            let limited = (&mut self.reader).take(4096).read_until(b'\n', &mut line).await;
            limited.map_err(|e| Failure::Transient(format!("the SMTP connection failed: {e}")))?;
            let line = String::from_utf8_lossy(&line).trim_end().to_owned();
            if line.len() < 3 || text.len() > 16_384 {
                return Err(Failure::Transient(format!("unexpected SMTP reply: {text}{line}")));
            }
            let last = line.as_bytes().get(3) != Some(&b'-');
            text.push_str(&line);
            if last {
                break;
            }
            text.push(' ');
        }
        match text.as_bytes()[0] {
            c if c == b'0' + class => Ok(text),
            b'5' => Err(Failure::Permanent(text)),
            _ => Err(Failure::Transient(text)),
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

/// Doubles a dot that starts a line, so no line of the message reads as its end.
pub fn dot_stuff(text: &str) -> String {
    let stuffed = text.replace("\r\n.", "\r\n..");
    if stuffed.starts_with('.') { format!(".{stuffed}") } else { stuffed }
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

    #[test]
    fn a_line_starting_with_a_dot_is_doubled() {
        assert_eq!(dot_stuff(".a\r\nb\r\n.c\r\n..d"), "..a\r\nb\r\n..c\r\n...d");
    }
}
