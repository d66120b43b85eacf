//! Time passing in the emulated service: long-running operations finish, and runs are scheduled
//! onto pool instances (at most `count` running per pool, first come first served), run, and end.
//!
//! `advance` replays every event up to `now` in time order, so the outcome does not depend on how
//! often it is called, nor on how fast the clock runs.

pub mod cli;
pub mod cron;
pub mod logs;
pub mod nsg;
pub mod timers;


use std::collections::HashMap;

use crate::store::{activity, same, AgentPool, OpError, OpKind, State};

fn pool_accepts_runs(p: &AgentPool) -> bool {
    // Instances exist once created; an update keeps the old ones working meanwhile.
    matches!(p.provisioning_state.as_str(), "Succeeded" | "Updating")
}

/// A pool as runs name it: subscription, group, registry, pool (lower-cased: ARM ignores case).
type PoolKey = (String, String, String, String);

fn key(sub: &str, rg: &str, registry: &str, pool: &str) -> PoolKey {
    (sub.to_ascii_lowercase(), rg.to_ascii_lowercase(), registry.to_ascii_lowercase(), pool.to_ascii_lowercase())
}

/// How long a run stays queued before the service picks it up, even with room (recorded runs
/// start about 0.3 s after they are created; `scheduleRun` answers while they are `Queued`).
pub const QUEUE_MS: u64 = 1_000;

/// Starts queued runs where instances are free, at time `at`, oldest first. One pass over the
/// runs: this runs before every request, with thousands of runs in the stress test.
fn schedule(state: &mut State, at: u64) {
    let mut free: HashMap<PoolKey, usize> = state
        .pools
        .iter()
        .filter(|p| pool_accepts_runs(p))
        .map(|p| (key(&p.subscription, &p.resource_group, &p.registry, &p.name), p.count.max(0) as usize))
        .collect();
    for r in state.runs.iter().filter(|r| r.status == "Running") {
        if let Some(n) = r.agent_pool_name.as_deref().and_then(|n| free.get_mut(&key(&r.subscription, &r.resource_group, &r.registry, n))) {
            *n = n.saturating_sub(1);
        }
    }
    let mut order: Vec<usize> = (0..state.runs.len()).filter(|&i| state.runs[i].status == "Queued" && state.runs[i].create_ms + QUEUE_MS <= at).collect();
    order.sort_by_key(|&i| (state.runs[i].create_ms, i));
    let mut started = Vec::new();
    for i in order {
        let run = &mut state.runs[i];
        let slot = match &run.agent_pool_name {
            // Without a pool, the shared Azure-managed pool always has room.
            None => true,
            Some(name) => match free.get_mut(&key(&run.subscription, &run.resource_group, &run.registry, name)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    true
                }
                _ => false,
            },
        };
        if slot {
            run.status = "Running".into();
            run.start_ms = Some(at);
            run.last_updated_ms = at;
            started.push(i);
        }
    }
    // A script the emulator plays (scheduled scaling) does its work as it starts.
    for i in started {
        cli::start(state, i, at);
    }
}

/// The earliest event due at or before `now`: a pool operation or a run finishing, or a queued
/// run becoming ready to start after `floor` (the time already brought up to date: a run still
/// waiting for an instance is not an event again).
fn next_event(state: &State, floor: u64, now: u64) -> Option<u64> {
    let ops = state.pools.iter().filter_map(|p| p.pending.as_ref().map(|o| o.done_at_ms));
    let runs = state.runs.iter().filter(|r| r.status == "Running").filter_map(|r| r.start_ms.map(|s| s + r.duration_ms));
    let ready = state.runs.iter().filter(|r| r.status == "Queued").map(|r| r.create_ms + QUEUE_MS).filter(|&t| t > floor);
    let timer = timers::next(state, floor);
    ops.chain(runs).chain(ready).chain(timer).filter(|&t| t <= now).min()
}

fn finish_operation(state: &mut State, id: &str, at: u64, error: Option<OpError>) {
    let Some(op) = state.operations.iter_mut().find(|o| o.id == id) else { return };
    op.status = if error.is_some() { "Failed".into() } else { "Succeeded".into() };
    op.end_ms = Some(at);
    op.error = error.clone();
    if let Some(context) = op.activity.clone() {
        activity::ended(&mut state.events, &context, at, error.map(|e| (e.code, e.message)));
    }
}

fn fail_queued_runs_of(state: &mut State, gone: &AgentPool, at: u64) {
    let waiting = state.runs.iter_mut().filter(|r| {
        r.status == "Queued"
            && same(&r.subscription, &gone.subscription)
            && same(&r.resource_group, &gone.resource_group)
            && same(&r.registry, &gone.registry)
            && r.agent_pool_name.as_deref().is_some_and(|n| same(n, &gone.name))
    });
    for run in waiting {
        run.status = "Failed".into();
        run.finish_ms = Some(at);
        run.last_updated_ms = at;
        run.error_message = Some(format!("The agent pool '{}' was deleted before the run started.", gone.name));
    }
}

fn apply(state: &mut State, at: u64) {
    // Pool operations due now.
    let mut i = 0;
    while i < state.pools.len() {
        let due = state.pools[i].pending.as_ref().is_some_and(|o| o.done_at_ms <= at);
        if !due {
            i += 1;
            continue;
        }
        let op = state.pools[i].pending.take().expect("due");
        finish_operation(state, &op.operation, at, op.failure.clone());
        if op.kind == OpKind::Delete && op.failure.is_none() {
            let gone = state.pools.remove(i);
            fail_queued_runs_of(state, &gone, at);
            continue;
        }
        let pool = &mut state.pools[i];
        pool.provisioning_state = if op.failure.is_some() { "Failed".into() } else { "Succeeded".into() };
        if let (OpKind::Update, None, Some(count)) = (op.kind, &op.failure, op.new_count) {
            pool.count = count;
        }
        i += 1;
    }
    // Runs that finish now; a task whose run ended has its base images resolved.
    let mut tasks_run = Vec::new();
    for run in state.runs.iter_mut().filter(|r| r.status == "Running" && r.start_ms.is_some_and(|s| s + r.duration_ms <= at)) {
        if let Some(task) = &run.task_name {
            tasks_run.push((run.subscription.clone(), run.resource_group.clone(), run.registry.clone(), task.clone()));
        }
        run.status = if run.will_fail { "Failed".into() } else { "Succeeded".into() };
        if run.will_fail && run.error_message.is_none() {
            run.error_message = Some("The command '/bin/sh -c npm test' returned a non-zero code: 1".into());
        }
        run.finish_ms = Some(run.start_ms.unwrap_or(at) + run.duration_ms);
        run.last_updated_ms = at;
    }
    for (sub, rg, registry, name) in tasks_run {
        if let Some(t) = state.tasks.iter_mut().find(|t| same(&t.subscription, &sub) && same(&t.resource_group, &rg) && same(&t.registry, &registry) && same(&t.name, &name)) {
            t.has_run = true;
        }
    }
}

/// Brings the state up to `now`.
pub fn advance(state: &mut State, now: u64) {
    let mut floor = state.advanced_to_ms;
    while let Some(at) = next_event(state, floor, now) {
        timers::fire(state, floor, at);
        apply(state, at);
        schedule(state, at);
        floor = floor.max(at);
    }
    schedule(state, now);
    state.advanced_to_ms = state.advanced_to_ms.max(now);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{demo, PendingOp, RegistryKey};

    const MIN: u64 = 60_000;

    fn contoso(state: &State) -> RegistryKey<'_> {
        let r = &state.registries[0];
        RegistryKey { sub: &r.subscription, rg: &r.resource_group, name: &r.name }
    }

    fn status_of(state: &State, id: &str) -> String {
        state.runs.iter().find(|r| r.run_id == id).unwrap().status.clone()
    }

    #[test]
    fn a_pool_runs_at_most_count_runs_and_drains_its_queue_in_order() {
        let now = 100 * MIN;
        let mut s = demo::state(now);
        advance(&mut s, now);
        // build-s2 has 2 instances: ca3, ca4 run, ca5 waits.
        assert_eq!((status_of(&s, "ca3"), status_of(&s, "ca4"), status_of(&s, "ca5")), ("Running".into(), "Running".into(), "Queued".into()));
        let pool = s.pools.iter().find(|p| p.name == "build-s2").unwrap().clone();
        assert_eq!(s.queued_on(&pool), 1);
        // ca4 (12 min, started a minute ago) ends first; ca5 takes its place.
        advance(&mut s, now + 12 * MIN);
        assert_eq!((status_of(&s, "ca4"), status_of(&s, "ca5")), ("Succeeded".into(), "Running".into()));
        let ca5 = s.runs.iter().find(|r| r.run_id == "ca5").unwrap();
        assert_eq!(ca5.start_ms, Some(now - MIN + 2_000 + 12 * MIN), "started the moment ca4 ended, not when we looked");
    }

    #[test]
    fn count_zero_leaves_runs_queued_and_scaling_up_drains_them() {
        let now = 100 * MIN;
        let mut s = demo::state(now);
        advance(&mut s, now + 60 * MIN);
        assert_eq!((status_of(&s, "ca6"), status_of(&s, "ca7")), ("Queued".into(), "Queued".into()));
        let i = s.pool_index(contoso(&s), "nightly-s1").unwrap();
        s.pools[i].provisioning_state = "Updating".into();
        s.pools[i].pending = Some(PendingOp { operation: "op".into(), kind: OpKind::Update, done_at_ms: now + 61 * MIN, new_count: Some(1), failure: None });
        advance(&mut s, now + 61 * MIN);
        assert_eq!(s.pools[i].count, 1);
        assert_eq!((status_of(&s, "ca6"), status_of(&s, "ca7")), ("Running".into(), "Queued".into()), "one instance, oldest first");
        advance(&mut s, now + 61 * MIN + 5 * MIN);
        assert_eq!((status_of(&s, "ca6"), status_of(&s, "ca7")), ("Succeeded".into(), "Running".into()));
    }

    #[test]
    fn after_scaling_down_a_queued_run_starts_when_the_smaller_count_has_room() {
        let now = 100 * MIN;
        let mut s = demo::state(now);
        advance(&mut s, now);
        // build-s2 goes from 2 instances to 1 a minute from now, while ca3 and ca4 run.
        let i = s.pool_index(contoso(&s), "build-s2").unwrap();
        s.pools[i].provisioning_state = "Updating".into();
        s.pools[i].pending = Some(PendingOp { operation: "op".into(), kind: OpKind::Update, done_at_ms: now + MIN, new_count: Some(1), failure: None });
        advance(&mut s, now + 20 * MIN);
        let start = |id: &str| s.runs.iter().find(|r| r.run_id == id).unwrap().start_ms;
        // ca4 ends first (now + 11 min 2 s) but leaves ca3 on the one instance; ca5 waits for ca3.
        let ca3 = s.runs.iter().find(|r| r.run_id == "ca3").unwrap();
        assert_eq!(ca3.finish_ms, Some(now + 13 * MIN + 2_000));
        assert_eq!(start("ca5"), ca3.finish_ms, "started when the one instance was free, not when ca4 ended");
    }

    #[test]
    fn a_failed_create_leaves_the_pool_failed_with_its_error() {
        let mut s = demo::state(0);
        let i = s.pool_index(contoso(&s), "vnet-s3").unwrap();
        s.pools[i].provisioning_state = "Creating".into();
        let error = OpError { code: "X".into(), message: "blocked".into() };
        s.pools[i].pending = Some(PendingOp { operation: "op1".into(), kind: OpKind::Create, done_at_ms: 10, new_count: None, failure: Some(error.clone()) });
        s.operations.push(crate::store::Operation { id: "op1".into(), subscription: "s".into(), location: "eastus".into(), resource_id: "x".into(), kind: OpKind::Create, status: "InProgress".into(), start_ms: 0, end_ms: None, error: None, api_version: String::new(), activity: None });
        advance(&mut s, 10);
        assert_eq!(s.pools[i].provisioning_state, "Failed");
        assert_eq!((s.operations[0].status.as_str(), s.operations[0].error.as_ref()), ("Failed", Some(&error)));
    }

    #[test]
    fn deleting_a_pool_fails_its_queued_runs() {
        let mut s = demo::state(100 * MIN);
        let i = s.pool_index(contoso(&s), "nightly-s1").unwrap();
        s.pools[i].pending = Some(PendingOp { operation: "d".into(), kind: OpKind::Delete, done_at_ms: 100 * MIN, new_count: None, failure: None });
        advance(&mut s, 100 * MIN);
        assert!(s.pool_index(contoso(&s), "nightly-s1").is_none());
        assert_eq!(status_of(&s, "ca6"), "Failed");
    }
}
