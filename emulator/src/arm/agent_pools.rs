//! Agent pools (Microsoft.ContainerRegistry 2019-06-01-preview): list and get. Shapes follow
//! AgentPoolsGet.json / AgentPoolsList.json.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::error::ArmError;
use super::registries::{self, RegistryRef};
use super::{paging, ArmResult, Call};
use crate::store::AgentPool;

pub const API_VERSIONS: &[&str] = &["2019-06-01-preview", "2025-03-01-preview"];
pub const READ: &str = "Microsoft.ContainerRegistry/registries/agentpools/read";

pub fn to_json(p: &AgentPool) -> Value {
    let mut properties = json!({
        "count": p.count,
        "tier": p.tier,
        "os": p.os,
        "provisioningState": p.provisioning_state,
    });
    if let Some(subnet) = &p.subnet {
        properties["virtualNetworkSubnetResourceId"] = json!(subnet);
    }
    let tags: serde_json::Map<String, Value> = p.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let mut pool = json!({
        "id": format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}/agentPools/{}",
            p.subscription, p.resource_group, p.registry, p.name
        ),
        "name": p.name,
        "type": "Microsoft.ContainerRegistry/registries/agentPools",
        "location": p.location,
        "properties": properties,
    });
    // As in the spec's examples, `tags` is left out when there are none.
    if !tags.is_empty() {
        pool["tags"] = Value::Object(tags);
    }
    pool
}

pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(API_VERSIONS)?;
    let state = call.emu.state();
    let registry = registries::find(call, &state, r, READ)?;
    let items = state.pools_of(registry).map(to_json).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(API_VERSIONS)?;
    let state = call.emu.state();
    let registry = registries::find(call, &state, r, READ)?;
    let pool = state
        .pools_of(registry)
        .find(|p| crate::store::same(&p.name, name))
        .ok_or_else(|| {
            ArmError::not_found_resource(
                &format!("Microsoft.ContainerRegistry/registries/{}/agentPools/{name}", registry.name),
                r.rg,
            )
        })?;
    Ok(Json(to_json(pool)).into_response())
}
