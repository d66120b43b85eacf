//! Tasks (Microsoft.ContainerRegistry 2019-06-01-preview): create/replace (PUT), update (PATCH),
//! get, list, delete, listDetails. What a client writes reads back unchanged, plus the read-only
//! `provisioningState` and `creationDate`.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use super::access::{self, Access, RegistryRef};
use super::body::Body;
use super::error::ArmError;
use super::{agent_pools, paging, runs, ArmResult, Call};
use crate::clock::rfc3339_ms;
use crate::store::{registry_id, same, State, Task};

pub const READ: &str = "Microsoft.ContainerRegistry/registries/tasks/read";
pub const WRITE: &str = "Microsoft.ContainerRegistry/registries/tasks/write";
pub const DELETE: &str = "Microsoft.ContainerRegistry/registries/tasks/delete";

const STEP_TYPES: [&str; 3] = ["Docker", "FileTask", "EncodedTask"];

pub fn to_json(t: &Task) -> Value {
    let mut properties = t.properties.clone();
    if let Value::Object(p) = &mut properties {
        p.insert("provisioningState".into(), json!("Succeeded"));
        p.insert("creationDate".into(), json!(rfc3339_ms(t.created_ms)));
    }
    let mut task = json!({
        "id": format!("{}/tasks/{}", registry_id(&t.subscription, &t.resource_group, &t.registry), t.name),
        "name": t.name,
        "type": "Microsoft.ContainerRegistry/registries/tasks",
        "location": t.location,
        "properties": properties,
    });
    if !t.tags.is_empty() {
        task["tags"] = Value::Object(t.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
    }
    if let Some(identity) = &t.identity {
        task["identity"] = identity.clone();
    }
    task
}

/// The spec's taskName rule: 5–50 characters, `^[a-zA-Z0-9-_]*$`.
fn check_name(name: &str) -> Result<(), ArmError> {
    if (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Ok(());
    }
    Err(ArmError::bad_field("InvalidResourceName", "taskName", format!("The task name '{name}' is invalid: it must be 5 to 50 letters, digits, hyphens or underscores.")))
}

fn not_found(r: &RegistryRef, name: &str) -> ArmError {
    ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}/tasks/{name}", r.name), r.rg)
}

fn find(state: &State, r: &RegistryRef, name: &str) -> Option<usize> {
    state.tasks.iter().position(|t| r.key().matches(&t.subscription, &t.resource_group, &t.registry) && same(&t.name, name))
}

/// Checks what a task's properties must hold, after a PUT or a PATCH merge.
fn check_properties(state: &State, r: &RegistryRef, p: &Map<String, Value>) -> Result<(), ArmError> {
    let os = p.get("platform").and_then(|v| v.get("os")).and_then(Value::as_str);
    if os.is_none() {
        return Err(ArmError::bad_field("InvalidRequestContent", "properties.platform.os", "The request content was invalid: the required property 'properties.platform.os' is missing."));
    }
    let step_type = p.get("step").and_then(|s| s.get("type")).and_then(Value::as_str);
    match step_type {
        Some(t) if STEP_TYPES.contains(&t) => {}
        Some(t) => return Err(ArmError::bad_field("InvalidParameter", "properties.step.type", format!("The step type '{t}' is invalid: use Docker, FileTask or EncodedTask."))),
        None => return Err(ArmError::bad_field("InvalidRequestContent", "properties.step.type", "The request content was invalid: the required property 'properties.step.type' is missing.")),
    }
    if let Some(t) = p.get("timeout").and_then(Value::as_i64) {
        if !(300..=28800).contains(&t) {
            return Err(ArmError::bad_field("InvalidParameter", "properties.timeout", format!("The timeout {t} is invalid: it must be between 300 and 28800 seconds.")));
        }
    }
    if let Some(pool) = p.get("agentPoolName") {
        let name = pool.as_str().ok_or_else(|| ArmError::bad_field("InvalidRequestContent", "properties.agentPoolName", "agentPoolName must be a string."))?;
        if !name.is_empty() && !agent_pools::exists(state, r, name) {
            return Err(ArmError::bad_field("AgentPoolNotFound", "properties.agentPoolName", format!("The agent pool '{name}' was not found in registry '{}'.", r.name)));
        }
    }
    Ok(())
}

/// Read-only fields a client may echo back are dropped, not stored.
fn writable(mut p: Map<String, Value>) -> Map<String, Value> {
    p.remove("provisioningState");
    p.remove("creationDate");
    p
}

pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(runs::API_VERSIONS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let items = state.tasks_of(r.key()).map(to_json).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(runs::API_VERSIONS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let i = find(&state, r, name).ok_or_else(|| not_found(r, name))?;
    Ok(Json(to_json(&state.tasks[i])).into_response())
}

pub fn put(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(runs::API_VERSIONS)?;
    let mut state = call.emu.state();
    let registry = access::registry(call, &state, r, WRITE, Access::Write)?.clone();
    check_name(name)?;
    let body = Body::parse(&call.body)?;
    let location = body.string("location")?.filter(|l| !l.is_empty()).ok_or_else(|| {
        ArmError::bad_field("LocationRequired", "location", "The location property is required for this definition.")
    })?;
    let properties = writable(body.object("properties")?.cloned().ok_or_else(|| {
        ArmError::bad_field("InvalidRequestContent", "properties", "The request content was invalid: the required property 'properties' is missing.")
    })?);
    check_properties(&state, r, &properties)?;
    let task = Task {
        subscription: registry.subscription.clone(),
        resource_group: registry.resource_group.clone(),
        registry: registry.name.clone(),
        name: name.to_string(),
        location: location.to_string(),
        tags: body.tags()?.unwrap_or_default(),
        created_ms: call.emu.clock.now_ms(),
        properties: Value::Object(properties),
        identity: body.object("identity")?.cloned().map(Value::Object),
    };
    let (status, body) = match find(&state, r, name) {
        Some(i) => {
            let created_ms = state.tasks[i].created_ms;
            state.tasks[i] = Task { created_ms, ..task };
            (StatusCode::OK, to_json(&state.tasks[i]))
        }
        None => {
            let body = to_json(&task);
            state.tasks.push(task);
            (StatusCode::CREATED, body)
        }
    };
    Ok((status, Json(body)).into_response())
}

/// Top-level properties (and the step's fields) are merged, as TaskUpdateParameters are.
pub fn patch(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(runs::API_VERSIONS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, WRITE, Access::Write)?;
    let i = find(&state, r, name).ok_or_else(|| not_found(r, name))?;
    let body = Body::parse(&call.body)?;
    let mut merged = state.tasks[i].properties.as_object().cloned().unwrap_or_default();
    for (k, v) in writable(body.object("properties")?.cloned().unwrap_or_default()) {
        match (merged.get_mut(&k), v) {
            (Some(Value::Object(old)), Value::Object(new)) if k == "step" || k == "platform" || k == "agentConfiguration" => old.extend(new),
            (_, v) => {
                merged.insert(k, v);
            }
        }
    }
    check_properties(&state, r, &merged)?;
    let tags = body.tags()?;
    let task = &mut state.tasks[i];
    task.properties = Value::Object(merged);
    if let Some(tags) = tags {
        task.tags = tags;
    }
    Ok(Json(to_json(task)).into_response())
}

pub fn delete(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(runs::API_VERSIONS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, DELETE, Access::Write)?;
    match find(&state, r, name) {
        Some(i) => {
            state.tasks.remove(i);
            Ok(StatusCode::OK.into_response())
        }
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
