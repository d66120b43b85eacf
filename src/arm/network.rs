//! Virtual networks, subnets and network security groups (Microsoft.Network 2024-05-01): what a
//! pool's subnet is picked from, and what VNet readiness judges.

use serde::{Deserialize, Serialize};

use super::Extra;
use crate::domain::nsg::Rule;

pub const API_VERSION: &str = "2024-05-01";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNetwork {
    pub id: String,
    pub name: String,
    pub location: String,
    #[serde(default)]
    pub properties: VirtualNetworkProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNetworkProperties {
    #[serde(default)]
    pub subnets: Vec<Subnet>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subnet {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub properties: SubnetProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetProperties {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_security_group: Option<SubResource>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct SubResource {
    pub id: String,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkSecurityGroup {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub properties: NsgProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NsgProperties {
    #[serde(default)]
    pub security_rules: Vec<SecurityRule>,
    #[serde(default)]
    pub default_security_rules: Vec<SecurityRule>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRule {
    pub name: String,
    pub properties: SecurityRuleProperties,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityRuleProperties {
    pub protocol: String,
    pub access: String,
    pub priority: u32,
    pub direction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_address_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_address_prefixes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_address_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_address_prefixes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_port_range: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub destination_port_ranges: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

fn both(one: &Option<String>, many: &[String]) -> Vec<String> {
    one.iter().cloned().chain(many.iter().cloned()).collect()
}

impl NetworkSecurityGroup {
    /// Custom and default rules as the readiness evaluator takes them.
    pub fn rules(&self) -> Vec<Rule> {
        let convert = |r: &SecurityRule, is_default: bool| Rule {
            name: r.name.clone(),
            priority: r.properties.priority,
            direction: r.properties.direction.clone(),
            access: r.properties.access.clone(),
            protocol: r.properties.protocol.clone(),
            source_prefixes: both(&r.properties.source_address_prefix, &r.properties.source_address_prefixes),
            destination_prefixes: both(&r.properties.destination_address_prefix, &r.properties.destination_address_prefixes),
            destination_ports: both(&r.properties.destination_port_range, &r.properties.destination_port_ranges),
            is_default,
        };
        self.properties
            .security_rules
            .iter()
            .map(|r| convert(r, false))
            .chain(self.properties.default_security_rules.iter().map(|r| convert(r, true)))
            .collect()
    }
}

#[cfg(target_arch = "wasm32")]
pub async fn list_vnets(client: &super::client::ArmClient, subscription: &str) -> Result<Vec<VirtualNetwork>, super::ArmError> {
    let path = super::id::subscription_path(subscription);
    client.list_all(&format!("{path}/providers/Microsoft.Network/virtualNetworks?api-version={API_VERSION}")).await
}

#[cfg(target_arch = "wasm32")]
pub async fn get_subnet(client: &super::client::ArmClient, id: &super::id::SubnetId) -> Result<Subnet, super::ArmError> {
    client.get(&format!("{}?api-version={API_VERSION}", id.path())).await
}

#[cfg(target_arch = "wasm32")]
pub async fn get_nsg(client: &super::client::ArmClient, id: &super::id::NsgId) -> Result<NetworkSecurityGroup, super::ArmError> {
    client.get(&format!("{}?api-version={API_VERSION}", id.path())).await
}
