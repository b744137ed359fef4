//! The one outbound HTTP client every egress goes through (webhooks, callbacks, SMS gateway).
//!
//! Policy, in one place: `http` and `https` only, redirects never followed (a 3xx is returned as
//! is), a connect timeout and a whole-request timeout, response bodies read up to a bound, and
//! inward targets refused. "Inward" is decided by [`classify`] on the *resolved* addresses at
//! connect time (see `connector`), so a public-looking name that resolves to 127.0.0.1, or a
//! numeric spelling like `2130706433`, is caught; [`check_url`] applies the same table to literal
//! addresses when a merchant registers a URL, for an early clear error.
//!
//! Each [`Reach`] has its own pooled client: a kept-alive connection opened under a permissive
//! reach must never serve a request made under a stricter one, and pooling is what makes
//! thousands of deliveries a second cheap (no DNS, no handshake on a reused connection).

mod connector;
mod range;
mod response;
mod target;

use std::borrow::Cow;
use std::time::{Duration, Instant};

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use hyper::{Method, Request, Uri};
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::config::EgressSettings;
use crate::domain::Environment;
use connector::{DialError, GuardedConnector};

pub use range::{Range, classify};
pub use target::{MAX_URL_LEN, check_url};

/// Which inward ranges a request may reach. Public addresses are always reachable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reach {
    /// 127.0.0.0/8 and ::1 (and their IPv6-embedded forms).
    pub loopback: bool,
    /// Private, link-local, CGNAT and the other non-public unicast blocks.
    pub private: bool,
}

impl Reach {
    /// Public addresses only: the production default.
    pub const PUBLIC_ONLY: Reach = Reach { loopback: false, private: false };
    /// Loopback and private ranges too (never unspecified, multicast or reserved).
    pub const ANYWHERE: Reach = Reach { loopback: true, private: true };

    /// Index into `Egress::clients`: one client per distinct reach.
    fn index(self) -> usize {
        usize::from(self.loopback) | usize::from(self.private) << 1
    }
}

/// One outbound POST.
#[derive(Clone, Debug)]
pub struct OutboundRequest {
    /// Absolute `http` or `https` URL.
    pub url: String,
    /// Extra headers; a `content-type` or `user-agent` here replaces the default.
    pub headers: Vec<(Cow<'static, str>, String)>,
    /// The request body, sent as is.
    pub body: Vec<u8>,
    /// Limit for the whole request: connect, TLS, send and reading the bounded body.
    pub timeout: Duration,
    /// The most response-body bytes kept; the rest is never read.
    pub max_response_bytes: usize,
}

/// What the receiver answered.
#[derive(Clone, Debug)]
pub struct OutboundResponse {
    /// The status code; 3xx included, since redirects are not followed.
    pub status: u16,
    /// The receiver's `Retry-After`, as a wait from now.
    pub retry_after: Option<Duration>,
    /// At most `max_response_bytes` of the body.
    pub body: Vec<u8>,
    /// From sending the request to the end of the bounded body read.
    pub latency: Duration,
}

/// Why an outbound request got no response. Messages never include request headers or bodies
/// (they carry signatures and secrets), nor the URL (its query may carry credentials).
#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    /// The target address is in a range this request may not reach; the message names it.
    #[error("refused: {0}")]
    Refused(String),
    /// The URL cannot be used: scheme, host, userinfo, length or a malformed address.
    #[error("bad URL: {0}")]
    BadUrl(String),
    /// The request or the connect took longer than allowed.
    #[error("timed out")]
    Timeout,
    /// DNS failed or the TCP connection could not be made.
    #[error("connect failed: {0}")]
    Connect(String),
    /// The TLS handshake failed (certificate, protocol).
    #[error("TLS failed: {0}")]
    Tls(String),
    /// The HTTP request failed after connecting, or a caller's header is invalid.
    #[error("HTTP failed: {0}")]
    Http(String),
}

impl EgressError {
    /// A short stable code for records.
    pub fn code(&self) -> &'static str {
        match self {
            EgressError::Refused(_) => "refused",
            EgressError::BadUrl(_) => "bad_url",
            EgressError::Timeout => "timeout",
            EgressError::Connect(_) => "connect",
            EgressError::Tls(_) => "tls",
            EgressError::Http(_) => "http",
        }
    }
}

type PooledClient = Client<HttpsConnector<GuardedConnector>, Full<Bytes>>;

/// The egress client: cheap to share behind an `Arc`, built once at startup.
pub struct Egress {
    clients: [PooledClient; 4],
    sandbox: Reach,
    production: Reach,
    user_agent: HeaderValue,
}

impl Egress {
    /// Builds the pooled clients; TLS trusts the Mozilla roots compiled into the binary.
    pub fn new(settings: &EgressSettings) -> Egress {
        let tls = rustls::ClientConfig::builder_with_provider(rustls::crypto::ring::default_provider().into())
            .with_safe_default_protocol_versions()
            .expect("ring supports the default TLS versions")
            .with_webpki_roots()
            .with_no_client_auth();
        let connect_timeout = Duration::from_secs(settings.connect_timeout_secs);
        let reaches = [
            Reach::PUBLIC_ONLY,
            Reach { loopback: true, private: false },
            Reach { loopback: false, private: true },
            Reach::ANYWHERE,
        ];
        debug_assert!(reaches.iter().enumerate().all(|(i, r)| r.index() == i));
        let clients = reaches.map(|reach| {
            let https = HttpsConnectorBuilder::new()
                .with_tls_config(tls.clone())
                .https_or_http()
                .enable_http1()
                .wrap_connector(GuardedConnector::new(reach, connect_timeout));
            Client::builder(TokioExecutor::new())
                .pool_timer(TokioTimer::new())
                .pool_idle_timeout(Duration::from_secs(60))
                .build(https)
        });
        Egress {
            clients,
            sandbox: Reach { loopback: settings.allow_loopback_sandbox, private: settings.allow_private_sandbox },
            production: Reach {
                loopback: settings.allow_loopback_production,
                private: settings.allow_private_production,
            },
            user_agent: HeaderValue::from_str(&settings.user_agent)
                .unwrap_or_else(|_| HeaderValue::from_static("Paylink")),
        }
    }

    /// The reach the operator allows for an environment.
    pub fn reach_for(&self, env: Environment) -> Reach {
        match env {
            Environment::Sandbox => self.sandbox,
            Environment::Production => self.production,
        }
    }

    /// POSTs and returns the status, `Retry-After` and at most `max_response_bytes` of the body.
    pub async fn post(&self, reach: Reach, req: OutboundRequest) -> Result<OutboundResponse, EgressError> {
        let uri = target::parse_target(&req.url).map_err(EgressError::BadUrl)?;
        let https = uri.scheme_str() == Some("https");
        let request = self.build_request(uri, req.headers, req.body)?;
        let client = &self.clients[reach.index()];
        let started = Instant::now();
        let round_trip = async {
            let response = client.request(request).await.map_err(|e| from_client_error(&e, https))?;
            let status = response.status().as_u16();
            let retry_after = response::retry_after(response.headers(), time::OffsetDateTime::now_utc());
            let body = response::read_bounded(response.into_body(), req.max_response_bytes)
                .await
                .map_err(|e| EgressError::Http(error_chain(&e)))?;
            Ok(OutboundResponse { status, retry_after, body, latency: Duration::ZERO })
        };
        let mut response = tokio::time::timeout(req.timeout, round_trip).await.map_err(|_| EgressError::Timeout)??;
        response.latency = started.elapsed();
        Ok(response)
    }

    /// The POST with the caller's headers over the defaults. Errors name a header, never a value.
    fn build_request(
        &self,
        uri: Uri,
        headers: Vec<(Cow<'static, str>, String)>,
        body: Vec<u8>,
    ) -> Result<Request<Full<Bytes>>, EgressError> {
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        let map = request.headers_mut();
        for (name, value) in headers {
            let header = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| EgressError::Http(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(&value)
                .map_err(|_| EgressError::Http(format!("invalid value for header {name:?}")))?;
            map.append(header, value);
        }
        map.entry(CONTENT_TYPE).or_insert(HeaderValue::from_static("application/json"));
        map.entry(USER_AGENT).or_insert_with(|| self.user_agent.clone());
        Ok(request)
    }
}

/// Maps hyper's error back to ours: the connector's own verdict when it has one, otherwise by
/// the phase that failed (a connect-phase failure on https past our connector is the handshake).
fn from_client_error(err: &hyper_util::client::legacy::Error, https: bool) -> EgressError {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(dial) = current.downcast_ref::<DialError>() {
            return match dial {
                DialError::Refused(m) => EgressError::Refused(m.clone()),
                DialError::BadUrl(m) => EgressError::BadUrl(m.clone()),
                DialError::Timeout => EgressError::Timeout,
                DialError::Connect(m) => EgressError::Connect(m.clone()),
            };
        }
        cause = current.source();
    }
    match (err.is_connect(), https) {
        (true, true) => EgressError::Tls(error_chain(err)),
        (true, false) => EgressError::Connect(error_chain(err)),
        (false, _) => EgressError::Http(error_chain(err)),
    }
}

/// An error and its sources on one line.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(current) = cause {
        text.push_str(": ");
        text.push_str(&current.to_string());
        cause = current.source();
    }
    text
}
