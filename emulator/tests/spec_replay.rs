//! Every example Microsoft publishes for the ACR Tasks operations the emulator serves is replayed
//! against it: the request as the example has it, the status one the example allows, the answer
//! valid against the spec's schema and shaped like the example's.

mod common;

use std::path::{Path, PathBuf};

use common::schema::Spec;
use common::*;
use pool_portal_emulator::authority::users::OWNER;
use pool_portal_emulator::store::{self, ImageRef, ResourceGroup, Registry, Role, RoleAssignment, Run, Sku, Subscription, Task};
use serde_json::{json, Value};

const SUB: &str = "4385cf00-2d3a-425a-832f-f4285b1c9dce";
const RUN_ID: &str = "0accec26-d6de-4757-8e74-d080f38eaaab";

fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/azure-spec/containerregistry/2019-06-01-preview")
}

/// What the examples assume exists: their subscription, group and Premium registry (in WESTUS,
/// so that region is opened for pools here), a task and a running run. The pool is left to
/// AgentPoolsCreate.json, so its replay takes the 201 create path.
fn seed(h: &Harness) {
    let now = h.emu.clock.now_ms();
    let mut s = h.emu.state();
    s.subscriptions.push(Subscription { id: SUB.into(), display_name: "Examples".into(), state: "Enabled".into() });
    s.resource_groups.push(ResourceGroup { subscription: SUB.into(), name: "myResourceGroup".into(), location: "westus".into() });
    s.assignments.push(RoleAssignment::at_subscription(OWNER.oid, &SUB, Role::Owner));
    s.extra_pool_regions.push("westus".into());
    s.registries.push(Registry {
        subscription: SUB.into(), resource_group: "myResourceGroup".into(), name: "myRegistry".into(),
        location: "westus".into(), sku: Sku::Premium, created: "2021-06-15T21:38:26.1537861Z".into(), tags: Vec::new(), system_data: None,
    });
    // The richest task body (triggers of every kind), so updates to any part of it have something to merge into.
    let create = read(&spec_dir().join("examples/ManagedIdentity/TasksCreate_WithSystemAndUserIdentities.json"));
    s.tasks.push(Task {
        subscription: SUB.into(), resource_group: "myResourceGroup".into(), registry: "myRegistry".into(), name: "myTask".into(),
        location: "eastus".into(), tags: Vec::new(), created_ms: now,
        properties: create["parameters"]["taskCreateParameters"]["properties"].clone(),
        identity: None,
        system_data: None,
        has_run: false,
    });
    s.runs.push(Run {
        subscription: SUB.into(), resource_group: "myResourceGroup".into(), registry: "myRegistry".into(), run_id: RUN_ID.into(),
        status: "Running".into(), run_type: "AutoBuild".into(), agent_pool_name: None, task_name: Some("myTask".into()),
        create_ms: now, start_ms: Some(now), finish_ms: None, last_updated_ms: now, duration_ms: 3_600_000, will_fail: false,
        output_images: vec![ImageRef { registry: "myregistry.azurecr.io".into(), repository: "myimage".into(), tag: "latest".into(), digest: "sha256:0".into() }],
        platform_os: "Linux".into(), is_archive_enabled: false, source_location: None, docker_file: Some("Dockerfile".into()), error_message: None, cpu: None, scheduled_by: None, system_data: None,
        timer: None,
        script: None,
    });
    let _: &store::State = &s;
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

struct Case {
    file: String,
    method: String,
    path: String,
    operation: Value,
    example: Value,
}

/// Each example the spec references, with its operation; and the references with no stored file.
fn cases(spec: &Spec) -> (Vec<Case>, Vec<String>) {
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for (path, ops) in spec.doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let Some(examples) = op.get("x-ms-examples").and_then(Value::as_object) else { continue };
            for ex in examples.values() {
                let file = ex["$ref"].as_str().unwrap().trim_start_matches("./").to_string();
                let full = spec_dir().join(&file);
                if !full.exists() {
                    missing.push(file);
                    continue;
                }
                cases.push(Case { file, method: method.to_uppercase(), path: path.clone(), operation: op.clone(), example: read(&full) });
            }
        }
    }
    // Creates first (they make what reads need), then reads, updates, actions; deletes last.
    let rank = |m: &str| ["PUT", "GET", "PATCH", "POST", "DELETE"].iter().position(|x| *x == m).unwrap();
    cases.sort_by(|a, b| (rank(&a.method), &a.file).cmp(&(rank(&b.method), &b.file)));
    (cases, missing)
}

/// The URL and body the example describes.
fn request(spec: &Spec, case: &Case) -> (String, Option<Value>) {
    let params = &case.example["parameters"];
    let mut path = case.path.clone();
    let mut query = vec![("api-version".to_string(), params["api-version"].as_str().unwrap().to_string())];
    let mut body = None;
    for p in case.operation["parameters"].as_array().unwrap() {
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => &spec.doc["parameters"][r.trim_start_matches("#/parameters/")],
            None => p,
        };
        let name = p["name"].as_str().unwrap();
        let value = &params[name];
        match p["in"].as_str().unwrap() {
            "path" => path = path.replace(&format!("{{{name}}}"), value.as_str().unwrap()),
            "query" if name != "api-version" && !value.is_null() => {
                let v = value.as_str().map(String::from).unwrap_or_else(|| value.to_string());
                query.push((name.to_string(), v));
            }
            "body" => body = Some(value.clone()),
            _ => {}
        }
    }
    let q: String = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(query).finish();
    (format!("{path}?{q}"), body)
}

#[tokio::test]
async fn every_stored_example_replays_with_a_valid_answer() {
    let h = harness().await;
    seed(&h);
    let spec = Spec::load(&spec_dir().join("containerregistry_build.json"));
    let (cases, missing) = cases(&spec);
    // Only these are referenced but not stored (NOTES §1.2 and §7): replay fails loudly if more go missing.
    let mut missing = missing;
    missing.sort();
    assert_eq!(missing, vec![
        "examples/AgentPoolsGetQueueStatus.json", "examples/TaskRunsCreate.json", "examples/TaskRunsDelete.json",
        "examples/TaskRunsGet.json", "examples/TaskRunsGetDetails.json", "examples/TaskRunsList.json", "examples/TaskRunsUpdate.json",
    ]);
    let t = h.owner();
    let mut failures = Vec::new();
    let mut statuses = Vec::new();
    let mut replayed = 0;
    for case in cases.iter().filter(|c| !c.path.ends_with("/listBuildSourceUploadUrl")) {
        let (url, body) = request(&spec, case);
        let method = reqwest::Method::from_bytes(case.method.as_bytes()).unwrap();
        let r = h.send(method, &url, &t, body).await;
        replayed += 1;
        // Let any operation the request started finish before the next example.
        h.later(60_000);
        // The statuses the operation declares (the 2019 delete example lists 200 and 204, the
        // operation also 202, which an asynchronous delete answers).
        let allowed: Vec<u16> = case.operation["responses"].as_object().unwrap().keys().filter_map(|k| k.parse().ok()).collect();
        if !allowed.contains(&r.status) {
            failures.push(format!("{}: {} not in {allowed:?}: {}", case.file, r.status, r.body));
            continue;
        }
        let status = r.status.to_string();
        let Some(schema) = case.operation["responses"][&status].get("schema") else { continue };
        let example_body = case.example["responses"][&status].get("body");
        let mut errors = Vec::new();
        spec.validate(schema, &r.body, example_body, "$", &mut errors);
        // Read-only fields are always there on resources: id, name, type, provisioningState.
        if r.body.get("properties").is_some() {
            for k in ["id", "name", "type"] {
                if r.body.get(k).is_none() {
                    errors.push(format!("$.{k}: read-only, missing"));
                }
            }
            if r.body["properties"].get("provisioningState").is_none() {
                errors.push("$.properties.provisioningState: read-only, missing".into());
            }
        }
        statuses.push(format!("{} {}", case.file, r.status));
        if !errors.is_empty() {
            failures.push(format!("{}: {errors:#?}", case.file));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(statuses.contains(&"examples/AgentPoolsCreate.json 201".to_string()), "{statuses:#?}");
    // 32 stored examples are referenced by operations; all but listBuildSourceUploadUrl's (an
    // operation the emulator does not offer) were replayed.
    assert_eq!(replayed, 31);
    let referenced: Vec<&str> = cases.iter().map(|c| c.file.as_str()).collect();
    let mut unreferenced: Vec<String> = std::fs::read_dir(spec_dir().join("examples"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| format!("examples/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".json") && !referenced.contains(&f.as_str()))
        .collect();
    unreferenced.sort();
    // Orphans no operation points at (NOTES §1.2): the queue-status one is checked by schema below.
    assert_eq!(unreferenced, vec!["examples/AgentPoolsGetOperationResults.json", "examples/AgentPoolsQueueStatus.json"]);
}

#[tokio::test]
async fn the_queue_status_example_missing_from_the_store_is_covered_by_the_schema() {
    let h = harness().await;
    seed(&h);
    let spec = Spec::load(&spec_dir().join("containerregistry_build.json"));
    let pool = format!("/subscriptions/{SUB}/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry/agentPools/myAgentPool");
    let create = read(&spec_dir().join("examples/AgentPoolsCreate.json"));
    assert_eq!(h.put(&format!("{pool}?{POOLS_API}"), &h.owner(), create["parameters"]["agentPool"].clone()).await.status, 201);
    let r = h.post(&format!("{pool}/listQueueStatus?{POOLS_API}"), &h.owner(), None).await;
    assert_eq!(r.status, 200);
    let mut errors = Vec::new();
    spec.validate(&json!({"$ref": "#/definitions/AgentPoolQueueStatus"}), &r.body, None, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(r.body["count"].is_i64(), "lowercase count, as the 2025 example (NOTES §1.2)");
}

#[test]
fn the_validator_catches_invented_retyped_missing_and_unknown_enum_values() {
    let spec = Spec::load(&spec_dir().join("containerregistry_build.json"));
    let pool = json!({"$ref": "#/definitions/AgentPool"});
    let mut errors = Vec::new();
    spec.validate(&pool, &json!({"location": "x", "properties": {"count": "1", "os": "Solaris", "extra": 1}}), None, "$", &mut errors);
    let text = errors.join("\n");
    assert!(text.contains("$.properties.count: expected integer"), "{text}");
    assert!(text.contains("'Solaris' is not one of"), "{text}");
    assert!(text.contains("$.properties.extra: not defined by the spec"), "{text}");
    let mut errors = Vec::new();
    spec.validate(&pool, &json!({"properties": {}}), None, "$", &mut errors);
    assert_eq!(errors, vec!["$.location: required but missing"]);
}
