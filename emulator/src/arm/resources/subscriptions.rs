//! `GET /subscriptions` (Microsoft.Resources 2022-12-01): only those the caller has a role on.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::authority::users::TENANT_ID;
use crate::store::Subscription;

pub fn to_json(s: &Subscription) -> Value {
    json!({
        "id": format!("/subscriptions/{}", s.id),
        "subscriptionId": s.id,
        "tenantId": TENANT_ID,
        "displayName": s.display_name,
        "state": s.state,
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        },
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "tags": {}
    })
}

pub fn list(call: &Call) -> ArmResult {
    call.require_api_version(&versions::SUBSCRIPTIONS)?;
    let state = call.emu.state();
    let items = state
        .subscriptions
        .iter()
        .filter(|s| state.has_access(&call.caller.oid, &s.id))
        .map(to_json)
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, id: &str) -> ArmResult {
    call.require_api_version(&versions::SUBSCRIPTIONS)?;
    let state = call.emu.state();
    let sub = state.subscription(id).ok_or_else(|| ArmError::subscription_not_found(id))?;
    if !state.has_access(&call.caller.oid, &sub.id) {
        return Err(ArmError::authorization_failed(
            &call.caller.oid,
            "Microsoft.Resources/subscriptions/read",
            &format!("/subscriptions/{}", sub.id),
        ));
    }
    Ok(Json(to_json(sub)).into_response())
}
