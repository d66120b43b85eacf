//! Azure Resource Graph (`POST /providers/Microsoft.ResourceGraph/resources`): one query over
//! every subscription the user can read (NOTES.md §8). The next page is asked for with the
//! `$skipToken` of the last answer's body (there is no nextLink) until none comes back.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Extra;

/// The newest stable version, and the one clouds that refuse it still take (Azure Government
/// answered 2024-04-01 with `InvalidResourceType`): same request, same answer.
pub const API_VERSION: &str = "2024-04-01";
pub const FALLBACK_API_VERSION: &str = "2022-10-01";

/// Every container registry the user can see, with what the fleet needs of each.
pub const REGISTRIES_QUERY: &str =
    "resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, subscriptionId, resourceGroup, location, sku, tags";

/// Every agent pool and every ACR task the user can see, in one paged query (issue 22): the
/// pools' tier, count, state and subnet without a list per registry, and the tasks a schedule's
/// rules are (tagged with their pool). Both are tracked resources; that Resource Graph indexes
/// them is unverified (docs/emulator.md), so the fleet falls back to lists when no pool comes.
pub const FLEET_QUERY: &str = "resources | where type in~ ('microsoft.containerregistry/registries/agentpools', 'microsoft.containerregistry/registries/tasks') | project id, name, type, location, tags, properties, identity";

/// What `FLEET_QUERY` found, split by type (rows that do not read as their type are left out).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FleetResources {
    pub pools: Vec<crate::arm::agent_pools::AgentPool>,
    pub tasks: Vec<crate::arm::tasks::Task>,
}

impl FleetResources {
    pub fn from_rows(rows: Vec<Value>) -> FleetResources {
        let mut out = FleetResources::default();
        for row in rows {
            let kind = row.get("type").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
            if kind.ends_with("/agentpools") {
                out.pools.extend(serde_json::from_value(row).ok());
            } else if kind.ends_with("/tasks") {
                out.tasks.extend(serde_json::from_value(row).ok());
            }
        }
        out
    }

    /// The pools by their registry's path (lower case), from each pool's id.
    pub fn pools_by_registry(&self) -> std::collections::BTreeMap<String, Vec<crate::arm::agent_pools::AgentPool>> {
        let mut out: std::collections::BTreeMap<String, Vec<crate::arm::agent_pools::AgentPool>> = std::collections::BTreeMap::new();
        for p in &self.pools {
            let Some(id) = p.id.as_deref() else { continue };
            let Some(at) = id.to_ascii_lowercase().rfind("/agentpools/") else { continue };
            out.entry(id[..at].to_ascii_lowercase()).or_default().push(p.clone());
        }
        out
    }
}

/// The most rows ARG returns in a page: asked for, so a fleet takes as few pages as it can.
pub const PAGE_ROWS: u32 = 1000;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryRequest<'a> {
    pub query: &'a str,
    pub options: QueryOptions,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueryOptions {
    #[serde(rename = "$top")]
    pub top: u32,
    #[serde(rename = "$skipToken", skip_serializing_if = "Option::is_none")]
    pub skip_token: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse {
    pub total_records: i64,
    pub count: i64,
    #[serde(default)]
    pub data: Vec<Value>,
    /// `"true"` / `"false"`: a string in the spec, not a boolean.
    #[serde(default)]
    pub result_truncated: Option<String>,
    #[serde(rename = "$skipToken", default)]
    pub skip_token: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One row of `REGISTRIES_QUERY`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GraphRegistry {
    pub id: String,
    pub name: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub location: String,
    #[serde(default)]
    pub sku: Option<GraphSku>,
    /// A paused pool's record is one of them (`domain::pause`).
    #[serde(default)]
    pub tags: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GraphSku {
    pub name: String,
}

impl GraphRegistry {
    pub fn sku_name(&self) -> &str {
        self.sku.as_ref().map_or("", |s| s.name.as_str())
    }
}

/// The body of a page: the first without a token, the next ones with the last answer's.
pub fn request(query: &str, skip_token: Option<String>) -> QueryRequest<'_> {
    QueryRequest { query, options: QueryOptions { top: PAGE_ROWS, skip_token } }
}

/// Whether ARM's refusal means this cloud lacks the api-version (try the older one).
pub fn lacks_version(error: &super::ArmError) -> bool {
    error.status == 400 && (error.code == "InvalidResourceType" || error.code == "NoRegisteredProviderFound" || error.code == "InvalidApiVersionParameter")
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;

#[cfg(target_arch = "wasm32")]
mod calls {
    use std::cell::Cell;

    use gloo_net::http::Method;

    use super::*;
    use crate::arm::client::ArmClient;
    use crate::arm::ArmError;

    thread_local! {
        // Once a cloud has refused the newest version, ask it in the older one from then on.
        static FALLEN_BACK: Cell<bool> = const { Cell::new(false) };
    }

    /// Every row of `query`, page after page.
    pub async fn query_all(client: &ArmClient, query: &str) -> Result<Vec<Value>, ArmError> {
        let mut rows = Vec::new();
        let mut token: Option<String> = None;
        // A token that never ends would loop: ARG's pages hold up to 1,000 rows, and no fleet
        // needs 500 of them.
        for _ in 0..500 {
            let page = page(client, query, token.take()).await?;
            rows.extend(page.data);
            match page.skip_token.filter(|t| !t.is_empty()) {
                Some(next) => token = Some(next),
                None => return Ok(rows),
            }
        }
        Err(ArmError::unexpected(200, "Resource Graph's pages did not end after 500", None))
    }

    async fn page(client: &ArmClient, query: &str, token: Option<String>) -> Result<QueryResponse, ArmError> {
        let body = request(query, token);
        if !FALLEN_BACK.with(Cell::get) {
            match client.write(Method::POST, &format!("/providers/Microsoft.ResourceGraph/resources?api-version={API_VERSION}"), &body, true).await {
                Err(e) if lacks_version(&e) => FALLEN_BACK.with(|f| f.set(true)),
                other => return other?.json(),
            }
        }
        client.write(Method::POST, &format!("/providers/Microsoft.ResourceGraph/resources?api-version={FALLBACK_API_VERSION}"), &body, true).await?.json()
    }

    /// Every agent pool and task the user can see.
    pub async fn fleet_resources(client: &ArmClient) -> Result<FleetResources, ArmError> {
        Ok(FleetResources::from_rows(query_all(client, FLEET_QUERY).await?))
    }

    /// Every container registry the user can see.
    pub async fn registries(client: &ArmClient) -> Result<Vec<GraphRegistry>, ArmError> {
        query_all(client, REGISTRIES_QUERY)
            .await?
            .into_iter()
            .map(|row| serde_json::from_value(row).map_err(|e| ArmError::unexpected(200, &format!("a Resource Graph row: {e}"), None)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_asked_with_the_last_token_in_the_body() {
        assert_eq!(serde_json::to_value(request("q", None)).unwrap(), serde_json::json!({"query": "q", "options": {"$top": 1000}}));
        assert_eq!(serde_json::to_value(request("q", Some("t".into()))).unwrap(), serde_json::json!({"query": "q", "options": {"$top": 1000, "$skipToken": "t"}}));
    }

    #[test]
    fn the_specs_answers_parse() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/azure-spec/resourcegraph/examples/");
        for name in ["ResourcesFirstPageQuery.json", "ResourcesNextPageQuery.json", "ResourcesBasicQuery.json"] {
            let example: Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}{name}")).unwrap()).unwrap();
            let answer: QueryResponse = serde_json::from_value(example["responses"]["200"]["body"].clone()).unwrap();
            assert_eq!(answer.count as usize, answer.data.len(), "{name}");
            assert_eq!(answer.result_truncated.as_deref(), Some("false"));
        }
        let first: Value = serde_json::from_str(&std::fs::read_to_string(format!("{dir}ResourcesFirstPageQuery.json")).unwrap()).unwrap();
        let answer: QueryResponse = serde_json::from_value(first["responses"]["200"]["body"].clone()).unwrap();
        assert!(answer.skip_token.is_some(), "the next page's token is a body field");
    }

    #[test]
    fn fleet_rows_split_into_pools_by_registry_and_tasks() {
        let registry = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/R";
        let rows = vec![
            serde_json::json!({ "id": format!("{registry}/agentPools/p1"), "name": "p1", "type": "microsoft.containerregistry/registries/agentpools", "location": "eastus", "properties": { "tier": "S1", "count": 2, "provisioningState": "Succeeded" } }),
            serde_json::json!({ "id": format!("{registry}/agentPools/p2"), "name": "p2", "type": "microsoft.containerregistry/registries/agentpools", "location": "eastus", "properties": { "tier": "S2", "count": 0 } }),
            serde_json::json!({ "id": format!("{registry}/tasks/t"), "name": "t", "type": "microsoft.containerregistry/registries/tasks", "location": "eastus", "tags": { "poolportal-pool": "p1" }, "properties": {} }),
            serde_json::json!({ "id": "x", "type": "microsoft.network/virtualnetworks" }),
        ];
        let found = FleetResources::from_rows(rows);
        assert_eq!((found.pools.len(), found.tasks.len()), (2, 1));
        let by = found.pools_by_registry();
        assert_eq!(by.keys().collect::<Vec<_>>(), [&registry.to_ascii_lowercase()]);
        assert_eq!(by[&registry.to_ascii_lowercase()].iter().map(|p| (p.display_name(), p.count())).collect::<Vec<_>>(), [("p1", 2), ("p2", 0)]);
    }

    #[test]
    fn a_registry_row_reads_with_or_without_a_sku() {
        let row: GraphRegistry = serde_json::from_value(serde_json::json!({
            "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r", "name": "r",
            "subscriptionId": "s", "resourceGroup": "g", "location": "eastus", "sku": {"name": "Premium", "tier": "Premium"}
        })).unwrap();
        assert_eq!(row.sku_name(), "Premium");
        let bare: GraphRegistry = serde_json::from_value(serde_json::json!({"id": "x", "name": "r", "subscriptionId": "s", "resourceGroup": "g", "location": "l", "sku": null})).unwrap();
        assert_eq!(bare.sku_name(), "");
    }

    #[test]
    fn a_refused_version_is_told_apart_from_other_errors() {
        let gov = crate::arm::ArmError::from_response(400, r#"{"error":{"code":"InvalidResourceType","message":"The resource type 'resources' could not be found in the namespace 'Microsoft.ResourceGraph' for api version '2024-04-01'."}}"#, None, None);
        assert!(lacks_version(&gov));
        let query = crate::arm::ArmError::from_response(400, r#"{"error":{"code":"BadRequest","message":"x"}}"#, None, None);
        assert!(!lacks_version(&query));
    }
}
