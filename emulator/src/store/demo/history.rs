//! A pool's past week (issue 12): runs queued in a daily and weekly rhythm, a few at a time as
//! pushes come in, with a long tail of run times and a few failures, then placed on the pool's
//! instances first come first served, so every `startTime` is when an instance was free.
//!
//! The default demo holds such a week for `build-s2`; admin `POST /seed-history` adds one of any
//! size (the insights benchmarks and e2e). Deterministic: the same seed and end make the same
//! week (the rhythm follows the clock, so a week ending at another hour differs).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;

use crate::store::*;

const MIN: u64 = 60_000;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub pool: String,
    /// Runs queued over the window (some may be left out: see `seed`).
    pub runs: usize,
    #[serde(default = "default_days")]
    pub days: u64,
    /// The median run time; a twentieth of runs take several times longer.
    #[serde(default = "default_median")]
    pub median_run_seconds: u64,
    #[serde(default = "default_seed")]
    pub seed: u64,
}

impl Plan {
    /// Within what an admin call may ask: a month, a million runs, a day-long median run. More
    /// would hold the state's lock for minutes (or overflow the times).
    pub fn clamped(&self) -> Plan {
        Plan {
            pool: self.pool.clone(),
            runs: self.runs.min(1_000_000),
            days: self.days.clamp(1, 31),
            median_run_seconds: self.median_run_seconds.clamp(1, 86_400),
            seed: self.seed,
        }
    }
}

fn default_days() -> u64 {
    7
}

fn default_median() -> u64 {
    240
}

fn default_seed() -> u64 {
    1
}

/// How busy an hour is, relative to the busiest: office hours on weekdays, a trickle at night and
/// on weekends (days counted from the epoch, which began on a Thursday).
fn rhythm(ms: u64) -> f64 {
    let hour = (ms % DAY) / HOUR;
    let weekday = (ms / DAY + 3) % 7; // 0 = Monday
    let daily = match hour {
        0..=5 => 0.02,
        6..=7 => 0.2,
        8..=11 => 1.0,
        12 => 0.6,
        13..=16 => 0.9,
        17..=19 => 0.4,
        _ => 0.1,
    };
    let weekly = if weekday >= 5 { 0.15 } else { 1.0 };
    daily * weekly
}

/// Queue times in `[start, end)`, oldest first: pushes drawn from the rhythm, each queuing 1 to 3
/// runs seconds apart (a commit builds several images).
fn arrivals(rng: &mut StdRng, runs: usize, start: u64, end: u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(runs);
    while out.len() < runs {
        let t = rng.gen_range(start..end);
        if rng.gen::<f64>() >= rhythm(t) {
            continue;
        }
        for i in 0..rng.gen_range(1..=3u64).min((runs - out.len()) as u64) {
            out.push((t + i * rng.gen_range(1_000..20_000)).min(end - 1));
        }
    }
    out.sort_unstable();
    out
}

/// A run time with a long tail: log-normal around the median, and one run in twenty five times
/// longer (a cold cache, a big image).
fn run_time(rng: &mut StdRng, median_ms: u64) -> u64 {
    // Box–Muller.
    let (u1, u2): (f64, f64) = (rng.gen_range(f64::EPSILON..1.0), rng.gen());
    let normal = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
    let tail = if rng.gen::<f64>() < 0.05 { 5.0 } else { 1.0 };
    ((median_ms as f64 * (0.5 * normal).exp() * tail) as u64).max(5_000)
}

/// When each run (oldest first) starts on `count` instances, first come first served.
pub fn place(queued: &[(u64, u64)], count: usize) -> Vec<u64> {
    let mut free: BinaryHeap<Reverse<u64>> = (0..count).map(|_| Reverse(0)).collect();
    queued
        .iter()
        .map(|&(at, run)| {
            let Reverse(f) = free.pop().expect("at least one instance");
            let start = f.max(at);
            free.push(Reverse(start + run));
            start
        })
        .collect()
}

/// When each run (oldest first) starts when the pool's instance count changes over time
/// (`instances(t)`, changing only at `changes`): first come first served, a run in flight when
/// the count drops finishes, and nothing starts while as many run as there are instances. `None`
/// for runs that would never start.
pub fn place_following(queued: &[(u64, u64)], instances: &dyn Fn(u64) -> usize, changes: &[u64]) -> Vec<Option<u64>> {
    let mut changes = changes.to_vec();
    changes.sort_unstable();
    let mut placed: Vec<(u64, u64)> = Vec::new();
    let mut last_start = 0;
    let mut out = Vec::with_capacity(queued.len());
    for &(at, run) in queued {
        let mut t = at.max(last_start);
        let start = loop {
            let ends: Vec<u64> = placed.iter().filter(|(s, e)| *s <= t && t < *e).map(|(_, e)| *e).collect();
            if ends.len() < instances(t) {
                break Some(t);
            }
            let next_change = changes.iter().copied().find(|&c| c > t);
            match ends.into_iter().min().into_iter().chain(next_change).min() {
                Some(next) => t = next,
                None => break None,
            }
        };
        match start {
            Some(s) => {
                placed.push((s, s + run));
                last_start = s;
                out.push(Some(s));
            }
            None => {
                out.resize(queued.len(), None);
                break;
            }
        }
    }
    out
}

/// Adds the plan's runs to the pool of `registry`, queued in the `days` before `end_ms` and all
/// finished by then: runs the pool could not have finished by `end_ms` are left out (the newest
/// ones; leaving them out changes no earlier run's times). Returns how many were added. The pool
/// keeps its count through the week: the history shows no scale changes.
pub fn seed(state: &mut State, registry: &Registry, plan: &Plan, end_ms: u64) -> Result<usize, String> {
    seed_following(state, registry, plan, end_ms, None)
}

/// `seed`, on instances that follow a schedule (`instances(t)`, changing at the times given).
pub fn seed_following(state: &mut State, registry: &Registry, plan: &Plan, end_ms: u64, schedule: Option<(&dyn Fn(u64) -> usize, &[u64])>) -> Result<usize, String> {
    let key = RegistryKey { sub: &registry.subscription, rg: &registry.resource_group, name: &registry.name };
    let pool = state.pool_index(key, &plan.pool).map(|i| state.pools[i].clone()).ok_or_else(|| format!("no pool '{}' in {}", plan.pool, registry.name))?;
    if pool.count <= 0 && schedule.is_none() {
        return Err(format!("'{}' has no instances: nothing it queued could have run", pool.name));
    }
    let plan = &plan.clamped();
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let start = end_ms.saturating_sub(plan.days * DAY);
    if end_ms < start + HOUR || plan.runs == 0 {
        return Ok(0);
    }
    let queued: Vec<(u64, u64)> = arrivals(&mut rng, plan.runs, start, end_ms).into_iter().map(|at| (at, run_time(&mut rng, plan.median_run_seconds * 1000))).collect();
    let starts: Vec<Option<u64>> = match schedule {
        None => place(&queued, pool.count as usize).into_iter().map(Some).collect(),
        Some((instances, changes)) => place_following(&queued, instances, changes),
    };
    // History has ids of its own (`cb1`, `cb2`…, after any the registry has): the registry's run
    // counter is left alone, so the next scheduled run is `ca9` after every reset of the demo,
    // however many runs the week came to.
    let mut next_id = state
        .runs
        .iter()
        .filter(|r| same(&r.registry, &registry.name) && same(&r.subscription, &registry.subscription))
        .filter_map(|r| r.run_id.strip_prefix("cb")?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let mut added = 0;
    for (&(create_ms, duration_ms), start_ms) in queued.iter().zip(starts) {
        let Some(start_ms) = start_ms.filter(|s| s + duration_ms <= end_ms) else {
            break;
        };
        next_id += 1;
        let failed = rng.gen::<f64>() < 0.04;
        state.runs.push(Run {
            subscription: registry.subscription.clone(),
            resource_group: registry.resource_group.clone(),
            registry: registry.name.clone(),
            run_id: format!("cb{next_id}"),
            status: if failed { "Failed".into() } else { "Succeeded".into() },
            run_type: "QuickBuild".into(),
            agent_pool_name: Some(pool.name.clone()),
            task_name: None,
            create_ms,
            start_ms: Some(start_ms),
            finish_ms: Some(start_ms + duration_ms),
            last_updated_ms: start_ms + duration_ms,
            duration_ms,
            will_fail: failed,
            output_images: Vec::new(),
            platform_os: "Linux".into(),
            is_archive_enabled: false,
            source_location: Some("https://github.com/Azure-Samples/acr-build-helloworld-node.git".into()),
            docker_file: Some("Dockerfile".into()),
            error_message: failed.then(|| "The command '/bin/sh -c npm test' returned a non-zero code: 1".into()),
            cpu: None,
        scheduled_by: None,
            system_data: None,
            timer: None,
            script: None,
        });
        added += 1;
    }
    Ok(added)
}

#[derive(Debug, PartialEq, Eq)]
pub enum SeedError {
    NoPool(String),
    NoInstances(String),
}

/// Replaces a pool's past with the plan's week (admin `POST /seed-history`), optionally at a new
/// `count`. The week ends five minutes before the pool's oldest run still queued or running (so
/// those find the instances as they were), and the pool's finished runs from the first one still
/// running when the week begins go: two histories on the same instances would run more at once
/// than the pool has. Everything is
/// checked before anything changes. Returns the runs added and the week's end.
pub fn replace(state: &mut State, registry: &Registry, plan: &Plan, count: Option<i32>, now_ms: u64) -> Result<(usize, u64), SeedError> {
    let plan = plan.clamped();
    let key = RegistryKey { sub: &registry.subscription, rg: &registry.resource_group, name: &registry.name };
    let i = state.pool_index(key, &plan.pool).ok_or_else(|| SeedError::NoPool(format!("no pool '{}' in {}", plan.pool, registry.name)))?;
    let count = count.unwrap_or(state.pools[i].count);
    if count <= 0 {
        return Err(SeedError::NoInstances(format!("'{}' has no instances: nothing it queued could have run", plan.pool)));
    }
    state.pools[i].count = count;
    let ours = |r: &Run| same(&r.registry, &registry.name) && same(&r.subscription, &registry.subscription) && r.agent_pool_name.as_deref().is_some_and(|p| same(p, &plan.pool));
    let first_live = state.runs.iter().filter(|r| ours(r) && !r.is_finished()).map(|r| r.create_ms).min();
    let end = first_live.unwrap_or(now_ms).min(now_ms).saturating_sub(5 * MIN);
    let start = end.saturating_sub(plan.days * DAY);
    // What goes is a tail in queue order (everything from the first run still busy at `start`):
    // first come first served, cutting a tail changes no earlier run's start, and every run
    // before the cut ended before the new week begins.
    let cut = state.runs.iter().filter(|r| ours(r) && r.is_finished() && r.finish_ms.unwrap_or(r.create_ms) > start).map(|r| r.create_ms).min();
    if let Some(cut) = cut {
        state.runs.retain(|r| !(ours(r) && r.is_finished() && r.create_ms >= cut));
    }
    let added = seed(state, registry, &plan, end).map_err(SeedError::NoInstances)?;
    Ok((added, end))
}
