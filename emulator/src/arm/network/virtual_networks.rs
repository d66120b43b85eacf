//! Microsoft.Network (2024-05-01): virtual networks (list by subscription or group, get), subnets
//! (list, get) and network security groups (get, custom and default rules). Shapes follow
//! VirtualNetworkListAll.json, SubnetGet.json and NetworkSecurityGroupGet.json.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::sim::nsg::default_rules;
use crate::store::{nsg_id, same, vnet_id, NetworkSecurityGroup, SecurityRule, Subnet, VirtualNetwork};

const VNET_READ: &str = "Microsoft.Network/virtualNetworks/read";
const NSG_READ: &str = "Microsoft.Network/networkSecurityGroups/read";

fn subnet_json(vnet: &VirtualNetwork, s: &Subnet) -> Value {
    let mut properties = json!({ "addressPrefix": s.address_prefix, "provisioningState": "Succeeded" });
    if let Some(nsg) = &s.nsg {
        properties["networkSecurityGroup"] = json!({ "id": nsg });
    }
    json!({ "id": format!("{}/subnets/{}", vnet_id(vnet), s.name), "name": s.name, "properties": properties })
}

pub fn vnet_json(v: &VirtualNetwork) -> Value {
    json!({
        "id": vnet_id(v),
        "name": v.name,
        "type": "Microsoft.Network/virtualNetworks",
        "location": v.location,
        "properties": {
            "addressSpace": { "addressPrefixes": v.address_prefixes },
            "dhcpOptions": { "dnsServers": [] },
            "subnets": v.subnets.iter().map(|s| subnet_json(v, s)).collect::<Vec<_>>(),
            "virtualNetworkPeerings": [],
            "provisioningState": "Succeeded"
        }
    })
}

/// A weak etag that changes whenever the rule does, as ARM's do.
fn etag(properties: &Value) -> String {
    use sha2::{Digest, Sha256};
    let h: String = Sha256::digest(properties.to_string().as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{}-{}-{}-{}-{}\"", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub fn rule_json(nsg: &NetworkSecurityGroup, kind: &str, r: &SecurityRule) -> Value {
    let mut p = json!({
        "provisioningState": "Succeeded",
        "protocol": r.protocol,
        "sourcePortRange": r.source_port_range,
        "access": r.access,
        "priority": r.priority,
        "direction": r.direction,
    });
    if let Some(d) = &r.description {
        p["description"] = json!(d);
    }
    // The singular form when the rule uses it; the plural lists always, empty when unused.
    if r.source_address_prefixes.is_empty() {
        p["sourceAddressPrefix"] = json!(r.source_address_prefix);
    }
    p["sourceAddressPrefixes"] = json!(r.source_address_prefixes);
    p["sourcePortRanges"] = json!([]);
    if let Some(range) = &r.destination_port_range {
        p["destinationPortRange"] = json!(range);
    }
    p["destinationPortRanges"] = json!(r.destination_port_ranges);
    if let Some(prefix) = &r.destination_address_prefix {
        p["destinationAddressPrefix"] = json!(prefix);
    }
    p["destinationAddressPrefixes"] = json!(r.destination_address_prefixes);
    json!({
        "name": r.name,
        "id": format!("{}/{kind}/{}", nsg_id(nsg), r.name),
        "etag": etag(&p),
        "type": format!("Microsoft.Network/networkSecurityGroups/{kind}"),
        "properties": p,
    })
}

fn nsg_json(state: &crate::store::State, n: &NetworkSecurityGroup) -> Value {
    let id = nsg_id(n);
    let subnets: Vec<Value> = state
        .vnets
        .iter()
        .flat_map(|v| v.subnets.iter().filter(|s| s.nsg.as_deref().is_some_and(|x| same(x, &id))).map(move |s| json!({ "id": format!("{}/subnets/{}", vnet_id(v), s.name) })))
        .collect();
    json!({
        "name": n.name,
        "id": id,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": n.location,
        "properties": {
            "provisioningState": "Succeeded",
            "securityRules": n.rules.iter().map(|r| rule_json(n, "securityRules", r)).collect::<Vec<_>>(),
            "defaultSecurityRules": default_rules().iter().map(|r| rule_json(n, "defaultSecurityRules", r)).collect::<Vec<_>>(),
            "subnets": subnets,
        }
    })
}

pub fn list_vnets(call: &Call, sub: &str, rg: Option<&str>) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, rg, VNET_READ, Access::Read)?;
    let items = state
        .vnets
        .iter()
        .filter(|v| same(&v.subscription, sub) && rg.is_none_or(|g| same(&v.resource_group, g)))
        .map(vnet_json)
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}

fn find_vnet<'s>(call: &Call, state: &'s crate::store::State, sub: &str, rg: &str, name: &str) -> Result<&'s VirtualNetwork, ArmError> {
    check_scope(call, state, sub, Some(rg), VNET_READ, Access::Read)?;
    state
        .vnets
        .iter()
        .find(|v| same(&v.subscription, sub) && same(&v.resource_group, rg) && same(&v.name, name))
        .ok_or_else(|| ArmError::not_found_resource(&format!("Microsoft.Network/virtualNetworks/{name}"), rg))
}

pub fn get_vnet(call: &Call, sub: &str, rg: &str, name: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    Ok(Json(vnet_json(find_vnet(call, &state, sub, rg, name)?)).into_response())
}

pub fn list_subnets(call: &Call, sub: &str, rg: &str, vnet: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    let v = find_vnet(call, &state, sub, rg, vnet)?;
    let items = v.subnets.iter().map(|s| subnet_json(v, s)).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get_subnet(call: &Call, sub: &str, rg: &str, vnet: &str, name: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    let v = find_vnet(call, &state, sub, rg, vnet)?;
    let s = v
        .subnets
        .iter()
        .find(|s| same(&s.name, name))
        .ok_or_else(|| ArmError::not_found_resource(&format!("Microsoft.Network/virtualNetworks/{vnet}/subnets/{name}"), rg))?;
    Ok(Json(subnet_json(v, s)).into_response())
}

pub fn get_nsg(call: &Call, sub: &str, rg: &str, name: &str) -> ArmResult {
    call.require_api_version(&versions::NETWORK)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, Some(rg), NSG_READ, Access::Read)?;
    let n = state
        .nsgs
        .iter()
        .find(|n| same(&n.subscription, sub) && same(&n.resource_group, rg) && same(&n.name, name))
        .ok_or_else(|| ArmError::not_found_resource(&format!("Microsoft.Network/networkSecurityGroups/{name}"), rg))?;
    Ok(Json(nsg_json(&state, n)).into_response())
}
