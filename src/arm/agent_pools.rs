//! Agent pools (Microsoft.ContainerRegistry, api-version 2019-06-01-preview: the only versions
//! with agent pools are previews, NOTES §1.9).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Extra;

pub const API_VERSION: &str = "2019-06-01-preview";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPool {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Required by the spec; fixed at creation.
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    pub properties: AgentPoolProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPoolProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
    /// A free string in the spec (S1, S2, S3, I6 in practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    /// Windows | Linux.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub virtual_network_subnet_resource_id: Option<String>,
    /// Creating | Updating | Deleting | Succeeded | Failed | Canceled (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The PATCH body: only count and tags can change after creation.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPoolUpdateParameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<AgentPoolPropertiesUpdateParameters>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentPoolPropertiesUpdateParameters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i32>,
}

impl AgentPool {
    pub fn count(&self) -> i32 {
        self.properties.count.unwrap_or(0)
    }

    pub fn tier(&self) -> &str {
        self.properties.tier.as_deref().unwrap_or("")
    }

    /// A resource without provisioningState counts as Succeeded (ARM RPC).
    pub fn state(&self) -> &str {
        self.properties.provisioning_state.as_deref().unwrap_or("Succeeded")
    }

    pub fn vcpu(&self) -> u32 {
        crate::domain::quota::pool_vcpu(self.tier(), self.count())
    }

    /// The pool's name from the list entry, falling back to the last segment of its id.
    pub fn display_name(&self) -> &str {
        self.name
            .as_deref()
            .or_else(|| self.id.as_deref().and_then(|id| id.rsplit('/').next()))
            .unwrap_or("")
    }
}

#[cfg(target_arch = "wasm32")]
pub async fn list(client: &super::client::ArmClient, registry: &super::id::RegistryId) -> Result<Vec<AgentPool>, super::ArmError> {
    client.list_all(&format!("{}/agentPools?api-version={API_VERSION}", registry.path())).await
}

#[cfg(target_arch = "wasm32")]
pub async fn get(client: &super::client::ArmClient, id: &super::id::AgentPoolId) -> Result<AgentPool, super::ArmError> {
    client.get(&format!("{}?api-version={API_VERSION}", id.path())).await
}

/// `{"count": n}`: the runs waiting for a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct QueueStatus {
    #[serde(default)]
    pub count: i32,
}

/// The body of a create: location, tier, count, Linux, optional subnet and tags.
pub fn new_pool(location: &str, tier: &str, count: i32, subnet: Option<String>, tags: BTreeMap<String, String>) -> AgentPool {
    AgentPool {
        id: None,
        name: None,
        kind: None,
        location: location.to_string(),
        tags: (!tags.is_empty()).then_some(tags),
        properties: AgentPoolProperties {
            count: Some(count),
            tier: Some(tier.to_string()),
            os: Some("Linux".into()),
            virtual_network_subnet_resource_id: subnet,
            provisioning_state: None,
            extra: Default::default(),
        },
        extra: Default::default(),
    }
}

#[cfg(target_arch = "wasm32")]
mod writes {
    use gloo_net::http::Method;

    use super::*;
    use crate::arm::client::{ArmClient, Reply};
    use crate::arm::id::AgentPoolId;
    use crate::arm::ArmError;

    fn url(id: &AgentPoolId) -> String {
        format!("{}?api-version={API_VERSION}", id.path())
    }

    /// PUT: idempotent, so a 503 or lost answer is retried.
    pub async fn create(client: &ArmClient, id: &AgentPoolId, pool: &AgentPool) -> Result<Reply, ArmError> {
        client.write(Method::PUT, &url(id), pool, true).await
    }

    /// PATCH of an absolute count and/or the whole tag set: repeating it changes nothing more.
    pub async fn update(client: &ArmClient, id: &AgentPoolId, update: &AgentPoolUpdateParameters) -> Result<Reply, ArmError> {
        client.write(Method::PATCH, &url(id), update, true).await
    }

    /// DELETE: 202 while deleting, 204 (or 404 later) when there is nothing to delete.
    pub async fn delete(client: &ArmClient, id: &AgentPoolId) -> Result<Reply, ArmError> {
        client.call(Method::DELETE, &url(id), true).await
    }

    pub async fn queue_status(client: &ArmClient, id: &AgentPoolId) -> Result<QueueStatus, ArmError> {
        // A read in POST's clothing: safe to retry.
        client.call(Method::POST, &format!("{}/listQueueStatus?api-version={API_VERSION}", id.path()), true).await?.json()
    }
}

#[cfg(target_arch = "wasm32")]
pub use writes::{create, delete, queue_status, update};
