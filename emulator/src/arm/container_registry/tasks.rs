//! Tasks (Microsoft.ContainerRegistry 2019-06-01-preview): create/replace (PUT), update (PATCH),
//! get, list, delete, listDetails. What a client writes reads back unchanged, plus the read-only
//! `provisioningState` and `creationDate`.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::clock::rfc3339_ms;
use crate::store::{registry_id, same, State, Task};

pub const READ: &str = "Microsoft.ContainerRegistry/registries/tasks/read";
pub const WRITE: &str = "Microsoft.ContainerRegistry/registries/tasks/write";
pub const DELETE: &str = "Microsoft.ContainerRegistry/registries/tasks/delete";

const STEP_TYPES: [&str; 3] = ["Docker", "FileTask", "EncodedTask"];

/// Secrets are write-only: a GET leaves out secret arguments and values, source-control tokens,
/// and custom registry credentials (`listDetails` returns them, as the service does).
fn redact(properties: &mut Value) {
    if let Some(step) = properties.get_mut("step") {
        for list in ["arguments", "values"] {
            if let Some(Value::Array(items)) = step.get_mut(list) {
                items.retain(|i| i.get("isSecret") != Some(&Value::Bool(true)));
            }
        }
    }
    if let Some(Value::Array(triggers)) = properties.get_mut("trigger").and_then(|t| t.get_mut("sourceTriggers")) {
        for t in triggers {
            if let Some(Value::Object(repo)) = t.get_mut("sourceRepository") {
                repo.remove("sourceControlAuthProperties");
            }
        }
    }
    if let Some(Value::Object(registries)) = properties.get_mut("credentials").and_then(|c| c.get_mut("customRegistries")) {
        for v in registries.values_mut() {
            *v = Value::Null;
        }
    }
}

/// What the service fills in that a client need not send.
fn with_defaults(properties: &mut Map<String, Value>) {
    properties.entry("isSystemTask").or_insert(json!(false));
    if let Some(Value::Object(trigger)) = properties.get_mut("trigger") {
        for list in ["timerTriggers", "sourceTriggers"] {
            if let Some(Value::Array(items)) = trigger.get_mut(list) {
                for item in items.iter_mut().filter_map(Value::as_object_mut) {
                    item.entry("status").or_insert(json!("Enabled"));
                }
            }
        }
        if let Some(Value::Object(base)) = trigger.get_mut("baseImageTrigger") {
            base.entry("status").or_insert(json!("Enabled"));
        }
    }
}

/// A managed identity as the service returns it: with the principal it made.
fn identity_json(identity: &Value, task: &Task) -> Value {
    let mut identity = identity.clone();
    if let Some(obj) = identity.as_object_mut() {
        if let Some(principal) = task.principal_id() {
            obj.insert("principalId".into(), json!(principal));
            obj.insert("tenantId".into(), json!(crate::authority::users::TENANT_ID));
        }
        if let Some(Value::Object(users)) = obj.get_mut("userAssignedIdentities") {
            for (id, v) in users.iter_mut() {
                *v = json!({ "principalId": stable_guid(&format!("principal:{id}")), "clientId": stable_guid(&format!("client:{id}")) });
            }
        }
    }
    identity
}

use crate::ids::stable_guid;

pub fn to_json(t: &Task) -> Value {
    task_json(t, false)
}

pub fn task_json(t: &Task, with_secrets: bool) -> Value {
    let mut properties = t.properties.clone();
    if !with_secrets {
        redact(&mut properties);
    }
    if let Value::Object(p) = &mut properties {
        with_defaults(p);
        drop_empty_credentials(p);
        p.insert("provisioningState".into(), json!("Succeeded"));
        p.insert("creationDate".into(), json!(rfc3339_ms(t.created_ms)));
        p.entry("agentConfiguration").or_insert(json!({ "cpu": crate::arm::container_registry::runs::DEFAULT_CPU }));
        if t.has_run {
            if let Some(Value::Object(step)) = p.get_mut("step").filter(|s| s["type"] == "Docker") {
                step.insert("baseImageDependencies".into(), base_image_dependencies());
            }
        }
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
        task["identity"] = identity_json(identity, t);
    }
    crate::arm::pipeline::system_data::add(&mut task, t.system_data.as_ref());
    task
}

/// What a Docker step depends on, once a run has resolved it. The emulator reads no Dockerfile:
/// every Docker step depends on `node:15-alpine`, the base of the sample that recordings build
/// (Azure-Samples/acr-build-helloworld-node), as recorded after its first run.
fn base_image_dependencies() -> Value {
    json!([{
        "type": "Runtime",
        "registry": "registry.hub.docker.com",
        "repository": "library/node",
        "tag": "15-alpine",
        "digest": "sha256:6edd37368174c15d4cc59395ca2643be8e2a1c9846714bc92c5f5c5a92fb8929"
    }])
}

/// Recorded: `credentials` is left out until a credential is set (`{}` sent on create reads
/// back as nothing); once one was, it stays, as `{"customRegistries": {}}` after its removal.
fn drop_empty_credentials(p: &mut Map<String, Value>) {
    if p.get("credentials").is_some_and(|c| c.is_null() || c.as_object().is_some_and(Map::is_empty)) {
        p.remove("credentials");
    }
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

/// Checks what a task's properties must hold, after a PUT or a PATCH merge. A system task (the
/// registry's quick task) has no platform or step.
fn check_properties(state: &State, r: &RegistryRef, p: &Map<String, Value>) -> Result<(), ArmError> {
    if p.get("isSystemTask") == Some(&Value::Bool(true)) {
        return Ok(());
    }
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
        if !name.is_empty() && !state.pool_index(r.key(), name).is_some() {
            return Err(ArmError::bad_field("AgentPoolNotFound", "properties.agentPoolName", format!("The agent pool '{name}' was not found in registry '{}'.", r.name)));
        }
    }
    Ok(())
}

/// Fields each step type has (TaskStepProperties and its subtypes); the service ignores others,
/// such as the `contentPath` typo in some of Microsoft's own examples.
fn step_fields(step_type: &str) -> &'static [&'static str] {
    const COMMON: [&str; 3] = ["type", "contextPath", "contextAccessToken"];
    match step_type {
        "Docker" => &["type", "contextPath", "contextAccessToken", "imageNames", "isPushEnabled", "noCache", "dockerFilePath", "target", "arguments"],
        "FileTask" => &["type", "contextPath", "contextAccessToken", "taskFilePath", "valuesFilePath", "values"],
        "EncodedTask" => &["type", "contextPath", "contextAccessToken", "encodedTaskContent", "encodedValuesContent", "values"],
        _ => &COMMON,
    }
}

/// Read-only fields a client may echo back are dropped, not stored.
fn writable(mut p: Map<String, Value>) -> Map<String, Value> {
    p.remove("provisioningState");
    p.remove("creationDate");
    p
}

/// Unknown step fields are dropped once the step's type is known (after a PATCH is merged).
fn known_step_fields(mut p: Map<String, Value>) -> Map<String, Value> {
    if let Some(Value::Object(step)) = p.get_mut("step") {
        let kind = step.get("type").and_then(Value::as_str).unwrap_or("").to_string();
        step.retain(|k, _| step_fields(&kind).contains(&k.as_str()));
    }
    p
}

pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    access::registry(call, &state, r, READ, Access::Read)?;
    let items = state.tasks_of(r.key()).map(to_json).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    read(call, r, name, false)
}

/// `POST …/listDetails`: the task with its secrets.
pub fn details(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    read(call, r, name, true)
}

fn read(call: &Call, r: &RegistryRef, name: &str, with_secrets: bool) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let state = call.emu.state();
    let action = if with_secrets { "Microsoft.ContainerRegistry/registries/tasks/listDetails/action" } else { READ };
    access::registry(call, &state, r, action, if with_secrets { Access::Write } else { Access::Read })?;
    let i = find(&state, r, name).ok_or_else(|| not_found(r, name))?;
    Ok(Json(task_json(&state.tasks[i], with_secrets)).into_response())
}

pub fn put(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let mut state = call.emu.state();
    let registry = access::registry(call, &state, r, WRITE, Access::Write)?.clone();
    check_name(name)?;
    let body = Body::parse(&call.body)?;
    let location = body.string("location")?.filter(|l| !l.is_empty()).ok_or_else(|| {
        ArmError::bad_field("LocationRequired", "location", "The location property is required for this definition.")
    })?;
    let properties = known_step_fields(writable(body.object("properties")?.cloned().ok_or_else(|| {
        ArmError::bad_field("InvalidRequestContent", "properties", "The request content was invalid: the required property 'properties' is missing.")
    })?));
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
        identity: body.get("identity").cloned(),
        system_data: Some(crate::store::SystemData::new(&call.caller.who(), call.emu.clock.now_ms())),
        has_run: false,
    };
    // 200 for a new task too: the service answers so, and the Azure CLI depends on it (`az acr
    // task create` prints the raw response of anything but a 200, task.py's `local_fix`).
    let body = match find(&state, r, name) {
        Some(i) => {
            let old = &state.tasks[i];
            let (created_ms, has_run) = (old.created_ms, old.has_run);
            let mut system_data = old.system_data.clone().or(task.system_data.clone());
            if let Some(s) = &mut system_data {
                s.touch(&call.caller.who(), call.emu.clock.now_ms());
            }
            state.tasks[i] = Task { created_ms, system_data, has_run, ..task };
            to_json(&state.tasks[i])
        }
        None => {
            let body = to_json(&task);
            state.tasks.push(task);
            body
        }
    };
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// Merges an update into what is stored, as TaskUpdateParameters work: objects field by field,
/// lists of named items (triggers) item by item by `name`, anything else replaced.
fn merge(into: &mut Value, update: Value) {
    match (into, update) {
        (Value::Object(old), Value::Object(new)) => {
            for (k, v) in new {
                match old.get_mut(&k) {
                    // `null` removes a field.
                    _ if v.is_null() => {
                        old.remove(&k);
                    }
                    Some(existing) => merge(existing, v),
                    None => {
                        old.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(old), Value::Array(new)) if !new.is_empty() && new.iter().all(|v| v.get("name").is_some()) => {
            for item in new {
                match old.iter_mut().find(|o| o.get("name") == item.get("name")) {
                    Some(existing) => merge(existing, item),
                    None => old.push(item),
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

/// Top-level properties (and the step's fields) are merged, as TaskUpdateParameters are.
pub fn patch(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::TASKS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, WRITE, Access::Write)?;
    let i = find(&state, r, name).ok_or_else(|| not_found(r, name))?;
    let body = Body::parse(&call.body)?;
    let mut merged = state.tasks[i].properties.clone();
    merge(&mut merged, Value::Object(writable(body.object("properties")?.cloned().unwrap_or_default())));
    let merged = known_step_fields(merged.as_object().cloned().unwrap_or_default());
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
    call.require_api_version(&versions::TASKS)?;
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
