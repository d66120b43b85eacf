//! Calendar arithmetic on milliseconds since the epoch, without a date crate: what the portal
//! writes into ARM filters and the labels of its charts.

/// (year, month, day) of a day counted from 1970-01-01 (Howard Hinnant's civil-from-days).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days from 1970-01-01 of a (year, month, day): the inverse of `civil`.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-30T09:00:00.000Z`: UTC, as ARM writes times.
pub fn format_rfc3339_ms(ms: u64) -> String {
    let rest = ms % 86_400_000;
    let (y, m, d) = civil((ms / 86_400_000) as i64);
    let (h, mi, s, milli) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Milliseconds since the epoch of an RFC 3339 time (`2018-01-25T05:13:51.618Z`, `+01:00`…).
pub fn parse_rfc3339_ms(s: &str) -> Option<u64> {
    let s = s.trim();
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let mut rest = &s[19..];
    let mut millis = 0i64;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(|c| c.is_ascii_digit()).collect();
        rest = &frac[digits.len()..];
        millis = format!("{:0<3}", &digits[..digits.len().min(3)]).parse().ok()?;
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) && rest.as_bytes()[3] == b':' => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (rest[1..3].parse::<i64>().ok()? * 60 + rest[4..6].parse::<i64>().ok()?)
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if mo > 2 { mo - 3 } else { mo + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + se - offset_min * 60;
    u64::try_from(secs * 1000 + millis).ok()
}

const DAY_MS: u64 = 86_400_000;

/// How far back a view reads: the last 24 hours, 7 days or 30 days, kept in the URL as
/// `?window=24h|7d|30d`. A week by default: a Sunday's last 24 hours hold too little to say
/// anything. Each view offers the spans that make sense for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Span {
    Day,
    #[default]
    Week,
    Month,
}

impl Span {
    pub const ALL: [Span; 3] = [Span::Day, Span::Week, Span::Month];

    pub fn ms(self) -> u64 {
        match self {
            Span::Day => DAY_MS,
            Span::Week => 7 * DAY_MS,
            Span::Month => 30 * DAY_MS,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Span::Day => "24h",
            Span::Week => "7d",
            Span::Month => "30d",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Span::Day => "Last 24 hours",
            Span::Week => "Last 7 days",
            Span::Month => "Last 30 days",
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "Mon 23 Nov" for a midnight given as ms since the epoch (read as wall-clock time).
pub fn day_label(midnight_ms: u64) -> String {
    let days = (midnight_ms / 86_400_000) as i64;
    let (_, m, d) = civil(days);
    // 1970-01-01 was a Thursday.
    format!("{} {d} {}", WEEKDAYS[(days + 3).rem_euclid(7) as usize], MONTHS[m as usize - 1])
}

/// How the portal writes a time's zone: `UTC`, `UTC+1`, `UTC-5:30` (`offset_min`: minutes to add
/// to UTC for the wall-clock time).
pub fn zone_name(offset_min: i32) -> String {
    if offset_min == 0 {
        return "UTC".into();
    }
    let sign = if offset_min < 0 { '-' } else { '+' };
    let (h, m) = (offset_min.unsigned_abs() / 60, offset_min.unsigned_abs() % 60);
    if m == 0 { format!("UTC{sign}{h}") } else { format!("UTC{sign}{h}:{m:02}") }
}

fn wall(ms: u64, offset_min: i32) -> (i64, u32, u32, u64, u64, u64) {
    let local = ms as i64 + i64::from(offset_min) * 60_000;
    let days = local.div_euclid(86_400_000);
    let rest = local.rem_euclid(86_400_000) as u64;
    let (y, m, d) = civil(days);
    (y, m, d, rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60)
}

/// The one way a time is written out: "3 Dec 2026, 15:39:23 UTC". The month is a word and the
/// zone is named, so no reader takes 03/12 for the 12th of March or a local time for UTC.
pub fn absolute(ms: u64, offset_min: i32) -> String {
    let (y, m, d, h, mi, s) = wall(ms, offset_min);
    format!("{d} {} {y}, {h:02}:{mi:02}:{s:02} {}", MONTHS[m as usize - 1], zone_name(offset_min))
}

/// A time of day with its zone, for "as of" lines where the day is today: "15:39:23 UTC".
pub fn clock(ms: u64, offset_min: i32) -> String {
    let (_, _, _, h, mi, s) = wall(ms, offset_min);
    format!("{h:02}:{mi:02}:{s:02} {}", zone_name(offset_min))
}

/// How long ago, in words: "just now", "5 min ago", "3 h ago", "2 days ago"; a time ahead of
/// `now` (clocks differ) is "just now".
pub fn ago(now_ms: u64, at_ms: u64) -> String {
    const HOUR: u64 = 3_600_000;
    const DAY: u64 = 24 * HOUR;
    let d = now_ms.saturating_sub(at_ms);
    match d {
        0..60_000 => "just now".into(),
        60_000..HOUR => format!("{} min ago", d / 60_000),
        HOUR..DAY => format!("{} h ago", d / HOUR),
        _ if d < 2 * DAY => "1 day ago".into(),
        _ => format!("{} days ago", d / DAY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_one_way_with_their_zone() {
        // 2026-12-03T15:39:23Z
        let ms = parse_rfc3339_ms("2026-12-03T15:39:23.898Z").unwrap();
        assert_eq!(absolute(ms, 0), "3 Dec 2026, 15:39:23 UTC");
        assert_eq!(absolute(ms, 60), "3 Dec 2026, 16:39:23 UTC+1");
        assert_eq!(absolute(ms, -330), "3 Dec 2026, 10:09:23 UTC-5:30");
        // Across midnight and a year.
        let eve = parse_rfc3339_ms("2026-12-31T23:30:00Z").unwrap();
        assert_eq!(absolute(eve, 120), "1 Jan 2027, 01:30:00 UTC+2");
        assert_eq!(absolute(eve, -600), "31 Dec 2026, 13:30:00 UTC-10");
        assert_eq!(clock(ms, 0), "15:39:23 UTC");
        assert_eq!(zone_name(345), "UTC+5:45");
    }

    #[test]
    fn ago_is_relative_and_never_negative() {
        assert_eq!(ago(100_000, 90_000), "just now");
        assert_eq!(ago(10 * 60_000, 0), "10 min ago");
        assert_eq!(ago(5 * 3_600_000, 0), "5 h ago");
        assert_eq!(ago(30 * 3_600_000, 0), "1 day ago");
        assert_eq!(ago(0, 60_000), "just now", "a time ahead of the clock");
    }

    #[test]
    fn days_are_named_as_calendars_name_them() {
        assert_eq!(day_label(0), "Thu 1 Jan");
        assert_eq!(day_label(1_795_392_000_000), "Mon 23 Nov");
        assert_eq!(day_label(951_782_400_000), "Tue 29 Feb");
        assert_eq!(format_rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
