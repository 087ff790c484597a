//! Dates in front matter: `2026-11-22`, RFC 3339, and the `2025-01-29 18:15:32 +0530` form of
//! Jekyll and WordPress exports. A date without an offset is a calendar date, never shifted by the
//! machine's time zone, so builds are identical everywhere.

use jiff::civil::DateTime;
use jiff::fmt::strtime;
use jiff::tz::Offset;
use jiff::Timestamp;

/// A page's date as the author wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageDate {
    /// The wall-clock date and time (midnight for a date-only value).
    pub datetime: DateTime,
    /// The offset, when the author gave one.
    pub offset: Option<Offset>,
    /// True when only a date was given.
    pub date_only: bool,
}

const FORMATS: &[(&str, bool)] = &[
    ("%Y-%m-%dT%H:%M:%S%.f%:z", true),
    ("%Y-%m-%dT%H:%M:%S%:z", true),
    ("%Y-%m-%dT%H:%M%:z", true),
    ("%Y-%m-%d %H:%M:%S %z", true),
    ("%Y-%m-%d %H:%M:%S%:z", true),
    ("%Y-%m-%d %H:%M:%S %:z", true),
    ("%Y-%m-%d %H:%M %z", true),
    ("%Y-%m-%dT%H:%M:%S%.f", false),
    ("%Y-%m-%dT%H:%M:%S", false),
    ("%Y-%m-%d %H:%M:%S", false),
    ("%Y-%m-%dT%H:%M", false),
    ("%Y-%m-%d %H:%M", false),
];

impl PageDate {
    /// Parses the forms above; anything else is an error that says which forms are accepted.
    /// Every date it accepts is an instant kiosk can order, compare and print (years 0001 to
    /// 9999, up to 9999-12-30): nothing is ever taken as 1970.
    pub fn parse(input: &str) -> Result<PageDate, String> {
        let d = Self::parse_form(input)?;
        let off = d.offset.unwrap_or(Offset::UTC);
        if off.seconds().unsigned_abs() > 23 * 3600 + 59 * 60 {
            return Err(format!(
                "`{}` has an offset beyond ±23:59, which feeds and browsers cannot read",
                input.trim()
            ));
        }
        if d.datetime.year() < 1 || off.to_timestamp(d.datetime).is_err() {
            return Err(format!(
                "`{}` is outside the dates kiosk handles (0001-01-01 to 9999-12-30)",
                input.trim()
            ));
        }
        Ok(d)
    }

    fn parse_form(input: &str) -> Result<PageDate, String> {
        let s = input.trim();
        let hint = "use 2026-11-22, 2026-11-22T10:30:00+01:00 or 2026-11-22 10:30:00 +0100";
        if s.len() == 10 {
            return strtime::parse("%Y-%m-%d", s)
                .and_then(|t| t.to_date())
                .map(|d| PageDate {
                    datetime: d.to_datetime(jiff::civil::Time::midnight()),
                    offset: None,
                    date_only: true,
                })
                .map_err(|_| format!("`{s}` is not a valid date ({hint})"));
        }
        let s = match s.strip_suffix('Z').or_else(|| s.strip_suffix('z')) {
            Some(rest) => format!("{rest}+00:00"),
            None => s.to_string(),
        };
        for (fmt, with_offset) in FORMATS {
            if let Ok(tm) = strtime::parse(fmt, &s) {
                let Ok(datetime) = tm.to_datetime() else {
                    continue;
                };
                let offset = if *with_offset { tm.offset() } else { None };
                if *with_offset && offset.is_none() {
                    continue;
                }
                return Ok(PageDate {
                    datetime,
                    offset,
                    date_only: false,
                });
            }
        }
        Err(format!("`{}` is not a valid date ({hint})", input.trim()))
    }

    /// The instant, taking a missing offset as UTC. [`PageDate::parse`] accepts only dates
    /// that have one; the saturation is never reached for a parsed date.
    pub fn timestamp(&self) -> Timestamp {
        let off = self.offset.unwrap_or(Offset::UTC);
        off.to_timestamp(self.datetime)
            .unwrap_or(if self.datetime.year() > 0 {
                Timestamp::MAX
            } else {
                Timestamp::MIN
            })
    }

    /// ISO 8601 as written: `2026-11-22` or `2026-11-22T10:30:00+01:00`.
    pub fn iso(&self) -> String {
        if self.date_only {
            self.datetime.date().to_string()
        } else {
            self.rfc3339()
        }
    }

    /// Full RFC 3339 with an offset (UTC when none was given), for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        let off = self.offset.unwrap_or(Offset::UTC);
        let dt = self.datetime.strftime("%Y-%m-%dT%H:%M:%S");
        if off == Offset::UTC {
            format!("{dt}Z")
        } else {
            let secs = off.seconds();
            let sign = if secs < 0 { '-' } else { '+' };
            let a = secs.unsigned_abs();
            format!("{dt}{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
        }
    }

    /// RFC 2822 for RSS: `Sun, 22 Nov 2026 10:30:00 +0100`.
    pub fn rfc2822(&self) -> String {
        let off = self.offset.unwrap_or(Offset::UTC);
        let secs = off.seconds();
        let sign = if secs < 0 { '-' } else { '+' };
        let a = secs.unsigned_abs();
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let d = self.datetime;
        let wd = d.date().weekday().to_monday_zero_offset() as usize;
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} {sign}{:02}{:02}",
            DAYS[wd % 7],
            d.day(),
            MONTHS[(d.month() as usize).saturating_sub(1) % 12],
            d.year(),
            d.hour(),
            d.minute(),
            d.second(),
            a / 3600,
            (a % 3600) / 60
        )
    }
}

/// The build's one clock: "now" is read once, at the start, from `--now`, `SOURCE_DATE_EPOCH` or
/// the system, and passed down; library code never reads the time itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The build time: what "future" and "sale ended" are measured against.
    pub now: Timestamp,
    /// True when the time was given (`--now`, `SOURCE_DATE_EPOCH`), so it may appear in output.
    pub pinned: bool,
}

impl Clock {
    /// A clock at a given time (`--now`, `SOURCE_DATE_EPOCH`, tests).
    pub fn pinned(now: Timestamp) -> Clock {
        Clock { now, pinned: true }
    }

    /// A clock at the system's time, which never appears in output.
    pub fn system(now: Timestamp) -> Clock {
        Clock { now, pinned: false }
    }

    /// The time a feed without entries says it was updated: the given time, else the Unix epoch,
    /// never the machine's clock (so builds stay reproducible).
    pub fn feed_fallback(&self) -> Timestamp {
        if self.pinned {
            self.now
        } else {
            Timestamp::UNIX_EPOCH
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let d = PageDate::parse("2026-11-22").unwrap();
        assert!(d.date_only);
        assert_eq!(d.iso(), "2026-11-22");
        assert_eq!(d.rfc3339(), "2026-11-22T00:00:00Z");
        let r = PageDate::parse("2026-11-22T10:30:00+01:00").unwrap();
        assert_eq!(r.iso(), "2026-11-22T10:30:00+01:00");
        let w = PageDate::parse("2025-01-29 18:15:32 +0530").unwrap();
        assert_eq!(w.rfc3339(), "2025-01-29T18:15:32+05:30");
        assert_eq!(w.rfc2822(), "Wed, 29 Jan 2025 18:15:32 +0530");
        let z = PageDate::parse("2026-01-02T03:04:05Z").unwrap();
        assert_eq!(z.rfc3339(), "2026-01-02T03:04:05Z");
        let naive = PageDate::parse("2026-01-02 03:04").unwrap();
        assert_eq!(naive.rfc3339(), "2026-01-02T03:04:00Z");
    }

    #[test]
    fn rejected_forms() {
        for s in ["2024-02-30", "10-12-2024", "tomorrow", "2026-13-01", ""] {
            assert!(PageDate::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn the_whole_range_or_a_located_error() {
        for s in [
            "9999-12-31",
            "9999-12-31T23:59:59+00:00",
            "0000-01-01",
            "9999-12-30T23:00:00Z",
        ] {
            let e = PageDate::parse(s).unwrap_err();
            assert!(e.contains("outside the dates kiosk handles"), "{s}: {e}");
        }
        assert!(PageDate::parse("2026-06-01T10:00:00+25:00").is_err());
        let early = PageDate::parse("0001-01-01T00:00:00Z").unwrap();
        assert_eq!(early.rfc3339(), "0001-01-01T00:00:00Z");
        assert!(early.rfc2822().contains(" 0001 "), "{}", early.rfc2822());
        let max = PageDate::parse("9999-12-30").unwrap();
        let min = PageDate::parse("0001-01-01").unwrap();
        let now = PageDate::parse("2026-11-23").unwrap();
        assert!(min.timestamp() < now.timestamp() && now.timestamp() < max.timestamp());
        assert_eq!(PageDate::parse(&max.iso()).unwrap(), max);
    }

    #[test]
    fn offsets_order_instants() {
        let a = PageDate::parse("2026-11-22T10:00:00+02:00").unwrap();
        let b = PageDate::parse("2026-11-22T09:30:00+00:00").unwrap();
        assert!(a.timestamp() < b.timestamp());
    }
}
