//! The notification worker: claims due messages with a lease, hands each to its provider, and
//! records the outcome under the lease's token. The first attempt is immediate; after a failed
//! attempt the next waits `notifications.retry_secs[n]`; after the last, the message is `failed`.
//! Several workers (instances) may run at once: a message is held by one at a time.

use super::super::{Ctx, Result, secrets};
use crate::domain::notification::{Notification, Provider, Status};
use crate::egress::Reach;
use crate::notify::{Outcome, http_sms, smtp};
use crate::store::notifications::{self, Completion, hour_of};
use std::time::Duration;

/// One round: claims up to `notifications.batch` due messages, sends them concurrently and
/// records each outcome. Returns how many it claimed. Idle rounds only read.
pub async fn send_due(ctx: &Ctx) -> Result<usize> {
    let s = &ctx.config.notifications;
    let now = ctx.clock.now();
    if !ctx.db.read(move |c| notifications::any_due(c, now)).await? {
        return Ok(0);
    }
    let token = secrets::base62(20);
    let (lease_end, limit, held) = (now.plus_secs(s.lease_secs as i64), s.batch as i64, token.clone());
    let claimed = ctx
        .db
        .write(move |c| {
            // Counters of past hours are never taken again.
            notifications::purge_quotas(c, hour_of(now) - 1)?;
            notifications::claim(c, now, lease_end, &held, limit)
        })
        .await?;
    let count = claimed.len();
    let mut tasks = tokio::task::JoinSet::new();
    for n in claimed {
        let (ctx, token) = (ctx.clone(), token.clone());
        tasks.spawn(async move { attempt(&ctx, n, &token).await });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not record a notification's outcome"),
            Err(e) => tracing::error!(error = %e, "a notification task failed"),
        }
    }
    Ok(count)
}

/// Sends one claimed message and records how it went.
async fn attempt(ctx: &Ctx, n: Notification, token: &str) -> Result<()> {
    let retry_secs = &ctx.config.notifications.retry_secs;
    let last_attempt = retry_secs.len() as i64 + 1;
    let outcome = if n.attempts > last_attempt {
        // A worker took the last attempt and stopped before recording it; do not send again.
        Outcome::Fail("the last attempt was interrupted before its outcome was recorded".into())
    } else {
        deliver(ctx, &n).await
    };
    let now = ctx.clock.now();
    let done = match outcome {
        Outcome::Sent(answer) => {
            Completion { status: Status::Sent, next_attempt_at: now, last_error: None, provider_response: Some(answer) }
        }
        Outcome::Retry(why) if n.attempts < last_attempt => Completion {
            status: Status::Queued,
            next_attempt_at: now.plus_secs(retry_secs[(n.attempts - 1).max(0) as usize] as i64),
            last_error: Some(why),
            provider_response: None,
        },
        Outcome::Retry(why) | Outcome::Fail(why) => {
            Completion { status: Status::Failed, next_attempt_at: now, last_error: Some(why), provider_response: None }
        }
    };
    log(&n, &done);
    let outcome = match done.status {
        Status::Sent => "sent",
        Status::Queued => "retry",
        Status::Failed => "failed",
    };
    ctx.metrics.message(n.channel.as_str(), outcome);
    let (id, token) = (n.id.clone(), token.to_owned());
    let recorded = ctx.db.write(move |c| notifications::complete(c, &id, &token, &done, now)).await?;
    if !recorded {
        tracing::warn!(notification = %n.id, "the lease passed before the outcome was recorded");
    }
    Ok(())
}

/// Hands the message to its provider.
async fn deliver(ctx: &Ctx, n: &Notification) -> Outcome {
    let s = &ctx.config.notifications;
    let timeout = Duration::from_secs(s.timeout_secs);
    match n.provider {
        Provider::Log => Outcome::Sent("stored by the log provider; nothing left this machine".into()),
        Provider::Smtp => smtp::send(&s.smtp, n, ctx.clock.now(), timeout).await,
        // The gateway is the operator's own setting, not a merchant's URL: it may live on a
        // private network, whatever the merchants' webhooks may reach.
        Provider::Http => http_sms::send(&ctx.egress, Reach::ANYWHERE, &s.sms_http, n, timeout).await,
    }
}

/// One line per attempt, without the recipient (personal data; a provider's error may quote it).
fn log(n: &Notification, done: &Completion) {
    let (id, channel, kind, provider) = (&n.id, n.channel.as_str(), n.kind.as_str(), n.provider.as_str());
    let error = done.last_error.as_deref().map(|e| e.replace(&n.recipient, "[recipient]"));
    match done.status {
        Status::Sent => {
            tracing::info!(notification = %id, channel, kind, provider, attempt = n.attempts, "notification sent")
        }
        Status::Queued => {
            tracing::warn!(notification = %id, channel, provider, attempt = n.attempts, error = ?error, "notification will be retried")
        }
        Status::Failed => {
            tracing::warn!(notification = %id, channel, provider, attempt = n.attempts, error = ?error, "notification failed")
        }
    }
}
