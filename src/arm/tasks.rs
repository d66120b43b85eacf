//! Tasks (Microsoft.ContainerRegistry 2019-06-01-preview): the ones bound to a pool can be run
//! from its page, and a task bound to it created there.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;
use crate::domain::schedule::{self, Rule};

pub const API_VERSION: &str = "2019-06-01-preview";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub properties: TaskProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_pool_name: Option<String>,
    #[serde(default, deserialize_with = "keep_null", skip_serializing_if = "Option::is_none")]
    pub platform: Option<Value>,
    /// Docker, FileTask or EncodedTask step, kept as sent (`null` on a system task).
    #[serde(default, deserialize_with = "keep_null", skip_serializing_if = "Option::is_none")]
    pub step: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// An explicit `null` stays `Some(Null)`, so it is written back as it came; absent stays `None`.
fn keep_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

impl Task {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// What the task builds, for a list: the Docker step's file and images.
    pub fn describe_step(&self) -> String {
        let step = self.properties.step.as_ref();
        let get = |k: &str| step.and_then(|s| s.get(k)).and_then(Value::as_str).unwrap_or("");
        let images: Vec<&str> = step.and_then(|s| s.get("imageNames")).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        match get("type") {
            "Docker" => format!("docker build -f {} {} → {}", get("dockerFilePath"), get("contextPath"), images.join(", ")),
            "" => "no step (system task)".into(),
            other => format!("{other} step"),
        }
    }
}

/// A Docker-step task bound to `pool`, as `az acr task create --agent-pool` makes one (with
/// `--commit-trigger-enabled false --base-image-trigger-enabled false`): the same settings
/// written out, so the form and the command it echoes make the same task.
pub fn docker_task(location: &str, pool: &str, context: &str, docker_file: &str, images: Vec<String>) -> Task {
    let mut extra = Extra::new();
    extra.insert("timeout".into(), serde_json::json!(3600));
    extra.insert("agentConfiguration".into(), serde_json::json!({ "cpu": 2 }));
    extra.insert("isSystemTask".into(), serde_json::json!(false));
    Task {
        id: None,
        name: None,
        kind: None,
        location: location.to_string(),
        tags: None,
        properties: TaskProperties {
            status: Some("Enabled".into()),
            agent_pool_name: Some(pool.to_string()),
            platform: Some(serde_json::json!({ "os": "Linux", "architecture": "amd64" })),
            step: Some(serde_json::json!({
                "type": "Docker", "contextPath": context, "dockerFilePath": docker_file, "imageNames": images,
                "isPushEnabled": true, "noCache": false
            })),
            provisioning_state: None,
            extra,
        },
        extra: Extra::new(),
    }
}

/// Tags a schedule's tasks carry: which pool, the rule as the person wrote it, and its zone
/// (ACR's cron is UTC; the tags keep the local form the panel shows).
pub const TAG_POOL: &str = "poolportal-pool";
pub const TAG_RULE: &str = "poolportal-rule";
pub const TAG_ZONE: &str = "poolportal-zone";

/// Where a schedule's task sits and what it scales.
pub struct Target<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub registry: &'a str,
    pub location: &'a str,
    pub pool: &'a str,
}

/// The ACR task of one rule: a timer trigger with the rule's UTC cron at `offset_min`, no agent
/// pool (it runs on the registry's shared pool, so it can raise a pool at 0), a system-assigned
/// identity, and the two-step script (`az login --identity`, `az acr agentpool update`).
pub fn scaling_task(t: &Target, rule: &Rule, zone: &str, offset_min: i32) -> Task {
    let yaml = schedule::task_yaml(t.subscription, t.resource_group, t.registry, t.pool, rule.count);
    let mut extra = Extra::new();
    extra.insert("timeout".into(), serde_json::json!(600));
    extra.insert("isSystemTask".into(), serde_json::json!(false));
    extra.insert("trigger".into(), serde_json::json!({ "timerTriggers": [{ "name": "t1", "schedule": rule.cron(offset_min), "status": "Enabled" }] }));
    let mut outer = Extra::new();
    outer.insert("identity".into(), serde_json::json!({ "type": "SystemAssigned" }));
    Task {
        id: None,
        name: None,
        kind: None,
        location: t.location.to_string(),
        tags: Some(BTreeMap::from([(TAG_POOL.into(), t.pool.to_string()), (TAG_RULE.into(), rule.text()), (TAG_ZONE.into(), zone.to_string())])),
        properties: TaskProperties {
            status: Some("Enabled".into()),
            agent_pool_name: None,
            platform: Some(serde_json::json!({ "os": "Linux", "architecture": "amd64" })),
            step: Some(serde_json::json!({ "type": "EncodedTask", "encodedTaskContent": schedule::base64(yaml.as_bytes()), "values": [] })),
            provisioning_state: None,
            extra,
        },
        extra: outer,
    }
}

/// A task of a pool's schedule, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct ScheduleTask {
    pub name: String,
    /// The rule as written (local time), if its tag reads.
    pub rule: Option<Rule>,
    pub zone: Option<String>,
    /// The timer's cron as Azure keeps it (UTC), read as a rule (its count from the tag).
    pub utc: Option<Rule>,
    pub cron: Option<String>,
    pub enabled: bool,
    /// The system-assigned identity's object id.
    pub principal_id: Option<String>,
}

impl Task {
    /// Its system-assigned identity's object id, if it has one.
    pub fn principal_id(&self) -> Option<String> {
        self.extra.get("identity").and_then(|i| i.get("principalId")).and_then(Value::as_str).map(String::from)
    }

    /// The pool whose schedule it belongs to (its tag), and the path of its registry (from its id).
    pub fn scheduled_pool(&self) -> Option<(String, String)> {
        let pool = self.tags.as_ref()?.get(TAG_POOL)?.clone();
        let id = self.id.as_deref()?;
        let at = id.to_ascii_lowercase().rfind("/tasks/")?;
        Some((id[..at].to_string(), pool))
    }

    /// This task as part of `pool`'s schedule, if it is one (tagged for the pool).
    pub fn schedule_of(&self, pool: &str) -> Option<ScheduleTask> {
        let tags = self.tags.as_ref()?;
        if !tags.get(TAG_POOL).is_some_and(|p| p.eq_ignore_ascii_case(pool)) {
            return None;
        }
        let rule = tags.get(TAG_RULE).and_then(|r| Rule::parse(r).ok());
        let timer = self.properties.extra.get("trigger").and_then(|t| t.get("timerTriggers")).and_then(Value::as_array).and_then(|a| a.first()).cloned();
        let cron = timer.as_ref().and_then(|t| t.get("schedule")).and_then(Value::as_str).map(String::from);
        let enabled = timer.as_ref().and_then(|t| t.get("status")).and_then(Value::as_str).is_none_or(|s| !s.eq_ignore_ascii_case("Disabled"))
            && self.properties.status.as_deref().is_none_or(|s| !s.eq_ignore_ascii_case("Disabled"));
        // Without a readable rule tag the count is unknown: no UTC rule rather than a made-up 0.
        let utc = rule.and_then(|r| cron.as_deref().and_then(schedule::parse_cron).map(|u| Rule { count: r.count, ..u }));
        let principal_id = self.principal_id();
        Some(ScheduleTask { name: self.display_name().to_string(), rule, zone: tags.get(TAG_ZONE).cloned(), utc, cron, enabled, principal_id })
    }
}

/// A pool's schedule as the fleet shows it: how many rules, and the enabled ones in UTC.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PoolSchedule {
    pub rules: usize,
    pub utc: Vec<Rule>,
}

/// Every pool's schedule among `tasks` (any registries'), by pool path in lower case.
pub fn schedules(tasks: &[Task]) -> BTreeMap<String, PoolSchedule> {
    let mut out: BTreeMap<String, PoolSchedule> = BTreeMap::new();
    for t in tasks {
        let Some((registry, pool)) = t.scheduled_pool() else { continue };
        let Some(s) = t.schedule_of(&pool) else { continue };
        let entry = out.entry(format!("{registry}/agentPools/{pool}").to_ascii_lowercase()).or_default();
        entry.rules += 1;
        if let Some(u) = s.utc.filter(|_| s.enabled) {
            entry.utc.push(u);
        }
    }
    out
}

#[cfg(target_arch = "wasm32")]
mod calls {
    use gloo_net::http::Method;

    use super::*;
    use crate::arm::client::ArmClient;
    use crate::arm::id::RegistryId;
    use crate::arm::ArmError;

    pub async fn list(client: &ArmClient, registry: &RegistryId) -> Result<Vec<Task>, ArmError> {
        client.list_all(&format!("{}/tasks?api-version={API_VERSION}", registry.path())).await
    }

    pub async fn get(client: &ArmClient, registry: &RegistryId, name: &str) -> Result<Task, ArmError> {
        client.get(&format!("{}/tasks/{name}?api-version={API_VERSION}", registry.path())).await
    }

    pub async fn delete(client: &ArmClient, registry: &RegistryId, name: &str) -> Result<(), ArmError> {
        client.call(Method::DELETE, &format!("{}/tasks/{name}?api-version={API_VERSION}", registry.path()), true).await.map(|_| ())
    }

    /// PUT of the whole task: idempotent.
    pub async fn create(client: &ArmClient, registry: &RegistryId, name: &str, task: &Task) -> Result<Task, ArmError> {
        client.write(Method::PUT, &format!("{}/tasks/{name}?api-version={API_VERSION}", registry.path()), task, true).await?.json()
    }
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rules_task_reads_back_as_part_of_the_schedule() {
        let rule = Rule::parse("mon-fri 07:00 4").unwrap();
        let target = Target { subscription: "s", resource_group: "g", registry: "r", location: "eastus", pool: "build-s2" };
        let task = scaling_task(&target, &rule, "Europe/London", 60);
        let mut json = serde_json::to_value(&task).unwrap();
        assert_eq!(json["identity"]["type"], "SystemAssigned");
        assert_eq!(json["properties"]["trigger"]["timerTriggers"][0]["schedule"], "0 6 * * 1-5");
        assert!(json["properties"].get("agentPoolName").is_none(), "the shared pool runs it");
        json["name"] = "poolportal-build-s2-weekdays-0700-to-4".into();
        json["identity"]["principalId"] = "p1".into();
        let back: Task = serde_json::from_value(json).unwrap();
        let s = back.schedule_of("BUILD-S2").unwrap();
        assert_eq!((s.rule, s.zone.as_deref(), s.cron.as_deref(), s.principal_id.as_deref(), s.enabled), (Some(rule), Some("Europe/London"), Some("0 6 * * 1-5"), Some("p1"), true));
        assert_eq!(s.utc.map(|u| (u.at_min, u.count)), Some((360, 4)));
        assert!(back.schedule_of("other").is_none());
    }

    #[test]
    fn the_fleet_finds_each_pools_schedule_among_every_registrys_tasks() {
        let target = Target { subscription: "s", resource_group: "g", registry: "r", location: "eastus", pool: "build-s2" };
        let registry = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
        let made = |rule: &str, name: &str, enabled: bool| {
            let mut t = scaling_task(&target, &Rule::parse(rule).unwrap(), "UTC", 0);
            t.id = Some(format!("{registry}/tasks/{name}"));
            if !enabled {
                t.properties.status = Some("Disabled".into());
            }
            t
        };
        let mut other = made("mon-fri 07:00 1", "unrelated", true);
        other.tags = None;
        let tasks = [made("mon-fri 07:00 2", "a", true), made("mon-fri 20:00 0", "b", true), made("sat 09:00 1", "c", false), other];
        let found = schedules(&tasks);
        assert_eq!(found.len(), 1);
        let s = &found[&format!("{registry}/agentPools/build-s2").to_ascii_lowercase()];
        assert_eq!(s.rules, 3, "a disabled rule is still a rule");
        assert_eq!(s.utc.iter().map(|r| r.count).collect::<Vec<_>>(), [2, 0], "only enabled rules change the pool");
    }
}
