//! One attempt: sign the event (or build the dialect's callback), POST it through the egress
//! client, and decide what comes next.

use super::sign::{self, SecretKey};
use crate::domain::dialect;
use crate::domain::webhook::{RetryPolicy, birrlink};
use crate::domain::{Environment, Timestamp};
use crate::dto::event::EventOut;
use crate::egress::{EgressError, OutboundRequest, OutboundResponse};
use crate::notify::Notification;
use crate::service::{Ctx, secrets};
use crate::store::deliveries::{Attempt, Claimed, Next};
use std::borrow::Cow;
use std::time::Duration;

/// What an attempt (or a decision not to attempt) leaves to record.
pub struct Outcome {
    /// The lease token the delivery was claimed under.
    pub token: String,
    pub delivery_id: i64,
    pub result: Result,
}

/// A request made, or a decision not to make one.
pub enum Result {
    Attempted {
        attempt: Attempt,
        next: Next,
        disable_endpoint: Option<String>,
        /// A message to the merchant about this failed attempt (Exchange project callbacks).
        alert: Option<Box<Notification>>,
    },
    /// The delivery ends unsent (its endpoint was disabled or deleted, or what it announces is
    /// gone).
    Abandoned(&'static str),
}

/// What a delivery is, by its `endpoint_id` (and its endpoint's dialect): a webhook endpoint, a
/// native link callback, or a dialect's endpoint or callback.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Endpoint,
    Callback,
    Amwal,
    Exchange,
    /// A webhook endpoint registered through BirrLink's `POST /webhooks`.
    BirrLink,
    /// A BirrLink payment's `callback_url`.
    BirrLinkCallback,
    /// A Paymob QuickLink's `notification_url`.
    Paymob,
}

impl Kind {
    fn of(d: &Claimed) -> Kind {
        match (d.endpoint_id.as_str(), d.endpoint_dialect.as_deref()) {
            ("callback", _) => Kind::Callback,
            ("amwal", _) => Kind::Amwal,
            ("exchange", _) => Kind::Exchange,
            ("birrlink", _) => Kind::BirrLinkCallback,
            ("paymob", _) => Kind::Paymob,
            (_, Some("birrlink")) => Kind::BirrLink,
            _ => Kind::Endpoint,
        }
    }

    /// Whether the secret is an endpoint's (else the store's callback secret).
    fn endpoint_secret(self) -> bool {
        matches!(self, Kind::Endpoint | Kind::BirrLink)
    }

    /// Whether BirrLink's delivery rules apply: its envelope, signature and schedule.
    fn birrlink(self) -> bool {
        matches!(self, Kind::BirrLink | Kind::BirrLinkCallback)
    }
}

/// Makes one attempt of a claimed delivery.
pub async fn attempt(ctx: &Ctx, d: Claimed) -> Outcome {
    let abandon = |reason| Outcome { token: d.token.clone(), delivery_id: d.id, result: Result::Abandoned(reason) };
    match (d.endpoint_status.as_deref(), &d.url) {
        (Some("disabled"), _) => return abandon("endpoint_disabled"),
        (Some("deleted"), _) | (_, None) => return abandon("endpoint_deleted"),
        _ => {}
    }
    let url = d.url.clone().unwrap_or_default();
    let started = ctx.clock.now();
    let kind = Kind::of(&d);
    let request = match kind {
        Kind::Amwal => crate::dialects::amwal::callback::request(ctx, &d, url).await,
        Kind::Exchange => {
            let signed = |body: &[u8]| standard_headers(ctx, &d, started, body);
            crate::dialects::exchange::callback::request(ctx, &d, url, signed).await
        }
        Kind::BirrLink | Kind::BirrLinkCallback => {
            let signed = |body: &[u8]| birrlink_headers(ctx, &d, started, body);
            crate::dialects::birrlink::event::request(ctx, &d, url, signed).await
        }
        Kind::Paymob => {
            let secret = sign::whsec(&keys(ctx, &d, started)[0]);
            crate::dialects::paymob::callback::request(ctx, &d, url, &secret).await
        }
        Kind::Endpoint | Kind::Callback => Ok(build_request(ctx, &d, url, started)),
    };
    let request = match request {
        Ok(r) => r,
        Err(reason) => return abandon(reason),
    };
    let env = Environment::parse(&d.environment).unwrap_or(Environment::Production);
    let reach = ctx.egress.reach_for(env);
    let result = ctx.egress.post(reach, request).await;
    let mut outcome = judge(ctx, &d, kind, started, result);
    if let Result::Attempted { attempt, next, alert, .. } = &mut outcome.result
        && kind == Kind::Exchange
        && *next != Next::Delivered
    {
        *alert = crate::dialects::exchange::callback::alert(ctx, &d, attempt, *next).await.map(Box::new);
    }
    outcome
}

/// The signed request. The body is the event exactly as `GET /v1/events/{id}` shows it, so it is
/// the same on every attempt; the timestamp and signature are fresh.
fn build_request(ctx: &Ctx, d: &Claimed, url: String, now: Timestamp) -> OutboundRequest {
    let body = serde_json::to_vec(&EventOut::from(d.event.clone())).unwrap_or_default();
    let s = &ctx.config.delivery;
    OutboundRequest {
        url,
        headers: standard_headers(ctx, d, now, &body),
        body,
        timeout: Duration::from_secs(s.request_timeout_secs),
        max_response_bytes: s.max_response_bytes,
    }
}

/// The Standard Webhooks headers of a body: the event id, a fresh timestamp and signature.
fn standard_headers(ctx: &Ctx, d: &Claimed, now: Timestamp, body: &[u8]) -> Vec<(Cow<'static, str>, String)> {
    let timestamp = now.micros().div_euclid(1_000_000);
    let signature = sign::signature_header(&keys(ctx, d, now), &d.event.id, timestamp, body);
    vec![
        ("webhook-id".into(), d.event.id.clone()),
        ("webhook-timestamp".into(), timestamp.to_string()),
        ("webhook-signature".into(), signature),
    ]
}

/// BirrLink's headers of a body: `BirrLink-Signature: t=…,v1=…` (one `v1` per secret that signs
/// now), `BirrLink-Timestamp`, and the event id.
fn birrlink_headers(ctx: &Ctx, d: &Claimed, now: Timestamp, body: &[u8]) -> Vec<(Cow<'static, str>, String)> {
    let timestamp = now.micros().div_euclid(1_000_000);
    let secrets: Vec<String> = keys(ctx, d, now).iter().map(sign::whsec).collect();
    vec![
        ("birrlink-signature".into(), sign::birrlink_header(&secrets, timestamp, body)),
        ("birrlink-timestamp".into(), timestamp.to_string()),
        ("birrlink-event-id".into(), d.event.id.clone()),
    ]
}

/// The secrets that sign this attempt: the current one, and the previous one during its grace.
fn keys(ctx: &Ctx, d: &Claimed, now: Timestamp) -> Vec<SecretKey> {
    let endpoint = Kind::of(d).endpoint_secret();
    let derive = |nonce: &str| {
        if endpoint {
            sign::endpoint_secret(&ctx.signing_key, nonce)
        } else {
            sign::callback_secret(&ctx.signing_key, nonce)
        }
    };
    let current = d.nonce.clone().unwrap_or_else(|| sign::initial_callback_nonce(&d.store_id, &d.environment));
    let mut keys = vec![derive(&current)];
    if let Some((previous, until)) = &d.previous
        && *until > now
    {
        keys.push(derive(previous));
    }
    keys
}

/// Turns the response (or the failure) into the attempt's record and the delivery's next step:
/// 2xx delivered; 410 failed and the endpoint disabled; for Amwal callbacks any 4xx is final (as
/// Amwal documents); anything else, 3xx included (redirects are never followed), retried on the
/// delivery's schedule. BirrLink's rule is simpler: anything but 2xx is retried, 410 included.
fn judge(
    ctx: &Ctx,
    d: &Claimed,
    kind: Kind,
    started: Timestamp,
    result: std::result::Result<OutboundResponse, EgressError>,
) -> Outcome {
    let number = d.attempts + 1;
    let mut attempt = Attempt {
        delivery_id: d.id,
        number,
        attempted_at: started,
        status_code: None,
        latency_ms: 0,
        error: None,
        response_excerpt: None,
    };
    let (retry_after, status) = match result {
        Ok(r) => {
            attempt.status_code = Some(i64::from(r.status));
            attempt.latency_ms = r.latency.as_millis() as i64;
            attempt.response_excerpt = Some(excerpt(&r.body, ctx.config.delivery.excerpt_bytes));
            (r.retry_after, Some(r.status))
        }
        Err(e) => {
            attempt.latency_ms = (ctx.clock.now().micros() - started.micros()).max(0) / 1000;
            attempt.error = Some(format!("{}: {e}", e.code()));
            (None, None)
        }
    };
    let gone = status == Some(410) && !kind.birrlink();
    let final_4xx = kind == Kind::Amwal && status.is_some_and(|s| (400..500).contains(&s));
    let next = match status {
        Some(200..=299) => Next::Delivered,
        _ if gone || final_4xx => Next::Failed,
        _ => retry(ctx, kind, number, retry_after, started),
    };
    let disable_endpoint = (gone && kind == Kind::Endpoint).then(|| d.endpoint_id.clone());
    let result = Result::Attempted { attempt, next, disable_endpoint, alert: None };
    Outcome { token: d.token.clone(), delivery_id: d.id, result }
}

fn retry(ctx: &Ctx, kind: Kind, attempts_made: i64, retry_after: Option<Duration>, now: Timestamp) -> Next {
    let s = &ctx.config.delivery;
    let retry_after_max = Duration::from_secs(s.retry_after_max_secs);
    let policy = match kind {
        Kind::Amwal => RetryPolicy { delays_secs: &dialect::AMWAL_RETRY_SECS, jitter_percent: 0, retry_after_max },
        Kind::BirrLink | Kind::BirrLinkCallback => {
            RetryPolicy { delays_secs: &birrlink::RETRY_SECS, jitter_percent: 0, retry_after_max }
        }
        Kind::Exchange => RetryPolicy {
            delays_secs: &dialect::EXCHANGE_RETRY_SECS,
            jitter_percent: s.jitter_percent,
            retry_after_max,
        },
        Kind::Endpoint | Kind::Callback | Kind::Paymob => {
            RetryPolicy { delays_secs: &s.schedule_secs, jitter_percent: s.jitter_percent, retry_after_max }
        }
    };
    match policy.next_wait(attempts_made as usize, retry_after, jitter()) {
        Some(wait) => Next::RetryAt(Timestamp::from_micros(now.micros() + wait.as_micros() as i64)),
        None => Next::Failed,
    }
}

/// A uniform number in [-1, 1].
fn jitter() -> f64 {
    let r = u32::from_le_bytes(secrets::random_bytes::<4>());
    f64::from(r) / f64::from(u32::MAX) * 2.0 - 1.0
}

/// The first `limit` bytes of a response, as text (cut on a character boundary).
fn excerpt(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(limit)]);
    let mut end = text.len().min(limit);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}
