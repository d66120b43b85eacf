//! Azure Resource Graph (issue 11): the `resources` query, scoped by RBAC and by the body's
//! subscriptions, paged by `$skipToken`, answering in the spec's shapes; queries outside the
//! emulator's subset refused with ARG's error; every stored example replayed against the schema.

mod common;

use common::schema::Spec;
use common::*;
use pool_portal_emulator::authority::users::{NO_ACCESS, READER};
use serde_json::{json, Value};

const ARG: &str = "/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01";
const REGISTRIES: &str = "resources | where type =~ 'Microsoft.ContainerRegistry/registries' | project id, name, subscriptionId, resourceGroup, location, sku";

fn spec_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/azure-spec/resourcegraph")
}

fn names(answer: &Value) -> Vec<String> {
    let mut n: Vec<String> = answer["data"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect();
    n.sort();
    n
}

#[tokio::test]
async fn the_portals_query_finds_the_registries_each_user_may_read() {
    let h = harness().await;
    let owner = h.post(ARG, &h.owner(), Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    assert_eq!(names(&owner.body), ["contosobasic", "contosobuilds", "contosouk", "fabrikamnordic", "fabrikamresearch"]);
    assert_eq!(owner.body["totalRecords"], 5);
    assert_eq!(owner.body["count"], 5);
    assert_eq!(owner.body["resultTruncated"], "false", "a string, as the spec says");
    assert!(owner.body.get("$skipToken").is_none());
    let builds = owner.body["data"].as_array().unwrap().iter().find(|r| r["name"] == "contosobuilds").unwrap();
    assert_eq!(builds, &json!({
        "id": REGISTRY, "name": "contosobuilds", "subscriptionId": CONTOSO, "resourceGroup": "rg-builds", "location": "eastus",
        "sku": { "name": "Premium", "tier": "Premium" }
    }));

    let reader = h.post(ARG, &h.user_token(&READER), Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!(names(&reader.body), ["contosobasic", "contosobuilds", "contosouk"], "only the subscription Rhea reads");

    // The body narrows the scope; a subscription the caller cannot read is dropped…
    let narrowed = h.post(ARG, &h.owner(), Some(json!({ "query": REGISTRIES, "subscriptions": [FABRIKAM] }))).await;
    assert_eq!(names(&narrowed.body), ["fabrikamnordic", "fabrikamresearch"]);
    let mixed = h.post(ARG, &h.user_token(&READER), Some(json!({ "query": REGISTRIES, "subscriptions": [FABRIKAM, CONTOSO] }))).await;
    assert_eq!(names(&mixed.body).len(), 3);
    // …and none left is ARG's error.
    let none = h.post(ARG, &h.user_token(&READER), Some(json!({ "query": REGISTRIES, "subscriptions": [FABRIKAM] }))).await;
    assert_eq!(none.status, 400);
    assert_eq!(none.body["error"]["details"][0]["code"], "NoValidSubscriptionsInQueryRequest");
    let nobody = h.post(ARG, &h.user_token(&NO_ACCESS), Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!((nobody.status, nobody.body["error"]["code"].as_str()), (400, Some("BadRequest")));
    let anonymous = h.http.post(h.arm(ARG)).json(&json!({ "query": REGISTRIES })).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn pages_follow_the_skip_token_until_it_is_absent() {
    let h = harness_with(|o| o.settings.page_size = 2).await;
    let t = h.owner();
    let query = "resources | project id, name, type";
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut body = json!({ "query": query });
        if let Some(tok) = &token {
            body["options"] = json!({ "$skipToken": tok });
        }
        let page = h.post(ARG, &t, Some(body)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        pages += 1;
        assert!(page.body["count"].as_u64().unwrap() <= 2);
        seen.extend(page.body["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()));
        match page.body.get("$skipToken").and_then(Value::as_str) {
            Some(next) => token = Some(next.to_string()),
            None => {
                assert_eq!(page.body["totalRecords"].as_u64().unwrap() as usize, seen.len());
                break;
            }
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no row twice");
    assert!(pages >= 4, "{pages} pages of 2");

    // $top and $skip choose a page; a token of another query is refused.
    let random = h.post(ARG, &t, Some(json!({ "query": query, "options": { "$top": 3, "$skip": 2 } }))).await;
    let ids: Vec<&str> = random.body["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, seen[2..5].iter().map(String::as_str).collect::<Vec<_>>());
    let first = h.post(ARG, &t, Some(json!({ "query": query }))).await;
    let token = first.body["$skipToken"].as_str().unwrap();
    let foreign = h.post(ARG, &t, Some(json!({ "query": REGISTRIES, "options": { "$skipToken": token } }))).await;
    assert_eq!(foreign.status, 400);
    assert_eq!(foreign.body["error"]["details"][0]["code"], "InvalidSkipToken");
    let too_many = h.post(ARG, &t, Some(json!({ "query": query, "options": { "$top": 1001 } }))).await;
    assert_eq!(too_many.status, 400);

    // Without an id to page by, the rest cannot be reached: truncated, no token.
    let no_id = h.post(ARG, &t, Some(json!({ "query": "resources | project name" }))).await;
    assert_eq!(no_id.body["resultTruncated"], "true");
    assert!(no_id.body.get("$skipToken").is_none());
}

#[tokio::test]
async fn a_query_outside_the_subset_is_refused_with_args_error_never_half_run() {
    let h = harness().await;
    let t = h.owner();
    let spec = Spec::load(&spec_dir().join("openapi.json"));
    for (query, code) in [
        ("resources | summarize count() by location", "UnsupportedByEmulator"),
        ("resourcecontainers", "UnsupportedByEmulator"),
        ("resources | where name has 'build'", "UnsupportedByEmulator"),
        ("resources | where nope =~ 'x'", "ParserFailure"),
        ("resources | where name == 'x", "ParserFailure"),
    ] {
        let r = h.post(ARG, &t, Some(json!({ "query": query }))).await;
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.body["error"]["details"][0]["code"], "InvalidQuery", "{query}");
        assert_eq!(r.body["error"]["details"][1]["code"], code, "{query}: {}", r.body);
        let mut errors = Vec::new();
        spec.validate(&json!({"$ref": "#/definitions/ErrorResponse"}), &r.body, None, "$", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }
    let outside = h.post(ARG, &t, Some(json!({ "query": "resources | extend x = name" }))).await;
    assert!(outside.body["error"]["details"][1]["message"].as_str().unwrap().contains("'extend'"));
}

#[tokio::test]
async fn older_versions_answer_alike_and_unknown_ones_are_arms_error() {
    let h = harness().await;
    let t = h.owner();
    let new = h.post(ARG, &t, Some(json!({ "query": REGISTRIES }))).await;
    let old = h.post(&ARG.replace("2024-04-01", "2022-10-01"), &t, Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!(old.body, new.body, "same request, same answer");
    let unknown = h.post(&ARG.replace("2024-04-01", "2023-01-01"), &t, Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!((unknown.status, unknown.code().as_str()), (400, "InvalidResourceType"));
    assert!(unknown.body["error"]["message"].as_str().unwrap().contains("could not be found in the namespace 'Microsoft.ResourceGraph' for api version '2023-01-01'"));
}

#[tokio::test]
async fn facets_count_a_columns_values() {
    let h = harness().await;
    let body = json!({
        "query": "resources | where type =~ 'microsoft.containerregistry/registries' | project id, name, location, sku.name",
        "facets": [
            { "expression": "location", "options": { "$top": 2, "sortOrder": "desc" } },
            { "expression": "sku.name" },
            { "expression": "nonExistingColumn" },
        ],
    });
    let r = h.post(ARG, &h.owner(), Some(body)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f = r.body["facets"].as_array().unwrap();
    assert_eq!(f[0], json!({"expression": "location", "resultType": "FacetResult", "totalRecords": 4, "count": 2,
        "data": [{"count": 2, "location": "eastus"}, {"count": 1, "location": "swedencentral"}]}));
    assert_eq!(f[1]["data"][0], json!({"count": 4, "sku_name": "Premium"}));
    assert_eq!(f[2]["resultType"], "FacetError");
    assert_eq!(f[2]["errors"][1]["code"], "InvalidColumnNames");
}

/// Microsoft's examples, sent as they are (their subscription swapped for a demo one): every
/// answer, a page or a refusal, must be what the schema says.
#[tokio::test]
async fn every_stored_example_replays_against_the_schema() {
    let h = harness().await;
    let spec = Spec::load(&spec_dir().join("openapi.json"));
    let mut replayed = Vec::new();
    let mut errors = Vec::new();
    for entry in std::fs::read_dir(spec_dir().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        let example: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut body = example["parameters"]["query"].clone();
        if body.get("subscriptions").is_some() {
            body["subscriptions"] = json!([CONTOSO]);
        }
        // An example's $skipToken is from another service: a first page stands in for it.
        if let Some(options) = body.get_mut("options").and_then(Value::as_object_mut) {
            options.remove("$skipToken");
        }
        let version = example["parameters"]["api-version"].as_str().unwrap();
        let r = h.post(&format!("/providers/Microsoft.ResourceGraph/resources?api-version={version}"), &h.owner(), Some(body)).await;
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (definition, ex) = match r.status {
            200 => ("QueryResponse", Some(&example["responses"]["200"]["body"])),
            400 => ("ErrorResponse", None),
            other => panic!("{name}: HTTP {other} {}", r.body),
        };
        spec.validate(&json!({ "$ref": format!("#/definitions/{definition}") }), &r.body, ex, &name, &mut errors);
        replayed.push(format!("{name} {}", r.status));
    }
    assert!(errors.is_empty(), "{errors:#?}");
    replayed.sort();
    assert_eq!(replayed.len(), 11, "{replayed:#?}");
    // What the subset runs, it answers; what it does not, it refuses.
    for ok in ["ResourcesBasicQuery.json 200", "ResourcesFilterQuery.json 200", "ResourcesFirstPageQuery.json 200", "ResourcesFacetQuery.json 200"] {
        assert!(replayed.iter().any(|r| r == ok), "{ok}: {replayed:#?}");
    }
    for refused in ["ResourcesSummarizeQuery.json 400", "ResourcesComplexQuery.json 400", "ResourcesMgBasicQuery.json 400"] {
        assert!(replayed.iter().any(|r| r == refused), "{refused}: {replayed:#?}");
    }
}

/// The benchmark world through Resource Graph: thousands of registries in pages of 1,000, only
/// to those who may read them.
#[tokio::test]
async fn a_seeded_world_pages_by_the_thousand() {
    let h = harness().await;
    let now = h.emu.clock.now_ms();
    {
        let mut state = h.emu.state();
        let size: pool_portal_emulator::store::demo::world::WorldSize = serde_json::from_value(json!({ "subscriptions": 30, "registries": 40 })).unwrap();
        pool_portal_emulator::store::demo::world::seed(&mut state, &size, now);
    }
    let t = h.owner();
    let (mut rows, mut pages, mut token) = (0usize, 0, None::<String>);
    loop {
        let mut body = json!({ "query": REGISTRIES, "options": { "$top": 1000 } });
        if let Some(tok) = &token {
            body["options"]["$skipToken"] = json!(tok);
        }
        let page = h.post(ARG, &t, Some(body)).await;
        pages += 1;
        rows += page.body["count"].as_u64().unwrap() as usize;
        match page.body["$skipToken"].as_str() {
            Some(next) => token = Some(next.into()),
            None => break,
        }
    }
    assert_eq!((rows, pages), (1200 + 5, 2), "the world's 1,200 registries and the demo's 5");
    let reader = h.post(ARG, &h.user_token(&READER), Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!(reader.body["totalRecords"], 3, "the world is not Rhea's");
}

#[tokio::test]
async fn tasks_are_indexed_with_their_tags_and_identity_and_rows_follow_roles_on_single_registries() {
    let h = harness().await;
    let tasks = "resources | where type =~ 'microsoft.containerregistry/registries/tasks' | project id, name, tags, properties, identity";
    let owner = h.post(ARG, &h.owner(), Some(json!({ "query": tasks }))).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    let rule = owner.body["data"].as_array().unwrap().iter().find(|r| r["name"] == "poolportal-build-s2-weekdays-0700-to-2").expect("the demo schedule's task");
    assert_eq!(rule["tags"]["poolportal-pool"], "build-s2");
    assert_eq!(rule["properties"]["trigger"]["timerTriggers"][0]["schedule"], "0 7 * * 1-5");
    assert_eq!(rule["identity"]["type"], "SystemAssigned");
    assert!(rule["identity"]["principalId"].as_str().is_some_and(|p| p.len() == 36));

    // A role on one registry only: Resource Graph and the registries list show that one.
    let outsider = h.user_token(&NO_ACCESS);
    let body = json!({ "properties": {
        "roleDefinitionId": format!("/subscriptions/{CONTOSO}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"),
        "principalId": NO_ACCESS.oid, "principalType": "User" } });
    let url = format!("{REGISTRY}/providers/Microsoft.Authorization/roleAssignments/5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a?api-version=2022-04-01");
    assert_eq!(h.put(&url, &h.owner(), body).await.status, 201);
    let seen = h.post(ARG, &outsider, Some(json!({ "query": REGISTRIES }))).await;
    assert_eq!(names(&seen.body), ["contosobuilds"], "{}", seen.body);
    let listed = h.get(&format!("/subscriptions/{CONTOSO}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01"), &outsider).await;
    assert_eq!(listed.0, 200, "{}", listed.1);
    let listed: Vec<&str> = listed.1["value"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(listed, ["contosobuilds"]);
}

#[tokio::test]
async fn agent_pools_are_indexed_with_tier_count_state_and_subnet() {
    let h = harness().await;
    let q = "resources | where type =~ 'microsoft.containerregistry/registries/agentpools' | project id, name, subscriptionId, properties";
    let owner = h.post(ARG, &h.owner(), Some(json!({ "query": q }))).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    let rows = owner.body["data"].as_array().unwrap();
    let (_, listed) = h.get(&format!("{REGISTRY}/agentPools?api-version=2019-06-01-preview"), &h.owner()).await;
    for pool in listed["value"].as_array().unwrap() {
        let row = rows.iter().find(|r| r["id"].as_str().unwrap().eq_ignore_ascii_case(pool["id"].as_str().unwrap())).expect("every listed pool is a row");
        assert_eq!(row["properties"], pool["properties"], "the same properties as the list");
    }
    let reader = h.post(ARG, &h.user_token(&READER), Some(json!({ "query": q }))).await;
    assert!(reader.body["data"].as_array().unwrap().iter().all(|r| r["subscriptionId"] == CONTOSO), "only the subscription Rhea reads");
}
