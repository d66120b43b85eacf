//! Long-running operations as ARM's async API describes them: the response to a PUT, PATCH or
//! DELETE carries `Azure-AsyncOperation` (a status resource: `{id, name, status, startTime,
//! endTime, error}`) and, for DELETE, `Location` (202 until done, then the final answer), with
//! `Retry-After`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::access::{check_scope, Access};
use super::error::ArmError;
use super::call::{ArmResult, Call};
use super::versions;
use crate::clock::rfc3339_ms;
use crate::store::{OpKind, Operation, State};
use crate::Emulator;

const PROVIDER_PATH: &str = "providers/Microsoft.ContainerRegistry/locations";

/// Records a new operation, started by `call`, and returns its id.
pub fn start(call: &Call, state: &mut State, sub: &str, location: &str, resource_id: String, kind: OpKind) -> String {
    let emu = call.emu;
    let id = crate::new_guid();
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

fn url(emu: &Emulator, op: &Operation, leaf: &str) -> String {
    format!(
        "{}/subscriptions/{}/{PROVIDER_PATH}/{}/{leaf}/{}?api-version={}",
        emu.origins.arm,
        op.subscription,
        op.location,
        op.id,
        if op.api_version.is_empty() { versions::AGENT_POOLS.versions[0] } else { &op.api_version }
    )
}

/// Real seconds until the operation should be done (at least 1), for `Retry-After`.
pub fn retry_after_secs(emu: &Emulator) -> u32 {
    let speed = emu.clock.speed().max(0.001);
    ((emu.settings.lro_ms as f64 / speed / 1000.0).ceil() as u32).clamp(1, 60)
}

/// Adds the async-operation headers for operation `id` to a response.
pub fn with_headers(emu: &Emulator, state: &State, id: &str, mut response: Response) -> Response {
    let Some(op) = state.operations.iter().find(|o| o.id == id) else { return response };
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(name, v);
        }
    };
    set(h, "azure-asyncoperation", url(emu, op, "operationStatuses"));
    if op.kind == OpKind::Delete {
        set(h, "location", url(emu, op, "operationResults"));
    }
    h.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs(emu)));
    response
}

fn find<'s>(call: &Call, state: &'s State, sub: &str, id: &str) -> Result<&'s Operation, ArmError> {
    check_scope(call, state, sub, None, "Microsoft.ContainerRegistry/locations/operationResults/read", Access::Read)?;
    state
        .operations
        .iter()
        .find(|o| o.id == id && crate::store::same(&o.subscription, sub))
        .ok_or_else(|| ArmError::new(StatusCode::NOT_FOUND, "OperationNotFound", format!("The operation '{id}' could not be found.")))
}

/// `GET …/operationStatuses/{id}`: always 200 with the status body (ARM async API).
pub fn status(call: &Call, sub: &str, id: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let op = find(call, &state, sub, id)?;
    let mut body = json!({
        "id": format!("/subscriptions/{}/{PROVIDER_PATH}/{}/operationStatuses/{}", op.subscription, op.location, op.id),
        "name": op.id,
        "status": op.status,
        "startTime": rfc3339_ms(op.start_ms),
    });
    if let Some(end) = op.end_ms {
        body["endTime"] = json!(rfc3339_ms(end));
    }
    if let Some(e) = &op.error {
        body["error"] = json!({"code": e.code, "message": e.message});
    }
    let response = Json(body).into_response();
    Ok(if op.status == "InProgress" { with_headers(call.emu, &state, &op.id, response) } else { response })
}

/// `GET …/operationResults/{id}` (the `Location` of a delete): 202 while running, then 204, or
/// the operation's error.
pub fn result(call: &Call, sub: &str, id: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let op = find(call, &state, sub, id)?;
    match (op.status.as_str(), &op.error) {
        ("InProgress", _) => Ok(with_headers(call.emu, &state, &op.id, StatusCode::ACCEPTED.into_response())),
        (_, Some(e)) => Err(ArmError::new(StatusCode::BAD_REQUEST, &e.code, e.message.clone())),
        _ => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}
