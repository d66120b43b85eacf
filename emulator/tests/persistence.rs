//! With a data dir, what was written survives a restart; without one, every start is the demo.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn state_survives_a_restart_with_a_data_dir() {
    let dir = std::env::temp_dir().join(format!("emu-persist-{}", pool_portal_emulator::random_token(6)));
    let first = harness_with(|o| o.data_dir = Some(dir.clone())).await;
    let t = first.owner();
    assert_eq!(first.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await.status, 201);
    first.later(20_000);
    assert_eq!(first.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await.body["properties"]["count"], 1);
    // Reads advance time too; a write saves it. Schedule a run so the saved state is current.
    let run = first.post(&format!("{REGISTRY}/scheduleRun?{POOLS_API}"), &t, Some(json!({"type": "DockerBuildRequest", "dockerFilePath": "Dockerfile", "platform": {"os": "Linux"}}))).await;
    let run_id = run.body["name"].as_str().unwrap().to_string();
    assert!(dir.join("state.json").exists());

    let second = harness_with(|o| o.data_dir = Some(dir.clone())).await;
    let t2 = second.owner();
    let pool = second.send(reqwest::Method::GET, &pool_url("build-s2"), &t2, None).await;
    assert_eq!((pool.body["properties"]["count"].as_i64(), pool.body["systemData"]["lastModifiedBy"].as_str()), (Some(1), Some("olivia@contoso.test")));
    let again = second.send(reqwest::Method::GET, &format!("{REGISTRY}/runs/{run_id}?{POOLS_API}"), &t2, None).await;
    assert_eq!(again.status, 200, "the run is still there");
    // Same signing key, so tokens issued before a restart (on the same ports) stay valid.
    assert_eq!(first.emu.keys.jwks(), second.emu.keys.jwks());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn without_a_data_dir_each_start_is_the_demo() {
    let first = harness().await;
    let t = first.owner();
    first.delete(&pool_url("nightly-s1"), &t).await;
    first.later(20_000);
    assert_eq!(first.send(reqwest::Method::GET, &pool_url("nightly-s1"), &t, None).await.status, 404);
    let second = harness().await;
    assert_eq!(second.send(reqwest::Method::GET, &pool_url("nightly-s1"), &second.owner(), None).await.status, 200);
}
