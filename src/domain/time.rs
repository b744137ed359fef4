//! Instants as microseconds since the Unix epoch (UTC): one integer column in both databases.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time, UTC, microsecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From microseconds since the epoch.
    pub fn from_micros(us: i64) -> Self {
        Timestamp(us)
    }

    /// Microseconds since the epoch.
    pub fn micros(self) -> i64 {
        self.0
    }

    /// Milliseconds since the epoch (for ids).
    pub fn millis(self) -> u64 {
        (self.0 / 1000).max(0) as u64
    }

    /// Parses RFC 3339 (`2026-12-31T23:59:59Z`, with offset or fraction).
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        let dt = OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
        Some(Timestamp((dt.unix_timestamp_nanos() / 1000) as i64))
    }

    /// Parses an ISO 8601 date-time as the providers send them: RFC 3339, or with no offset
    /// (read as UTC), with a space for the `T` allowed (`2026-07-25 18:58:57.5`).
    pub fn parse_iso_utc(s: &str) -> Option<Self> {
        let t = s.trim().replacen(' ', "T", 1);
        Timestamp::parse_rfc3339(&t).or_else(|| Timestamp::parse_rfc3339(&format!("{t}Z")))
    }

    /// Parses a calendar date (`2026-12-31`) as its first instant, UTC.
    pub fn parse_date(s: &str) -> Option<Self> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(s.trim(), &fmt).ok()?;
        Some(Timestamp(date.midnight().assume_utc().unix_timestamp() * 1_000_000))
    }

    /// RFC 3339 in UTC with microseconds when present (`2026-01-28T12:40:29.030109Z`).
    pub fn to_rfc3339(self) -> String {
        let dt = self.to_datetime();
        let base = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            dt.year(),
            dt.month() as u8,
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        );
        match dt.microsecond() {
            0 => format!("{base}Z"),
            us => format!("{base}.{us:06}Z"),
        }
    }

    fn to_datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 1000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// The calendar year and month (1–12) of this instant, UTC.
    pub fn year_month(self) -> (i32, u8) {
        let dt = self.to_datetime();
        (dt.year(), dt.month() as u8)
    }

    /// This instant plus some seconds.
    pub fn plus_secs(self, secs: i64) -> Self {
        Timestamp(self.0.saturating_add(secs.saturating_mul(1_000_000)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips_at_microsecond_precision() {
        let t = Timestamp::parse_rfc3339("2025-01-28T12:40:29.030109+03:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-28T09:40:29.030109Z");
        assert_eq!(Timestamp::parse_rfc3339("2024-12-31T23:59:59Z").unwrap().to_rfc3339(), "2024-12-31T23:59:59Z");
        assert!(Timestamp::parse_rfc3339("tomorrow").is_none());
        assert_eq!(Timestamp::parse_date("1970-01-02").unwrap().micros(), 86_400_000_000);
    }
}
