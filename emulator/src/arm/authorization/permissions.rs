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
    let (actions, not_actions): (&[&str], &[&str]) = match role {
        Role::Owner => (&["*"], &[]),
        Role::Contributor => (
            &["*"],
            &["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"],
        ),
        Role::Reader => (&["*/read"], &[]),
    };
    json!({ "actions": actions, "notActions": not_actions, "dataActions": [], "notDataActions": [] })
}

/// Anyone may read their own permissions; no role means an empty list.
pub fn on_registry(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::PERMISSIONS)?;
    let state = call.emu.state();
    let items = state.role_of(&call.caller.oid, r.sub).map(role_permissions).into_iter().collect();
    Ok(Json(paging::page(call, items)).into_response())
}
