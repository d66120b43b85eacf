//! Task runs (`registries/{r}/taskRuns`, 2019-06-01-preview and 2025-03-01-preview): list, get,
//! delete, as `az acr taskrun list|show|delete` use them (recorded: `test_acr_taskrun.yaml`). A
//! task run keeps its `runRequest` and shows the run it made as `runResult`.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::paging;
use crate::arm::container_registry::runs;
use crate::arm::pipeline::versions;
use crate::store::{registry_id, same, State, TaskRun};

pub const READ: &str = "Microsoft.ContainerRegistry/registries/taskruns/read";
pub const DELETE: &str = "Microsoft.ContainerRegistry/registries/taskruns/delete";

fn to_json(state: &State, t: &TaskRun) -> Value {
    let mut properties = json!({ "provisioningState": "Succeeded", "runRequest": t.run_request });
    let run = t.run_id.as_deref().and_then(|id| {
        state.runs.iter().find(|r| same(&r.run_id, id) && same(&r.registry, &t.registry) && same(&r.resource_group, &t.resource_group) && same(&r.subscription, &t.subscription))
    });
    if let Some(run) = run {
        properties["runResult"] = runs::to_json(run);
    }
    let mut v = json!({
        "type": "Microsoft.ContainerRegistry/registries/taskRuns",
        "properties": properties,
        "location": t.location,
        "id": format!("{}/taskRuns/{}", registry_id(&t.subscription, &t.resource_group, &t.registry), t.name),
        "name": t.name,
    });
    crate::arm::pipeline::system_data::add(&mut v, t.system_data.as_ref());
    v
}

fn of<'s>(state: &'s State, r: &RegistryRef) -> impl Iterator<Item = (usize, &'s TaskRun)> + 's {
    let key = (r.sub.to_string(), r.rg.to_string(), r.name.to_string());
    state.task_runs.iter().enumerate().filter(move |(_, t)| same(&t.subscription, &key.0) && same(&t.resource_group, &key.1) && same(&t.registry, &key.2))
}

fn not_found(r: &RegistryRef, name: &str) -> ArmError {
    ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}/taskRuns/{name}", r.name), r.rg)
}

pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let items = of(&state, r).map(|(_, t)| to_json(&state, t)).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let (_, t) = of(&state, r).find(|(_, t)| same(&t.name, name)).ok_or_else(|| not_found(r, name))?;
    Ok(Json(to_json(&state, t)).into_response())
}

/// `DELETE`: 200 with no body, as recorded; 204 when there is nothing to delete.
pub fn delete(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, DELETE, Access::Write)?;
    let Some(i) = of(&state, r).find(|(_, t)| same(&t.name, name)).map(|(i, _)| i) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    state.task_runs.remove(i);
    Ok(StatusCode::OK.into_response())
}
