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
        self.tasks.iter().find_map(|t| t.zone.clone())
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

