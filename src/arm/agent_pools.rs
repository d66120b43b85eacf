//! Agent pools (Microsoft.ContainerRegistry). Only previews have agent pools (NOTES §1.9):
//! `2025-03-01-preview`, which every current Azure CLI sends and real Azure answered in 2026
//! (recorded), and `2019-06-01-preview` before it. A cloud that refuses the newer one is asked
//! again, once, with the older, and that is remembered for the cloud.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::system_data::SystemData;
use super::{ArmError, Extra};

pub const API_VERSION: &str = "2025-03-01-preview";
pub const FALLBACK_API_VERSION: &str = "2019-06-01-preview";

/// Whether ARM refused the api-version itself (nothing was done): a sovereign cloud may lack a
/// preview. `NoRegisteredProviderFound` is ARM's word for a provider's type; the other two are
/// what an ARM-owned or unknown type gets.
pub fn refuses_version(e: &ArmError) -> bool {
    e.status == 400 && matches!(e.code.as_str(), "NoRegisteredProviderFound" | "InvalidApiVersionParameter" | "InvalidResourceType")
}

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
    /// Azure keeps none on agent pools (recorded); a pool tagged by an earlier portal's emulator
    /// may still carry an old pause record here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    pub properties: AgentPoolProperties,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_data: Option<SystemData>,
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
mod version {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::future::Future;

    use super::{refuses_version, API_VERSION, FALLBACK_API_VERSION};
    use crate::arm::client::ArmClient;
    use crate::arm::ArmError;

    const STORAGE_KEY: &str = "poolportal.agentPoolsApiVersion";
    /// How long a cloud's refusal of the newer version is believed: then it is asked again.
    const REMEMBER_MS: u64 = 7 * 24 * 3_600_000;

    thread_local! {
        /// ARM endpoint → the version that cloud takes, once one was refused.
        static CHOSEN: RefCell<BTreeMap<String, &'static str>> = RefCell::new(BTreeMap::new());
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    fn key(client: &ArmClient) -> String {
        format!("{STORAGE_KEY}:{}", client.endpoint())
    }

    fn chosen(client: &ArmClient) -> &'static str {
        if let Some(v) = CHOSEN.with(|c| c.borrow().get(client.endpoint()).copied()) {
            return v;
        }
        // `2019-06-01-preview|<when>`: the older version, since then.
        let stored = storage().and_then(|s| s.get_item(&key(client)).ok().flatten()).unwrap_or_default();
        let fresh = stored
            .strip_prefix(FALLBACK_API_VERSION)
            .and_then(|rest| rest.strip_prefix('|'))
            // Whole milliseconds: no float parsing in the wasm for this.
            .and_then(|t| t.parse::<u64>().ok())
            .is_some_and(|t| (js_sys::Date::now() as u64).saturating_sub(t) < REMEMBER_MS);
        let v = if fresh { FALLBACK_API_VERSION } else { API_VERSION };
        CHOSEN.with(|c| c.borrow_mut().insert(client.endpoint().to_string(), v));
        v
    }

    fn remember(client: &ArmClient, v: &'static str) {
        CHOSEN.with(|c| c.borrow_mut().insert(client.endpoint().to_string(), v));
        if let Some(s) = storage() {
            let _ = s.set_item(&key(client), &format!("{v}|{}", js_sys::Date::now() as u64));
        }
    }

    /// Calls `f` with this cloud's agent-pool api-version; if the cloud refuses the newer one,
    /// once more with the older (safe for writes too: a refused version changed nothing).
    pub async fn with_version<T, Fut: Future<Output = Result<T, ArmError>>>(client: &ArmClient, f: impl Fn(&'static str) -> Fut) -> Result<T, ArmError> {
        let first = chosen(client);
        let mut v = first;
        // One await point, not two: each would hold its own copy of the call's state in the wasm.
        loop {
            match f(v).await {
                Err(e) if v == API_VERSION && refuses_version(&e) => v = FALLBACK_API_VERSION,
                // Remembered only once the older version was taken.
                Ok(answer) if v != first => {
                    remember(client, v);
                    return Ok(answer);
                }
                other => return other,
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use version::with_version;

#[cfg(target_arch = "wasm32")]
pub async fn list(client: &super::client::ArmClient, registry: &super::id::RegistryId) -> Result<Vec<AgentPool>, super::ArmError> {
    with_version(client, |v| async move { client.list_all(&format!("{}/agentPools?api-version={v}", registry.path())).await }).await
}

#[cfg(target_arch = "wasm32")]
pub async fn get(client: &super::client::ArmClient, id: &super::id::AgentPoolId) -> Result<AgentPool, super::ArmError> {
    with_version(client, |v| async move { client.get(&format!("{}?api-version={v}", id.path())).await }).await
}

/// `{"count": n}`: the runs waiting for a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct QueueStatus {
    #[serde(default)]
    pub count: i32,
}

/// The body of a create: location, tier, count, Linux, optional subnet. No tags: Azure drops
/// them on agent pools.
pub fn new_pool(location: &str, tier: &str, count: i32, subnet: Option<String>) -> AgentPool {
    AgentPool {
        id: None,
        name: None,
        kind: None,
        location: location.to_string(),
        tags: None,
        system_data: None,
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
    use super::version::with_version;
    use crate::arm::client::{ArmClient, Reply};
    use crate::arm::id::AgentPoolId;
    use crate::arm::ArmError;

    fn url(id: &AgentPoolId, v: &str) -> String {
        format!("{}?api-version={v}", id.path())
    }

    /// PUT: idempotent, so a 503 or lost answer is retried.
    pub async fn create(client: &ArmClient, id: &AgentPoolId, pool: &AgentPool) -> Result<Reply, ArmError> {
        with_version(client, |v| async move { client.write(Method::PUT, &url(id, v), pool, true).await }).await
    }

    /// PATCH of an absolute count: repeating it changes nothing more. Azure answers 201 with the
    /// new count and `Updating` at once (recorded).
    pub async fn update(client: &ArmClient, id: &AgentPoolId, update: &AgentPoolUpdateParameters) -> Result<Reply, ArmError> {
        with_version(client, |v| async move { client.write(Method::PATCH, &url(id, v), update, true).await }).await
    }

    /// DELETE: 202 with the pool's body (`Deleting`) while deleting, 204 (or 404 later) when
    /// there is nothing to delete.
    pub async fn delete(client: &ArmClient, id: &AgentPoolId) -> Result<Reply, ArmError> {
        with_version(client, |v| async move { client.call(Method::DELETE, &url(id, v), true).await }).await
    }

    pub async fn queue_status(client: &ArmClient, id: &AgentPoolId) -> Result<QueueStatus, ArmError> {
        // A read in POST's clothing: safe to retry.
        with_version(client, |v| async move { client.call(Method::POST, &format!("{}/listQueueStatus?api-version={v}", id.path()), true).await?.json() }).await
    }
}

#[cfg(target_arch = "wasm32")]
pub use writes::{create, delete, queue_status, update};
