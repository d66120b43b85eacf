//! A resource provider's registration for a subscription (Microsoft.Resources `Providers_Get`):
//! where ARM keeps which regions offer a resource type, agent pools included.

use serde::{Deserialize, Serialize};

use super::Extra;

pub const API_VERSION: &str = "2021-04-01";

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    #[serde(default)]
    pub namespace: Option<String>,
    #[serde(default)]
    pub resource_types: Vec<ResourceType>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceType {
    #[serde(default)]
    pub resource_type: String,
    /// Display names ("Sweden Central").
    #[serde(default)]
    pub locations: Vec<String>,
    #[serde(default)]
    pub api_versions: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Provider {
    /// The locations of `registries/agentPools`, if the registration has the type.
    pub fn agent_pool_locations(&self) -> Option<&[String]> {
        self.resource_types.iter().find(|t| t.resource_type.eq_ignore_ascii_case("registries/agentPools")).map(|t| t.locations.as_slice())
    }
}

#[cfg(target_arch = "wasm32")]
pub async fn container_registry(client: &super::client::ArmClient, subscription: &str) -> Result<Provider, super::ArmError> {
    let path = super::id::subscription_path(subscription);
    client.get(&format!("{path}/providers/Microsoft.ContainerRegistry?api-version={API_VERSION}")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_agent_pool_type_gives_its_locations() {
        let body = r#"{"id":"/subscriptions/s/providers/Microsoft.ContainerRegistry","namespace":"Microsoft.ContainerRegistry","registrationState":"Registered",
            "resourceTypes":[{"resourceType":"registries","locations":["East US"],"apiVersions":["2023-07-01"]},
                             {"resourceType":"registries/agentPools","locations":["East US","Sweden Central"],"apiVersions":["2025-03-01-preview"],"capabilities":"None"}]}"#;
        let p: Provider = serde_json::from_str(body).unwrap();
        assert_eq!(p.agent_pool_locations(), Some(&["East US".to_string(), "Sweden Central".to_string()][..]));
        assert_eq!(Provider::default().agent_pool_locations(), None);
    }
}
