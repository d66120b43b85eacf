//! `providers/Microsoft.Authorization`: the caller's permissions at a scope, the built-in role
//! definitions, and role assignments at any scope (subscription, group, resource), which
//! scheduled scaling writes for its tasks' identities.

pub mod permissions;
pub mod role_assignments;
pub mod role_definitions;
pub mod scope;

use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use scope::Scope;

/// Routes `{scope}/providers/Microsoft.Authorization/{roleAssignments|roleDefinitions}[/{name}]`;
/// `None` if the path is not one of those.
pub fn route(call: &Call, lower: &[&str]) -> Option<ArmResult> {
    let i = lower.iter().rposition(|s| *s == "providers")?;
    if lower.get(i + 1) != Some(&"microsoft.authorization") {
        return None;
    }
    let scope = Scope::of(&call.segments[..i]);
    let name = call.segments.get(i + 3).map(String::as_str);
    let m = &call.method;
    let method_not_allowed = || Err(ArmError::new(axum::http::StatusCode::METHOD_NOT_ALLOWED, "MethodNotAllowed", format!("The requested method '{m}' is not allowed on '{}'.", call.path)));
    Some(match (&lower[i + 2..], name) {
        (["roleassignments"], _) if m == axum::http::Method::GET => role_assignments::list(call, &scope),
        (["roleassignments", _], Some(n)) if m == axum::http::Method::GET => role_assignments::get(call, &scope, n),
        (["roleassignments", _], Some(n)) if m == axum::http::Method::PUT => role_assignments::put(call, &scope, n),
        (["roleassignments", _], Some(n)) if m == axum::http::Method::DELETE => role_assignments::delete(call, &scope, n),
        (["roledefinitions"], _) if m == axum::http::Method::GET => role_definitions::list(call, &scope),
        (["roledefinitions", _], Some(n)) if m == axum::http::Method::GET => role_definitions::get(call, &scope, n),
        (["roleassignments", ..] | ["roledefinitions", ..], _) => method_not_allowed(),
        _ => return None,
    })
}
