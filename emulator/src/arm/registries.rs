//! Container registries (Microsoft.ContainerRegistry 2023-07-01): list by subscription or resource
//! group, and get. Shapes follow RegistryGet.json / RegistryList.json.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::access::{self, check_scope, Access, RegistryRef};
use super::call::{ArmResult, Call};
use super::{paging, versions};
use crate::store::Registry;

pub fn id(r: &Registry) -> String {
    format!(
        "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}",
        r.subscription, r.resource_group, r.name
    )
}

pub fn to_json(r: &Registry) -> Value {
    let tags: serde_json::Map<String, Value> = r.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    json!({
        "id": id(r),
        "name": r.name,
        "type": "Microsoft.ContainerRegistry/registries",
        "location": r.location,
        "tags": tags,
        "sku": { "name": r.sku.as_str(), "tier": r.sku.as_str() },
        "properties": {
            "loginServer": format!("{}.azurecr.io", r.name.to_ascii_lowercase()),
            "creationDate": r.created,
            "provisioningState": "Succeeded",
            "adminUserEnabled": false,
            "networkRuleSet": { "defaultAction": "Allow", "ipRules": [] },
            "policies": {
                "quarantinePolicy": { "status": "disabled" },
                "trustPolicy": { "type": "Notary", "status": "disabled" },
                "retentionPolicy": { "days": 7, "lastUpdatedTime": r.created, "status": "disabled" },
                "exportPolicy": { "status": "enabled" }
            },
            "encryption": { "status": "disabled" },
            "status": null,
            "dataEndpointEnabled": false,
            "dataEndpointHostNames": [],
            "privateEndpointConnections": [],
            "publicNetworkAccess": "Enabled",
            "networkRuleBypassOptions": "AzureServices",
            "zoneRedundancy": "Disabled"
        }
    })
}

pub const READ: &str = "Microsoft.ContainerRegistry/registries/read";

pub fn list(call: &Call, sub: &str, rg: Option<&str>) -> ArmResult {
    call.require_api_version(&versions::REGISTRIES)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, rg, READ, Access::Read)?;
    let items = state
        .registries
        .iter()
        .filter(|r| crate::store::same(&r.subscription, sub))
        .filter(|r| rg.is_none_or(|rg| crate::store::same(&r.resource_group, rg)))
        .map(to_json)
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::REGISTRIES)?;
    let state = call.emu.state();
    let registry = access::registry(call, &state, r, READ, Access::Read)?;
    Ok(Json(to_json(registry)).into_response())
}
