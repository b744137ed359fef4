//! Reading what a receiver answered: a bounded body and the `Retry-After` hint.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper::HeaderMap;
use hyper::body::Incoming;
use hyper::header::RETRY_AFTER;
use time::{OffsetDateTime, PrimitiveDateTime, macros::format_description};

/// Reads at most `max` bytes of a body. Whatever is left is not read: dropping the body closes
/// the connection, which is cheaper and safer than draining a receiver that never stops.
pub(super) async fn read_bounded(mut body: Incoming, max: usize) -> Result<Vec<u8>, hyper::Error> {
    let mut out = Vec::new();
    while out.len() < max {
        let Some(frame) = body.frame().await else { break };
        if let Ok(data) = frame?.into_data() {
            let take = data.len().min(max - out.len());
            out.extend_from_slice(&data[..take]);
        }
    }
    Ok(out)
}

/// The wait a `Retry-After` header asks for, as delta-seconds or an IMF-fixdate relative to
/// `now`; a date in the past means no wait. Unparseable values are ignored, not errors.
pub(super) fn retry_after(headers: &HeaderMap, now: OffsetDateTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format =
        format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    let at = PrimitiveDateTime::parse(value, format).ok()?.assume_utc();
    Some(Duration::try_from(at - now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn parse(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().unwrap());
        retry_after(&headers, datetime!(1994-11-06 08:49:00 UTC))
    }

    #[test]
    fn retry_after_accepts_delta_seconds() {
        assert_eq!(parse("120"), Some(Duration::from_secs(120)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_accepts_an_http_date_relative_to_now() {
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::from_secs(37)));
        assert_eq!(parse("Sun, 06 Nov 1994 08:00:00 GMT"), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_ignores_what_it_cannot_read() {
        for value in ["-5", "1.5", "soon", "06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 PST"] {
            assert_eq!(parse(value), None, "{value}");
        }
        assert_eq!(retry_after(&HeaderMap::new(), OffsetDateTime::now_utc()), None);
    }
}
