//! Container registries (Microsoft.ContainerRegistry, api-version 2023-07-01).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::id::RegistryId;
use super::Extra;

pub const API_VERSION: &str = "2023-07-01";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registry {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<BTreeMap<String, String>>,
    pub sku: Sku,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<RegistryProperties>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sku {
    /// Basic | Standard | Premium (Classic is legacy).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Registry {
    /// The registry's id as the portal routes it; `None` if ARM sent an id we cannot parse.
    pub fn registry_id(&self) -> Option<RegistryId> {
        match super::id::ResourceId::parse(&self.id) {
            Ok(super::id::ResourceId::Registry(r)) => Some(r),
            _ => None,
        }
    }

    /// Whether it can host agent pools, given its subscription's agent-pool regions.
    pub fn eligibility(&self, regions: &crate::domain::region::Regions) -> Result<(), crate::domain::eligibility::Ineligible> {
        crate::domain::eligibility::check(&self.sku.name, &self.location, regions)
    }

    pub fn subscription(&self) -> Option<String> {
        self.registry_id().map(|id| id.subscription)
    }
}

#[cfg(target_arch = "wasm32")]
pub async fn list(client: &super::client::ArmClient, subscription: &str) -> Result<Vec<Registry>, super::ArmError> {
    let path = super::id::subscription_path(subscription);
    client
        .list_all(&format!("{path}/providers/Microsoft.ContainerRegistry/registries?api-version={API_VERSION}"))
        .await
}

#[cfg(target_arch = "wasm32")]
pub async fn get(client: &super::client::ArmClient, id: &RegistryId) -> Result<Registry, super::ArmError> {
    client.get(&format!("{}?api-version={API_VERSION}", id.path())).await
}

/// Microsoft.Resources' tags resource of a registry: one tag merged or deleted without
/// rewriting the others (a pause record beside the registry's own tags).
pub const TAGS_API_VERSION: &str = "2021-04-01";

/// The body of `PATCH {scope}/providers/Microsoft.Resources/tags/default`.
pub fn tag_patch(operation: &str, name: &str, value: &str) -> serde_json::Value {
    serde_json::json!({ "operation": operation, "properties": { "tags": { name: value } } })
}

/// The tags resource's answer: the resource's tags after the write.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct TagsResource {
    #[serde(default)]
    pub properties: TagsProperties,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct TagsProperties {
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Writes one tag (`Merge`) or removes it (`Delete`, with its current value), answering the
/// registry's tags after it. Needs `Microsoft.Resources/tags/write`.
#[cfg(target_arch = "wasm32")]
pub async fn patch_tag(client: &super::client::ArmClient, id: &RegistryId, operation: &str, name: &str, value: &str) -> Result<BTreeMap<String, String>, super::ArmError> {
    let url = format!("{}/providers/Microsoft.Resources/tags/default?api-version={TAGS_API_VERSION}", id.path());
    // Merging or deleting the same tag twice leaves the same tags: safe to repeat.
    let reply = client.write(gloo_net::http::Method::PATCH, &url, &tag_patch(operation, name, value), true).await?;
    Ok(reply.json::<TagsResource>()?.properties.tags)
}
