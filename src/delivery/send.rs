//! One attempt: build the request (the native Standard Webhooks one, or the shape of the dialect
//! the delivery belongs to), POST it through the egress client, and decide what comes next.

use crate::domain::Timestamp;
use crate::domain::notification::Notification;
use crate::domain::outbox::{Attempt, Delivery, Next, Target};
use crate::domain::sign::{self, SecretKey, Signer};
use crate::domain::webhook::{EndpointStatus, RetryPolicy};
use crate::dto::event::EventOut;
use crate::egress::{EgressError, OutboundRequest, OutboundResponse};
use crate::service::dialect::{DeliveryRules, Dialect};
use crate::service::{Ctx, secrets};
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
        /// A message to the merchant about this failed attempt (when the dialect sends one).
        alert: Option<Box<Notification>>,
    },
    /// The delivery ends unsent (its endpoint was disabled or deleted, or what it announces is
    /// gone).
    Abandoned(&'static str),
}

/// The dialect a delivery belongs to: its link callback's, or its endpoint's registration's.
/// `Err` for a dialect this build does not know (the delivery cannot be shaped).
fn dialect_of<'c>(ctx: &'c Ctx, d: &Delivery) -> std::result::Result<Option<&'c dyn Dialect>, &'static str> {
    let name = match (&d.target, &d.endpoint_dialect) {
        (Target::Dialect(name), _) | (Target::Endpoint(_), Some(name)) => name,
        _ => return Ok(None),
    };
    ctx.dialects.get(name).map(Some).ok_or("unknown_dialect")
}

/// Makes one attempt of a claimed delivery, counted by kind and outcome.
pub async fn attempt(ctx: &Ctx, d: Delivery) -> Outcome {
    let kind = match d.target {
        Target::Endpoint(_) => "webhook",
        Target::Callback => "callback",
        Target::Dialect(_) => "dialect_callback",
    };
    let outcome = attempt_uncounted(ctx, d).await;
    measure(ctx, kind, &outcome);
    outcome
}

/// [`attempt`]'s work.
async fn attempt_uncounted(ctx: &Ctx, d: Delivery) -> Outcome {
    let abandon = |reason| Outcome { token: d.token.clone(), delivery_id: d.id, result: Result::Abandoned(reason) };
    match (d.endpoint_status, &d.url) {
        (Some(EndpointStatus::Disabled), _) => return abandon("endpoint_disabled"),
        (Some(EndpointStatus::Deleted), _) | (_, None) => return abandon("endpoint_deleted"),
        _ => {}
    }
    let dialect = match dialect_of(ctx, &d) {
        Ok(found) => found,
        Err(reason) => return abandon(reason),
    };
    let started = ctx.clock.now();
    let request = match request(ctx, &d, dialect, started).await {
        Ok(r) => r,
        Err(reason) => return abandon(reason),
    };
    let result = ctx.egress.post(ctx.egress.reach_for(d.environment), request).await;
    let rules = dialect.map_or(DeliveryRules::NATIVE, |x| x.delivery_rules());
    let mut outcome = judge(ctx, &d, rules, started, result);
    if let (Some(x), Result::Attempted { attempt, next, alert, .. }) = (dialect, &mut outcome.result)
        && *next != Next::Delivered
    {
        *alert = x.failed_attempt_alert(ctx, &d, attempt, *next).await.map(Box::new);
    }
    outcome
}

/// Counts an attempt by kind and outcome (`abandoned`: ended unsent), with the receiver's time
/// when a request was made (`paylink_delivery_*`).
fn measure(ctx: &Ctx, kind: &'static str, outcome: &Outcome) {
    let Result::Attempted { attempt, next, .. } = &outcome.result else {
        return ctx.metrics.delivery_attempt(kind, "abandoned", None);
    };
    let result = match next {
        Next::Delivered => "delivered",
        Next::RetryAt(_) if attempt.status_code.is_none() => "error_retry",
        Next::RetryAt(_) => "rejected_retry",
        Next::Failed => "failed",
    };
    let took = std::time::Duration::from_millis(attempt.latency_ms.max(0) as u64);
    ctx.metrics.delivery_attempt(kind, result, Some(took));
}

/// The request of this attempt: the dialect's, or the native one.
async fn request(
    ctx: &Ctx,
    d: &Delivery,
    dialect: Option<&dyn Dialect>,
    now: Timestamp,
) -> std::result::Result<OutboundRequest, &'static str> {
    let url = d.url.clone().unwrap_or_default();
    let signer = Signer { keys: keys(ctx, d, now), timestamp: now.micros().div_euclid(1_000_000) };
    match dialect.and_then(|x| x.delivery_request(ctx, d, url.clone(), &signer)) {
        Some(shaped) => shaped.await,
        None => Ok(native_request(ctx, d, url, &signer)),
    }
}

/// The signed native request. The body is the event exactly as `GET /v1/events/{id}` shows it,
/// so it is the same on every attempt; the timestamp and signature are fresh.
fn native_request(ctx: &Ctx, d: &Delivery, url: String, signer: &Signer) -> OutboundRequest {
    let body = serde_json::to_vec(&EventOut::from(d.event.clone())).unwrap_or_default();
    let s = &ctx.config.delivery;
    OutboundRequest {
        url,
        headers: signer.standard_headers(d.event.id.as_str(), &body),
        body,
        timeout: Duration::from_secs(s.request_timeout_secs),
        max_response_bytes: s.max_response_bytes,
    }
}

/// The secrets that sign this attempt: the endpoint's, or the store's callback secret for a
/// callback; the current one, and the previous one during its grace.
fn keys(ctx: &Ctx, d: &Delivery, now: Timestamp) -> Vec<SecretKey> {
    let endpoint = !d.target.is_callback();
    let derive = |nonce: &str| match endpoint {
        true => sign::endpoint_secret(&ctx.signing_key, nonce),
        false => sign::callback_secret(&ctx.signing_key, nonce),
    };
    let current =
        d.nonce.clone().unwrap_or_else(|| sign::initial_callback_nonce(d.store_id.as_str(), d.environment.as_str()));
    let mut keys = vec![derive(&current)];
    if let Some((previous, until)) = &d.previous
        && *until > now
    {
        keys.push(derive(previous));
    }
    keys
}

/// Turns the response (or the failure) into the attempt's record and the delivery's next step:
/// 2xx delivered; 410 failed and a native endpoint disabled (unless the rules retry it); any 4xx
/// final where the rules say so; anything else, 3xx included (redirects are never followed),
/// retried on the rules' schedule.
fn judge(
    ctx: &Ctx,
    d: &Delivery,
    rules: DeliveryRules,
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
    let gone = status == Some(410) && rules.gone_is_final;
    let final_4xx = rules.final_4xx && status.is_some_and(|s| (400..500).contains(&s));
    let next = match status {
        Some(200..=299) => Next::Delivered,
        _ if gone || final_4xx => Next::Failed,
        _ => retry(ctx, rules, number, retry_after, started),
    };
    let disable_endpoint = match (&d.target, &d.endpoint_dialect) {
        (Target::Endpoint(id), None) if gone => Some(id.as_str().to_owned()),
        _ => None,
    };
    let result = Result::Attempted { attempt, next, disable_endpoint, alert: None };
    Outcome { token: d.token.clone(), delivery_id: d.id, result }
}

fn retry(ctx: &Ctx, rules: DeliveryRules, attempts_made: i64, retry_after: Option<Duration>, now: Timestamp) -> Next {
    let s = &ctx.config.delivery;
    let policy = RetryPolicy {
        delays_secs: rules.delays_secs.unwrap_or(&s.schedule_secs),
        jitter_percent: rules.jitter_percent.unwrap_or(s.jitter_percent),
        retry_after_max: Duration::from_secs(s.retry_after_max_secs),
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
