//! A store's time zone (an IANA name such as `Asia/Riyadh`) and the calendar days it divides time
//! into. Instants stay UTC everywhere (`Timestamp`); a zone only says which day an instant falls
//! on for the store and where a day starts, which is all reports and the dates people read need.
//! Day boundaries come from the zone's rules (daylight saving included), never from a fixed
//! offset.

use super::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::fmt;

/// The zone a store starts with.
pub const DEFAULT_ZONE: &str = "Asia/Riyadh";

/// A calendar day (`2026-12-07`), without a zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(Date);

impl Day {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Day> {
        let s = s.trim();
        // jiff also reads forms like `+002026-12-07`; a person's date is exactly ten characters.
        (s.len() == 10).then(|| s.parse::<Date>().ok().map(Day)).flatten()
    }

    /// The day after this one (`None` past the calendar's end).
    pub fn next(self) -> Option<Day> {
        self.0.tomorrow().ok().map(Day)
    }

    /// The first day of this day's month.
    pub fn first_of_month(self) -> Day {
        Day(self.0.first_of_month())
    }

    /// The day before this one (`None` before the calendar's start).
    pub fn previous(self) -> Option<Day> {
        self.0.yesterday().ok().map(Day)
    }

    /// How many days from `self` to `later` (0 for the same day; negative when `later` is before).
    pub fn days_until(self, later: Day) -> i64 {
        later.0.since(self.0).map_or(0, |span| i64::from(span.get_days()))
    }

    /// Year, month (1–12) and day of month.
    pub fn parts(self) -> (i16, i8, i8) {
        (self.0.year(), self.0.month(), self.0.day())
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

/// A store's time zone.
#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    /// The zone with this IANA name (`None` for a name the time zone database does not know, or
    /// one that is not a place: fixed offsets and `UTC` are accepted as the database names them).
    pub fn parse(name: &str) -> Option<Zone> {
        let ok = !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_graphic());
        let tz = ok.then(|| TimeZone::get(name).ok()).flatten()?;
        Some(Zone { name: name.to_owned(), tz })
    }

    /// `Asia/Riyadh`, where stores start. Falls back to UTC only if no time zone database at all
    /// is available, which the bundled copy rules out.
    pub fn default_zone() -> Zone {
        Zone::parse(DEFAULT_ZONE).unwrap_or_else(|| Zone { name: "UTC".to_owned(), tz: TimeZone::UTC })
    }

    /// The IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The day `at` falls on in this zone.
    pub fn day_of(&self, at: Timestamp) -> Day {
        let instant = jiff::Timestamp::from_microsecond(at.micros()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        Day(instant.to_zoned(self.tz.clone()).date())
    }

    /// The local wall-clock time of `at`: (day, hour, minute).
    pub fn local(&self, at: Timestamp) -> (Day, i8, i8) {
        let instant = jiff::Timestamp::from_microsecond(at.micros()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let z = instant.to_zoned(self.tz.clone());
        (Day(z.date()), z.hour(), z.minute())
    }

    /// The first instant of `day` in this zone (where a transition skips midnight, the first
    /// instant that exists on that day).
    pub fn start_of(&self, day: Day) -> Timestamp {
        let start = day.0.to_zoned(self.tz.clone()).map(|z| z.timestamp().as_microsecond());
        Timestamp::from_micros(start.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn riyadh_days_start_at_21_00_utc_the_evening_before() {
        let z = Zone::default_zone();
        assert_eq!(z.name(), "Asia/Riyadh");
        let start = z.start_of(day("2026-12-07"));
        assert_eq!(start, Timestamp::parse_rfc3339("2026-12-06T21:00:00Z").unwrap());
        assert_eq!(z.day_of(start), day("2026-12-07"));
        assert_eq!(z.day_of(Timestamp::from_micros(start.micros() - 1)), day("2026-12-06"));
    }

    #[test]
    fn a_daylight_saving_day_is_23_hours_long_where_the_clocks_go_forward() {
        let z = Zone::parse("Europe/Berlin").unwrap();
        let (a, b) = (z.start_of(day("2026-03-29")), z.start_of(day("2026-03-30")));
        assert_eq!(b.micros() - a.micros(), 23 * 3_600_000_000);
    }

    #[test]
    fn unknown_or_odd_zone_names_are_refused() {
        for name in ["", "Mars/Olympus", "Asia/Riyadh\0", "../../etc/passwd", "Asia/ Riyadh"] {
            assert!(Zone::parse(name).is_none(), "{name:?}");
        }
        assert!(Zone::parse("America/New_York").is_some());
    }

    #[test]
    fn days_parse_only_in_the_plain_iso_form_and_count_between_them() {
        assert!(Day::parse("2026-02-30").is_none());
        assert!(Day::parse("+002026-12-07").is_none());
        assert_eq!(day("2026-12-01").days_until(day("2026-12-31")), 30);
        assert_eq!(day("2026-12-31").next().unwrap().to_string(), "2027-01-01");
    }
}
