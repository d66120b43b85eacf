//! What the caller may do at a scope (Microsoft.Authorization permissions, 2022-04-01).

use serde::{Deserialize, Serialize};

use super::Extra;
use crate::domain::permissions::Permission as DomainPermission;

pub const API_VERSION: &str = "2022-04-01";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub not_actions: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

pub fn to_domain(list: &[Permission]) -> Vec<DomainPermission> {
    list.iter().map(|p| DomainPermission { actions: p.actions.clone(), not_actions: p.not_actions.clone() }).collect()
}

/// The caller's permissions on a registry.
#[cfg(target_arch = "wasm32")]
pub async fn on_registry(client: &super::client::ArmClient, id: &super::id::RegistryId) -> Result<Vec<DomainPermission>, super::ArmError> {
    let list: Vec<Permission> = client.list_all(&format!("{}/providers/Microsoft.Authorization/permissions?api-version={API_VERSION}", id.path())).await?;
    Ok(to_domain(&list))
}
