//! Subscriptions (Microsoft.Resources, api-version 2022-12-01).

use serde::{Deserialize, Serialize};

use super::Extra;

pub const API_VERSION: &str = "2022-12-01";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    pub subscription_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    pub display_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[cfg(target_arch = "wasm32")]
pub async fn list(client: &super::client::ArmClient) -> Result<Vec<Subscription>, super::ArmError> {
    client.list_all(&format!("/subscriptions?api-version={API_VERSION}")).await
}

#[cfg(target_arch = "wasm32")]
pub async fn get(client: &super::client::ArmClient, subscription: &str) -> Result<Subscription, super::ArmError> {
    client.get(&format!("{}?api-version={API_VERSION}", super::id::subscription_path(subscription))).await
}
