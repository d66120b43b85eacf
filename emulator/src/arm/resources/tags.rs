//! Tags of a registry, or of one of its tasks, as their own resource
//! (`{registry or task}/providers/Microsoft.Resources/tags/default`,
//! Microsoft.Resources 2019-10-01 and later): read, replace (PUT) and PATCH with `Merge`, `Replace`
//! or `Delete`, so one tag can be written or removed without rewriting the others. This is where
//! the portal keeps a paused pool's record (Azure keeps no tags on agent pools); `az tag update
//! --resource-id … --operation merge` does the same. Writing needs `Microsoft.Resources/tags/write`
//! (Tag Contributor, Contributor, Owner).

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::versions;
use crate::store::{registry_id, Tags};

pub const READ: &str = "Microsoft.Resources/tags/read";
pub const WRITE: &str = "Microsoft.Resources/tags/write";

/// ARM's limits: 50 tags a resource, names of up to 512 characters without `<>%&\?/`, values of
/// up to 256.
const MAX_TAGS: usize = 50;
const MAX_NAME: usize = 512;
const MAX_VALUE: usize = 256;

/// The resource whose tags these are: `task` names one of the registry's tasks (a schedule's
/// rule is tagged with `az tag update --resource-id <task id>` after `az acr task create`,
/// which has no `--tags`).
fn scope(r: &RegistryRef, task: Option<&str>) -> String {
    let registry = registry_id(r.sub, r.rg, r.name);
    match task {
        Some(t) => format!("{registry}/tasks/{t}"),
        None => registry,
    }
}

fn to_json(r: &RegistryRef, task: Option<&str>, tags: &Tags) -> Value {
    json!({
        "id": format!("{}/providers/Microsoft.Resources/tags/default", scope(r, task)),
        "name": "default",
        "type": "Microsoft.Resources/tags",
        "properties": { "tags": tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<serde_json::Map<_, _>>() },
    })
}

fn task_missing(task: &str, r: &RegistryRef) -> ArmError {
    ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}/tasks/{task}", r.name), r.rg)
}

pub fn get(call: &Call, r: &RegistryRef, task: Option<&str>) -> ArmResult {
    call.require_api_version(&versions::TAGS)?;
    let state = call.emu.state();
    let registry = access::registry(call, &state, r, READ, Access::Read)?;
    let tags = match task {
        None => &registry.tags,
        Some(t) => &state.tasks.iter().find(|x| r.key().matches(&x.subscription, &x.resource_group, &x.registry) && x.name.eq_ignore_ascii_case(t)).ok_or_else(|| task_missing(t, r))?.tags,
    };
    Ok(Json(to_json(r, task, tags)).into_response())
}

fn check(tags: &Tags) -> Result<(), ArmError> {
    if tags.len() > MAX_TAGS {
        return Err(ArmError::bad_field("InvalidTagCount", "properties.tags", format!("A resource can have at most {MAX_TAGS} tags; this would give it {}.", tags.len())));
    }
    for (k, v) in tags {
        if k.is_empty() || k.chars().count() > MAX_NAME || k.chars().any(|c| "<>%&\\?/".contains(c)) {
            return Err(ArmError::bad_field("InvalidTagNameCharacters", "properties.tags", format!("The tag name '{k}' is invalid: 1 to {MAX_NAME} characters, none of < > % & \\ ? /.")));
        }
        if v.chars().count() > MAX_VALUE {
            return Err(ArmError::bad_field("InvalidTagValueLength", "properties.tags", format!("The value of tag '{k}' is {} characters long; the limit is {MAX_VALUE}.", v.chars().count())));
        }
    }
    Ok(())
}

/// `PUT` replaces every tag; `PATCH` merges, replaces, or deletes the named tags (a value given
/// with `Delete` must match for the tag to go, as ARM does).
pub fn write(call: &Call, r: &RegistryRef, task: Option<&str>, patch: bool) -> ArmResult {
    call.require_api_version(&versions::TAGS)?;
    let mut state = call.emu.state();
    access::registry(call, &state, r, WRITE, Access::Write)?;
    let body = Body::parse(&call.body)?;
    let given: Tags = body.object("properties.tags")?.map(|m| {
        m.iter().map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            other => Err(ArmError::bad_field("InvalidRequestContent", &format!("properties.tags.{k}"), format!("The tag '{k}' must be a string, not {other}."))),
        }).collect::<Result<Tags, _>>()
    }).transpose()?.unwrap_or_default();
    let operation = if patch { body.string("operation")?.unwrap_or("") } else { "Replace" };
    let held: &mut Tags = match task {
        None => &mut state.registries.iter_mut().find(|x| r.key().matches(&x.subscription, &x.resource_group, &x.name)).expect("checked above").tags,
        Some(t) => &mut state.tasks.iter_mut().find(|x| r.key().matches(&x.subscription, &x.resource_group, &x.registry) && x.name.eq_ignore_ascii_case(t)).ok_or_else(|| task_missing(t, r))?.tags,
    };
    let mut tags = held.clone();
    match operation.to_ascii_lowercase().as_str() {
        "replace" => tags = given,
        "merge" => {
            for (k, v) in given {
                match tags.iter_mut().find(|(x, _)| x.eq_ignore_ascii_case(&k)) {
                    Some(t) => t.1 = v,
                    None => tags.push((k, v)),
                }
            }
        }
        "delete" => tags.retain(|(k, v)| !given.iter().any(|(gk, gv)| gk.eq_ignore_ascii_case(k) && (gv.is_empty() || gv == v))),
        other => {
            return Err(ArmError::bad_field("InvalidRequestContent", "operation", format!("The operation '{other}' is invalid: use Merge, Replace or Delete.")));
        }
    }
    check(&tags)?;
    *held = tags;
    Ok((StatusCode::OK, Json(to_json(r, task, held))).into_response())
}
