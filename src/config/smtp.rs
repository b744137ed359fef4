//! The SMTP relay's settings (`[notifications.smtp]`) and their checks at load time, so a
//! mistake stops the server at start instead of failing every e-mail later.

use super::SecretText;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::Deserialize;

/// An SMTP relay (see docs/decisions.md, "Mail over TLS").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    /// 0: the usual port of the `tls` mode (25, 587 or 465).
    pub port: u16,
    pub tls: SmtpTls,
    /// A PEM file of extra trusted roots (a private relay's CA or self-signed certificate).
    pub ca_file: String,
    pub username: String,
    pub password: SecretText,
    pub from: String,
    /// The name given in EHLO: a host name or an IP address; empty: the domain of `from`.
    pub helo: String,
}

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain SMTP: only for a relay on this host or a trusted network.
    None,
    /// Plain connection upgraded with STARTTLS, which is required: without it nothing is sent.
    Starttls,
    /// TLS from the first byte ("implicit TLS", SMTPS).
    Tls,
}

impl SmtpSettings {
    /// The port to connect to.
    pub fn effective_port(&self) -> u16 {
        match (self.port, self.tls) {
            (0, SmtpTls::None) => 25,
            (0, SmtpTls::Starttls) => 587,
            (0, SmtpTls::Tls) => 465,
            (port, _) => port,
        }
    }

    /// The name to give in EHLO: `helo`, or the domain of `from` (a name relays that insist on a
    /// fully qualified one accept, unlike a bare `paylink`).
    pub fn helo_name(&self) -> &str {
        match self.helo.as_str() {
            "" => self.from.rsplit_once('@').map_or("localhost", |(_, domain)| domain),
            helo => helo,
        }
    }

    /// The extra trusted roots from `ca_file` (none when it is empty), each a parsed certificate.
    pub fn extra_roots(&self) -> Result<Vec<CertificateDer<'static>>, String> {
        if self.ca_file.is_empty() {
            return Ok(Vec::new());
        }
        let refuse = |why: String| format!("notifications.smtp.ca_file {}: {why}", self.ca_file);
        let pem = std::fs::read(&self.ca_file).map_err(|e| refuse(e.to_string()))?;
        let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<_, _>>()
            .map_err(|e| refuse(format!("not PEM certificates ({e})")))?;
        if certs.is_empty() {
            return Err(refuse("holds no PEM certificate".into()));
        }
        let mut store = rustls::RootCertStore::empty();
        for cert in &certs {
            store.add(cert.clone()).map_err(|e| refuse(format!("a certificate cannot be used as a root ({e})")))?;
        }
        Ok(certs)
    }

    /// Checks the settings, used when `email_provider = "smtp"`.
    pub(super) fn check(&self) -> Result<(), String> {
        let refuse = |what: &str| Err(format!("notifications.smtp.{what}"));
        if self.host.is_empty() || self.from.parse::<lettre::Address>().is_err() {
            return refuse("host and from (an address) are required with email_provider = \"smtp\"");
        }
        if !is_helo_name(self.helo_name()) {
            return refuse("helo must be a host name (letters, digits, dots, hyphens) or an IP address");
        }
        if self.username.is_empty() != self.password.0.is_empty() {
            return refuse("username and password are set together (AUTH) or both left empty");
        }
        if self.tls == SmtpTls::None && !self.username.is_empty() && !is_loopback(&self.host) {
            return refuse(
                "username with tls = \"none\" is allowed only to a relay on this host (localhost, 127.0.0.1, ::1): \
                 the password would cross the network in clear; use tls = \"starttls\" or \"tls\"",
            );
        }
        if self.tls == SmtpTls::None && !self.ca_file.is_empty() {
            return refuse("ca_file needs tls = \"starttls\" or \"tls\"");
        }
        self.extra_roots().map(|_| ())
    }
}

fn is_helo_name(name: &str) -> bool {
    name.parse::<std::net::IpAddr>().is_ok()
        || (!name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(tls: SmtpTls) -> SmtpSettings {
        SmtpSettings {
            host: "mail.example.com".into(),
            port: 0,
            tls,
            ca_file: String::new(),
            username: "paylink".into(),
            password: SecretText("s3cret".into()),
            from: "pay@example.com".into(),
            helo: "pay.example.com".into(),
        }
    }

    #[test]
    fn port_zero_means_the_usual_port_of_the_mode() {
        let ports: Vec<u16> =
            [SmtpTls::None, SmtpTls::Starttls, SmtpTls::Tls].map(|t| settings(t).effective_port()).into();
        assert_eq!(ports, [25, 587, 465]);
        assert_eq!(SmtpSettings { port: 2525, ..settings(SmtpTls::Tls) }.effective_port(), 2525);
    }

    #[test]
    fn ehlo_gives_the_senders_domain_unless_helo_is_set() {
        let s = SmtpSettings { helo: String::new(), ..settings(SmtpTls::Tls) };
        assert_eq!(s.helo_name(), "example.com");
        assert_eq!(settings(SmtpTls::Tls).helo_name(), "pay.example.com");
    }

    #[test]
    fn a_password_never_crosses_the_network_in_clear() {
        assert!(settings(SmtpTls::Starttls).check().is_ok());
        assert!(settings(SmtpTls::None).check().unwrap_err().contains("in clear"));
        let local = SmtpSettings { host: "127.0.0.1".into(), ..settings(SmtpTls::None) };
        assert!(local.check().is_ok());
    }

    #[test]
    fn mistakes_are_refused_with_the_setting_named() {
        let cases = [
            (SmtpSettings { helo: "my host".into(), ..settings(SmtpTls::Tls) }, "helo"),
            (SmtpSettings { from: "nobody".into(), ..settings(SmtpTls::Tls) }, "from"),
            (SmtpSettings { password: SecretText::default(), ..settings(SmtpTls::Tls) }, "password"),
            (SmtpSettings { ca_file: "/nonexistent.pem".into(), ..settings(SmtpTls::Tls) }, "ca_file"),
            (SmtpSettings { ca_file: "Cargo.toml".into(), ..settings(SmtpTls::Tls) }, "no PEM certificate"),
        ];
        for (s, named) in cases {
            let why = s.check().unwrap_err();
            assert!(why.contains(named), "{why}");
            assert!(!why.contains("s3cret"), "{why}");
        }
    }
}
