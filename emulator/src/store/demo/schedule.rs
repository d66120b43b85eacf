//! build-s2's schedule (issue 21): weekdays 07:00–20:00 UTC at 2 instances, otherwise 0, as the
//! portal writes one: a task per rule with a timer trigger, a system-assigned identity and the
//! scaling script, each identity given Container Registry Tasks Contributor on the registry by
//! Olivia. Its past week: a timer run per occurrence (with the CLI's log) and the identity's
//! writes in the Activity Log; a night's or weekend's runs wait for the morning.

use base64::Engine;
use serde_json::json;

use super::ids::CONTOSO_SUB;
use crate::authority::users;
use crate::store::activity::Who;
use crate::store::script::Log;
use crate::store::{Registry, Role, RoleAssignment, Run, State, SystemData, Task, TimerFire};

const MIN: u64 = 60_000;
const HOUR: u64 = 60 * MIN;
const DAY: u64 = 24 * HOUR;

/// Made this long before the demo starts: after build-s2 itself (6 days 20 hours before).
pub const AGE_MS: u64 = 6 * DAY + 2 * HOUR;
/// How long the demo's scaling runs took (the CLI waiting for the update).
const RUN_MS: u64 = 42_000;

pub struct Rule {
    pub task: &'static str,
    /// UTC cron (minute hour * * weekdays).
    pub cron: &'static str,
    pub hour: u64,
    pub count: i32,
    /// How the portal records the rule in the task's tags.
    pub text: &'static str,
}

pub const RULES: [Rule; 2] = [
    Rule { task: "poolportal-build-s2-weekdays-0700-to-2", cron: "0 7 * * 1-5", hour: 7, count: 2, text: "mon-fri 07:00 2" },
    Rule { task: "poolportal-build-s2-weekdays-2000-to-0", cron: "0 20 * * 1-5", hour: 20, count: 0, text: "mon-fri 20:00 0" },
];

/// The task YAML the portal writes for a rule (docs/NOTES: `az` is an ACR Tasks image alias).
pub fn yaml(sub: &str, rg: &str, registry: &str, pool: &str, count: i32) -> String {
    format!(
        "version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update --subscription {sub} -g {rg} -r {registry} -n {pool} --count {count}\n"
    )
}

fn task(reg: &Registry, rule: &Rule, created_ms: u64) -> Task {
    let content = base64::engine::general_purpose::STANDARD.encode(yaml(&reg.subscription, &reg.resource_group, &reg.name, "build-s2", rule.count));
    let olivia = Who::user(&users::OWNER);
    Task {
        subscription: reg.subscription.clone(),
        resource_group: reg.resource_group.clone(),
        registry: reg.name.clone(),
        name: rule.task.into(),
        location: reg.location.clone(),
        tags: vec![
            ("poolportal-pool".into(), "build-s2".into()),
            ("poolportal-rule".into(), rule.text.into()),
            ("poolportal-zone".into(), "UTC".into()),
        ],
        created_ms,
        properties: json!({
            "status": "Enabled",
            "platform": { "os": "Linux", "architecture": "amd64" },
            "timeout": 600,
            "step": { "type": "EncodedTask", "encodedTaskContent": content, "values": [] },
            "trigger": { "timerTriggers": [{ "name": "t1", "schedule": rule.cron, "status": "Enabled" }] },
        }),
        identity: Some(json!({ "type": "SystemAssigned" })),
        system_data: Some(SystemData::new(&olivia, created_ms)),
        has_run: true,
    }
}

/// Weekday (Monday = 0) of a time: the epoch began on a Thursday.
fn weekday(ms: u64) -> u64 {
    (ms / DAY + 3) % 7
}

/// Each occurrence in `(from, to]`: (when, the rule).
pub fn occurrences(from: u64, to: u64) -> Vec<(u64, &'static Rule)> {
    let mut out = Vec::new();
    let mut day = from / DAY * DAY;
    while day <= to {
        if weekday(day) < 5 {
            for rule in &RULES {
                let at = day + rule.hour * HOUR;
                if at > from && at <= to {
                    out.push((at, rule));
                }
            }
        }
        day += DAY;
    }
    out.sort_by_key(|(at, _)| *at);
    out
}

/// Instances build-s2 has at `t` by the schedule (made at `since`), `None` before it existed.
pub fn capacity(since: u64, t: u64) -> Option<usize> {
    if t < since {
        return None;
    }
    Some(occurrences(since.saturating_sub(7 * DAY), t).last().map_or(0, |(_, r)| r.count as usize))
}

/// Instances build-s2 had at `t` in the demo ending at `now`: 2 before the schedule and after
/// Olivia's override, the schedule's count between.
pub fn instances(now: u64, t: u64) -> usize {
    match override_at(now) {
        Some(o) if t >= o => 2,
        _ => capacity(now.saturating_sub(AGE_MS), t).unwrap_or(2),
    }
}

/// When `instances` changes, for a replay of the demo's week.
pub fn changes(now: u64) -> Vec<u64> {
    let since = now.saturating_sub(AGE_MS);
    occurrences(since, now).into_iter().map(|(at, _)| at).chain([since]).chain(override_at(now)).collect()
}

/// When Olivia scaled build-s2 back to 2 after the schedule's last word, 0 (the demo's pool runs
/// builds now, whatever the hour); `None` when the schedule last said 2.
pub fn override_at(now: u64) -> Option<u64> {
    let (last, rule) = occurrences(now.saturating_sub(AGE_MS), now.saturating_sub(MIN)).last().copied()?;
    (rule.count == 0).then(|| (last + 5 * MIN).min(now - MIN))
}

/// The identity's writes in the week before `now`: (when, count, who).
pub fn writes(state_tasks: &[Task], now: u64) -> Vec<(u64, i32, Who)> {
    let since = now.saturating_sub(AGE_MS);
    occurrences(since, now.saturating_sub(MIN))
        .into_iter()
        .filter_map(|(at, rule)| {
            let t = state_tasks.iter().find(|t| t.name == rule.task)?;
            Some((at + 1_000, rule.count, Who::managed_identity(&t.principal_id()?, &t.client_id()?)))
        })
        .collect()
}

/// Adds the tasks, their identities' role assignments and their past runs (the demo's clock must
/// have the schedule's age behind it).
pub fn add(state: &mut State, now: u64) {
    if now < AGE_MS + DAY {
        return;
    }
    let since = now - AGE_MS;
    let reg = state.registries.iter().find(|r| r.name == "contosobuilds").cloned().expect("contosobuilds");
    let pool = state.pools.iter().find(|p| p.name == "build-s2").cloned().expect("build-s2");
    for rule in &RULES {
        let t = task(&reg, rule, since);
        state.assignments.push(RoleAssignment {
            principal: t.principal_id().expect("a system-assigned identity"),
            subscription: CONTOSO_SUB.into(),
            role: Role::TasksContributor,
            scope: Some(crate::store::registry_id(&reg.subscription, &reg.resource_group, &reg.name)),
            name: None,
            principal_type: Some("ServicePrincipal".into()),
            created_ms: since + MIN,
            created_by: Some(users::OWNER.oid.into()),
        });
        state.tasks.push(t);
    }
    let accounts = vec![(reg.subscription.clone(), "Contoso Platform (demo)".to_string())];
    let mut n = 0;
    for (at, rule) in occurrences(since, now - MIN) {
        n += 1;
        let start = at + 1_000;
        let mut log = Log::new(start);
        log.logged_in(&accounts);
        log.scaled(RUN_MS - 1_000, &pool, rule.count);
        state.runs.push(Run {
            subscription: reg.subscription.clone(),
            resource_group: reg.resource_group.clone(),
            registry: reg.name.clone(),
            run_id: format!("cs{n}"),
            status: "Succeeded".into(),
            run_type: "AutoRun".into(),
            agent_pool_name: None,
            task_name: Some(rule.task.into()),
            create_ms: at,
            start_ms: Some(start),
            finish_ms: Some(start + RUN_MS),
            last_updated_ms: start + RUN_MS,
            duration_ms: RUN_MS,
            will_fail: false,
            output_images: Vec::new(),
            platform_os: "Linux".into(),
            is_archive_enabled: false,
            source_location: None,
            docker_file: None,
            error_message: None,
            cpu: None,
            scheduled_by: None,
            system_data: None,
            timer: Some(TimerFire { name: "t1".into(), occurrence_ms: at }),
            script: Some(log.lines),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_from_seven_to_eight_at_two_otherwise_nothing() {
        // 1970-01-05 was a Monday.
        let monday = 4 * DAY;
        assert_eq!(capacity(0, monday + 6 * HOUR), Some(0));
        assert_eq!(capacity(0, monday + 7 * HOUR), Some(2));
        assert_eq!(capacity(0, monday + 19 * HOUR + 59 * MIN), Some(2));
        assert_eq!(capacity(0, monday + 20 * HOUR), Some(0));
        assert_eq!(capacity(0, monday + 5 * DAY + 12 * HOUR), Some(0), "Saturday");
        assert_eq!(capacity(monday, monday - 1), None);
        assert_eq!(occurrences(monday, monday + 7 * DAY).len(), 10);
    }
}
