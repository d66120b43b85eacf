//! Resource groups (Microsoft.Resources `ResourceGroups_Get`, `ResourceGroups_List`,
//! `ResourceGroups_CheckExistence`): read-only here, the demo's groups are fixed.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::store::{same, ResourceGroup};

pub const READ: &str = "Microsoft.Resources/subscriptions/resourceGroups/read";

pub fn to_json(g: &ResourceGroup) -> Value {
    json!({
        "id": format!("/subscriptions/{}/resourceGroups/{}", g.subscription, g.name),
        "name": g.name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": g.location,
        "properties": { "provisioningState": "Succeeded" },
    })
}

/// `GET /subscriptions/{s}/resourceGroups`: `$filter` may only name tags, and the demo's groups
/// have none, so a tag filter finds nothing; anything else is refused as ARM refuses it.
pub fn list(call: &Call, sub: &str) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let filter = call.param("$filter").unwrap_or("").trim();
    let lower = filter.to_ascii_lowercase();
    if !filter.is_empty() && !lower.starts_with("tagname eq ") {
        return Err(ArmError::new(
            StatusCode::BAD_REQUEST,
            "InvalidFilterInQueryString",
            format!("Invalid $filter '{filter}' specified in the query string."),
        ));
    }
    let state = call.emu.state();
    check_scope(call, &state, sub, None, READ, Access::Read)?;
    let items = state
        .resource_groups
        .iter()
        .filter(|g| same(&g.subscription, sub) && filter.is_empty())
        .map(to_json)
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, sub: &str, rg: &str) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, Some(rg), READ, Access::Read)?;
    let g = state.resource_group(sub, rg).ok_or_else(|| ArmError::resource_group_not_found(rg))?;
    Ok(Json(to_json(g)).into_response())
}

/// `HEAD`: 204 if it exists, 404 if not (`az group exists`).
pub fn exists(call: &Call, sub: &str, rg: &str) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, None, READ, Access::Read)?;
    Ok(if state.resource_group(sub, rg).is_some() { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND }.into_response())
}
