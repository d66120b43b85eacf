//! Long-running agent-pool operations, as real Azure answered them (the az CLI's recording
//! `test_acr_agentpool.yaml`, NOTES.md §9), not as ARM's generic async API describes them:
//! - a create or an update carries `Azure-AsyncOperation` at
//!   `…/agentPools/{p}/operationStatuses/{id}`, whose body is only `{"status": …}` with the
//!   service's own words: `Creating` during a create, `Creating` then `Updating` during an update,
//!   then `Succeeded` (or `Failed` with `error`);
//! - a delete carries only `Location`, at `…/registries/{r}/agentPoolsOperationResults/{id}/status`,
//!   which answers 202 with the body `null` (and a fresh `Location`) until a 204;
//! - nothing carries `Retry-After`: clients poll at their own pace.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::versions;
use crate::store::{OpKind, Operation, State};
use crate::Emulator;

/// Reading a pool's operation takes what reading the pool takes (the same action as
/// `agent_pools::READ`, which in turn starts operations here).
const POOL_READ: &str = "Microsoft.ContainerRegistry/registries/agentpools/read";

/// Records a new operation on `resource_id` (a pool), started by `call`, and returns its id.
pub fn start(call: &Call, state: &mut State, sub: &str, location: &str, resource_id: String, kind: OpKind) -> String {
    let emu = call.emu;
    let id = crate::ids::new_guid();
    state.operations.push(Operation {
        id: id.clone(),
        subscription: sub.to_string(),
        location: location.to_ascii_lowercase().replace(' ', ""),
        resource_id,
        kind,
        status: "InProgress".into(),
        start_ms: emu.clock.now_ms(),
        end_ms: None,
        error: None,
        api_version: call.param("api-version").unwrap_or_default().to_string(),
        activity: call.activity.clone(),
    });
    id
}

fn api_version(op: &Operation) -> &str {
    if op.api_version.is_empty() { versions::AGENT_POOLS.versions[0] } else { &op.api_version }
}

/// The pool's registry: its id is the pool's without `/agentPools/{p}`.
fn registry_id(op: &Operation) -> &str {
    let lower = op.resource_id.to_ascii_lowercase();
    lower.rfind("/agentpools/").map_or(&op.resource_id, |i| &op.resource_id[..i])
}

/// `Azure-AsyncOperation` of a create or an update.
fn status_url(emu: &Emulator, op: &Operation) -> String {
    format!("{}{}/operationStatuses/{}?api-version={}", emu.origins.arm, op.resource_id, op.id, api_version(op))
}

/// `Location` of a delete.
fn result_url(emu: &Emulator, op: &Operation) -> String {
    format!("{}{}/agentPoolsOperationResults/{}/status?api-version={}", emu.origins.arm, registry_id(op), op.id, api_version(op))
}

/// Adds the header a client follows operation `id` by: `Location` for a delete,
/// `Azure-AsyncOperation` otherwise.
pub fn with_headers(emu: &Emulator, state: &State, id: &str, mut response: Response) -> Response {
    let Some(op) = state.operations.iter().find(|o| o.id == id) else { return response };
    let (name, url) = match op.kind {
        OpKind::Delete => (header::LOCATION.as_str(), result_url(emu, op)),
        OpKind::Create | OpKind::Update => ("azure-asyncoperation", status_url(emu, op)),
    };
    if let Ok(v) = HeaderValue::from_str(&url) {
        response.headers_mut().insert(name, v);
    }
    response
}

/// The service's word for an operation still running. An update reads `Creating` for its first
/// moments, as recorded (1 s after the PATCH: `Creating`; 30 s after: `Updating`).
fn running_word(emu: &Emulator, op: &Operation) -> &'static str {
    match op.kind {
        OpKind::Create => "Creating",
        OpKind::Update if emu.clock.now_ms().saturating_sub(op.start_ms) < emu.settings.lro_ms / 10 => "Creating",
        OpKind::Update => "Updating",
        OpKind::Delete => "Deleting",
    }
}

/// The operation `id` of the pool or registry at `resource` (a prefix of the operation's pool id).
fn find<'s>(call: &Call, state: &'s State, r: &RegistryRef, resource: &str, id: &str) -> Result<&'s Operation, ArmError> {
    // At the registry, so a role assigned there (a task's identity) may poll its own writes.
    access::check_at(call, state, r.sub, Some(r.rg), &format!("/providers/Microsoft.ContainerRegistry/registries/{}", r.name), POOL_READ, Access::Read)?;
    // The resource itself or one under it: `…/registries/reg` is not `…/registries/reg2`.
    let prefix = resource.to_ascii_lowercase();
    let under = |r: &str| {
        let r = r.to_ascii_lowercase();
        r == prefix || r.starts_with(&format!("{prefix}/"))
    };
    state
        .operations
        .iter()
        .find(|o| o.id.eq_ignore_ascii_case(id) && under(&o.resource_id))
        .ok_or_else(|| ArmError::new(StatusCode::NOT_FOUND, "OperationNotFound", format!("The operation '{id}' could not be found.")))
}

/// `GET …/agentPools/{p}/operationStatuses/{id}`: 200 with `{"status": …}`.
pub fn status(call: &Call, r: &RegistryRef, pool: &str, id: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let pool_id = format!("{}/agentPools/{pool}", crate::store::registry_id(r.sub, r.rg, r.name));
    let op = find(call, &state, r, &pool_id, id)?;
    let body = match (op.status.as_str(), &op.error) {
        ("InProgress", _) => json!({ "status": running_word(call.emu, op) }),
        (status, Some(e)) => json!({ "status": status, "error": { "code": e.code, "message": e.message } }),
        (status, None) => json!({ "status": status }),
    };
    Ok(Json(body).into_response())
}

/// `GET …/registries/{r}/agentPoolsOperationResults/{id}/status` (the `Location` of a delete):
/// 202 with the JSON `null` and a fresh `Location` while it runs, then 204 with no body, or the
/// operation's error.
pub fn result(call: &Call, r: &RegistryRef, id: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let registry_id = crate::store::registry_id(r.sub, r.rg, r.name);
    let op = find(call, &state, r, &registry_id, id)?;
    match (op.status.as_str(), &op.error) {
        ("InProgress", _) => {
            let running = (StatusCode::ACCEPTED, Json(serde_json::Value::Null)).into_response();
            Ok(with_headers(call.emu, &state, &op.id, running))
        }
        (_, Some(e)) => Err(ArmError::new(StatusCode::BAD_REQUEST, &e.code, e.message.clone())),
        _ => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
