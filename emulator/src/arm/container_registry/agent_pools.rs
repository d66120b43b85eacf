//! Agent pools (Microsoft.ContainerRegistry 2019-06-01-preview and 2025-03-01-preview): list, get,
//! create (PUT), update (PATCH count), delete, listQueueStatus. Answers follow what real Azure
//! answered in the az CLI's recording (NOTES.md §9) where it differs from the spec's examples:
//! `systemData` on every pool, no `tags` ever kept, a PATCH answered 201 with the new count at
//! once. The rules (Premium, regions, tiers, quota, Linux only, subnet egress) follow the seed and
//! Learn.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{self, Access, RegistryRef};
use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::container_registry::operations;
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::sim::nsg;
use crate::store::rules;
use crate::store::{pool_id, same, AgentPool, OpError, OpKind, PendingOp, Registry, Sku, State, SystemData};

pub const READ: &str = "Microsoft.ContainerRegistry/registries/agentpools/read";
pub const WRITE: &str = "Microsoft.ContainerRegistry/registries/agentpools/write";
pub const DELETE: &str = "Microsoft.ContainerRegistry/registries/agentpools/delete";
pub const QUEUE: &str = "Microsoft.ContainerRegistry/registries/agentpools/listQueueStatus/action";

pub fn to_json(p: &AgentPool) -> Value {
    // An update's count shows at once, as Azure's PATCH answer and later reads do; the instances
    // change when the operation ends (`sim`).
    let count = p.pending.as_ref().and_then(|o| o.new_count).unwrap_or(p.count);
    let mut properties = json!({
        "count": count,
        "tier": p.tier,
        "os": p.os,
        "provisioningState": p.provisioning_state,
    });
    if let Some(subnet) = &p.subnet {
        properties["virtualNetworkSubnetResourceId"] = json!(subnet);
    }
    let mut pool = json!({
        "id": pool_id(p),
        "name": p.name,
        "type": "Microsoft.ContainerRegistry/registries/agentPools",
        "location": p.location,
        "properties": properties,
    });
    crate::arm::pipeline::system_data::add(&mut pool, p.system_data.as_ref());
    // Azure returns no `tags` on agent pools. Only a pool an earlier emulator tagged has any.
    if !p.tags.is_empty() {
        pool["tags"] = Value::Object(p.tags.iter().map(|(k, v)| (k.clone(), json!(v))).collect());
    }
    pool
}

fn not_found(registry: &Registry, name: &str) -> ArmError {
    ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}/agentPools/{name}", registry.name), &registry.resource_group)
}

pub fn list(call: &Call, r: &RegistryRef) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let registry = access::registry(call, &state, r, READ, Access::Read)?;
    let items = state.pools_of(registry).map(to_json).collect();
    Ok(Json(paging::page(call, items)).into_response())
}

pub fn get(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    let registry = access::registry(call, &state, r, READ, Access::Read)?;
    let pool = state.pools_of(registry).find(|p| same(&p.name, name)).ok_or_else(|| not_found(registry, name))?;
    Ok(Json(to_json(pool)).into_response())
}

/// `POST …/listQueueStatus`: `{"count": n}`, the runs waiting for this pool.
pub fn queue_status(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let state = call.emu.state();
    // An action: the Reader role's `*/read` does not cover it, as on Azure.
    let registry = access::registry(call, &state, r, QUEUE, Access::Write)?;
    let pool = state.pools_of(registry).find(|p| same(&p.name, name)).ok_or_else(|| not_found(registry, name))?;
    Ok(Json(json!({ "count": state.queued_on(pool) })).into_response())
}

/// The spec's agentPoolName rule: 3–20 characters, `^[a-zA-Z0-9-]*$`.
pub fn check_name(name: &str) -> Result<(), ArmError> {
    let ok = (3..=20).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        return Ok(());
    }
    Err(ArmError::bad_field(
        "InvalidResourceName",
        "agentPoolName",
        format!("The agent pool name '{name}' is invalid: it must be 3 to 20 characters of letters, digits and hyphens (^[a-zA-Z0-9-]*$)."),
    ))
}

fn check_quota(state: &State, registry: &Registry, except: Option<&str>, tier: &str, count: i32) -> Result<(), ArmError> {
    match rules::quota_error(state, registry, except, tier, count) {
        None => Ok(()),
        Some(message) => Err(ArmError::bad_field("QuotaExceeded", "properties.count", message)),
    }
}

fn check_registry_can_host(registry: &Registry) -> Result<(), ArmError> {
    if registry.sku != Sku::Premium {
        return Err(ArmError::new(
            StatusCode::BAD_REQUEST,
            "RegistrySkuNotSupported",
            format!("Agent pools are only supported on Premium registries; '{}' is {}.", registry.name, registry.sku.as_str()),
        ));
    }
    Ok(())
}

fn check_region(state: &State, location: &str) -> Result<(), ArmError> {
    let extra = state.extra_pool_regions.iter().any(|r| rules::normalize_location(r) == rules::normalize_location(location));
    if rules::region_supported(location) || extra {
        return Ok(());
    }
    Err(ArmError::bad_field(
        "LocationNotAvailableForResourceType",
        "location",
        format!(
            "The provided location '{location}' is not available for resource type 'Microsoft.ContainerRegistry/registries/agentPools'. \
             List of available regions for the resource type is '{}'.",
            rules::REGIONS.join(",")
        ),
    ))
}

/// The subnet must exist, be in the pool's region; returns why the pool will fail, if its NSG
/// blocks egress the service needs (Azure lets the create start and fails it later).
fn check_subnet(state: &State, subnet: &str, location: &str) -> Result<Option<OpError>, ArmError> {
    let field = "properties.virtualNetworkSubnetResourceId";
    let Some((vnet, sn)) = state.subnet_by_id(subnet) else {
        return Err(ArmError::bad_field("InvalidSubnetId", field, format!("The subnet '{subnet}' does not exist or is not a subnet resource id.")));
    };
    if rules::normalize_location(&vnet.location) != rules::normalize_location(location) {
        return Err(ArmError::bad_field(
            "SubnetLocationMismatch",
            field,
            format!("The virtual network '{}' is in '{}', but the agent pool is in '{location}'.", vnet.name, vnet.location),
        ));
    }
    let Some(nsg) = sn.nsg.as_deref().and_then(|id| state.nsg_by_id(id)) else { return Ok(None) };
    let blocked = nsg::blocked(nsg);
    if blocked.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = blocked.iter().map(|b| format!("{} TCP {} (denied by rule '{}', priority {})", b.tag, b.port, b.rule, b.priority)).collect();
    Ok(Some(OpError {
        code: "AgentPoolNetworkConfigurationInvalid".into(),
        message: format!(
            "The agent pool could not be provisioned in subnet '{}/{}': network security group '{}' blocks outbound traffic the agents need: {}.",
            vnet.name, sn.name, nsg.name, list.join("; ")
        ),
    }))
}

fn busy(pool: &AgentPool) -> Result<(), ArmError> {
    match rules::busy_error(pool) {
        None => Ok(()),
        Some(message) => Err(ArmError::conflict("AnotherOperationInProgress", message)),
    }
}

/// The fields of a PUT body, validated in ARM's order.
struct Spec {
    location: String,
    tier: String,
    count: i32,
    os: String,
    subnet: Option<String>,
}

fn read_spec(body: &Body) -> Result<Spec, ArmError> {
    let location = body.string("location")?.filter(|l| !l.is_empty()).ok_or_else(|| {
        ArmError::bad_field("LocationRequired", "location", "The location property is required for this definition.")
    })?;
    let tier = body.string("properties.tier")?.unwrap_or("");
    let count = body.int("properties.count")?;
    let os = body.string("properties.os")?.unwrap_or("Linux");
    let subnet = body.string("properties.virtualNetworkSubnetResourceId")?.filter(|s| !s.is_empty());
    // Checked as Azure checks them, then dropped: agent pools keep no tags.
    body.tags()?;
    let tier = rules::tier(tier).ok_or_else(|| {
        ArmError::bad_field(
            "InvalidAgentPoolTier",
            "properties.tier",
            format!("The tier '{tier}' is not supported. Supported tiers are S1 (2 vCPU, 3 GB), S2 (4 vCPU, 8 GB), S3 (8 vCPU, 16 GB) and I6 (64 vCPU, 216 GB, isolated)."),
        )
    })?;
    let count = count.unwrap_or(1);
    if count < 0 {
        return Err(ArmError::bad_field("InvalidAgentPoolCount", "properties.count", format!("The count {count} is invalid: it must be 0 or more.")));
    }
    if os.eq_ignore_ascii_case("Windows") {
        return Err(ArmError::bad_field("OsTypeNotSupported", "properties.os", "Windows agent pools are not supported: agent pools run Linux only."));
    }
    if !os.eq_ignore_ascii_case("Linux") {
        return Err(ArmError::bad_field("InvalidOsType", "properties.os", format!("The os '{os}' is invalid: use Linux.")));
    }
    Ok(Spec { location: location.to_string(), tier: tier.name.to_string(), count: count as i32, os: "Linux".into(), subnet: subnet.map(String::from) })
}

/// `PUT`: create (201, Creating) or update an existing pool's count (200, Updating).
pub fn put(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let emu = call.emu;
    let mut state = emu.state();
    let registry = access::registry(call, &state, r, WRITE, Access::Write)?.clone();
    check_name(name)?;
    let body = Body::parse(&call.body)?;
    let spec = read_spec(&body)?;
    check_region(&state, &spec.location)?;
    check_registry_can_host(&registry)?;
    if rules::normalize_location(&spec.location) != rules::normalize_location(&registry.location) {
        return Err(ArmError::bad_field(
            "InvalidLocation",
            "location",
            format!("The agent pool must be in its registry's location '{}', not '{}'.", registry.location, spec.location),
        ));
    }
    if let Some(i) = state.pool_index(r.key(), name) {
        let existing = state.pools[i].clone();
        busy(&existing)?;
        for (field, old, new) in [
            ("properties.tier", existing.tier.as_str(), spec.tier.as_str()),
            ("properties.os", existing.os.as_str(), spec.os.as_str()),
            ("properties.virtualNetworkSubnetResourceId", existing.subnet.as_deref().unwrap_or(""), spec.subnet.as_deref().unwrap_or("")),
        ] {
            if !same(old, new) {
                return Err(ArmError::bad_field("PropertyChangeNotAllowed", field, format!("'{field}' cannot be changed after the agent pool is created (it is '{old}').")));
            }
        }
        check_quota(&state, &registry, Some(name), &spec.tier, spec.count)?;
        // PUT replaces the pool, and Azure keeps no tags on one: whatever it had is gone.
        return update(call, &mut state, i, Some(spec.count), true, StatusCode::OK);
    }
    check_quota(&state, &registry, None, &spec.tier, spec.count)?;
    let mut failure = match &spec.subnet {
        Some(subnet) => check_subnet(&state, subnet, &spec.location)?,
        None => None,
    };
    if failure.is_none() && emu.faults.take_failed_operation() {
        failure = Some(injected_failure());
    }
    let pool = AgentPool {
        subscription: registry.subscription.clone(),
        resource_group: registry.resource_group.clone(),
        registry: registry.name.clone(),
        name: name.to_string(),
        location: registry.location.clone(),
        tier: spec.tier,
        count: spec.count,
        os: spec.os,
        subnet: spec.subnet,
        provisioning_state: "Creating".into(),
        // Tags sent on create are dropped, as Azure drops them (azure-rest-api-specs#24727).
        tags: Vec::new(),
        pending: None,
        system_data: Some(SystemData::new(&call.caller.who(), emu.clock.now_ms())),
    };
    let op = operations::start(call, &mut state, &registry.subscription, &registry.location, pool_id(&pool), OpKind::Create);
    let mut pool = pool;
    pool.pending = Some(PendingOp { operation: op.clone(), kind: OpKind::Create, done_at_ms: emu.clock.now_ms() + emu.settings.lro_ms, new_count: None, failure });
    let body = to_json(&pool);
    state.pools.push(pool);
    Ok(operations::with_headers(emu, &state, &op, (StatusCode::CREATED, Json(body)).into_response()))
}

fn injected_failure() -> OpError {
    OpError { code: "AgentPoolProvisioningFailed".into(), message: "The operation failed (injected by the emulator's fail-operations switch).".into() }
}

/// Starts an update of pool `i`: the new count shows at once and applies to the instances when
/// the operation ends. `clears_tags`: the write sent tags (or replaced the pool), which leaves a
/// pool tagged by an earlier emulator with none, as on Azure. A pool whose subnet's NSG still
/// blocks what it needs fails again (updating does not make it reachable).
fn update(call: &Call, state: &mut State, i: usize, count: Option<i32>, clears_tags: bool, status: StatusCode) -> ArmResult {
    let emu = call.emu;
    if clears_tags {
        state.pools[i].tags.clear();
    }
    let who = call.caller.who();
    let now = emu.clock.now_ms();
    match &mut state.pools[i].system_data {
        Some(s) => s.touch(&who, now),
        none => *none = Some(SystemData::new(&who, now)),
    }
    let network = match state.pools[i].subnet.clone() {
        Some(subnet) => check_subnet(state, &subnet, &state.pools[i].location.clone()).ok().flatten(),
        None => None,
    };
    let failure = network.or_else(|| emu.faults.take_failed_operation().then(injected_failure));
    let (sub, location, id) = {
        let p = &state.pools[i];
        (p.subscription.clone(), p.location.clone(), pool_id(p))
    };
    let op = operations::start(call, state, &sub, &location, id, OpKind::Update);
    let pool = &mut state.pools[i];
    pool.provisioning_state = "Updating".into();
    pool.pending = Some(PendingOp { operation: op.clone(), kind: OpKind::Update, done_at_ms: emu.clock.now_ms() + emu.settings.lro_ms, new_count: count, failure });
    let body = to_json(pool);
    Ok(operations::with_headers(emu, state, &op, (status, Json(body)).into_response()))
}

/// `PATCH`: `{properties: {count}, tags}`; nothing else can change.
pub fn patch(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let mut state = call.emu.state();
    let registry = access::registry(call, &state, r, WRITE, Access::Write)?.clone();
    let i = state.pool_index(r.key(), name).ok_or_else(|| not_found(&registry, name))?;
    busy(&state.pools[i])?;
    let body = Body::parse(&call.body)?;
    let count = body.int("properties.count")?;
    // Read (so a malformed value is refused as before) but not kept: Azure keeps no pool tags.
    let tags = body.tags()?;
    if let Some(c) = count {
        if c < 0 {
            return Err(ArmError::bad_field("InvalidAgentPoolCount", "properties.count", format!("The count {c} is invalid: it must be 0 or more.")));
        }
        let tier = state.pools[i].tier.clone();
        check_quota(&state, &registry, Some(name), &tier, c as i32)?;
    }
    // Recorded: a PATCH is answered 201 Created, with the new count and `Updating`.
    update(call, &mut state, i, count.map(|c| c as i32), tags.is_some(), StatusCode::CREATED)
}

/// `DELETE`: 202 with the pool's body (`Deleting`) and only `Location`, as recorded; 204 when
/// there is nothing to delete.
pub fn delete(call: &Call, r: &RegistryRef, name: &str) -> ArmResult {
    call.require_api_version(&versions::AGENT_POOLS)?;
    let emu = call.emu;
    let mut state = emu.state();
    access::registry(call, &state, r, DELETE, Access::Write)?;
    let Some(i) = state.pool_index(r.key(), name) else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    busy(&state.pools[i])?;
    let (sub, location, id) = {
        let p = &state.pools[i];
        (p.subscription.clone(), p.location.clone(), pool_id(p))
    };
    let op = operations::start(call, &mut state, &sub, &location, id, OpKind::Delete);
    let pool = &mut state.pools[i];
    pool.provisioning_state = "Deleting".into();
    pool.pending = Some(PendingOp { operation: op.clone(), kind: OpKind::Delete, done_at_ms: emu.clock.now_ms() + emu.settings.lro_ms, new_count: None, failure: None });
    let body = to_json(pool);
    Ok(operations::with_headers(emu, &state, &op, (StatusCode::ACCEPTED, Json(body)).into_response()))
}
