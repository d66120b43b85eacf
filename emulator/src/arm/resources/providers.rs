//! Resource providers (Microsoft.Resources `Providers_Get`): `GET /subscriptions/{s}/providers/{ns}`.
//! Generic clients read it to choose an api-version for a resource type (`az resource tag --ids`,
//! `az resource show`): the versions listed are the ones this emulator accepts (`versions`).

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::versions::{self, ApiVersions};
use crate::store::rules;

pub const READ: &str = "Microsoft.Resources/subscriptions/providers/read";

/// The resource types of one namespace, with where they exist and their versions.
struct Namespace {
    name: &'static str,
    types: &'static [(&'static str, Regions, &'static ApiVersions)],
}

#[derive(Clone, Copy)]
enum Regions {
    /// Every region the demo uses.
    All,
    /// Only the agent-pool regions.
    AgentPools,
    /// Not a regional type (`operations`, `locations`).
    Global,
}


const NAMESPACES: &[Namespace] = &[
    Namespace {
        name: "Microsoft.ContainerRegistry",
        types: &[
            ("registries", Regions::All, &versions::REGISTRIES),
            ("registries/agentPools", Regions::AgentPools, &versions::AGENT_POOLS),
            ("registries/tasks", Regions::All, &versions::TASKS),
            ("registries/runs", Regions::All, &versions::TASKS),
            ("registries/scheduleRun", Regions::All, &versions::TASKS),
            ("locations/operationStatuses", Regions::Global, &versions::AGENT_POOLS),
        ],
    },
    Namespace { name: "Microsoft.ResourceGraph", types: &[("resources", Regions::Global, &versions::RESOURCE_GRAPH)] },
    Namespace {
        name: "Microsoft.Network",
        types: &[
            ("virtualNetworks", Regions::All, &versions::NETWORK),
            ("virtualNetworks/subnets", Regions::All, &versions::NETWORK),
            ("networkSecurityGroups", Regions::All, &versions::NETWORK),
        ],
    },
];

fn type_json(name: &str, regions: Regions, versions: &ApiVersions) -> Value {
    let locations: Vec<String> = match regions {
        Regions::All => rules::ALL_REGIONS.iter().map(|r| r.to_string()).collect(),
        Regions::AgentPools => rules::REGIONS.iter().map(|r| rules::display_name(r)).collect(),
        Regions::Global => Vec::new(),
    };
    // Newest first, as ARM lists them.
    let mut api_versions: Vec<&str> = versions.versions.to_vec();
    api_versions.reverse();
    json!({ "resourceType": name, "locations": locations, "apiVersions": api_versions, "capabilities": "None" })
}

pub fn get(call: &Call, sub: &str, namespace: &str) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, None, READ, Access::Read)?;
    let ns = NAMESPACES.iter().find(|n| n.name.eq_ignore_ascii_case(namespace)).ok_or_else(|| {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "InvalidResourceNamespace",
            format!("The resource namespace '{namespace}' is invalid."),
        )
    })?;
    let sub_id = state.subscription(sub).map_or(sub, |s| s.id.as_str());
    Ok(Json(json!({
        "id": format!("/subscriptions/{sub_id}/providers/{}", ns.name),
        "namespace": ns.name,
        "registrationState": "Registered",
        "registrationPolicy": "RegistrationRequired",
        "resourceTypes": ns.types.iter().map(|(name, regions, v)| type_json(name, *regions, v)).collect::<Vec<_>>(),
    }))
    .into_response())
}
