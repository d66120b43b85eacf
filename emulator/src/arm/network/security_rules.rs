//! An NSG's security rules (Microsoft.Network `SecurityRules_*`): list, get, and create or
//! replace (PUT). The portal's pre-flight prints `az network nsg rule create|update` to let an
//! agent pool's traffic out; here they run for real, and the next pool made in that subnet sees
//! the new rules. As on Azure the PUT is asynchronous: it answers `Updating` with an
//! `Azure-AsyncOperation` link to Microsoft.Network's operation status (`{"status": …}`); here the
//! rule takes effect at once and its operation has already `Succeeded` (NOTES.md §10).

use axum::http::{HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::network::virtual_networks::rule_json;
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::store::{nsg_id, same, NetworkSecurityGroup, OpKind, Operation, SecurityRule, State};

const READ: &str = "Microsoft.Network/networkSecurityGroups/securityRules/read";
const WRITE: &str = "Microsoft.Network/networkSecurityGroups/securityRules/write";

/// An NSG named in a path.
pub struct NsgRef<'a> {
    pub sub: &'a str,
    pub rg: &'a str,
    pub name: &'a str,
}

fn find(state: &State, n: &NsgRef) -> Result<usize, ArmError> {
    state
        .nsgs
        .iter()
        .position(|x| same(&x.subscription, n.sub) && same(&x.resource_group, n.rg) && same(&x.name, n.name))
        .ok_or_else(|| ArmError::not_found_resource(&format!("Microsoft.Network/networkSecurityGroups/{}", n.name), n.rg))
}

pub fn list(call: &Call, n: &NsgRef) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    check_scope(call, &state, n.sub, Some(n.rg), READ, Access::Read)?;
    let nsg = &state.nsgs[find(&state, n)?];
    let items = nsg.rules.iter().map(|r| rule_json(nsg, "securityRules", r)).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, n: &NsgRef, rule: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    check_scope(call, &state, n.sub, Some(n.rg), READ, Access::Read)?;
    let nsg = &state.nsgs[find(&state, n)?];
    let r = nsg.rules.iter().find(|r| same(&r.name, rule)).ok_or_else(|| {
        ArmError::not_found_resource(&format!("Microsoft.Network/networkSecurityGroups/{}/securityRules/{rule}", n.name), n.rg)
    })?;
    Ok(Json(rule_json(nsg, "securityRules", r)).into_response())
}

/// A string field, or the first of its plural form (`destinationPortRange` / `…Ranges`).
fn singular_or_plural(body: &Body, one: &str, many: &str) -> Result<(Option<String>, Vec<String>), ArmError> {
    let single = body.string(one)?.filter(|s| !s.is_empty()).map(String::from);
    let list: Vec<String> = body.array(many)?.map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect()).unwrap_or_default();
    if single.is_none() && list.is_empty() {
        return Err(ArmError::bad_field("InvalidRequestFormat", one, format!("Either '{one}' or '{many}' must be given.")));
    }
    Ok((single, list))
}

fn read_rule(name: &str, body: &Body) -> Result<SecurityRule, ArmError> {
    let field = |k: &str| format!("properties.{k}");
    let required = |k: &str| -> Result<String, ArmError> {
        body.string(&field(k))?.filter(|s| !s.is_empty()).map(String::from).ok_or_else(|| {
            ArmError::bad_field("InvalidRequestFormat", &field(k), format!("The required property '{k}' is missing."))
        })
    };
    let pick = |k: &str, allowed: &[&str]| -> Result<String, ArmError> {
        let v = required(k)?;
        allowed.iter().find(|a| a.eq_ignore_ascii_case(&v)).map(|a| a.to_string()).ok_or_else(|| {
            ArmError::bad_field("InvalidRequestFormat", &field(k), format!("The value '{v}' of '{k}' is invalid: use one of {}.", allowed.join(", ")))
        })
    };
    let priority = body.int(&field("priority"))?.ok_or_else(|| {
        ArmError::bad_field("InvalidRequestFormat", &field("priority"), "The required property 'priority' is missing.")
    })?;
    if !(100..=4096).contains(&priority) {
        return Err(ArmError::bad_field(
            "SecurityRuleInvalidPriority",
            &field("priority"),
            format!("Security rule {name} has invalid priority {priority}. Value provided: {priority} Allowed range 100-4096."),
        ));
    }
    let (source, sources) = singular_or_plural(body, &field("sourceAddressPrefix"), &field("sourceAddressPrefixes"))?;
    let (dest_port, dest_ports) = singular_or_plural(body, &field("destinationPortRange"), &field("destinationPortRanges"))?;
    let (dest, dests) = singular_or_plural(body, &field("destinationAddressPrefix"), &field("destinationAddressPrefixes"))?;
    Ok(SecurityRule {
        name: name.to_string(),
        description: body.string(&field("description"))?.map(String::from),
        protocol: pick("protocol", &["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"])?,
        source_port_range: body.string(&field("sourcePortRange"))?.unwrap_or("*").to_string(),
        destination_port_range: dest_port,
        destination_port_ranges: dest_ports,
        source_address_prefix: source.unwrap_or_default(),
        source_address_prefixes: sources,
        destination_address_prefix: dest,
        destination_address_prefixes: dests,
        access: pick("access", &["Allow", "Deny"])?,
        priority: priority as u32,
        direction: pick("direction", &["Inbound", "Outbound"])?,
    })
}

/// Two rules of one direction may not share a priority.
fn check_conflict(nsg: &NetworkSecurityGroup, rule: &SecurityRule) -> Result<(), ArmError> {
    match nsg.rules.iter().find(|r| !same(&r.name, &rule.name) && r.priority == rule.priority && same(&r.direction, &rule.direction)) {
        None => Ok(()),
        Some(other) => Err(ArmError::bad_field(
            "SecurityRuleConflict",
            "properties.priority",
            format!(
                "Security rule {} conflicts with rule {}. Rules cannot have the same Priority and Direction. To learn more, see aka.ms/nsgrules.",
                other.name, rule.name
            ),
        )),
    }
}

/// `PUT`: 201 for a new rule, 200 for a replaced one; `Succeeded` at once.
pub fn put(call: &Call, n: &NsgRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let mut state = call.emu.state();
    check_scope(call, &state, n.sub, Some(n.rg), WRITE, Access::Write)?;
    let i = find(&state, n)?;
    let rule = read_rule(name, &Body::parse(&call.body)?)?;
    check_conflict(&state.nsgs[i], &rule)?;
    let nsg = &mut state.nsgs[i];
    let (status, kind) = match nsg.rules.iter().position(|r| same(&r.name, name)) {
        Some(j) => {
            nsg.rules[j] = rule;
            (StatusCode::OK, OpKind::Update)
        }
        None => {
            nsg.rules.push(rule);
            (StatusCode::CREATED, OpKind::Create)
        }
    };
    let mut body: Value = rule_json(nsg, "securityRules", nsg.rules.iter().find(|r| same(&r.name, name)).expect("just written"));
    body["properties"]["provisioningState"] = "Updating".into();
    let location = crate::store::rules::normalize_location(&nsg.location);
    let (sub, rule_id) = (nsg.subscription.clone(), format!("{}/securityRules/{name}", nsg_id(nsg)));
    let now = call.emu.clock.now_ms();
    let op = Operation {
        id: crate::ids::new_guid(),
        subscription: sub.clone(),
        location: location.clone(),
        resource_id: rule_id,
        kind,
        status: "Succeeded".into(),
        start_ms: now,
        end_ms: Some(now),
        error: None,
        api_version: call.param("api-version").unwrap_or_default().to_string(),
        activity: None,
    };
    let link = format!("{}/subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/operations/{}?api-version={}", call.emu.origins.arm, op.id, op.api_version);
    state.operations.push(op);
    let mut response = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&link) {
        response.headers_mut().insert("azure-asyncoperation", v);
    }
    Ok(response)
}

/// `GET …/providers/Microsoft.Network/locations/{l}/operations/{id}`: `{"status": …}`.
pub fn operation(call: &Call, sub: &str, id: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, None, "Microsoft.Network/locations/operations/read", Access::Read)?;
    let op = state.operations.iter().find(|o| o.id == id && same(&o.subscription, sub)).ok_or_else(|| {
        ArmError::new(StatusCode::NOT_FOUND, "OperationNotFound", format!("The operation '{id}' could not be found."))
    })?;
    Ok(Json(serde_json::json!({ "status": op.status })).into_response())
}
