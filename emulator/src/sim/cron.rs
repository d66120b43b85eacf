//! The five-field cron of ACR timer triggers (minute hour day-of-month month day-of-week, in
//! UTC; Learn's "Run an ACR task on a defined schedule"): numbers, `*`, ranges, lists, steps,
//! and day and month names. The next time a schedule fires after a given instant.

use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    minutes: u64,
    hours: u32,
    days: u32,
    months: u16,
    weekdays: u8,
    /// Whether day-of-month or day-of-week was restricted: when both are, either may match.
    days_any: bool,
    weekdays_any: bool,
}

const DAY_NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTH_NAMES: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn value(word: &str, names: &[&str], first: u32) -> Option<u32> {
    let lower = word.to_ascii_lowercase();
    names.iter().position(|n| *n == lower).map(|i| i as u32 + first).or_else(|| word.parse().ok())
}

/// The set of values a field allows, as bits from `min`.
fn field(text: &str, min: u32, max: u32, names: &[&str]) -> Option<u64> {
    let mut bits = 0u64;
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (r, s.parse::<u32>().ok().filter(|s| *s > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, names, min)?, value(b, names, min)?)
        } else {
            let v = value(range, names, min)?;
            (v, if part.contains('/') { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return None;
        }
        for v in (lo..=hi).step_by(step as usize) {
            bits |= 1 << (v - min);
        }
    }
    Some(bits)
}

impl Cron {
    pub fn parse(text: &str) -> Option<Cron> {
        let f: Vec<&str> = text.split_whitespace().collect();
        let [minute, hour, day, month, weekday] = f.as_slice() else { return None };
        // 0 and 7 are both Sunday.
        let weekdays = field(weekday, 0, 7, &DAY_NAMES)?;
        Some(Cron {
            minutes: field(minute, 0, 59, &[])?,
            hours: field(hour, 0, 23, &[])? as u32,
            days: (field(day, 1, 31, &[])? as u32) << 1,
            months: (field(month, 1, 12, &MONTH_NAMES)? as u16) << 1,
            weekdays: ((weekdays | (weekdays >> 7)) & 0x7f) as u8,
            days_any: *day == "*",
            weekdays_any: *weekday == "*",
        })
    }

    fn day_matches(&self, date: Date) -> bool {
        if self.months & (1 << u8::from(date.month())) == 0 {
            return false;
        }
        let dom = self.days & (1 << date.day()) != 0;
        let dow = self.weekdays & (1 << date.weekday().number_days_from_sunday()) != 0;
        match (self.days_any, self.weekdays_any) {
            (false, false) => dom || dow,
            _ => dom && dow,
        }
    }

    /// The first minute strictly after `after_ms` at which it fires, looking a year ahead.
    pub fn next_after(&self, after_ms: u64) -> Option<u64> {
        let start = OffsetDateTime::from_unix_timestamp((after_ms / 60_000 * 60) as i64).ok()?;
        let mut date = start.date();
        for day in 0..=366 {
            if self.day_matches(date) {
                for hour in 0..24u8 {
                    if self.hours & (1 << hour) == 0 || (day == 0 && hour < start.hour()) {
                        continue;
                    }
                    for minute in 0..60u8 {
                        if self.minutes & (1 << minute) == 0 {
                            continue;
                        }
                        let at = date.with_hms(hour, minute, 0).ok()?.assume_utc().unix_timestamp() as u64 * 1000;
                        if at > after_ms {
                            return Some(at);
                        }
                    }
                }
            }
            date = date.next_day()?;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> u64 {
        let t = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap();
        t.unix_timestamp() as u64 * 1000
    }

    #[test]
    fn weekday_mornings_skip_the_weekend() {
        let c = Cron::parse("0 7 * * 1-5").unwrap();
        // Friday 2026-12-04 08:00 → Monday 07:00.
        assert_eq!(c.next_after(at("2026-12-04T08:00:00Z")), Some(at("2026-12-07T07:00:00Z")));
        // Exactly on an occurrence: the next one, not the same.
        assert_eq!(c.next_after(at("2026-12-07T07:00:00Z")), Some(at("2026-12-08T07:00:00Z")));
        assert_eq!(c.next_after(at("2026-12-07T06:59:59Z")), Some(at("2026-12-07T07:00:00Z")));
    }

    #[test]
    fn names_lists_steps_and_sunday_as_seven() {
        let c = Cron::parse("30 */6 * * SAT,7").unwrap();
        assert_eq!(c.next_after(at("2026-12-04T23:00:00Z")), Some(at("2026-12-05T00:30:00Z")));
        assert_eq!(c.next_after(at("2026-12-05T18:30:00Z")), Some(at("2026-12-06T00:30:00Z")));
        assert_eq!(Cron::parse("0 20 * dec mon-fri").unwrap().next_after(at("2026-11-30T00:00:00Z")), Some(at("2026-12-01T20:00:00Z")));
    }

    #[test]
    fn day_of_month_or_day_of_week_when_both_are_given() {
        let c = Cron::parse("0 0 1 * mon").unwrap();
        // Tuesday the 1st matches by day, Monday the 7th by weekday.
        assert_eq!(c.next_after(at("2026-11-30T12:00:00Z")), Some(at("2026-12-01T00:00:00Z")));
        assert_eq!(c.next_after(at("2026-12-01T00:00:00Z")), Some(at("2026-12-07T00:00:00Z")));
    }

    #[test]
    fn nonsense_is_refused() {
        for bad in ["", "0 7 * *", "60 7 * * *", "0 24 * * *", "0 7 * * 8", "0 7 * * x", "*/0 * * * *", "5-1 * * * *"] {
            assert!(Cron::parse(bad).is_none(), "{bad}");
        }
    }
}
