//! Timer triggers: a task's `trigger.timerTriggers` fire on the simulated clock (UTC cron) and
//! each occurrence queues a run of the task, as ACR Tasks do. A task without an `agentPoolName`
//! runs on the registry's shared pool, which always has room.

use crate::sim::cli;
use crate::sim::cron::Cron;
use crate::store::{Run, State, Task, TimerFire};

/// (name, cron) of a task's enabled timers; none while the task itself is disabled.
fn timers(task: &Task) -> Vec<(String, Cron)> {
    let p = &task.properties;
    if p.get("status").and_then(|s| s.as_str()).is_some_and(|s| s.eq_ignore_ascii_case("Disabled")) {
        return Vec::new();
    }
    let Some(list) = p.get("trigger").and_then(|t| t.get("timerTriggers")).and_then(|t| t.as_array()) else { return Vec::new() };
    list.iter()
        .filter(|t| !t.get("status").and_then(|s| s.as_str()).is_some_and(|s| s.eq_ignore_ascii_case("Disabled")))
        .filter_map(|t| Some((t.get("name")?.as_str()?.to_string(), Cron::parse(t.get("schedule")?.as_str()?)?)))
        .collect()
}

/// The next occurrence of any timer after `floor` (and after its task was made).
pub fn next(state: &State, floor: u64) -> Option<u64> {
    if state.timers_off {
        return None;
    }
    state.tasks.iter().flat_map(|t| timers(t).into_iter().filter_map(move |(_, c)| c.next_after(floor.max(t.created_ms)))).min()
}

/// Queues a run for every occurrence in `(floor, at]`.
pub fn fire(state: &mut State, floor: u64, at: u64) {
    if state.timers_off {
        return;
    }
    let mut due = Vec::new();
    for (i, task) in state.tasks.iter().enumerate() {
        for (name, cron) in timers(task) {
            if let Some(when) = cron.next_after(floor.max(task.created_ms)).filter(|&w| w <= at) {
                due.push((i, name, when));
            }
        }
    }
    due.sort_by_key(|(_, _, when)| *when);
    for (i, name, when) in due {
        let task = state.tasks[i].clone();
        queue(state, &task, TimerFire { name, occurrence_ms: when }, when);
    }
}

fn queue(state: &mut State, task: &Task, timer: TimerFire, at: u64) {
    state.run_counter += 1;
    let n = state.run_counter;
    let docker = task.properties.get("step").and_then(|s| s.get("type")).and_then(|t| t.as_str()) == Some("Docker");
    let duration_ms = match cli::plan(task) {
        Some(_) => cli::duration_ms(state.sim.lro_ms),
        None => state.sim.run_ms,
    };
    state.runs.push(Run {
        subscription: task.subscription.clone(),
        resource_group: task.resource_group.clone(),
        registry: task.registry.clone(),
        run_id: format!("ca{n}"),
        status: "Queued".into(),
        run_type: if docker { "AutoBuild" } else { "AutoRun" }.into(),
        agent_pool_name: task.agent_pool_name().filter(|p| !p.is_empty()).map(String::from),
        task_name: Some(task.name.clone()),
        create_ms: at,
        start_ms: None,
        finish_ms: None,
        last_updated_ms: at,
        duration_ms,
        will_fail: false,
        output_images: Vec::new(),
        platform_os: task.properties.get("platform").and_then(|p| p.get("os")).and_then(|o| o.as_str()).unwrap_or("Linux").to_string(),
        is_archive_enabled: false,
        source_location: None,
        docker_file: None,
        error_message: None,
        cpu: None,
        scheduled_by: None,
        system_data: None,
        timer: Some(timer),
        script: None,
    });
}
