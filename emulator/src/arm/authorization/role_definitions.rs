//! `GET {scope}/providers/Microsoft.Authorization/roleDefinitions[/{id}]`: the built-in roles
//! the emulator knows (`store::roles`), shaped as recorded (the ABAC test's
//! `$filter=roleName eq '…'` at a registry, 2022-05-01-preview). Custom roles are not modelled.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::authorization::scope::Scope;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::{access::Access, paging, versions};
use crate::store::roles::{Definition, DEFINITIONS};

pub const READ: &str = "Microsoft.Authorization/roleDefinitions/read";

/// A definition's id as seen from a scope: under its subscription, or at the root.
pub fn id_at(sub: Option<&str>, guid: &str) -> String {
    match sub {
        Some(s) => format!("/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
        None => format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
    }
}

fn to_json(d: &Definition, sub: Option<&str>) -> Value {
    json!({
        "properties": {
            "roleName": d.name,
            "type": "BuiltInRole",
            "description": d.description,
            "assignableScopes": ["/"],
            "permissions": [{ "actions": d.actions, "notActions": d.not_actions, "dataActions": d.data_actions, "notDataActions": [] }],
            "createdOn": "2015-02-02T21:55:09.8806423Z",
            "updatedOn": "2025-01-10T02:17:34.5849216Z",
            "createdBy": null,
            "updatedBy": null
        },
        "id": id_at(sub, d.id),
        "type": "Microsoft.Authorization/roleDefinitions",
        "name": d.id,
    })
}

/// `roleName eq 'X'` or `type eq 'BuiltInRole'`; anything else lists them all.
fn matches(filter: Option<&str>, d: &Definition) -> bool {
    let Some(f) = filter else { return true };
    let value = f.split_once("eq").map(|(_, v)| v.trim().trim_matches('\'').to_string()).unwrap_or_default();
    if f.trim_start().to_ascii_lowercase().starts_with("rolename") {
        return d.name.eq_ignore_ascii_case(&value);
    }
    if f.trim_start().to_ascii_lowercase().starts_with("type") {
        return value.eq_ignore_ascii_case("BuiltInRole");
    }
    true
}

pub fn list(call: &Call, scope: &Scope) -> ArmResult {
    call.require_api_version(&versions::ROLE_DEFINITIONS)?;
    let state = call.emu.state();
    scope.check(call, &state, READ, Access::Read)?;
    let items = DEFINITIONS.iter().filter(|d| matches(call.param("$filter"), d)).map(|d| to_json(d, scope.sub.as_deref())).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, scope: &Scope, guid: &str) -> ArmResult {
    call.require_api_version(&versions::ROLE_DEFINITIONS)?;
    let state = call.emu.state();
    scope.check(call, &state, READ, Access::Read)?;
    let d = DEFINITIONS.iter().find(|d| d.id.eq_ignore_ascii_case(guid)).ok_or_else(|| {
        ArmError::new(axum::http::StatusCode::NOT_FOUND, "RoleDefinitionDoesNotExist", format!("The specified role definition with ID '{guid}' does not exist."))
    })?;
    Ok(Json(to_json(d, scope.sub.as_deref())).into_response())
}
