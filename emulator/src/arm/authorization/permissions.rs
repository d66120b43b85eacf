//! `GET {scope}/providers/Microsoft.Authorization/permissions` (2022-04-01): the caller's own
//! actions and notActions at a scope, from their role, as the built-in role definitions say.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::RegistryRef;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::store::Role;


fn role_permissions(role: Role) -> Value {
    let d = role.definition();
    json!({ "actions": d.actions, "notActions": d.not_actions, "dataActions": d.data_actions, "notDataActions": [] })
}

/// Anyone may read their own permissions: one entry a role that applies at the registry (assigned
/// there or above), none without a role.
pub fn on_registry(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::PERMISSIONS)?;
    let state = call.emu.state();
    let scope = format!("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.ContainerRegistry/registries/{}", r.sub, r.rg, r.name);
    let mut roles: Vec<Role> = state.roles_at(&call.caller.oid, &scope).collect();
    roles.sort_by_key(|r| *r as u8);
    roles.dedup();
    let items = roles.into_iter().map(role_permissions).collect();
    Ok(Json(paging::page(call, items)).into_response())
}
