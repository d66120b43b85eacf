//! Tasks (Microsoft.ContainerRegistry 2019-06-01-preview): the ones bound to a pool can be run
//! from its page, and a task bound to it created there.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

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

    /// PUT of the whole task: idempotent.
    pub async fn create(client: &ArmClient, registry: &RegistryId, name: &str, task: &Task) -> Result<Task, ArmError> {
        client.write(Method::PUT, &format!("{}/tasks/{name}?api-version={API_VERSION}", registry.path()), task, true).await?.json()
    }
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;
