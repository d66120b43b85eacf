//! A pool's history (issue 12): queue waits and run times, runs per hour, success rate, busy share
//! and idle hours, all from its runs' `createTime`, `startTime` and `finishTime`.

use super::queue::{is_finished, RunView};
use super::sizing::{self, Arrival};

const HOUR: u64 = 3_600_000;
const DAY: u64 = 24 * HOUR;

pub use super::time::Span;

/// The windows the history offers (`?window=24h|7d`): a month of runs is more than the insights
/// read page by page in a browser.
pub const SPANS: [Span; 2] = [Span::Day, Span::Week];

/// The advisor's default target for the 95th percentile of the queue wait.
pub const DEFAULT_TARGET_S: u64 = 60;

/// The longest target the advisor takes: a day.
pub const MAX_TARGET_S: u64 = 86_400;

/// What the insights view shows, from its query string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Query {
    pub span: Span,
    pub target_s: u64,
}

impl Default for Query {
    fn default() -> Query {
        Query { span: Span::default(), target_s: DEFAULT_TARGET_S }
    }
}

impl Query {
    /// From `location.search`; what is not understood keeps its default.
    pub fn from_query(query: &str) -> Query {
        let mut q = Query::default();
        for pair in query.trim_start_matches('?').split('&') {
            match pair.split_once('=') {
                Some(("window", "7d")) => q.span = Span::Week,
                Some(("window", "24h")) => q.span = Span::Day,
                Some(("target", t)) => q.target_s = t.parse().ok().filter(|&t| t <= MAX_TARGET_S).unwrap_or(q.target_s),
                _ => {}
            }
        }
        q
    }

    /// Shortest form: defaults left out.
    pub fn to_query(self) -> String {
        let mut parts = Vec::new();
        if self.span != Span::default() {
            parts.push(format!("window={}", self.span.key()));
        }
        if self.target_s != DEFAULT_TARGET_S {
            parts.push(format!("target={}", self.target_s));
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// p50/p90/p95/max (nearest rank) of a set of durations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub p50: u64,
    pub p90: u64,
    pub p95: u64,
    pub max: u64,
}

pub fn spread(mut values: Vec<u64>) -> Option<Spread> {
    values.sort_unstable();
    let at = |p: f64| values[((p / 100.0 * values.len() as f64).ceil() as usize).clamp(1, values.len()) - 1];
    (!values.is_empty()).then(|| Spread { count: values.len(), p50: at(50.0), p90: at(90.0), p95: at(95.0), max: *values.last().expect("not empty") })
}

/// One local calendar day of the hour × day strip. `hours[h]`: runs queued in that hour, `None`
/// where the hour lies outside the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Day {
    /// Local midnight, as ms since the epoch of the same wall-clock time in UTC (for labels).
    pub local_midnight_ms: u64,
    pub hours: [Option<u32>; 24],
}

/// Bars of the queue-wait chart: (upper bound in ms, label).
pub const WAIT_BUCKETS: [(u64, &str); 8] = [
    (10_000, "under 10 s"),
    (30_000, "10–30 s"),
    (60_000, "30 s–1 min"),
    (120_000, "1–2 min"),
    (300_000, "2–5 min"),
    (600_000, "5–10 min"),
    (1_800_000, "10–30 min"),
    (u64::MAX, "30 min or more"),
];

/// Bars of the run-time chart.
pub const RUN_BUCKETS: [(u64, &str); 8] = [
    (60_000, "under 1 min"),
    (120_000, "1–2 min"),
    (300_000, "2–5 min"),
    (600_000, "5–10 min"),
    (1_200_000, "10–20 min"),
    (2_400_000, "20–40 min"),
    (3_600_000, "40–60 min"),
    (u64::MAX, "1 h or more"),
];

/// How many values fall in each bucket (a value equal to a bound goes in the next one up).
pub fn histogram(values: impl IntoIterator<Item = u64>, buckets: &[(u64, &str)]) -> Vec<u32> {
    let mut counts = vec![0; buckets.len()];
    for v in values {
        let i = buckets.iter().position(|&(bound, _)| v < bound).unwrap_or(buckets.len() - 1);
        counts[i] += 1;
    }
    counts
}

/// "12,345".
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Clone, Debug, PartialEq)]
pub struct Insights {
    pub runs: usize,
    /// Runs per bar of `WAIT_BUCKETS` and `RUN_BUCKETS`.
    pub wait_bars: Vec<u32>,
    pub run_bars: Vec<u32>,
    /// Queue wait of every run that started.
    pub wait: Option<Spread>,
    /// Run time of every run that ended after starting.
    pub run_time: Option<Spread>,
    pub still_queued: usize,
    pub succeeded: usize,
    /// Runs that ended: Succeeded, Failed, Canceled, Error, Timeout.
    pub ended: usize,
    pub strip: Vec<Day>,
    /// The three hours of the day with the most runs queued, busiest first: (hour, runs).
    pub busiest: Vec<(u8, u32)>,
    /// Instance time used ÷ instance time there was at the current count; `None` at count 0.
    pub busy_share: Option<f64>,
    pub idle: Idle,
}

impl Insights {
    pub fn success_rate(&self) -> Option<f64> {
        (self.ended > 0).then(|| self.succeeded as f64 / self.ended as f64)
    }
}

/// Whole hours of the window in which no run was queued or running.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Idle {
    pub hours: usize,
    /// What scaling to 0 in those hours would have saved at the current count.
    pub vcpu_hours: f64,
    /// Local hours of the day idle on every day of the window (e.g. [1, 2, 3]: 01:00–04:00).
    pub every_day: Vec<u8>,
}

/// The window `[start, end]` the history covers, and the local time zone (minutes east of UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start_ms: u64,
    pub end_ms: u64,
    pub offset_min: i32,
}

impl Window {
    pub fn ending(end_ms: u64, span: Span, offset_min: i32) -> Window {
        Window { start_ms: end_ms.saturating_sub(span.ms()), end_ms, offset_min }
    }

    fn local(&self, ms: u64) -> u64 {
        (ms as i64 + self.offset_min as i64 * 60_000).max(0) as u64
    }

    fn utc(&self, local: u64) -> u64 {
        (local as i64 - self.offset_min as i64 * 60_000).max(0) as u64
    }

    /// The local days the window touches, oldest first, and each whole local hour in it as
    /// (day index, hour, UTC start).
    fn hours(&self) -> (Vec<u64>, Vec<(usize, usize, u64)>) {
        let first_day = self.local(self.start_ms) / DAY * DAY;
        let last_day = self.local(self.end_ms) / DAY * DAY;
        let days: Vec<u64> = (0..=(last_day - first_day) / DAY).map(|d| first_day + d * DAY).collect();
        let mut hours = Vec::new();
        for (d, midnight) in days.iter().enumerate() {
            for h in 0..24 {
                let start = self.utc(midnight + h as u64 * HOUR);
                if start + HOUR > self.start_ms && start < self.end_ms {
                    hours.push((d, h, start));
                }
            }
        }
        (days, hours)
    }
}

/// The history of a pool's runs over `window`, at its current `count` of `vcpu`-sized instances.
pub fn summarise(runs: &[RunView], window: Window, count: u32, vcpu: u32) -> Insights {
    let runs: Vec<&RunView> = runs.iter().filter(|r| r.create_ms >= window.start_ms && r.create_ms <= window.end_ms).collect();
    let waits: Vec<u64> = runs.iter().filter_map(|r| r.start_ms.map(|s| s.saturating_sub(r.create_ms))).collect();
    let run_times: Vec<u64> = runs.iter().filter_map(|r| Some(r.finish_ms?.saturating_sub(r.start_ms?))).collect();
    let (wait_bars, run_bars) = (histogram(waits.iter().copied(), &WAIT_BUCKETS), histogram(run_times.iter().copied(), &RUN_BUCKETS));
    let (wait, run_time) = (spread(waits), spread(run_times));
    let ended = runs.iter().filter(|r| is_finished(&r.status)).count();
    let succeeded = runs.iter().filter(|r| r.status == "Succeeded").count();
    let still_queued = runs.iter().filter(|r| r.status == "Queued").count();

    let (days, hours) = window.hours();
    let mut strip: Vec<Day> = days.iter().map(|&m| Day { local_midnight_ms: m, hours: [None; 24] }).collect();
    for &(d, h, _) in &hours {
        strip[d].hours[h] = Some(0);
    }
    let first_day = days[0];
    let mut by_hour = [0u32; 24];
    for r in &runs {
        let local = window.local(r.create_ms);
        let (d, h) = (((local - first_day) / DAY) as usize, ((local % DAY) / HOUR) as usize);
        if let Some(Some(n)) = strip.get_mut(d).map(|day| &mut day.hours[h]) {
            *n += 1;
        }
        by_hour[h] += 1;
    }
    let mut busiest: Vec<(u8, u32)> = by_hour.iter().enumerate().filter(|(_, &n)| n > 0).map(|(h, &n)| (h as u8, n)).collect();
    busiest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    busiest.truncate(3);

    // Instance time used, clipped to the window (a run still going counts up to its end).
    let used: u64 = runs
        .iter()
        .filter_map(|r| {
            let start = r.start_ms?.max(window.start_ms);
            let end = r.finish_ms.unwrap_or(window.end_ms).min(window.end_ms);
            Some(end.saturating_sub(start))
        })
        .sum();
    let available = count as u64 * (window.end_ms - window.start_ms);
    let busy_share = (available > 0).then(|| used as f64 / available as f64);

    // An hour is idle when no run was waiting or running in any part of it. Only hours wholly in
    // the window count: the window's ragged ends say nothing about a whole hour.
    let whole: Vec<(usize, usize, u64)> = hours.into_iter().filter(|&(_, _, s)| s >= window.start_ms && s + HOUR <= window.end_ms).collect();
    let mut active = vec![false; whole.len()];
    for r in &runs {
        let (from, to) = (r.create_ms, r.finish_ms.unwrap_or(window.end_ms));
        // `whole` is in time order: find the first hour ending after `from`. An hour that starts
        // as the run ends saw none of it.
        let first = whole.partition_point(|&(_, _, s)| s + HOUR <= from);
        for (i, &(_, _, s)) in whole.iter().enumerate().skip(first) {
            if s >= to {
                break;
            }
            active[i] = true;
        }
    }
    let idle_hours = active.iter().filter(|a| !**a).count();
    let every_day: Vec<u8> = (0..24u8)
        .filter(|&h| {
            let mut cells = whole.iter().zip(&active).filter(|((_, hh, _), _)| *hh == h as usize).peekable();
            cells.peek().is_some() && cells.all(|(_, a)| !a)
        })
        .collect();
    let idle = Idle { hours: idle_hours, vcpu_hours: (idle_hours as u64 * count as u64 * vcpu as u64) as f64, every_day };

    Insights { runs: runs.len(), wait_bars, run_bars, wait, run_time, still_queued, succeeded, ended, strip, busiest, busy_share, idle }
}

/// What the advisor replays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayInput {
    /// In queue order: every run of the window that started (its run time as recorded; a run
    /// still going, its time so far), and every run still queued.
    pub arrivals: Vec<Arrival>,
    /// Runs with a recorded run time: what "enough history" counts.
    pub recorded: usize,
    /// Runs still queued, replayed with the median recorded run time (they waited longest:
    /// leaving them out would flatter the current size).
    pub estimated: usize,
    pub median_run_ms: Option<u64>,
}

pub fn replay_input(runs: &[RunView], window: Window) -> ReplayInput {
    let in_window: Vec<&RunView> = runs.iter().filter(|r| r.create_ms >= window.start_ms && r.create_ms <= window.end_ms).collect();
    let mut arrivals: Vec<Arrival> = in_window
        .iter()
        .filter_map(|r| {
            let start = r.start_ms?;
            Some(Arrival { at_ms: r.create_ms, run_ms: r.finish_ms.unwrap_or(window.end_ms).saturating_sub(start) })
        })
        .collect();
    let recorded = arrivals.len();
    let mut times: Vec<u64> = in_window.iter().filter_map(|r| Some(r.finish_ms?.saturating_sub(r.start_ms?))).collect();
    times.sort_unstable();
    let median_run_ms = (!times.is_empty()).then(|| times[(times.len() - 1) / 2]);
    let mut estimated = 0;
    if let Some(median) = median_run_ms {
        for r in in_window.iter().filter(|r| r.start_ms.is_none() && r.status == "Queued") {
            arrivals.push(Arrival { at_ms: r.create_ms, run_ms: median });
            estimated += 1;
        }
    }
    arrivals.sort_by_key(|a| a.at_ms);
    ReplayInput { arrivals, recorded, estimated, median_run_ms }
}

/// "01:00–04:00, 22:00–24:00" for hours of the day.
pub fn hour_ranges(hours: &[u8]) -> String {
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    for &h in hours {
        match ranges.last_mut() {
            Some((_, end)) if *end == h => *end = h + 1,
            _ => ranges.push((h, h + 1)),
        }
    }
    ranges.iter().map(|(a, b)| format!("{a:02}:00–{b:02}:00")).collect::<Vec<_>>().join(", ")
}

/// The advisor over a window, for counts 0 to `max_instances`: too little history unless
/// `MIN_RUNS` runs have a recorded run time.
pub fn advise(input: &ReplayInput, window: Window, max_instances: u32, vcpu: u32, target_s: u64) -> sizing::Advice {
    if input.recorded < sizing::MIN_RUNS {
        return sizing::Advice::TooLittleHistory { runs: input.recorded };
    }
    sizing::advise(&input.arrivals, max_instances, vcpu, window.start_ms, window.end_ms, target_s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;
    /// 2026-11-23T00:00:00Z, a Monday.
    const MONDAY: u64 = 1_795_392_000_000;

    fn run(create: u64, start: Option<u64>, finish: Option<u64>, status: &str) -> RunView {
        RunView { run_id: format!("r{create}"), status: status.into(), create_ms: create, start_ms: start, finish_ms: finish, what: String::new(), trigger: String::new() }
    }

    #[test]
    fn the_query_keeps_the_window_and_target() {
        assert_eq!(Query::from_query(""), Query::default());
        let q = Query::from_query("?window=24h&target=120");
        assert_eq!(q, Query { span: Span::Day, target_s: 120 });
        assert_eq!(q.to_query(), "?window=24h&target=120");
        assert_eq!(Query::from_query("?window=7d").span, Span::Week);
        assert_eq!(Query::from_query("?window=1y&target=soon"), Query::default());
        assert_eq!(Query::from_query("?target=18446744073709551615"), Query::default(), "no overflow later");
        assert_eq!(Query::default().to_query(), "");
    }

    #[test]
    fn histograms_put_each_value_in_one_bar() {
        assert_eq!(histogram([0, 9_999, 10_000, 59_999, 60_000, u64::MAX - 1], &WAIT_BUCKETS), vec![2, 1, 1, 1, 0, 0, 0, 1]);
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(10_000), "10,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn spreads_take_the_nearest_rank() {
        let s = spread((1..=100).collect()).unwrap();
        assert_eq!((s.count, s.p50, s.p90, s.p95, s.max), (100, 50, 90, 95, 100));
        let one = spread(vec![7]).unwrap();
        assert_eq!((one.p50, one.p95, one.max), (7, 7, 7));
        assert_eq!(spread(vec![]), None);
    }

    #[test]
    fn waits_run_times_and_outcomes_come_from_the_three_times() {
        let end = MONDAY + DAY;
        let w = Window::ending(end, Span::Day, 0);
        let runs = vec![
            run(MONDAY + 60 * MIN, Some(MONDAY + 61 * MIN), Some(MONDAY + 71 * MIN), "Succeeded"),
            run(MONDAY + 120 * MIN, Some(MONDAY + 125 * MIN), Some(MONDAY + 128 * MIN), "Failed"),
            run(end - 10 * MIN, None, None, "Queued"),
            // Before the window: not counted.
            run(MONDAY - MIN, Some(MONDAY), Some(MONDAY + MIN), "Succeeded"),
        ];
        let i = summarise(&runs, w, 1, 2);
        assert_eq!(i.runs, 3);
        assert_eq!(i.wait.map(|s| (s.count, s.p50, s.max)), Some((2, MIN, 5 * MIN)));
        assert_eq!(i.run_time.map(|s| (s.p50, s.max)), Some((3 * MIN, 10 * MIN)));
        assert_eq!((i.succeeded, i.ended, i.still_queued), (1, 2, 1));
        assert_eq!(i.success_rate(), Some(0.5));
        // 13 minutes of one instance's 24 hours.
        assert!((i.busy_share.unwrap() - 13.0 / (24.0 * 60.0)).abs() < 1e-9);
        assert_eq!(summarise(&runs, w, 0, 2).busy_share, None, "no instances, no share");
    }

    #[test]
    fn the_strip_has_local_days_and_hours_and_the_busiest_hours() {
        // A week ending Monday 12:00 UTC, seen from UTC+1: eight local days, the first and last partial.
        let end = MONDAY + 7 * DAY + 12 * 60 * MIN;
        let w = Window::ending(end, Span::Week, 60);
        let runs: Vec<RunView> = [(0u64, 14u64), (1, 14), (2, 14), (3, 9), (3, 9)]
            .iter()
            .map(|&(d, h)| run(MONDAY + d * DAY + h * 60 * MIN + 5 * MIN, None, None, "Queued"))
            .collect();
        let i = summarise(&runs, w, 1, 2);
        assert_eq!(i.strip.len(), 8);
        // The window starts Monday 13:00 local: earlier hours are outside it.
        assert_eq!((i.strip[0].hours[12], i.strip[0].hours[13]), (None, Some(0)));
        // 14:05 UTC is 15:05 local.
        assert_eq!(i.strip[1].hours[15], Some(1));
        assert_eq!(i.strip[3].hours[10], Some(2), "Thursday 09:05 UTC, twice");
        assert_eq!(i.busiest, vec![(15, 3), (10, 2)]);
        assert_eq!(i.strip[7].hours[13], None, "after the window's end");
    }

    #[test]
    fn idle_hours_are_whole_hours_with_nothing_queued_or_running() {
        let end = MONDAY + 2 * DAY;
        let w = Window::ending(end, Span::Day, 0);
        // Busy 08:00–10:30 (queued 08:00, waits, runs until 10:30) and 14:10–14:20 each day.
        let runs: Vec<RunView> = [0, 1]
            .iter()
            .flat_map(|d| {
                let day = MONDAY + d * DAY;
                [
                    run(day + 8 * 60 * MIN, Some(day + 9 * 60 * MIN), Some(day + 630 * MIN), "Succeeded"),
                    run(day + 850 * MIN, Some(day + 851 * MIN), Some(day + 860 * MIN), "Succeeded"),
                ]
            })
            .collect();
        let i = summarise(&runs, w, 2, 4);
        // Tuesday's 24 hours less 08, 09, 10 and 14.
        assert_eq!(i.idle.hours, 20);
        assert_eq!(i.idle.vcpu_hours, 20.0 * 2.0 * 4.0);
        assert_eq!(hour_ranges(&i.idle.every_day), "00:00–08:00, 11:00–14:00, 15:00–24:00");
    }

    #[test]
    fn the_advisor_replays_runs_that_ran_and_the_queued_ones_at_the_median() {
        let end = MONDAY + DAY;
        let w = Window::ending(end, Span::Day, 0);
        let runs = vec![
            run(MONDAY + MIN, Some(MONDAY + 3 * MIN), Some(MONDAY + 13 * MIN), "Succeeded"),
            run(MONDAY + 2 * MIN, None, None, "Queued"),
            run(MONDAY + 4 * MIN, None, Some(MONDAY + 5 * MIN), "Canceled"),
            run(end - MIN, Some(end - MIN), None, "Running"),
        ];
        let input = replay_input(&runs, w);
        assert_eq!(input.arrivals, vec![
            Arrival { at_ms: MONDAY + MIN, run_ms: 10 * MIN },
            Arrival { at_ms: MONDAY + 2 * MIN, run_ms: 10 * MIN },
            Arrival { at_ms: end - MIN, run_ms: MIN },
        ]);
        assert_eq!((input.recorded, input.estimated, input.median_run_ms), (2, 1, Some(10 * MIN)), "a run cancelled while queued needed no instance");
        assert_eq!(advise(&input, w, 4, 2, 60), sizing::Advice::TooLittleHistory { runs: 2 });
        // Nothing to take a median from: queued runs are not guessed at.
        let queued_only = replay_input(&runs[1..2], w);
        assert_eq!((queued_only.arrivals.len(), queued_only.estimated), (0, 0));
    }

    #[test]
    fn an_hour_that_starts_as_a_run_ends_is_idle() {
        let end = MONDAY + DAY;
        let w = Window::ending(end, Span::Day, 0);
        let i = summarise(&[run(MONDAY + 30 * MIN, Some(MONDAY + 30 * MIN), Some(MONDAY + 60 * MIN), "Succeeded")], w, 1, 2);
        assert_eq!(i.idle.hours, 23);
    }
}
