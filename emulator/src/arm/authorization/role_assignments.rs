//! `{scope}/providers/Microsoft.Authorization/roleAssignments[/{name}]` (2022-04-01): PUT, GET,
//! DELETE, and list with `$filter=principalId eq '…'` (or `atScope()`), as recorded for
//! `az role assignment create` (201 with the assignment, `createdBy` null, `updatedBy` the caller).
//! What is assigned here is what the emulator's RBAC then checks, for people, service principals
//! and task identities alike.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::authorization::role_definitions;
use crate::arm::authorization::scope::Scope;
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::{access::Access, paging, versions};
use crate::clock::rfc3339_ms;
use crate::store::roles::{self, Role};
use crate::store::{same, RoleAssignment};

pub const READ: &str = "Microsoft.Authorization/roleAssignments/read";
pub const WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
pub const DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";

pub fn to_json(a: &RoleAssignment) -> Value {
    let scope = a.scope();
    let name = a.name();
    let at = rfc3339_ms(a.created_ms);
    json!({
        "properties": {
            "roleDefinitionId": role_definitions::id_at(Some(&a.subscription), a.role.definition().id),
            "principalId": a.principal,
            "principalType": a.principal_type.clone().unwrap_or_else(|| "User".into()),
            "scope": scope,
            "condition": null,
            "conditionVersion": null,
            "createdOn": at,
            "updatedOn": at,
            "createdBy": null,
            "updatedBy": a.created_by,
            "delegatedManagedIdentityResourceId": null,
            "description": null
        },
        "id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name,
    })
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

fn find(assignments: &[RoleAssignment], scope: &Scope, name: &str) -> Option<usize> {
    assignments.iter().position(|a| same(&a.name(), name) && same(&a.scope(), &scope.path))
}

fn bad(code: &str, message: String) -> ArmError {
    ArmError::new(StatusCode::BAD_REQUEST, code, message)
}

pub fn put(call: &Call, scope: &Scope, name: &str) -> ArmResult {
    call.require_api_version(&versions::ROLE_ASSIGNMENTS)?;
    let emu = call.emu;
    let mut state = emu.state();
    scope.check(call, &state, WRITE, Access::Write)?;
    let Some(sub) = scope.sub.clone() else {
        return Err(bad("InvalidScope", "Role assignments at the root scope are not supported here.".into()));
    };
    if !is_guid(name) {
        return Err(bad("InvalidRoleAssignmentId", format!("The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.")));
    }
    let body = Body::parse(&call.body)?;
    let definition = body.required_string("properties.roleDefinitionId")?;
    let role = Role::by_definition_id(definition).ok_or_else(|| {
        let guid = definition.rsplit('/').next().unwrap_or(definition);
        bad("RoleDefinitionDoesNotExist", format!("The specified role definition with ID '{guid}' does not exist."))
    })?;
    let principal = body.required_string("properties.principalId")?.to_string();
    if !is_guid(&principal) {
        return Err(bad("InvalidPrincipalId", format!("The principal ID '{principal}' is not valid. It must be a GUID.")));
    }
    let principal_type = body.string("properties.principalType")?.map(String::from);
    let wanted = RoleAssignment {
        principal: principal.clone(),
        subscription: sub,
        role,
        scope: Some(scope.path.clone()),
        name: Some(name.to_ascii_lowercase()),
        principal_type,
        created_ms: emu.clock.now_ms(),
        created_by: Some(call.caller.oid.clone()),
    };
    if let Some(i) = find(&state.assignments, scope, name) {
        let old = &state.assignments[i];
        if old.principal != principal || old.role != role {
            return Err(ArmError::conflict("RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated."));
        }
        return Ok((StatusCode::CREATED, Json(to_json(old))).into_response());
    }
    if state.assignments.iter().any(|a| a.principal == principal && a.role == role && same(&a.scope(), &scope.path)) {
        return Err(ArmError::conflict("RoleAssignmentExists", "The role assignment already exists."));
    }
    let answer = to_json(&wanted);
    state.assignments.push(wanted);
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

pub fn get(call: &Call, scope: &Scope, name: &str) -> ArmResult {
    call.require_api_version(&versions::ROLE_ASSIGNMENTS)?;
    let state = call.emu.state();
    scope.check(call, &state, READ, Access::Read)?;
    let i = find(&state.assignments, scope, name)
        .ok_or_else(|| ArmError::new(StatusCode::NOT_FOUND, "RoleAssignmentNotFound", format!("The role assignment '{name}' is not found.")))?;
    Ok(Json(to_json(&state.assignments[i])).into_response())
}

pub fn delete(call: &Call, scope: &Scope, name: &str) -> ArmResult {
    call.require_api_version(&versions::ROLE_ASSIGNMENTS)?;
    let mut state = call.emu.state();
    scope.check(call, &state, DELETE, Access::Write)?;
    match find(&state.assignments, scope, name) {
        Some(i) => Ok(Json(to_json(&state.assignments.remove(i))).into_response()),
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Assignments at, above or below the scope (only at or above with `atScope()`), for one
/// principal with `principalId eq '…'` or `assignedTo('…')`.
pub fn list(call: &Call, scope: &Scope) -> ArmResult {
    call.require_api_version(&versions::ROLE_ASSIGNMENTS)?;
    let state = call.emu.state();
    scope.check(call, &state, READ, Access::Read)?;
    let filter = call.param("$filter").unwrap_or("");
    let quoted = |key: &str| -> Option<String> {
        let lower = filter.to_ascii_lowercase();
        let at = lower.find(&key.to_ascii_lowercase())? + key.len();
        let rest = &filter[at..];
        let start = rest.find('\'')? + 1;
        let end = rest[start..].find('\'')? + start;
        Some(rest[start..end].to_string())
    };
    let principal = quoted("principalId eq").or_else(|| quoted("assignedTo("));
    let at_scope = filter.to_ascii_lowercase().contains("atscope()");
    let items = state
        .assignments
        .iter()
        .filter(|a| principal.as_deref().is_none_or(|p| same(&a.principal, p)))
        .filter(|a| {
            let s = a.scope();
            roles::within(&scope.path, &s) || (!at_scope && roles::within(&s, &scope.path))
        })
        .map(to_json)
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}
