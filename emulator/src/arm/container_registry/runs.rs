//! Runs (Microsoft.ContainerRegistry 2019-06-01-preview): list with `$filter`/`$top` and nextLink,
//! get, cancel, listLogSasUrl. Shapes follow RunsGet.json / RunsList.json.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::container_registry::run_filter;
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::clock::rfc3339_ms;
use crate::store::{registry_id, Run, State};

pub const READ: &str = "Microsoft.ContainerRegistry/registries/runs/read";
pub const WRITE: &str = "Microsoft.ContainerRegistry/registries/runs/write";
pub const CANCEL: &str = "Microsoft.ContainerRegistry/registries/runs/cancel/action";
pub const LOGS: &str = "Microsoft.ContainerRegistry/registries/runs/listLogSasUrl/action";

/// The vCPU a run gets when its request names none, as every recorded run shows.
pub const DEFAULT_CPU: u32 = 2;

/// A run as recorded runs read: `outputImages` only once it has ended and only if it pushed any,
/// `platform.os` as it was sent, `agentConfiguration`, and `systemData` with only its
/// `lastModified…` side (a run is never "created" by anyone, until it is patched).
pub fn to_json(run: &Run) -> Value {
    let mut p = json!({
        "provisioningState": "Succeeded",
        "runId": run.run_id,
        "status": run.status,
        "lastUpdatedTime": rfc3339_ms(run.last_updated_ms),
        "runType": run.run_type,
        "createTime": rfc3339_ms(run.create_ms),
        "isArchiveEnabled": run.is_archive_enabled,
        "platform": { "os": run.platform_os, "architecture": "amd64" },
        "agentConfiguration": { "cpu": run.cpu.unwrap_or(DEFAULT_CPU) },
    });
    let set = |p: &mut Value, k: &str, v: Option<Value>| {
        if let Some(v) = v {
            p[k] = v;
        }
    };
    if run.is_finished() && !run.output_images.is_empty() {
        p["outputImages"] = run.output_images.iter().map(|i| json!({ "registry": i.registry, "repository": i.repository, "tag": i.tag, "digest": i.digest })).collect();
    }
    set(&mut p, "startTime", run.start_ms.map(|t| json!(rfc3339_ms(t))));
    set(&mut p, "finishTime", run.finish_ms.map(|t| json!(rfc3339_ms(t))));
    set(&mut p, "task", run.task_name.clone().map(Value::from));
    set(&mut p, "agentPoolName", run.agent_pool_name.clone().map(Value::from));
    set(&mut p, "runErrorMessage", run.error_message.clone().map(Value::from));
    set(&mut p, "timerTrigger", run.timer.as_ref().map(|t| json!({ "timerTriggerName": t.name, "scheduleOccurrence": rfc3339_ms(t.occurrence_ms) })));
    let mut v = json!({
        "id": format!("{}/runs/{}", registry_id(&run.subscription, &run.resource_group, &run.registry), run.run_id),
        "name": run.run_id,
        "type": "Microsoft.ContainerRegistry/registries/runs",
        "properties": p,
    });
    add_system_data(&mut v, run);
    v
}

/// What `scheduleRun` answers: the run as just queued, and nothing it has not got yet (recorded:
/// no `runType`, `createTime`, `platform` or `startTime`, whatever the request).
pub fn queued_json(run: &Run) -> Value {
    let mut v = json!({
        "type": "Microsoft.ContainerRegistry/registries/runs",
        "properties": {
            "runId": run.run_id,
            "status": "Queued",
            "lastUpdatedTime": rfc3339_ms(run.last_updated_ms),
            "provisioningState": "Succeeded",
            "isArchiveEnabled": run.is_archive_enabled,
        },
        "id": format!("{}/runs/{}", registry_id(&run.subscription, &run.resource_group, &run.registry), run.run_id),
        "name": run.run_id,
    });
    add_system_data(&mut v, run);
    v
}

/// A run's `systemData`: who scheduled it, as `lastModified…`; a run someone patched also has a
/// `created…` side, stamped at the patch (as recorded after `az acr task update-run`).
fn add_system_data(v: &mut Value, run: &Run) {
    if let Some(s) = &run.system_data {
        v["systemData"] = crate::arm::pipeline::system_data::to_json(s);
    } else if let Some(by) = &run.scheduled_by {
        v["systemData"] = json!({ "lastModifiedBy": by.by, "lastModifiedByType": by.by_type, "lastModifiedAt": crate::clock::rfc3339_ticks(by.at_ms) });
    }
}

fn not_found(r: &RegistryRef, run_id: &str) -> ArmError {
    ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}/runs/{run_id}", r.name), r.rg)
}

fn find_index(state: &State, r: &RegistryRef, run_id: &str) -> Option<usize> {
    state.runs.iter().position(|x| r.key().matches(&x.subscription, &x.resource_group, &x.registry) && x.run_id.eq_ignore_ascii_case(run_id))
}

/// Newest first, filtered, at most `$top`, then paged.
pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let filter = run_filter::parse(call.param("$filter").unwrap_or(""))
        .map_err(|e| ArmError::bad_field("InvalidFilter", "$filter", format!("The $filter is invalid: {e}.")))?;
    let top = match call.param("$top") {
        None | Some("") => None,
        Some(t) => Some(t.parse::<usize>().map_err(|_| ArmError::bad_field("InvalidParameter", "$top", format!("$top must be a positive number, not '{t}'.")))?),
    };
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let mut runs: Vec<&Run> = state.runs_of(r.key()).filter(|run| filter.as_ref().is_none_or(|f| run_filter::matches(f, run))).collect();
    runs.sort_by(|a, b| b.create_ms.cmp(&a.create_ms).then(b.run_id.len().cmp(&a.run_id.len())).then(b.run_id.cmp(&a.run_id)));
    runs.truncate(top.unwrap_or(usize::MAX));
    Ok(Json(paging::page_map(call, runs, call.emu.settings.page_size, to_json)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, run_id: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let i = find_index(&state, r, run_id).ok_or_else(|| not_found(r, run_id))?;
    Ok(Json(to_json(&state.runs[i])).into_response())
}

/// `PATCH`: only `isArchiveEnabled` can change (RunUpdateParameters).
pub fn patch(call: &Call, r: &RegistryRef, run_id: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, WRITE, Access::Write)?;
    let i = find_index(&state, r, run_id).ok_or_else(|| not_found(r, run_id))?;
    let body = crate::arm::pipeline::body::Body::parse(&call.body)?;
    if let Some(archive) = body.bool("isArchiveEnabled")? {
        state.runs[i].is_archive_enabled = archive;
    }
    // Recorded: after a patch the run's systemData has both sides, both stamped now.
    state.runs[i].system_data = Some(crate::store::SystemData::new(&call.caller.who(), call.emu.clock.now_ms()));
    Ok(Json(to_json(&state.runs[i])).into_response())
}

/// `POST …/cancel`: a queued or running run ends Canceled; a finished one cannot be.
pub fn cancel(call: &Call, r: &RegistryRef, run_id: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let now = call.emu.clock.now_ms();
    let mut state = call.emu.state();
    access::registry(call, &state, r, CANCEL, Access::Write)?;
    let i = find_index(&state, r, run_id).ok_or_else(|| not_found(r, run_id))?;
    let run = &mut state.runs[i];
    if run.is_finished() {
        return Err(ArmError::conflict("RunNotCancelable", format!("The run '{}' has already finished with status '{}'.", run.run_id, run.status)));
    }
    run.status = "Canceled".into();
    run.finish_ms = Some(now);
    run.last_updated_ms = now;
    crate::sim::advance(&mut state, now);
    Ok(StatusCode::OK.into_response())
}

/// `POST …/listLogSasUrl`: a link to the log on the blob origin, authorised by SAS.
pub fn log_link(call: &Call, r: &RegistryRef, run_id: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    // An action, so Readers are refused, as on Azure.
    access::registry(call, &state, r, LOGS, Access::Write)?;
    let i = find_index(&state, r, run_id).ok_or_else(|| not_found(r, run_id))?;
    Ok(Json(json!({ "logLink": crate::blob::sas_link(call.emu, &state.runs[i]) })).into_response())
}
