//! Container registries (Microsoft.ContainerRegistry 2023-07-01): list by subscription or resource
//! group, and get. Shapes follow RegistryGet.json / RegistryList.json.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::error::ArmError;
use super::{paging, ArmResult, Call};
use crate::store::{Registry, State};

pub const API_VERSIONS: &[&str] = &[
    "2019-05-01", "2021-09-01", "2022-12-01", "2023-01-01-preview", "2023-07-01",
    "2023-11-01-preview", "2024-11-01-preview", "2025-04-01",
];

/// A registry named in a path; not yet known to exist.
pub struct RegistryRef<'a> {
    pub sub: &'a str,
    pub rg: &'a str,
    pub name: &'a str,
}

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

/// The checks ARM makes before the registry is looked at: subscription exists, caller has a role
/// on it, resource group exists.
pub fn check_scope(call: &Call, state: &State, sub: &str, rg: Option<&str>, action: &str) -> Result<(), ArmError> {
    let s = state.subscription(sub).ok_or_else(|| ArmError::subscription_not_found(sub))?;
    if state.role_of(&call.caller.oid, &s.id).is_none() {
        let scope = match rg {
            Some(rg) => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
            None => format!("/subscriptions/{sub}"),
        };
        return Err(ArmError::authorization_failed(&call.caller.oid, action, &scope));
    }
    if let Some(rg) = rg {
        state.resource_group(sub, rg).ok_or_else(|| ArmError::resource_group_not_found(rg))?;
    }
    Ok(())
}

/// Finds the registry after the scope checks, or ARM's 404.
pub fn find<'s>(call: &Call, state: &'s State, r: &RegistryRef, action: &str) -> Result<&'s Registry, ArmError> {
    check_scope(call, state, r.sub, Some(r.rg), action)?;
    state.registry(r.sub, r.rg, r.name).ok_or_else(|| {
        ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}", r.name), r.rg)
    })
}

pub const READ: &str = "Microsoft.ContainerRegistry/registries/read";

pub fn list(call: &Call, sub: &str, rg: Option<&str>) -> ArmResult {
    call.require_api_version(API_VERSIONS)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, rg, READ)?;
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
    call.require_api_version(API_VERSIONS)?;
    let state = call.emu.state();
    let registry = find(call, &state, r, READ)?;
    Ok(Json(to_json(registry)).into_response())
}
