//! The demo's seeded history (`store::demo::history`) against the pools it runs on: never more
//! runs at once than instances, none waiting while an instance is free, a replaced week cut cleanly.

use pool_portal_emulator::store::demo::{self, history::*};
use pool_portal_emulator::store::*;

const MIN: u64 = 60_000;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

/// Every run of `pool` (any origin) against its count: never more running at once, none
/// starting before it was queued, and none waiting while an instance stood free.
pub fn assert_consistent(runs: &[&Run], count: usize) {
    assert_consistent_with(runs, &|_| count as i32);
}

/// The same against a count that changes over time (a schedule): a run in flight when the count
/// drops may finish, so only starts are held to it.
pub fn assert_consistent_with(runs: &[&Run], instances: &dyn Fn(u64) -> i32) {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for r in runs {
        if let Some(s) = r.start_ms {
            assert!(s >= r.create_ms, "{} starts before it was queued", r.run_id);
            edges.push((s, 1));
            if let Some(f) = r.finish_ms {
                assert!(f >= s, "{} ends before it starts", r.run_id);
                edges.push((f, -1));
            }
        }
    }
    // Ends before starts at the same moment: an instance freed is taken at once.
    edges.sort_by_key(|&(t, d)| (t, d));
    let busy_at = |t: u64| edges.iter().filter(|&&(at, _)| at <= t).map(|&(_, d)| d).sum::<i32>();
    let mut busy = 0;
    for &(t, d) in &edges {
        busy += d;
        assert!(d < 0 || busy <= instances(t), "{busy} running at {t} on {} instances", instances(t));
    }
    for r in runs {
        if let Some(s) = r.start_ms.filter(|&s| s > r.create_ms + 5_000) {
            // It waited: every instance was busy from when it was queued until it started.
            for t in std::iter::once(r.create_ms).chain(edges.iter().map(|&(t, _)| t).filter(|&t| t > r.create_ms && t < s)) {
                assert!(busy_at(t) >= instances(t), "{} waited at {t} with an instance free", r.run_id);
            }
        }
    }
}

#[test]
fn the_demo_week_of_build_s2_is_consistent_with_its_two_instances() {
    let now = 1_795_392_000_000 + 3 * DAY + 10 * HOUR; // a Thursday morning
    let s = demo::state(now);
    let runs: Vec<&Run> = s.runs.iter().filter(|r| r.agent_pool_name.as_deref() == Some("build-s2")).collect();
    let history = runs.iter().filter(|r| r.run_id.starts_with("cb")).count();
    assert!(history > 300, "a week of runs: {history}");
    let day = runs.iter().filter(|r| r.create_ms >= now - DAY).count();
    assert!(day >= 20, "enough in the last day for the advisor: {day}");
    assert!(runs.iter().any(|r| r.status == "Failed" && r.run_id.starts_with("cb")), "a few fail");
    assert!(runs.iter().any(|r| r.start_ms.unwrap_or(0) > r.create_ms + MIN), "some waited");
    assert_consistent_with(&runs, &|t| demo::schedule::instances(now, t) as i32);
    // The schedule shows: nothing starts on a weekday night or a weekend once it was made.
    let since = now - demo::schedule::AGE_MS;
    let hour = |t: u64| (t % DAY) / HOUR;
    let weekday = |t: u64| (t / DAY + 3) % 7;
    let off_hours = runs.iter().filter_map(|r| r.start_ms).filter(|&s| s > since && s < now - 2 * HOUR && (weekday(s) >= 5 || !(7..20).contains(&hour(s)))).count();
    assert_eq!(off_hours, 0);
    let off = |t: u64| weekday(t) >= 5 || !(7..20).contains(&hour(t));
    let waited = runs.iter().filter(|r| r.create_ms > since && off(r.create_ms) && r.start_ms.is_some_and(|s| hour(s) == 7 && weekday(s) < 5)).count();
    assert!(waited > 0, "runs queued at night or at the weekend wait for 07:00 on a weekday");
}

#[test]
fn the_demo_week_leaves_the_run_counter_alone() {
    // Whatever hour the demo starts at, the next scheduled run has the same number.
    let counters: Vec<u64> = (0..5).map(|h| demo::state(1_795_392_000_000 + h * 5 * HOUR).run_counter).collect();
    assert_eq!(counters, vec![8; 5]);
    let s = demo::state(1_795_392_000_000);
    let mut ids: Vec<&str> = s.runs.iter().map(|r| r.run_id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "run ids unique");
}

#[test]
fn the_rhythm_is_daily_and_weekly_and_the_tail_is_long() {
    let mut s = demo::state(1_795_392_000_000 + 7 * DAY);
    let registry = s.registries[0].clone();
    let before = s.runs.len();
    let plan = Plan { pool: "build-s2".into(), runs: 3000, days: 7, median_run_seconds: 60, seed: 9 };
    let added = seed(&mut s, &registry, &plan, 1_795_392_000_000).unwrap();
    assert!(added > 2900, "few left out at the end: {added}");
    let new = &s.runs[before..];
    let at = |pred: &dyn Fn(u64) -> bool| new.iter().filter(|r| pred(r.create_ms)).count();
    let office = at(&|t| (9..12).contains(&((t % DAY) / HOUR)));
    let night = at(&|t| (1..4).contains(&((t % DAY) / HOUR)));
    assert!(office > 10 * night, "office {office}, night {night}");
    let weekend = at(&|t| (t / DAY + 3) % 7 >= 5);
    assert!(weekend * 10 < added, "weekends are quiet: {weekend} of {added}");
    let mut times: Vec<u64> = new.iter().map(|r| r.duration_ms).collect();
    times.sort_unstable();
    let (median, p99) = (times[times.len() / 2], times[times.len() * 99 / 100]);
    assert!(p99 > 4 * median, "median {median}, p99 {p99}");
    let runs: Vec<&Run> = new.iter().collect();
    assert_consistent(&runs, 2);
}

#[test]
fn a_seeded_week_replaces_the_demo_week_without_two_runs_sharing_an_instance() {
    let now = 1_795_392_000_000 + 3 * DAY + 10 * HOUR;
    let mut s = demo::state(now);
    let registry = s.registries[0].clone();
    let plan = Plan { pool: "build-s2".into(), runs: 700, days: 7, median_run_seconds: 240, seed: 5 };
    let (added, end) = replace(&mut s, &registry, &plan, None, now).unwrap();
    assert!(added > 600, "{added}");
    // ca3 (queued 2 minutes ago, running) is the oldest live run: the week ends 5 minutes before.
    assert_eq!(end, now - 2 * MIN - 5 * MIN);
    let runs: Vec<&Run> = s.runs.iter().filter(|r| r.agent_pool_name.as_deref() == Some("build-s2")).collect();
    assert_consistent(&runs, 2);
    // Refused without a change: no such pool, or no instances.
    let before = s.runs.len();
    let missing = Plan { pool: "nope".into(), ..plan.clone() };
    assert!(matches!(replace(&mut s, &registry, &missing, None, now), Err(SeedError::NoPool(_))));
    let idle = Plan { pool: "nightly-s1".into(), ..plan };
    assert!(matches!(replace(&mut s, &registry, &idle, None, now), Err(SeedError::NoInstances(_))));
    assert_eq!(s.runs.len(), before);
}

#[test]
fn a_pool_without_instances_gets_no_history() {
    let mut s = demo::state(0);
    let registry = s.registries[0].clone();
    let plan = Plan { pool: "nightly-s1".into(), runs: 10, days: 1, median_run_seconds: 60, seed: 1 };
    assert!(seed(&mut s, &registry, &plan, DAY).is_err());
}
