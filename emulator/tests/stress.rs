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
    let h = Arc::new(harness().await);
    let t = h.owner();
    let runs_before = h.emu.state().runs.len();
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
                    _ => (
                        reqwest::Method::PUT,
                        format!("{REGISTRY}/tasks/task-{c}-{i}?{POOLS_API}"),
                        Some(json!({"location": "eastus", "properties": {"platform": {"os": "Linux"}, "agentPoolName": "build-s2", "step": {"type": "Docker", "dockerFilePath": "Dockerfile"}}})),
                        201,
                    ),
                };
                let mut request = http.request(method, h.arm(&path)).bearer_auth(&t);
                if let Some(b) = body {
                    request = request.json(&b);
                }
                match request.send().await {
                    Ok(r) if r.status().as_u16() == want => {
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
    let state = h.emu.state();
    assert_eq!(state.runs.len(), runs_before + scheduled, "every scheduled run is there once");
    assert_eq!(scheduled, CLIENTS * REQUESTS / 5);
    assert_eq!(state.tasks.len(), CLIENTS * REQUESTS / 5, "every task written is there once");
    let mut ids: Vec<&str> = state.runs.iter().map(|r| r.run_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), state.runs.len(), "run ids are unique");
    let running = state.runs.iter().filter(|r| r.status == "Running" && r.agent_pool_name.as_deref() == Some("build-s2")).count();
    assert!(running <= 2, "never more runs than instances");
    drop(state);
    assert_eq!(h.emu.log.since(0).len() - log_before, total, "no request lost from the log");
}
