//! The dashboard in the benchmark: an OWNER session opened once through the service (as a
//! sign-in ends), and the links CSV export streamed once over HTTP with the server's memory
//! sampled meanwhile. The server runs in this process, so `/proc/self` is the server's memory
//! (plus this client's, which reads the body frame by frame and keeps none of it).

use super::fixtures::Tenant;
use super::procfs;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper::client::conn::http1;
use hyper::header::{COOKIE, HOST, HeaderValue};
use hyper_util::rt::TokioIo;
use paylink::domain::session::Stage;
use paylink::service::{Ctx, sessions};
use std::net::SocketAddr;
use std::time::Instant;

/// The session cookie's name on the benchmark's plain-http server.
const COOKIE_NAME: &str = "paylink_session";

/// Opens an active session for the tenant's owner; the `Cookie` header that carries it.
pub async fn sign_in(ctx: &Ctx, t: &Tenant) -> Result<HeaderValue, String> {
    let opened = sessions::open(ctx, &t.owner, &t.store_id, Stage::Active, |_| Ok(()))
        .await
        .map_err(|e| format!("bench: dashboard session: {e}"))?;
    HeaderValue::from_str(&format!("{COOKIE_NAME}={}", opened.cookie)).map_err(|e| e.to_string())
}

/// What streaming the export cost.
pub struct ExportFigures {
    pub bytes: u64,
    pub rows: u64,
    pub secs: f64,
    pub rss_before_kib: u64,
    pub rss_peak_kib: u64,
    pub rss_after_kib: u64,
    pub hwm_before_kib: u64,
    pub hwm_after_kib: u64,
}

/// Downloads `/dashboard/links.csv` (every link) once, counting bytes and records.
pub async fn export(addr: SocketAddr, cookie: &HeaderValue) -> Result<ExportFigures, String> {
    let stream = tokio::net::TcpStream::connect(addr).await.map_err(|e| format!("connect {addr}: {e}"))?;
    let (mut sender, conn) = http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let req = hyper::Request::get("/dashboard/links.csv")
        .header(HOST, addr.to_string())
        .header(COOKIE, cookie.clone())
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    let (rss_before_kib, hwm_before_kib) = (procfs::rss_kib(), procfs::hwm_kib());
    let (sampler, started) = (procfs::Sampler::start(), Instant::now());
    let resp = sender.send_request(req).await.map_err(|e| format!("export: {e}"))?;
    if resp.status() != 200 {
        return Err(format!("bench: the export answered {}", resp.status()));
    }
    let (mut body, mut bytes, mut rows) = (resp.into_body(), 0u64, 0u64);
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("export body: {e}"))?;
        if let Some(data) = frame.data_ref() {
            bytes += data.len() as u64;
            rows += data.iter().filter(|b| **b == b'\n').count() as u64;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let rss_peak_kib = sampler.finish().await;
    let (rss_after_kib, hwm_after_kib) = (procfs::rss_kib(), procfs::hwm_kib());
    // The header line is not a link (titles never hold a line break in the seeded data).
    let rows = rows.saturating_sub(1);
    Ok(ExportFigures { bytes, rows, secs, rss_before_kib, rss_peak_kib, rss_after_kib, hwm_before_kib, hwm_after_kib })
}

impl ExportFigures {
    /// One line for the report.
    pub fn summary(&self) -> String {
        let mb = procfs::mb;
        format!(
            "export: {} links, {:.1} MB in {:.2} s; RSS {:.1} MB before, peak {:.1} MB (growth {:.1} MB), \
             {:.1} MB after; VmHWM {:.1} → {:.1} MB",
            self.rows,
            self.bytes as f64 / 1e6,
            self.secs,
            mb(self.rss_before_kib),
            mb(self.rss_peak_kib),
            mb(self.rss_peak_kib.saturating_sub(self.rss_before_kib)),
            mb(self.rss_after_kib),
            mb(self.hwm_before_kib),
            mb(self.hwm_after_kib),
        )
    }
}
