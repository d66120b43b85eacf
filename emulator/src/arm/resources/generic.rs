//! Microsoft.Resources' generic list (`Resources_List`, `Resources_ListByResourceGroup`):
//! `GET /subscriptions/{s}[/resourceGroups/{g}]/resources` with `$filter` (`generic_filter`),
//! `$expand`, `$top` (the page size) and nextLink. `az acr …` finds a registry's resource group
//! this way (`resourceType eq 'Microsoft.ContainerRegistry/registries'`), so the CLI works only if
//! this does.
//!
//! Items are `GenericResourceExpanded` without `properties`, as ARM lists them: the registries,
//! their agent pools and tasks (tracked child resources: they have a location and tags), virtual
//! networks and network security groups.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::resources::generic_filter::{self, Field, Filterable};
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::clock::rfc3339_ms;
use crate::store::{nsg_id, pool_id, registry_id, same, vnet_id, State, Tags};

pub const READ: &str = "Microsoft.Resources/subscriptions/resources/read";

/// The most `$top` may ask for.
const MAX_TOP: usize = 1000;

/// One resource as the generic list sees it.
pub struct Generic {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub resource_group: String,
    pub location: String,
    pub tags: Tags,
    pub sku: Option<Value>,
    /// For `$expand=createdTime,changedTime`, when the service knows it.
    pub created: Option<String>,
    pub provisioning_state: String,
    /// ARM's `systemData`, when the resource has one.
    pub system_data: Option<Value>,
    /// Registries show `tags: {}` even without tags (recorded); child resources leave it out.
    pub empty_tags_shown: bool,
}

impl Filterable for Generic {
    fn field(&self, field: Field) -> Option<&str> {
        match field {
            Field::Location => Some(&self.location),
            Field::ResourceType => Some(self.kind),
            Field::Name => Some(&self.name),
            Field::ResourceGroup => Some(&self.resource_group),
            // Nothing here has an identity or a plan.
            Field::Identity | Field::IdentityPrincipalId | Field::Plan(_) => None,
        }
    }

    fn tags(&self) -> &[(String, String)] {
        &self.tags
    }
}

/// What `$expand` may add.
#[derive(Default)]
struct Expand {
    created: bool,
    changed: bool,
    provisioning_state: bool,
}

fn expand(call: &Call) -> Result<Expand, ArmError> {
    let mut e = Expand::default();
    for item in call.param("$expand").unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match item.to_ascii_lowercase().as_str() {
            "createdtime" => e.created = true,
            "changedtime" => e.changed = true,
            "provisioningstate" => e.provisioning_state = true,
            _ => {
                return Err(ArmError::bad_field(
                    "InvalidExpandQueryString",
                    "$expand",
                    format!("The value '{item}' of $expand is invalid. Valid values are createdTime, changedTime and provisioningState."),
                ))
            }
        }
    }
    Ok(e)
}

impl Generic {
    /// `with_tags` is false when the list was filtered by tag: ARM then leaves tags out.
    fn to_json(&self, with_tags: bool, expand: &Expand) -> Value {
        let mut v = json!({ "id": self.id, "name": self.name, "type": self.kind, "location": self.location });
        if let Some(sku) = &self.sku {
            v["sku"] = sku.clone();
        }
        if with_tags && (self.empty_tags_shown || !self.tags.is_empty()) {
            v["tags"] = Value::Object(self.tags.iter().map(|(k, x)| (k.clone(), json!(x))).collect());
        }
        if let Some(s) = &self.system_data {
            v["systemData"] = s.clone();
        }
        if let Some(created) = &self.created {
            if expand.created {
                v["createdTime"] = json!(created);
            }
            if expand.changed {
                v["changedTime"] = json!(created);
            }
        }
        if expand.provisioning_state {
            v["provisioningState"] = json!(self.provisioning_state);
        }
        v
    }
}

/// Every resource of a subscription the list shows, parents before their children.
pub fn in_subscription(state: &State, sub: &str) -> Vec<Generic> {
    let mut all = Vec::new();
    for r in state.registries.iter().filter(|r| same(&r.subscription, sub)) {
        let key = crate::store::RegistryKey { sub: &r.subscription, rg: &r.resource_group, name: &r.name };
        all.push(Generic {
            id: registry_id(&r.subscription, &r.resource_group, &r.name),
            name: r.name.clone(),
            kind: "Microsoft.ContainerRegistry/registries",
            resource_group: r.resource_group.clone(),
            location: r.location.clone(),
            tags: r.tags.clone(),
            sku: Some(json!({ "name": r.sku.as_str(), "tier": r.sku.as_str() })),
            created: Some(r.created.clone()),
            provisioning_state: "Succeeded".into(),
            system_data: r.system_data.as_ref().map(crate::arm::pipeline::system_data::to_json),
            empty_tags_shown: true,
        });
        for p in state.pools_of(r) {
            all.push(Generic {
                id: pool_id(p),
                // A child's name in the generic list is its path below the provider.
                name: format!("{}/{}", r.name, p.name),
                kind: "Microsoft.ContainerRegistry/registries/agentPools",
                resource_group: p.resource_group.clone(),
                location: p.location.clone(),
                tags: p.tags.clone(),
                sku: None,
                created: None,
                provisioning_state: p.provisioning_state.clone(),
                system_data: p.system_data.as_ref().map(crate::arm::pipeline::system_data::to_json),
                empty_tags_shown: false,
            });
        }
        for t in state.tasks_of(key) {
            all.push(Generic {
                id: format!("{}/tasks/{}", registry_id(&t.subscription, &t.resource_group, &t.registry), t.name),
                name: format!("{}/{}", r.name, t.name),
                kind: "Microsoft.ContainerRegistry/registries/tasks",
                resource_group: t.resource_group.clone(),
                location: t.location.clone(),
                tags: t.tags.clone(),
                sku: None,
                created: Some(rfc3339_ms(t.created_ms)),
                provisioning_state: "Succeeded".into(),
                system_data: t.system_data.as_ref().map(crate::arm::pipeline::system_data::to_json),
                empty_tags_shown: false,
            });
        }
    }
    for v in state.vnets.iter().filter(|v| same(&v.subscription, sub)) {
        all.push(Generic {
            id: vnet_id(v),
            name: v.name.clone(),
            kind: "Microsoft.Network/virtualNetworks",
            resource_group: v.resource_group.clone(),
            location: v.location.clone(),
            tags: Vec::new(),
            sku: None,
            created: None,
            provisioning_state: "Succeeded".into(),
            system_data: None,
            empty_tags_shown: false,
        });
    }
    for n in state.nsgs.iter().filter(|n| same(&n.subscription, sub)) {
        all.push(Generic {
            id: nsg_id(n),
            name: n.name.clone(),
            kind: "Microsoft.Network/networkSecurityGroups",
            resource_group: n.resource_group.clone(),
            location: n.location.clone(),
            tags: Vec::new(),
            sku: None,
            created: None,
            provisioning_state: "Succeeded".into(),
            system_data: None,
            empty_tags_shown: false,
        });
    }
    all
}

/// `$top`: how many a page holds (ARM answers that many and a nextLink), 1 to 1000.
fn page_size(call: &Call) -> Result<usize, ArmError> {
    match call.param("$top") {
        None | Some("") => Ok(call.emu.settings.page_size),
        Some(t) => t.parse::<usize>().ok().filter(|n| (1..=MAX_TOP).contains(n)).ok_or_else(|| {
            ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidTopInQueryString",
                format!("The value '{t}' of $top in the query string is invalid. It must be between 1 and {MAX_TOP}."),
            )
        }),
    }
}

/// `GET /subscriptions/{s}/resources` and `…/resourceGroups/{g}/resources`.
pub fn list(call: &Call, sub: &str, rg: Option<&str>) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let filter = generic_filter::parse(call.param("$filter").unwrap_or(""))?;
    let expand = expand(call)?;
    let size = page_size(call)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, rg, READ, Access::Read)?;
    let items = in_subscription(&state, sub)
        .into_iter()
        .filter(|r| rg.is_none_or(|g| same(g, &r.resource_group)))
        .filter(|r| filter.matches(r))
        .map(|r| r.to_json(!filter.by_tag(), &expand))
        .collect();
    Ok(Json(paging::page_of(call, items, size)).into_response())
}
