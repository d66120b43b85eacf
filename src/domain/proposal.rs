//! "Propose a schedule" (issue 21): from a pool's recorded runs, the fewest instances for each
//! hour of the week whose replayed p95 wait meets the target, merged into a few rules, never
//! above the quota; and the side-by-side replay of the current fixed count, that schedule and the
//! cheapest fixed count meeting the target. A replay of what happened, not a forecast.

use crate::domain::schedule::{self, Rule, Zone};
use crate::domain::sizing::{self, Arrival};

/// What one way of running the pool would have done over the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub p50_wait_ms: Option<u64>,
    pub p95_wait_ms: Option<u64>,
    pub never_ran: usize,
    pub vcpu_hours: f64,
}

impl Outcome {
    fn of(mut waits: Vec<Option<u64>>, vcpu_hours: f64) -> Outcome {
        sizing::sort_waits(&mut waits);
        Outcome {
            p50_wait_ms: sizing::percentile(&waits, 50.0).flatten(),
            p95_wait_ms: sizing::percentile(&waits, 95.0).flatten(),
            never_ran: waits.iter().filter(|w| w.is_none()).count(),
            vcpu_hours,
        }
    }

    pub fn meets(&self, target_ms: u64) -> bool {
        self.p95_wait_ms.is_some_and(|w| w <= target_ms)
    }
}

/// The fewest instances (0 ..= `max_instances`) for each hour of the week such that the runs
/// queued in that hour, replayed at that fixed count, wait at most `target_ms` at p95 (none
/// never running); hours without runs need none. Weekdays then share the busiest weekday's
/// hour, and Saturday and Sunday theirs; and each of the two days becomes two levels (a busy
/// stretch and the rest, `two_levels`), so a schedule stays a few rules (at most six).
pub fn hourly_need(arrivals: &[Arrival], zone: &dyn Zone, max_instances: u32, target_ms: u64, end_ms: u64) -> [u32; 168] {
    let bucket: Vec<usize> = arrivals.iter().map(|a| schedule::hour_of_week(a.at_ms, zone)).collect();
    let mut need = [0u32; 168];
    let mut open: Vec<bool> = (0..168).map(|h| bucket.contains(&h)).collect();
    for k in 0..=max_instances {
        if !open.iter().any(|o| *o) {
            break;
        }
        let waits = sizing::replay(arrivals, k, end_ms);
        let mut by_hour: Vec<Vec<Option<u64>>> = vec![Vec::new(); 168];
        for (w, &h) in waits.into_iter().zip(&bucket) {
            by_hour[h].push(w);
        }
        for h in 0..168 {
            if !open[h] {
                continue;
            }
            sizing::sort_waits(&mut by_hour[h]);
            if sizing::percentile(&by_hour[h], 95.0).flatten().is_some_and(|w| w <= target_ms) {
                need[h] = k;
                open[h] = false;
            }
        }
    }
    for h in (0..168).filter(|&h| open[h]) {
        need[h] = max_instances;
    }
    let day = |days: std::ops::Range<usize>| -> [u32; 24] { std::array::from_fn(|h| days.clone().map(|d| need[d * 24 + h]).max().unwrap_or(0)) };
    let (weekday, weekend) = (two_levels(&day(0..5)), two_levels(&day(5..7)));
    std::array::from_fn(|i| if i / 24 < 5 { weekday[i % 24] } else { weekend[i % 24] })
}

/// A day as two levels at least as high as each hour's need: one stretch of hours at the need
/// of its busiest, the other hours at the need of theirs; of all stretches, the one that costs
/// the fewest instance-hours (so a busy day is "07:00 → 4, 20:00 → 0", not a change an hour).
pub fn two_levels(need: &[u32; 24]) -> [u32; 24] {
    let flat = need.iter().copied().max().unwrap_or(0);
    let mut best = ([flat; 24], u32::from(flat) * 24);
    for start in 0..24 {
        for end in start + 1..=24 {
            let high = need[start..end].iter().copied().max().unwrap_or(0);
            let low = need[..start].iter().chain(&need[end..]).copied().max().unwrap_or(0);
            let cost = high * (end - start) as u32 + low * (24 - (end - start)) as u32;
            if cost < best.1 {
                best = (std::array::from_fn(|h| if (start..end).contains(&h) { high } else { low }), cost);
            }
        }
    }
    best.0
}

/// The proposed rules.
pub fn propose(arrivals: &[Arrival], zone: &dyn Zone, max_instances: u32, target_ms: u64, end_ms: u64) -> Vec<Rule> {
    schedule::rules_from_hours(&hourly_need(arrivals, zone, max_instances, target_ms, end_ms))
}

/// The three side by side.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub current: Outcome,
    pub scheduled: Outcome,
    /// The cheapest fixed count meeting the target, if any up to the quota does.
    pub cheapest_fixed: Option<(u32, Outcome)>,
}

/// Replays the window `[start_ms, end_ms]` at the current count, on the schedule's rules (as in
/// force at each moment in `zone`), and at each fixed count up to `max_instances`.
pub fn compare(arrivals: &[Arrival], zone: &dyn Zone, current: u32, rules: &[Rule], max_instances: u32, vcpu_per_instance: u32, start_ms: u64, end_ms: u64, target_ms: u64) -> Comparison {
    let mut ordered = arrivals.to_vec();
    ordered.sort_by_key(|a| a.at_ms);
    let hours = end_ms.saturating_sub(start_ms) as f64 / schedule::HOUR_MS as f64;
    let vcpu = f64::from(vcpu_per_instance);
    let fixed = |k: u32| Outcome::of(sizing::replay(&ordered, k, end_ms), f64::from(k) * vcpu * hours);
    let steps = schedule::steps(rules, zone, start_ms, end_ms);
    let changes: Vec<u64> = steps.iter().map(|(at, _)| *at).collect();
    let waits = sizing::replay_varying(&ordered, &|t| schedule::count_at(&steps, t), &changes, end_ms);
    let scheduled = Outcome::of(waits, schedule::instance_hours(&steps, start_ms, end_ms) * vcpu);
    let cheapest_fixed = (0..=max_instances).map(|k| (k, fixed(k))).find(|(_, o)| o.meets(target_ms));
    Comparison { current: fixed(current), scheduled, cheapest_fixed }
}

/// What the comparison says in one sentence: first whether the schedule misses the target (the
/// quota can cap an hour below its need), then what it saves against the current count or, when
/// it costs more, against the cheapest fixed count that meets the target.
pub fn verdict(c: &Comparison, target_ms: u64) -> String {
    let misses = (!c.scheduled.meets(target_ms)).then(|| {
        let p95 = c.scheduled.p95_wait_ms.map_or("runs that never ran".to_string(), |w| format!("a p95 wait of {}", crate::domain::queue::duration(w)));
        format!("The schedule misses the target of {} ({p95}): the quota caps it. ", crate::domain::queue::duration(target_ms))
    });
    let saving = c.current.vcpu_hours - c.scheduled.vcpu_hours;
    let against_fixed = c.cheapest_fixed.as_ref().map(|(k, o)| (k, o.vcpu_hours - c.scheduled.vcpu_hours)).filter(|(_, d)| *d > 0.0);
    let cost = match (saving > 0.0, against_fixed) {
        (true, _) => format!("The schedule would have used {saving:.0} fewer vCPU-hours than the current count."),
        (false, Some((k, d))) => format!("The schedule would have used {:.0} more vCPU-hours than the current count, and {d:.0} fewer than {k} instances all week, the cheapest fixed count that meets the target.", -saving),
        (false, None) => "The schedule would not have used fewer vCPU-hours than the current count.".to_string(),
    };
    format!("{}{cost}", misses.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::schedule::{Fixed, DAY_MS, HOUR_MS, MIN_MS};

    /// 2026-11-30, a Monday, 00:00 UTC.
    const MONDAY: u64 = 1_795_996_800_000;

    /// Office hours only: a 10-minute run every 10 minutes from 09:00 to 17:00, weekdays, for
    /// two weeks (one instance keeps up exactly; nothing queues at night or at the weekend).
    fn office() -> Vec<Arrival> {
        let mut out = Vec::new();
        for day in 0..14 {
            if day % 7 >= 5 {
                continue;
            }
            for slot in 0..48 {
                out.push(Arrival { at_ms: MONDAY + day * DAY_MS + 9 * HOUR_MS + slot * 10 * MIN_MS, run_ms: 10 * MIN_MS });
            }
        }
        out
    }

    #[test]
    fn office_hours_give_a_weekday_schedule_and_nothing_at_night() {
        let runs = office();
        let end = MONDAY + 14 * DAY_MS;
        let rules = propose(&runs, &Fixed(0), 4, 5 * MIN_MS, end);
        let texts: Vec<String> = rules.iter().map(Rule::text).collect();
        assert_eq!(texts, ["mon-fri 09:00 1", "mon-fri 17:00 0"]);
        // Replayed: the schedule waits no longer than one instance all week, and costs 8/24 of it.
        let c = compare(&runs, &Fixed(0), 1, &rules, 4, 2, MONDAY, end, 5 * MIN_MS);
        assert_eq!(c.current.p95_wait_ms, Some(0));
        assert_eq!(c.scheduled.p95_wait_ms, Some(0));
        assert_eq!(c.scheduled.never_ran, 0);
        assert_eq!(c.current.vcpu_hours, 14.0 * 24.0 * 2.0);
        assert_eq!(c.scheduled.vcpu_hours, 10.0 * 8.0 * 2.0);
        assert_eq!(c.cheapest_fixed.map(|(k, _)| k), Some(1));
    }

    #[test]
    fn a_day_becomes_two_levels_that_cost_least() {
        let mut day = [0u32; 24];
        day[9] = 2;
        day[10] = 4;
        day[14] = 3;
        day[17] = 1;
        day[3] = 1;
        let levels = two_levels(&day);
        assert!(levels.iter().zip(&day).all(|(l, n)| l >= n), "every hour gets what it needs");
        // 09:00–15:00 at 4 and the rest at 1 (the 03:00 and 17:00 runs) costs 42 instance-hours;
        // stretching the 4 to 18:00 would cost 51, and 4 all day 96.
        assert_eq!(&levels[9..15], &[4; 6], "one busy stretch at its busiest hour's need");
        assert_eq!((levels[0], levels[17]), (1, 1), "the rest at theirs");
        let rules = schedule::rules_from_hours(&std::array::from_fn(|i| levels[i % 24]));
        assert_eq!(rules.iter().map(Rule::text).collect::<Vec<_>>(), ["daily 09:00 4", "daily 15:00 1"]);
        assert_eq!(two_levels(&[0; 24]), [0; 24]);
    }

    #[test]
    fn it_never_goes_above_the_quota() {
        // Ten 30-minute runs at once at 12:00 on weekdays: four instances would be needed.
        let mut runs = Vec::new();
        for day in 0..5 {
            for _ in 0..10 {
                runs.push(Arrival { at_ms: MONDAY + day * DAY_MS + 12 * HOUR_MS, run_ms: 30 * MIN_MS });
            }
        }
        let need = hourly_need(&runs, &Fixed(0), 2, MIN_MS, MONDAY + 7 * DAY_MS);
        assert_eq!(need.iter().max(), Some(&2));
        assert_eq!(need[12], 2);
        let rules = propose(&runs, &Fixed(0), 2, MIN_MS, MONDAY + 7 * DAY_MS);
        assert!(rules.iter().all(|r| r.count <= 2));
    }

    #[test]
    fn the_hours_are_the_zones() {
        // The same office, in Berlin (UTC+1): the rules say 09:00 and 17:00 Berlin time.
        let runs: Vec<Arrival> = office().into_iter().map(|a| Arrival { at_ms: a.at_ms - HOUR_MS, ..a }).collect();
        let rules = propose(&runs, &Fixed(60), 4, 5 * MIN_MS, MONDAY + 14 * DAY_MS);
        assert_eq!(rules.iter().map(Rule::text).collect::<Vec<_>>(), ["mon-fri 09:00 1", "mon-fri 17:00 0"]);
    }

    #[test]
    fn the_verdict_says_when_the_schedule_misses_the_target_before_what_it_saves() {
        let o = |p95: Option<u64>, vcpu_hours: f64| Outcome { p50_wait_ms: p95, p95_wait_ms: p95, never_ran: 0, vcpu_hours };
        let c = Comparison { current: o(Some(10_000), 100.0), scheduled: o(Some(30_000), 40.0), cheapest_fixed: Some((3, o(Some(5_000), 150.0))) };
        assert_eq!(verdict(&c, 60_000), "The schedule would have used 60 fewer vCPU-hours than the current count.");
        assert!(verdict(&c, 20_000).starts_with("The schedule misses the target of 20 s (a p95 wait of 30 s): the quota caps it. The schedule would have used 60 fewer"), "{}", verdict(&c, 20_000));
        let dearer = Comparison { current: o(Some(90_000), 20.0), scheduled: o(Some(10_000), 40.0), cheapest_fixed: Some((3, o(Some(5_000), 150.0))) };
        assert_eq!(verdict(&dearer, 60_000), "The schedule would have used 20 more vCPU-hours than the current count, and 110 fewer than 3 instances all week, the cheapest fixed count that meets the target.");
    }
}
