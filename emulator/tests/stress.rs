//! 50 concurrent clients × 200 mixed requests on loopback: every request answered as expected,
//! none lost (the request log has them all), the state consistent afterwards. Prints throughput
//! (scripts/bench reports it).

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::*;
use serde_json::json;

const CLIENTS: usize = 50;
const REQUESTS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_times_two_hundred_mixed_requests() {
    // Time runs 200× faster: pool operations (20 s) and runs (45 s) start and end during the test.
    let h = Arc::new(harness_with(|o| o.settings.speed = 200.0).await);
    let t = h.owner();
    {
        // One pool per client, to update concurrently with everything else.
        let mut state = h.emu.state();
        let template = state.pools.iter().find(|p| p.name == "nightly-s1").unwrap().clone();
        for c in 0..CLIENTS {
            state.pools.push(pool_portal_emulator::store::AgentPool { name: format!("stress-{c}"), ..template.clone() });
        }
    }
    let runs_before = h.emu.state().runs.len();
    let tasks_before = h.emu.state().tasks.len();
    let log_before = h.emu.log.since(0).len();
    let started = Instant::now();
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let h = h.clone();
        let t = t.clone();
        clients.push(tokio::spawn(async move {
            // Each client has its own connection pool, as separate browsers would.
            let http = reqwest::Client::builder().danger_accept_invalid_certs(true).build().unwrap();
            let mut scheduled = 0;
            let mut unexpected = Vec::new();
            for i in 0..REQUESTS {
                let (method, path, body, want): (reqwest::Method, String, Option<serde_json::Value>, u16) = match i % 5 {
                    0 => (reqwest::Method::GET, format!("{REGISTRY}/agentPools?{POOLS_API}"), None, 200),
                    1 => (reqwest::Method::POST, format!("{REGISTRY}/agentPools/build-s2/listQueueStatus?{POOLS_API}"), None, 200),
                    2 => (reqwest::Method::GET, format!("{REGISTRY}/runs?{POOLS_API}&$top=5"), None, 200),
                    3 => (
                        reqwest::Method::POST,
                        format!("{REGISTRY}/scheduleRun?{POOLS_API}"),
                        Some(json!({"type": "DockerBuildRequest", "dockerFilePath": "Dockerfile", "platform": {"os": "Linux"}, "agentPoolName": "build-s2"})),
                        200,
                    ),
                    _ if i % 10 == 4 => (
                        reqwest::Method::PUT,
                        format!("{REGISTRY}/tasks/task-{c}-{i}?{POOLS_API}"),
                        Some(json!({"location": "eastus", "properties": {"platform": {"os": "Linux"}, "agentPoolName": "build-s2", "step": {"type": "Docker", "dockerFilePath": "Dockerfile"}}})),
                        200, // a new task is 200, as the service answers (tasks.rs)
                    ),
                    // A pool operation: accepted, or refused while the previous one still runs.
                    _ => (reqwest::Method::PATCH, format!("{REGISTRY}/agentPools/stress-{c}?{POOLS_API}"), Some(json!({"properties": {"count": 0}})), 201),
                };
                let is_pool_write = i % 10 == 9;
                let mut request = http.request(method, h.arm(&path)).bearer_auth(&t);
                if let Some(b) = body {
                    request = request.json(&b);
                }
                match request.send().await {
                    Ok(r) if r.status().as_u16() == want || (is_pool_write && r.status().as_u16() == 409) => {
                        if i % 5 == 3 {
                            scheduled += 1;
                        }
                    }
                    Ok(r) => unexpected.push(format!("{path}: {}", r.status())),
                    Err(e) => unexpected.push(format!("{path}: {e}")),
                }
            }
            (scheduled, unexpected)
        }));
    }
    let mut scheduled = 0;
    for c in clients {
        let (s, unexpected) = c.await.unwrap();
        assert!(unexpected.is_empty(), "{unexpected:?}");
        scheduled += s;
    }
    let elapsed = started.elapsed();
    let total = CLIENTS * REQUESTS;
    println!(
        "emulator stress: {total} requests from {CLIENTS} clients in {:.2} s = {:.0} requests/s (debug build, TLS, loopback)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
    // Let every operation and run end, then check the service is consistent.
    // (2,000 runs on two instances take about sixteen simulated hours.)
    h.later(48 * 3_600_000);
    let state = h.emu.current();
    assert_eq!(state.runs.len(), runs_before + scheduled, "every scheduled run is there once");
    assert_eq!(scheduled, CLIENTS * REQUESTS / 5);
    assert_eq!(state.tasks.len(), tasks_before + CLIENTS * REQUESTS / 10, "every task written is there once");
    assert!(state.pools.iter().all(|p| p.pending.is_none() && p.provisioning_state == "Succeeded"), "every pool operation ended");
    assert!(state.operations.iter().all(|o| o.status == "Succeeded"), "and its status resource says so");
    let unfinished: Vec<_> = state.runs.iter().filter(|r| !r.is_finished()).map(|r| (r.run_id.as_str(), r.agent_pool_name.as_deref())).collect();
    assert!(unfinished.iter().all(|(_, pool)| *pool == Some("nightly-s1")), "every run ended but the demo's, waiting on a pool of 0: {unfinished:?}");
    for c in 0..CLIENTS {
        let pool = state.pools.iter().find(|p| p.name == format!("stress-{c}")).unwrap();
        let changed_by = pool.system_data.as_ref().map(|s| s.last_modified.by.as_str());
        assert_eq!(changed_by, Some("olivia@contoso.test"), "every pool's last accepted write is stamped");
    }
    let mut ids: Vec<&str> = state.runs.iter().map(|r| r.run_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), state.runs.len(), "run ids are unique");
    // Runs never overlapped beyond the pool's two instances: at any start, at most one other ran.
    let on_pool: Vec<_> = state.runs.iter().filter(|r| r.agent_pool_name.as_deref() == Some("build-s2") && r.start_ms.is_some()).collect();
    for r in &on_pool {
        let start = r.start_ms.unwrap();
        let overlapping = on_pool.iter().filter(|o| o.start_ms.unwrap() <= start && o.finish_ms.is_none_or(|f| f > start)).count();
        assert!(overlapping <= 2, "{} started while {overlapping} runs held the pool's 2 instances", r.run_id);
    }
    drop(state);
    assert_eq!(h.emu.log.since(0).len() - log_before, total, "no request lost from the log");
}
