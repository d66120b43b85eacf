//! A pool's schedule as Azure holds it (issue 21): its tasks, whether each identity may scale the
//! pool, and what each timer last did. Read by the Schedule tab, and again while an identity waits.

use std::collections::BTreeMap;

use crate::arm::client::ArmClient;
use crate::arm::id::AgentPoolId;
use crate::arm::tasks::ScheduleTask;
use crate::arm::{role_assignments, runs, tasks, ArmError};

/// A rule's task's last run: its id, status and why it failed.
#[derive(Clone, Debug, PartialEq)]
pub struct LastRun {
    pub run_id: String,
    pub status: String,
    pub error: Option<String>,
}

/// The schedule as Azure holds it now.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub tasks: Vec<ScheduleTask>,
    /// Whether each identity (principal id) may scale the pool; `None` if that could not be read.
    pub allowed: BTreeMap<String, Option<bool>>,
    pub last_run: BTreeMap<String, LastRun>,
}

impl Loaded {
    pub fn waiting(&self) -> Vec<String> {
        self.tasks.iter().filter_map(|t| t.principal_id.clone()).filter(|p| self.allowed.get(p) == Some(&Some(false))).collect()
    }

    pub fn zone(&self) -> Option<String> {
        // A tag is anyone's text: a zone the browser does not know reads as UTC.
        self.tasks.iter().find_map(|t| t.zone.as_deref().map(crate::live::zone::known_or_utc))
    }
}

pub async fn load(client: &ArmClient, id: &AgentPoolId) -> Result<Loaded, ArmError> {
    let all = tasks::list(client, &id.registry).await?;
    let mut found: Vec<ScheduleTask> = all.iter().filter_map(|t| t.schedule_of(&id.name)).collect();
    found.sort_by_key(|t| t.rule.map(|r| (r.days.0.trailing_zeros(), r.at_min)));
    let scope = id.registry.path();
    let mut allowed = BTreeMap::new();
    let mut last_run = BTreeMap::new();
    for t in &found {
        if let Some(p) = &t.principal_id {
            let ok = role_assignments::list_for(client, &scope, p).await.ok().map(|list| list.iter().any(|a| a.lets_scale(&scope)));
            allowed.insert(p.clone(), ok);
        }
        if let Ok(list) = runs::list_for_task(client, &id.registry, &t.name, 1).await {
            if let Some(r) = list.first() {
                last_run.insert(t.name.clone(), LastRun { run_id: r.run_id().to_string(), status: r.status().to_string(), error: r.properties.run_error_message.clone() });
            }
        }
    }
    Ok(Loaded { tasks: found, allowed, last_run })
}


/// What a pool's schedule did lately: its rules' tasks and their newest runs, newest first.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Recent {
    pub tasks: Vec<ScheduleTask>,
    pub runs: Vec<runs::Run>,
}

impl Recent {
    /// The rule a run's task carries out, if it is one of the schedule's.
    pub fn rule_of(&self, run: &runs::Run) -> Option<crate::domain::schedule::Rule> {
        let task = run.properties.task.as_deref()?;
        self.tasks.iter().find(|t| t.name.eq_ignore_ascii_case(task)).and_then(|t| t.rule)
    }

    /// The newest run of each rule that failed, with its reason: a change that did not happen.
    pub fn failed(&self) -> Vec<&runs::Run> {
        let mut seen = std::collections::BTreeSet::new();
        self.runs
            .iter()
            .filter(|r| crate::domain::queue::is_finished(r.status()))
            .filter(|r| seen.insert(r.properties.task.clone().unwrap_or_default().to_ascii_lowercase()))
            .filter(|r| r.status() != "Succeeded")
            .collect()
    }
}

/// Two requests: the registry's tasks, then (only if the pool has a schedule) the newest `top`
/// runs of its tasks. The tasks run on the registry's shared pool, so the pool's own runs list
/// does not hold them.
pub async fn recent(client: &ArmClient, id: &AgentPoolId, top: u32) -> Result<Recent, ArmError> {
    let all = tasks::list(client, &id.registry).await?;
    let found: Vec<ScheduleTask> = all.iter().filter_map(|t| t.schedule_of(&id.name)).collect();
    if found.is_empty() {
        return Ok(Recent::default());
    }
    let names: Vec<String> = found.iter().map(|t| t.name.clone()).collect();
    let runs = runs::list_for_tasks(client, &id.registry, &names, top).await?;
    Ok(Recent { tasks: found, runs })
}
