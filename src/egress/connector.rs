//! The guarded TCP connector under every egress client. It resolves the host itself and checks
//! each resolved address before connecting, so a name (or a numeric spelling a resolver accepts)
//! that points inward is refused at the moment it matters, not just when the URL was registered.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::Uri;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::Reach;
use super::target::{check_ip, literal_host};

/// Why a connection was not made; carried through hyper's error chain and mapped back to
/// `EgressError` by the client.
#[derive(Debug, thiserror::Error)]
pub(super) enum DialError {
    /// Every resolved address is outside the reach.
    #[error("{0}")]
    Refused(String),
    /// The host is not usable at all.
    #[error("{0}")]
    BadUrl(String),
    /// Resolving and connecting took longer than the connect timeout.
    #[error("connect timed out")]
    Timeout,
    /// Resolution failed or no allowed address accepted the connection.
    #[error("{0}")]
    Connect(String),
}

/// A `Service<Uri>` that hyper's pooled client calls only when it needs a new connection, so
/// resolution and checks cost nothing on reused connections.
#[derive(Clone, Debug)]
pub(super) struct GuardedConnector {
    reach: Reach,
    connect_timeout: Duration,
}

impl GuardedConnector {
    /// A connector that only opens connections to addresses `reach` allows.
    pub(super) fn new(reach: Reach, connect_timeout: Duration) -> GuardedConnector {
        GuardedConnector { reach, connect_timeout }
    }

    async fn dial(self, uri: Uri) -> Result<TokioIo<TcpStream>, DialError> {
        let host = uri.host().ok_or_else(|| DialError::BadUrl("URL has no host".into()))?;
        let default_port = if uri.scheme_str() == Some("https") { 443 } else { 80 };
        let addrs = self.allowed_addrs(host, uri.port_u16().unwrap_or(default_port)).await?;
        let mut failure = String::new();
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => {
                    // Webhook bodies are small single writes: don't let Nagle hold them back.
                    stream.set_nodelay(true).map_err(|e| DialError::Connect(e.to_string()))?;
                    return Ok(TokioIo::new(stream));
                }
                Err(e) => failure = format!("{addr}: {e}"),
            }
        }
        Err(DialError::Connect(failure))
    }

    /// The resolved addresses the reach allows, in resolver order; refused when none is.
    async fn allowed_addrs(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, DialError> {
        let resolved = resolve(host, port).await?;
        let mut refusal = None;
        let allowed: Vec<SocketAddr> = resolved
            .into_iter()
            .filter(|addr| match check_ip(addr.ip(), self.reach) {
                Ok(()) => true,
                Err(message) => {
                    refusal.get_or_insert(message);
                    false
                }
            })
            .collect();
        match (allowed.is_empty(), refusal) {
            (true, Some(message)) => Err(DialError::Refused(format!("{host}: {message}"))),
            (true, None) => Err(DialError::Connect(format!("{host} resolves to no address"))),
            (false, _) => Ok(allowed),
        }
    }
}

/// A literal host (in any numeric form) without DNS, otherwise the system resolver.
async fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, DialError> {
    if let Some(ip) = literal_host(host).map_err(DialError::BadUrl)? {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let addrs = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| DialError::Connect(format!("cannot resolve {host}: {e}")))?;
    Ok(addrs.collect())
}

impl tower_service::Service<Uri> for GuardedConnector {
    type Response = TokioIo<TcpStream>;
    type Error = DialError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, DialError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), DialError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let connector = self.clone();
        Box::pin(async move {
            let limit = connector.connect_timeout;
            tokio::time::timeout(limit, connector.dial(uri)).await.map_err(|_| DialError::Timeout)?
        })
    }
}
