//! The portal's ARM models read every body real Azure sent in Microsoft's recordings
//! (`tests/azure-spec/recordings/`): agent pools, registries, runs, tasks, task runs, Activity Log
//! events, Resource Graph pages and errors. Each body deserialises, and the fields the portal
//! shows come through: a pool's count, tier, state and `systemData`; a run's id, status, times and
//! images; a task's pool and step; an event's operation and status; a graph page's rows and token.

use std::path::PathBuf;

use pool_portal::arm::activity::Event;
use pool_portal::arm::agent_pools::AgentPool;
use pool_portal::arm::error::ArmError;
use pool_portal::arm::graph::QueryResponse;
use pool_portal::arm::pager::Page;
use pool_portal::arm::registries::Registry;
use pool_portal::arm::runs::Run;
use pool_portal::arm::tasks::Task;
use serde_json::Value;

fn recordings() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/azure-spec/recordings");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    files.into_iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap())).collect()
}

/// Every recorded answer (prerequisites included) with a JSON body: (file, path, status, body).
fn answers() -> Vec<(String, String, u64, Value)> {
    let mut out = Vec::new();
    for (file, doc) in recordings() {
        let all = doc.get("prerequisites").and_then(Value::as_array).into_iter().flatten().chain(doc["interactions"].as_array().unwrap());
        for i in all {
            let body = i.get("body").cloned().unwrap_or(Value::Null);
            if !body.is_null() {
                out.push((file.clone(), i["path"].as_str().unwrap_or("").to_string(), i["status"].as_u64().unwrap_or(0), body));
            }
        }
    }
    out
}

fn items(body: &Value) -> Vec<Value> {
    match body.get("value").and_then(Value::as_array) {
        Some(list) => list.clone(),
        None => vec![body.clone()],
    }
}

fn kind(body: &Value) -> Option<&str> {
    body.get("type").and_then(Value::as_str)
}

#[test]
fn every_recorded_agent_pool_reads_with_its_size_state_and_who() {
    let mut seen = 0;
    for (file, path, _, body) in answers() {
        for item in items(&body).into_iter().filter(|i| kind(i) == Some("Microsoft.ContainerRegistry/registries/agentPools")) {
            let pool: AgentPool = serde_json::from_value(item.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
            assert_eq!(i64::from(pool.count()), item["properties"]["count"].as_i64().unwrap(), "{file} {path}");
            assert_eq!(pool.tier(), item["properties"]["tier"].as_str().unwrap());
            assert_eq!(pool.state(), item["properties"]["provisioningState"].as_str().unwrap());
            let who = pool.system_data.as_ref().expect("systemData");
            assert_eq!(who.created_by.as_deref(), item["systemData"]["createdBy"].as_str());
            assert!(who.created_ms().is_some() && who.last_modified_ms() >= who.created_ms(), "{file} {path}: times parse");
            assert_eq!(pool.properties.virtual_network_subnet_resource_id.as_deref(), item["properties"]["virtualNetworkSubnetResourceId"].as_str());
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} pools");
}

#[test]
fn every_recorded_registry_reads_with_its_sku_location_and_tags() {
    let mut seen = 0;
    for (file, path, _, body) in answers() {
        for item in items(&body).into_iter().filter(|i| kind(i) == Some("Microsoft.ContainerRegistry/registries")) {
            let r: Registry = serde_json::from_value(item.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
            assert_eq!(r.sku.name, item["sku"]["name"].as_str().unwrap());
            assert_eq!(r.location, item["location"].as_str().unwrap());
            assert!(r.registry_id().is_some(), "{file}: {}", r.id);
            assert_eq!(r.tags.is_some(), item.get("tags").is_some());
            seen += 1;
        }
    }
    assert!(seen >= 20, "{seen} registries");
}

#[test]
fn every_recorded_run_reads_with_its_status_times_and_images() {
    let mut seen = 0;
    for (file, path, _, body) in answers() {
        let mut runs = items(&body);
        // A task run carries its run as `runResult`.
        runs.extend(items(&body).iter().filter_map(|i| i.pointer("/properties/runResult").cloned()));
        for item in runs.into_iter().filter(|i| kind(i) == Some("Microsoft.ContainerRegistry/registries/runs")) {
            let run: Run = serde_json::from_value(item.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
            let p = &item["properties"];
            assert_eq!(run.run_id(), p["runId"].as_str().unwrap());
            assert_eq!(run.status(), p["status"].as_str().unwrap());
            let view = run.view();
            assert_eq!(view.start_ms.is_some(), p.get("startTime").is_some(), "{file} {path}");
            assert_eq!(view.finish_ms.is_some(), p.get("finishTime").is_some());
            // scheduleRun's answer has no createTime: the run sorts last, and still reads.
            assert_eq!(view.create_ms != u64::MAX, p.get("createTime").is_some());
            let images = run.properties.output_images.clone().unwrap_or_default();
            assert_eq!(images.len(), p["outputImages"].as_array().map_or(0, Vec::len));
            assert!(images.iter().all(|i| i.reference().contains(':')));
            seen += 1;
        }
    }
    assert!(seen >= 15, "{seen} runs");
}

#[test]
fn every_recorded_task_reads_with_its_step_and_platform() {
    let mut seen = 0;
    for (file, path, _, body) in answers() {
        for item in items(&body).into_iter().filter(|i| kind(i) == Some("Microsoft.ContainerRegistry/registries/tasks")) {
            let task: Task = serde_json::from_value(item.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
            assert_eq!(task.display_name(), item["name"].as_str().unwrap());
            assert!(!task.describe_step().is_empty(), "{file} {path}");
            assert_eq!(task.properties.step.as_ref(), item["properties"].get("step"));
            assert_eq!(task.properties.agent_pool_name.as_deref(), item["properties"]["agentPoolName"].as_str());
            seen += 1;
        }
    }
    assert!(seen >= 10, "{seen} tasks");
}

#[test]
fn recorded_activity_log_pages_and_errors_read() {
    let mut events = 0;
    let mut errors = 0;
    for (file, path, status, body) in answers().into_iter().filter(|(_, p, _, _)| p.to_ascii_lowercase().ends_with("/eventtypes/management/values")) {
        if status >= 400 {
            let e = ArmError::from_response(status as u16, &body.to_string(), None, None);
            assert_eq!(e.code, "BadRequest", "{file}");
            assert!(e.message.contains("90 days"), "{}", e.message);
            errors += 1;
            continue;
        }
        let page: Page<Event> = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
        for (e, raw) in page.value.iter().zip(body["value"].as_array().unwrap()) {
            assert_eq!(e.caller.as_deref(), raw["caller"].as_str(), "$select=Caller comes through");
            assert_eq!(e.status.as_ref().and_then(|s| s.value.clone()), raw["status"]["value"].as_str().map(String::from));
            assert_eq!(e.correlation_id.as_deref(), raw["correlationId"].as_str());
            events += 1;
        }
    }
    assert!(events >= 3 && errors == 1, "{events} events, {errors} errors");
}

#[test]
fn recorded_resource_graph_pages_and_errors_read() {
    let mut pages = 0;
    for (file, path, status, body) in answers().into_iter().filter(|(_, p, _, _)| p.to_ascii_lowercase().ends_with("/microsoft.resourcegraph/resources")) {
        if status >= 400 {
            let e = ArmError::from_response(status as u16, &body.to_string(), None, None);
            assert_eq!(e.code, "ParserFailure", "{file}: the specific reason, not BadRequest");
            continue;
        }
        // The 2018 preview's table-shaped data is not what the portal asks for.
        if body["data"].is_object() {
            continue;
        }
        let page: QueryResponse = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{file} {path}: {e}"));
        assert_eq!(page.count as usize, page.data.len());
        assert_eq!(page.skip_token.as_deref(), body["$skipToken"].as_str());
        pages += 1;
    }
    assert!(pages >= 3, "{pages} pages");
}
