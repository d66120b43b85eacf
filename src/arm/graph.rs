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

/// Every ACR task the user can see: a schedule's rules are tasks tagged with their pool, found
/// for the whole fleet in one query (tasks are tracked resources; docs/emulator.md says what is
/// unverified).
pub const TASKS_QUERY: &str = "resources | where type =~ 'microsoft.containerregistry/registries/tasks' | project id, name, location, tags, properties, identity";

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

    /// Every task the user can see (rows that do not read as a task are left out).
    pub async fn tasks(client: &ArmClient) -> Result<Vec<crate::arm::tasks::Task>, ArmError> {
        Ok(query_all(client, TASKS_QUERY).await?.into_iter().filter_map(|row| serde_json::from_value(row).ok()).collect())
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
