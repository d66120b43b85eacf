//! A pool's weekly schedule (issue 21): rules such as "Mon–Fri 07:00 → 4" in a named time zone,
//! as ACR timer tasks carry them on Azure (a task per rule, its cron in UTC), and the facts the
//! schedule panel shows: each rule's UTC cron, the next change, and a daylight-saving change
//! ahead that would move a rule by an hour (ACR's cron has no time zone).
//!
//! Time zones come in as a `Zone`: the browser answers with `Intl`; tests use fixed rules. No
//! time-zone database in the wasm.

use crate::domain::time::civil;

pub const MIN_MS: u64 = 60_000;
pub const HOUR_MS: u64 = 60 * MIN_MS;
pub const DAY_MS: u64 = 24 * HOUR_MS;
pub const WEEK_MS: u64 = 7 * DAY_MS;

/// A zone's offset from UTC (minutes, local = UTC + offset) at an instant.
pub trait Zone {
    fn offset_min(&self, utc_ms: u64) -> i32;
}

/// A zone without daylight saving (UTC itself, or a test's).
pub struct Fixed(pub i32);

impl Zone for Fixed {
    fn offset_min(&self, _: u64) -> i32 {
        self.0
    }
}

/// Days of the week as bits, Monday first (bit 0) to Sunday (bit 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Days(pub u8);

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_LABELS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl Days {
    pub const WEEKDAYS: Days = Days(0b001_1111);
    pub const WEEKEND: Days = Days(0b110_0000);
    pub const EVERY: Days = Days(0b111_1111);

    pub fn has(self, monday_first: usize) -> bool {
        self.0 & (1 << monday_first) != 0
    }

    /// Every day moved by `by` days (−1: Monday becomes Sunday), round the week.
    pub fn shifted(self, by: i32) -> Days {
        let mut out = 0u8;
        for d in 0..7 {
            if self.has(d) {
                out |= 1 << ((d as i32 + by).rem_euclid(7));
            }
        }
        Days(out)
    }

    /// Runs of consecutive days, as (first, last) indexes.
    fn runs(self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        for d in (0..7).filter(|&d| self.has(d)) {
            match out.last_mut() {
                Some((_, last)) if *last + 1 == d => *last = d,
                _ => out.push((d, d)),
            }
        }
        out
    }

    fn join(self, names: &[&str; 7], range: &str) -> String {
        let parts: Vec<String> = self
            .runs()
            .into_iter()
            .map(|(a, b)| match b - a {
                0 => names[a].to_string(),
                1 => format!("{},{}", names[a], names[b]),
                _ => format!("{}{range}{}", names[a], names[b]),
            })
            .collect();
        parts.join(",")
    }

    /// `mon-fri`, `sat,sun`, `mon,wed,fri`, `daily`: the form kept in a task's tag.
    pub fn text(self) -> String {
        if self == Days::EVERY {
            return "daily".into();
        }
        self.join(&DAY_NAMES, "-")
    }

    /// `Mon–Fri`, `Sat, Sun`, `Every day`: the form people read.
    pub fn label(self) -> String {
        match self {
            Days::EVERY => "Every day".into(),
            _ => self.join(&DAY_LABELS, "–").replace(',', ", "),
        }
    }

    /// A word for task names: `weekdays`, `weekends`, `daily`, or the days (`mon-wed-fri`).
    pub fn slug(self) -> String {
        match self {
            Days::WEEKDAYS => "weekdays".into(),
            Days::WEEKEND => "weekends".into(),
            Days::EVERY => "daily".into(),
            _ => self.text().replace(',', "-"),
        }
    }

    pub fn parse(text: &str) -> Result<Days, String> {
        let text = text.trim().to_ascii_lowercase();
        if text == "daily" || text == "every day" {
            return Ok(Days::EVERY);
        }
        let day = |name: &str| DAY_NAMES.iter().position(|d| *d == name.trim()).ok_or_else(|| format!("'{}' is not a day (mon … sun)", name.trim()));
        let mut bits = 0u8;
        for part in text.split(',').filter(|p| !p.trim().is_empty()) {
            match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    let mut d = a;
                    loop {
                        bits |= 1 << d;
                        if d == b {
                            break;
                        }
                        d = (d + 1) % 7;
                    }
                }
                None => bits |= 1 << day(part)?,
            }
        }
        if bits == 0 {
            return Err("a rule needs at least one day".into());
        }
        Ok(Days(bits))
    }

    /// Cron's day-of-week field (0 = Sunday): `1-5`, `0,6`.
    fn cron(self) -> String {
        // Cron counts from Sunday: Monday-first bit d is cron day (d + 1) % 7.
        let mut sunday_first = 0u8;
        for d in (0..7).filter(|&d| self.has(d)) {
            sunday_first |= 1 << ((d + 1) % 7);
        }
        let names = ["0", "1", "2", "3", "4", "5", "6"];
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for d in (0..7).filter(|&d| sunday_first & (1 << d) != 0) {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == d => *last = d,
                _ => runs.push((d, d)),
            }
        }
        if sunday_first == 0x7f {
            return "*".into();
        }
        runs.iter().map(|&(a, b)| if a == b { names[a].to_string() } else { format!("{}-{}", names[a], names[b]) }).collect::<Vec<_>>().join(",")
    }
}

/// One rule: on these days at this local time, set the pool to `count` instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    pub days: Days,
    /// Minutes after local midnight.
    pub at_min: u16,
    pub count: u32,
}

impl Rule {
    /// `mon-fri 07:00 4`: what the portal keeps in the rule's task tag.
    pub fn text(&self) -> String {
        format!("{} {:02}:{:02} {}", self.days.text(), self.at_min / 60, self.at_min % 60, self.count)
    }

    pub fn parse(text: &str) -> Result<Rule, String> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let [days, time, count] = words.as_slice() else { return Err(format!("'{text}' is not a rule: days, time and count (mon-fri 07:00 4)")) };
        Ok(Rule { days: Days::parse(days)?, at_min: parse_time(time)?, count: count.parse().map_err(|_| format!("'{count}' is not a number of instances"))? })
    }

    pub fn time(&self) -> String {
        format!("{:02}:{:02}", self.at_min / 60, self.at_min % 60)
    }

    /// In UTC at an offset: the same instants as ACR's cron sees them (the days move when the
    /// offset carries the time over midnight).
    pub fn to_utc(&self, offset_min: i32) -> Rule {
        let utc = i32::from(self.at_min) - offset_min;
        Rule { days: self.days.shifted(utc.div_euclid(1440)), at_min: utc.rem_euclid(1440) as u16, count: self.count }
    }

    /// The UTC cron of an ACR timer trigger for this rule at `offset_min` (`0 6 * * 1-5`).
    pub fn cron(&self, offset_min: i32) -> String {
        let u = self.to_utc(offset_min);
        format!("{} {} * * {}", u.at_min % 60, u.at_min / 60, u.days.cron())
    }

    /// A task name that says what it does: `poolportal-build-s2-weekdays-0700-to-4` (5–50
    /// characters, as task names must be). A long pool name is cut, never the rule: the prefix
    /// becomes `pp-` and the pool keeps as many characters as fit plus four of its hash, so two
    /// long pools that share a beginning never write each other's tasks.
    ///
    /// The count is part of the name (the issue asks for names that say what they do), so a new
    /// count is a new task with a new identity; `plan` deletes the old one and its role.
    pub fn task_name(&self, pool: &str) -> String {
        let rule = format!("{}-{:02}{:02}-to-{}", self.days.slug(), self.at_min / 60, self.at_min % 60, self.count);
        let name = format!("poolportal-{pool}-{rule}");
        if name.len() <= 50 {
            return name;
        }
        let hash = pool.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        let room = 50usize.saturating_sub("pp-".len() + 4 + 1 + rule.len());
        let cut: String = pool.chars().take(room).collect();
        format!("pp-{cut}{:04x}-{rule}", hash & 0xffff)
    }
}

/// Rules that cannot stand together: the same day and time twice.
pub fn conflicts(rules: &[Rule]) -> Option<String> {
    for (i, a) in rules.iter().enumerate() {
        for b in &rules[i + 1..] {
            if a.at_min == b.at_min && a.days.0 & b.days.0 != 0 {
                return Some(format!("Two rules change the pool at {} on {}: keep one.", a.time(), Days(a.days.0 & b.days.0).label()));
            }
        }
    }
    None
}

/// A schedule task as it is on Azure, for `plan`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existing {
    pub name: String,
    pub cron: Option<String>,
    pub zone: Option<String>,
}

/// What saving a schedule does: tasks to write (new, or changed), tasks to delete; the others
/// stay as they are ("rewrites only the tasks that change").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub write: Vec<Rule>,
    pub delete: Vec<String>,
    pub unchanged: Vec<String>,
}

pub fn plan(existing: &[Existing], wanted: &[Rule], zone: &str, offset_min: i32, pool: &str) -> Plan {
    let mut out = Plan::default();
    let mut names = Vec::new();
    for r in wanted {
        let name = r.task_name(pool);
        if names.contains(&name) {
            continue;
        }
        names.push(name.clone());
        let same = existing.iter().any(|e| e.name.eq_ignore_ascii_case(&name) && e.cron.as_deref() == Some(r.cron(offset_min).as_str()) && e.zone.as_deref() == Some(zone));
        if same {
            out.unchanged.push(name);
        } else {
            out.write.push(*r);
        }
    }
    out.delete = existing.iter().filter(|e| !names.iter().any(|n| n.eq_ignore_ascii_case(&e.name))).map(|e| e.name.clone()).collect();
    out
}

/// `07:00`, `7:00`, `19:30`.
pub fn parse_time(text: &str) -> Result<u16, String> {
    let bad = || format!("'{text}' is not a time (HH:MM)");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 || m > 59 || text.trim().len() > 5 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// A UTC cron of the form the portal writes (`M H * * days`), read back from a task.
pub fn parse_cron(cron: &str) -> Option<Rule> {
    let f: Vec<&str> = cron.split_whitespace().collect();
    let [m, h, "*", "*", dow] = f.as_slice() else { return None };
    let (m, h): (u16, u16) = (m.parse().ok()?, h.parse().ok()?);
    if m > 59 || h > 23 {
        return None;
    }
    let mut days = 0u8;
    for part in dow.split(',') {
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.parse::<usize>().ok()?, b.parse::<usize>().ok()?),
            None if part == "*" => (0, 6),
            None => {
                let d = part.parse::<usize>().ok()?;
                (d, d)
            }
        };
        if a > b || b > 7 {
            return None;
        }
        for d in a..=b {
            // Cron's Sunday (0 or 7) is Monday-first 6.
            days |= 1 << ((d + 6) % 7);
        }
    }
    Some(Rule { days: Days(days), at_min: h * 60 + m, count: 0 })
}

/// Monday-first weekday of a day counted from the epoch (a Thursday).
pub fn weekday(day: i64) -> usize {
    (day + 3).rem_euclid(7) as usize
}

/// When a UTC rule next fires after `now_ms`.
pub fn next_fire(utc: &Rule, now_ms: u64) -> Option<u64> {
    let today = (now_ms / DAY_MS) as i64;
    (0..=7)
        .map(|d| today + d)
        .filter(|&day| utc.days.has(weekday(day)))
        .map(|day| day as u64 * DAY_MS + u64::from(utc.at_min) * MIN_MS)
        .find(|&at| at > now_ms)
}

/// The next change of a schedule as Azure runs it (each rule's UTC cron): when, and to what.
pub fn next_change(utc_rules: &[Rule], now_ms: u64) -> Option<(u64, u32)> {
    utc_rules.iter().filter_map(|r| next_fire(r, now_ms).map(|at| (at, r.count))).min_by_key(|(at, _)| *at)
}

/// The first change of the zone's offset in `(from_ms, from_ms + horizon_ms]`: when, and the new
/// offset. Looks a day at a time, then narrows to the minute.
pub fn offset_change(zone: &dyn Zone, from_ms: u64, horizon_ms: u64) -> Option<(u64, i32)> {
    let now = zone.offset_min(from_ms);
    let mut lo = from_ms;
    let mut hi = None;
    let mut t = from_ms;
    while t < from_ms + horizon_ms {
        let next = (t + DAY_MS).min(from_ms + horizon_ms);
        if zone.offset_min(next) != now {
            hi = Some(next);
            break;
        }
        lo = next;
        t = next;
    }
    let mut hi = hi?;
    while hi - lo > MIN_MS {
        let mid = lo + (hi - lo) / 2 / MIN_MS * MIN_MS;
        let mid = if mid == lo { lo + MIN_MS } else { mid };
        if zone.offset_min(mid) == now {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some((hi, zone.offset_min(hi)))
}

/// A daylight-saving change ahead that moves the schedule: when, and the rules' crons after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DstShift {
    pub at_ms: u64,
    pub from_offset: i32,
    pub to_offset: i32,
}

/// Azure's crons keep UTC: after a change of offset inside the next 90 days every rule fires an
/// hour off local time until the schedule is applied again.
pub fn dst_shift(zone: &dyn Zone, now_ms: u64) -> Option<DstShift> {
    let from_offset = zone.offset_min(now_ms);
    offset_change(zone, now_ms, 90 * DAY_MS).map(|(at_ms, to_offset)| DstShift { at_ms, from_offset, to_offset })
}

/// When each rule fires between `from_ms` and `to_ms`, local days and times taken in `zone` at
/// each day (as if the schedule were applied again after every change of offset): a step
/// function (when, count), oldest first, starting with the count in force at `from_ms`.
pub fn steps(rules: &[Rule], zone: &dyn Zone, from_ms: u64, to_ms: u64) -> Vec<(u64, u32)> {
    let mut all: Vec<(u64, u32)> = Vec::new();
    let first = (from_ms / DAY_MS) as i64 - 8;
    let last = (to_ms / DAY_MS) as i64 + 1;
    for day in first..=last {
        for r in rules {
            // Local midnight of `day` as a UTC instant, with the offset of that moment.
            let guess = (day as u64 * DAY_MS + u64::from(r.at_min) * MIN_MS) as i64;
            let offset = i64::from(zone.offset_min((guess.max(0)) as u64));
            let at = guess - offset * MIN_MS as i64;
            let local_day = (at + offset * MIN_MS as i64).div_euclid(DAY_MS as i64);
            if at >= 0 && r.days.has(weekday(local_day)) {
                all.push((at as u64, r.count));
            }
        }
    }
    all.sort_by_key(|(at, _)| *at);
    let before = all.iter().rev().find(|(at, _)| *at <= from_ms).map(|&(_, c)| c);
    let mut out: Vec<(u64, u32)> = before.map(|c| vec![(from_ms, c)]).unwrap_or_default();
    out.extend(all.into_iter().filter(|(at, _)| *at > from_ms && *at <= to_ms));
    out
}

/// The count in force at `t` of a step function from `steps` (0 before its first step).
pub fn count_at(steps: &[(u64, u32)], t: u64) -> u32 {
    let i = steps.partition_point(|(at, _)| *at <= t);
    if i == 0 { 0 } else { steps[i - 1].1 }
}

/// Instance-hours of a step function over `[from_ms, to_ms]`.
pub fn instance_hours(steps: &[(u64, u32)], from_ms: u64, to_ms: u64) -> f64 {
    let mut total = 0.0;
    for (i, &(at, count)) in steps.iter().enumerate() {
        let start = at.max(from_ms);
        let end = steps.get(i + 1).map_or(to_ms, |(next, _)| *next).min(to_ms);
        if end > start {
            total += f64::from(count) * (end - start) as f64 / HOUR_MS as f64;
        }
    }
    total
}

/// The fewest rules that give this count for each hour of the week (Monday 00:00 first, local):
/// a rule where the count changes, those at the same time with the same count on several days
/// merged into one. A week without change is one rule, every day at 00:00.
pub fn rules_from_hours(hours: &[u32; 168]) -> Vec<Rule> {
    let mut by_time: Vec<(u16, u32, u8)> = Vec::new();
    for h in 0..168 {
        let previous = hours[(h + 167) % 168];
        if hours[h] == previous {
            continue;
        }
        let (day, at_min) = (h / 24, (h % 24 * 60) as u16);
        match by_time.iter_mut().find(|(t, c, _)| *t == at_min && *c == hours[h]) {
            Some((_, _, days)) => *days |= 1 << day,
            None => by_time.push((at_min, hours[h], 1 << day)),
        }
    }
    if by_time.is_empty() {
        return vec![Rule { days: Days::EVERY, at_min: 0, count: hours[0] }];
    }
    let mut rules: Vec<Rule> = by_time.into_iter().map(|(at_min, count, days)| Rule { days: Days(days), at_min, count }).collect();
    rules.sort_by_key(|r| (r.days.0.trailing_zeros(), r.at_min));
    rules
}

/// The hour of the week (Monday 00:00 local = 0) of an instant.
pub fn hour_of_week(utc_ms: u64, zone: &dyn Zone) -> usize {
    let local = utc_ms as i64 + i64::from(zone.offset_min(utc_ms)) * MIN_MS as i64;
    let day = local.div_euclid(DAY_MS as i64);
    weekday(day) * 24 + (local.rem_euclid(DAY_MS as i64) / HOUR_MS as i64) as usize
}

/// `Tue 3 Mar`: a date for the daylight-saving note.
pub fn date_label(utc_ms: u64, offset_min: i32) -> String {
    let local = utc_ms as i64 + i64::from(offset_min) * MIN_MS as i64;
    let day = local.div_euclid(DAY_MS as i64);
    let (_, m, d) = civil(day);
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    format!("{} {d} {}", DAY_LABELS[weekday(day)], MONTHS[m as usize - 1])
}

/// `Mon 7 Dec 07:00` at `offset_min` from UTC.
pub fn when_label(at_ms: u64, offset_min: i32) -> String {
    let local = (at_ms as i64 + i64::from(offset_min) * MIN_MS as i64).max(0) as u64;
    format!("{} {:02}:{:02}", date_label(at_ms, offset_min), local % DAY_MS / HOUR_MS, local % HOUR_MS / MIN_MS)
}

/// The multi-step task a rule's ACR task runs, through ACR Tasks' `az` image alias: sign in as
/// the task's managed identity, then scale the pool.
pub fn task_yaml(subscription: &str, resource_group: &str, registry: &str, pool: &str, count: u32) -> String {
    format!(
        "version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update --subscription {subscription} -g {resource_group} -r {registry} -n {pool} --count {count}\n"
    )
}

/// The query that hands rules to the schedule panel (`?rules=mon-fri%2007:00%202;…&zone=…`):
/// the advisor's "Apply this schedule".
pub fn proposal_query(rules: &[Rule], zone: &str) -> String {
    use crate::domain::fleet::encode;
    let rules: Vec<String> = rules.iter().map(Rule::text).collect();
    format!("?rules={}&zone={}", encode(&rules.join(";")), encode(zone))
}

/// The rules and zone of such a query, if it has rules.
pub fn proposal_from_query(query: &str) -> Option<(Vec<Rule>, Option<String>)> {
    use crate::domain::fleet::decode;
    let mut rules = None;
    let mut zone = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "rules" => rules = Some(decode(v).split(';').filter_map(|r| Rule::parse(r).ok()).collect::<Vec<_>>()),
            "zone" => zone = Some(decode(v)).filter(|z| !z.is_empty()),
            _ => {}
        }
    }
    rules.filter(|r| !r.is_empty()).map(|r| (r, zone))
}

/// Standard base64 (what `encodedTaskContent` holds).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::domain::time::{days_from_civil, parse_rfc3339_ms};

    fn at(s: &str) -> u64 {
        parse_rfc3339_ms(s).unwrap()
    }

    /// The last Sunday of a month at 01:00 UTC (EU rules), in ms.
    fn last_sunday_1am(year: i64, month: u32) -> u64 {
        let first_next = if month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, month + 1, 1) };
        let mut d = first_next - 1;
        while weekday(d) != 6 {
            d -= 1;
        }
        d as u64 * DAY_MS + HOUR_MS
    }

    /// The n-th Sunday of a month at a UTC hour (US rules).
    fn nth_sunday(year: i64, month: u32, n: i64, hour_utc: u64) -> u64 {
        let mut d = days_from_civil(year, month, 1);
        while weekday(d) != 6 {
            d += 1;
        }
        (d + 7 * (n - 1)) as u64 * DAY_MS + hour_utc * HOUR_MS
    }

    /// Europe/London and Europe/Berlin: EU summer time, last Sunday of March to last Sunday of
    /// October, 01:00 UTC.
    pub struct Eu(pub i32);

    impl Zone for Eu {
        fn offset_min(&self, utc_ms: u64) -> i32 {
            let year = civil((utc_ms / DAY_MS) as i64).0;
            let summer = utc_ms >= last_sunday_1am(year, 3) && utc_ms < last_sunday_1am(year, 10);
            self.0 + if summer { 60 } else { 0 }
        }
    }

    /// America/New_York: second Sunday of March 02:00 local to first Sunday of November 02:00.
    pub struct NewYork;

    impl Zone for NewYork {
        fn offset_min(&self, utc_ms: u64) -> i32 {
            let year = civil((utc_ms / DAY_MS) as i64).0;
            let summer = utc_ms >= nth_sunday(year, 3, 2, 7) && utc_ms < nth_sunday(year, 11, 1, 6);
            if summer { -240 } else { -300 }
        }
    }

    fn rule(text: &str) -> Rule {
        Rule::parse(text).unwrap()
    }

    #[test]
    fn rules_read_and_write_their_tag_form() {
        let r = rule("mon-fri 07:00 4");
        assert_eq!((r.days, r.at_min, r.count), (Days::WEEKDAYS, 420, 4));
        assert_eq!(r.text(), "mon-fri 07:00 4");
        assert_eq!(rule("sat,sun 0:00 0").text(), "sat,sun 00:00 0");
        assert_eq!(rule("fri-mon 20:00 1").days.text(), "mon,fri-sun");
        assert_eq!(rule("daily 12:30 2").days.label(), "Every day");
        assert_eq!(rule("mon,wed,fri 09:00 1").days.label(), "Mon, Wed, Fri");
        assert_eq!(Days::WEEKDAYS.label(), "Mon–Fri");
        for bad in ["mon-fri 25:00 1", "mon-fri 07:00", "noday 07:00 1", "mon 7 1", "mon 07:00 -1", "mon 07:000 1"] {
            assert!(Rule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn crons_are_utc_whatever_the_zone_and_season() {
        let r = rule("mon-fri 07:00 4");
        assert_eq!(r.cron(0), "0 7 * * 1-5");
        assert_eq!(r.cron(60), "0 6 * * 1-5", "London in summer");
        assert_eq!(rule("mon-fri 00:30 2").cron(60), "30 23 * * 0-4", "Berlin's Monday 00:30 is Sunday 23:30 UTC");
        assert_eq!(rule("mon-fri 20:00 0").cron(-300), "0 1 * * 2-6", "New York's Friday 20:00 is Saturday 01:00 UTC");
        assert_eq!(rule("sat,sun 00:00 0").cron(0), "0 0 * * 0,6");
        assert_eq!(rule("daily 13:15 1").cron(-240), "15 17 * * *");
        // And back: the rule a task's cron says, in UTC.
        for (text, offset) in [("mon-fri 07:00 4", 60), ("mon-fri 00:30 2", 60), ("sat,sun 00:00 0", 0), ("mon-fri 20:00 0", -300)] {
            let r = rule(text);
            let back = parse_cron(&r.cron(offset)).unwrap();
            assert_eq!((back.days, back.at_min), (r.to_utc(offset).days, r.to_utc(offset).at_min), "{text}");
        }
        assert_eq!(parse_cron("0 7 * * 7").unwrap().days, Days(1 << 6), "7 is Sunday too");
        assert!(parse_cron("0 7 1 * *").is_none() && parse_cron("*/5 * * * *").is_none());
    }

    #[test]
    fn task_names_say_what_they_do_and_fit() {
        assert_eq!(rule("mon-fri 07:00 4").task_name("build-s2"), "poolportal-build-s2-weekdays-0700-to-4");
        assert_eq!(rule("sat,sun 00:00 0").task_name("build-s2"), "poolportal-build-s2-weekends-0000-to-0");
        assert_eq!(rule("mon,wed 09:30 1").task_name("p1"), "poolportal-p1-mon-wed-0930-to-1");
        let long = rule("mon,wed,fri 23:45 64").task_name("abcdefghijklmnopqrst");
        assert!(long.len() <= 50 && long.starts_with("pp-abcdefghijklmnopqrst") && long.ends_with("-mon-wed-fri-2345-to-64"), "{long}");
        // The rule survives any pool name, and two long pools sharing a beginning differ.
        let a = rule("mon,tue,wed,thu,sat 23:45 128").task_name("a-very-long-pool-name-of-fifty-characters-xxxxxxx1");
        let b = rule("mon,tue,wed,thu,sat 23:45 128").task_name("a-very-long-pool-name-of-fifty-characters-xxxxxxx2");
        assert!(a.len() <= 50 && a.ends_with("-to-128") && a != b, "{a} {b}");
    }

    #[test]
    fn saving_rewrites_only_the_tasks_that_change() {
        let existing = [
            Existing { name: "poolportal-p-weekdays-0700-to-2".into(), cron: Some("0 7 * * 1-5".into()), zone: Some("UTC".into()) },
            Existing { name: "poolportal-p-weekdays-2000-to-0".into(), cron: Some("0 20 * * 1-5".into()), zone: Some("UTC".into()) },
        ];
        let wanted = [rule("mon-fri 07:00 2"), rule("mon-fri 19:00 0")];
        let p = plan(&existing, &wanted, "UTC", 0, "p");
        assert_eq!(p.unchanged, ["poolportal-p-weekdays-0700-to-2"]);
        assert_eq!(p.write, [rule("mon-fri 19:00 0")]);
        assert_eq!(p.delete, ["poolportal-p-weekdays-2000-to-0"]);
        // Another zone moves every cron: everything is written again, nothing deleted.
        let moved = plan(&existing, &[rule("mon-fri 07:00 2"), rule("mon-fri 20:00 0")], "Europe/London", 60, "p");
        assert_eq!((moved.write.len(), moved.delete.len()), (2, 0));
        // Removing the schedule deletes every task.
        assert_eq!(plan(&existing, &[], "UTC", 0, "p").delete.len(), 2);
        assert_eq!(conflicts(&[rule("mon-fri 07:00 2"), rule("fri 07:00 3")]).as_deref(), Some("Two rules change the pool at 07:00 on Fri: keep one."));
        assert_eq!(conflicts(&wanted), None);
    }

    #[test]
    fn the_next_change_is_the_soonest_utc_occurrence() {
        let rules = [rule("mon-fri 07:00 2"), rule("mon-fri 20:00 0")];
        // Friday 2026-12-04 10:00 UTC → 20:00 today; at 21:00 → Monday 07:00.
        assert_eq!(next_change(&rules, at("2026-12-04T10:00:00Z")), Some((at("2026-12-04T20:00:00Z"), 0)));
        assert_eq!(next_change(&rules, at("2026-12-04T21:00:00Z")), Some((at("2026-12-07T07:00:00Z"), 2)));
        assert_eq!(when_label(at("2026-12-04T20:00:00Z"), 0), "Fri 4 Dec 20:00");
        assert_eq!(when_label(at("2026-12-04T23:30:00Z"), 60), "Sat 5 Dec 00:30", "the zone carries it past midnight");
        assert_eq!(next_change(&rules, at("2026-12-07T07:00:00Z")), Some((at("2026-12-07T20:00:00Z"), 0)), "strictly after now");
    }

    #[test]
    fn a_daylight_saving_change_within_ninety_days_is_found_to_the_minute() {
        let shift = dst_shift(&Eu(0), at("2026-03-01T12:00:00Z")).unwrap();
        assert_eq!(shift, DstShift { at_ms: at("2026-03-29T01:00:00Z"), from_offset: 0, to_offset: 60 });
        assert_eq!(date_label(shift.at_ms, 60), "Sun 29 Mar");
        let fall = dst_shift(&NewYork, at("2026-10-15T00:00:00Z")).unwrap();
        assert_eq!((fall.at_ms, fall.from_offset, fall.to_offset), (at("2026-11-01T06:00:00Z"), -240, -300));
        assert_eq!(dst_shift(&Eu(60), at("2026-04-15T00:00:00Z")), None, "none in the summer's 90 days");
        assert_eq!(dst_shift(&Fixed(0), at("2026-03-01T00:00:00Z")), None);
        // The rule then fires an hour off: its cron from before says 07:00 UTC, London's 08:00.
        let r = rule("mon-fri 07:00 4");
        assert_ne!(r.cron(shift.from_offset), r.cron(shift.to_offset));
    }

    #[test]
    fn hours_merge_into_a_few_rules() {
        let mut hours = [0u32; 168];
        for day in 0..5 {
            for h in 7..20 {
                hours[day * 24 + h] = 2;
            }
        }
        assert_eq!(rules_from_hours(&hours), vec![rule("mon-fri 07:00 2"), rule("mon-fri 20:00 0")]);
        // Busier mornings on Monday only; a weekend at 1.
        hours[7] = 3;
        for h in 120..168 {
            hours[h] = 1;
        }
        let texts: Vec<String> = rules_from_hours(&hours).iter().map(Rule::text).collect();
        assert_eq!(texts, ["mon 00:00 0", "mon 07:00 3", "mon 08:00 2", "mon-fri 20:00 0", "tue-fri 07:00 2", "sat 00:00 1"]);
        assert_eq!(rules_from_hours(&[3; 168]), vec![rule("daily 00:00 3")]);
    }

    #[test]
    fn steps_follow_the_rules_and_count_instance_hours() {
        let rules = [rule("mon-fri 07:00 2"), rule("mon-fri 20:00 0")];
        // Monday 2026-11-30 00:00 to the next Monday: 5 days × 13 hours × 2 instances.
        let (from, to) = (at("2026-11-30T00:00:00Z"), at("2026-12-07T00:00:00Z"));
        let s = steps(&rules, &Fixed(0), from, to);
        assert_eq!(s[0], (from, 0), "Friday 20:00's word holds on Monday at midnight");
        assert_eq!(s[1], (at("2026-11-30T07:00:00Z"), 2));
        assert_eq!(s.len(), 11);
        assert_eq!(count_at(&s, at("2026-12-02T12:00:00Z")), 2);
        assert_eq!(count_at(&s, at("2026-12-05T12:00:00Z")), 0);
        assert_eq!(instance_hours(&s, from, to), 130.0);
        // In London's summer the same local rules fire an hour earlier in UTC.
        let summer = steps(&rules, &Eu(0), at("2026-06-01T00:00:00Z"), at("2026-06-02T00:00:00Z"));
        assert_eq!(summer[1], (at("2026-06-01T06:00:00Z"), 2));
    }

    #[test]
    fn the_hour_of_the_week_is_local() {
        assert_eq!(hour_of_week(at("2026-11-30T00:30:00Z"), &Fixed(0)), 0, "Monday 00:30");
        assert_eq!(hour_of_week(at("2026-11-29T23:30:00Z"), &Fixed(60)), 0, "Sunday 23:30 UTC is Monday 00:30 in Berlin");
        assert_eq!(hour_of_week(at("2026-12-06T23:30:00Z"), &Fixed(0)), 167);
    }

    #[test]
    fn a_proposal_travels_in_the_link() {
        let rules = [rule("mon-fri 07:00 2"), rule("sat,sun 00:00 0")];
        let q = proposal_query(&rules, "Europe/London");
        assert_eq!(proposal_from_query(&q), Some((rules.to_vec(), Some("Europe/London".into()))));
        assert_eq!(proposal_from_query("?zone=UTC"), None);
    }

    #[test]
    fn the_task_yaml_is_encoded_as_base64() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        assert_eq!(base64(b""), "");
        let yaml = task_yaml("s", "rg-builds", "contosobuilds", "build-s2", 4);
        assert!(yaml.contains("  - cmd: az login --identity\n  - cmd: az acr agentpool update --subscription s -g rg-builds -r contosobuilds -n build-s2 --count 4\n"));
    }
}
