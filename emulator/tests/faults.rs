//! Each fault switch, set through the admin port as tests and the portal's journeys do.

mod common;

use common::*;
use serde_json::json;

async fn set_faults(h: &Harness, faults: serde_json::Value) {
    let r = h.http.put(format!("{}/faults", h.emu.origins.admin)).json(&faults).send().await.unwrap();
    assert_eq!(r.status(), 200);
}

const SUBS: &str = "/subscriptions?api-version=2022-12-01";

#[tokio::test]
async fn throttling_answers_429_with_retry_after_and_no_remaining_budget() {
    let h = harness().await;
    set_faults(&h, json!({"throttle": 2, "retryAfterSecs": 7})).await;
    let t = h.owner();
    for _ in 0..2 {
        let r = h.send(reqwest::Method::GET, SUBS, &t, None).await;
        assert_eq!((r.status, r.code().as_str()), (429, "TooManyRequests"));
        assert_eq!(r.header("retry-after").as_deref(), Some("7"));
        assert_eq!(r.header("x-ms-ratelimit-remaining-subscription-reads").as_deref(), Some("0"));
    }
    let ok = h.send(reqwest::Method::GET, SUBS, &t, None).await;
    assert_eq!(ok.status, 200, "the switch counted down");
    let remaining: u32 = ok.header("x-ms-ratelimit-remaining-subscription-reads").unwrap().parse().unwrap();
    assert!(remaining > 0 && remaining < 12_000);
}

#[tokio::test]
async fn the_read_bucket_counts_down_per_subscription_and_principal_then_answers_429_until_it_refills() {
    let h = harness().await;
    // No refill: what the test sees does not depend on how fast it runs.
    set_faults(&h, json!({"readBucket": 3, "readRefillPerSec": 0})).await;
    let (owner, reader) = (h.owner(), h.user_token(&pool_portal_emulator::authority::users::READER));
    let pools = format!("{REGISTRY}/agentPools?{POOLS_API}");
    let mut left = Vec::new();
    for _ in 0..3 {
        let r = h.send(reqwest::Method::GET, &pools, &owner, None).await;
        assert_eq!(r.status, 200);
        left.push(r.header("x-ms-ratelimit-remaining-subscription-reads").unwrap());
    }
    assert_eq!(left, ["2", "1", "0"]);
    let refused = h.send(reqwest::Method::GET, &pools, &owner, None).await;
    assert_eq!((refused.status, refused.code().as_str()), (429, "TooManyRequests"));
    assert_eq!(refused.header("retry-after").as_deref(), Some("1"));
    assert_eq!(refused.header("x-ms-ratelimit-remaining-subscription-reads").as_deref(), Some("0"));
    // Another principal, another subscription, and writes each have their own budget.
    assert_eq!(h.send(reqwest::Method::GET, &pools, &reader, None).await.status, 200);
    assert_eq!(h.send(reqwest::Method::GET, &format!("/subscriptions/{FABRIKAM}/resourceGroups?api-version=2022-09-01"), &owner, None).await.status, 200);
    // (The refill, at its rate and up to its size, is ratelimit.rs's unit test, on a given clock.)
    // A new setting starts every bucket full.
    set_faults(&h, json!({"readBucket": 3, "readRefillPerSec": 0})).await;
    assert_eq!(h.send(reqwest::Method::GET, &pools, &owner, None).await.header("x-ms-ratelimit-remaining-subscription-reads").as_deref(), Some("2"));
    // Cleared: no bucket.
    set_faults(&h, json!({})).await;
    for _ in 0..5 {
        assert_eq!(h.send(reqwest::Method::GET, &pools, &owner, None).await.status, 200);
    }
}

#[tokio::test]
async fn server_errors_hit_only_matching_requests() {
    let h = harness().await;
    set_faults(&h, json!({"serverErrors": 1, "serverErrorStatus": 503, "matching": "PATCH"})).await;
    let t = h.owner();
    assert_eq!(h.send(reqwest::Method::GET, SUBS, &t, None).await.status, 200, "GET is not matched");
    let r = h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await;
    assert_eq!((r.status, r.code().as_str()), (503, "ServiceUnavailable"));
    assert!(r.header("retry-after").is_some());
    let pool = h.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await;
    assert_eq!(pool.body["properties"]["provisioningState"], "Succeeded", "the failed request changed nothing");
    assert_eq!(h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await.status, 201);
}

#[tokio::test]
async fn a_dropped_connection_gets_no_answer_at_all() {
    let h = harness().await;
    set_faults(&h, json!({"dropConnections": 1})).await;
    let t = h.owner();
    let err = h.http.get(h.arm(SUBS)).bearer_auth(&t).send().await;
    assert!(err.is_err(), "no HTTP response: {:?}", err.map(|r| r.status()));
    assert_eq!(h.send(reqwest::Method::GET, SUBS, &t, None).await.status, 200);
    let log: serde_json::Value = h.http.get(format!("{}/requests", h.emu.origins.admin)).send().await.unwrap().json().await.unwrap();
    assert!(log.as_array().unwrap().iter().any(|e| e["status"] == 0 && e["listener"] == "arm"), "the drop is logged with status 0");
}

#[tokio::test]
async fn latency_delays_responses() {
    let h = harness().await;
    set_faults(&h, json!({"latencyMs": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(h.send(reqwest::Method::GET, SUBS, &h.owner(), None).await.status, 200);
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
}

#[tokio::test]
async fn tokens_can_be_made_to_expire() {
    let h = harness().await;
    set_faults(&h, json!({"expireTokens": 1})).await;
    let r = h.send(reqwest::Method::GET, SUBS, &h.owner(), None).await;
    assert_eq!((r.status, r.code().as_str()), (401, "ExpiredAuthenticationToken"));
    assert_eq!(h.send(reqwest::Method::GET, SUBS, &h.owner(), None).await.status, 200);
}

#[tokio::test]
async fn lro_headers_can_be_withheld_from_browsers_and_log_cors_refused() {
    let h = harness().await;
    let origin = h.emu.origins.portal.clone();
    let exposed = || async {
        let r = h.http.get(h.arm(SUBS)).bearer_auth(h.owner()).header("Origin", &origin).send().await.unwrap();
        r.headers().get("access-control-expose-headers").unwrap().to_str().unwrap().to_string()
    };
    assert!(exposed().await.contains("Azure-AsyncOperation"));
    set_faults(&h, json!({"withholdLroHeaders": true, "refuseLogCors": true})).await;
    let now = exposed().await;
    assert!(!now.contains("Azure-AsyncOperation") && !now.contains("Location") && now.contains("x-ms-request-id"), "{now}");

    let link = h.post(&format!("{REGISTRY}/runs/ca1/listLogSasUrl?{POOLS_API}"), &h.owner(), None).await;
    let log = h.http.get(link.body["logLink"].as_str().unwrap()).header("Origin", &origin).send().await.unwrap();
    assert_eq!(log.status(), 200);
    assert!(log.headers().get("access-control-allow-origin").is_none(), "no CORS: a browser cannot read it");
}

#[tokio::test]
async fn the_clock_can_be_sped_up_and_moved_on_from_the_admin_port() {
    let h = harness().await;
    let before: serde_json::Value = h.http.get(format!("{}/clock", h.emu.origins.admin)).send().await.unwrap().json().await.unwrap();
    let after: serde_json::Value = h
        .http
        .put(format!("{}/clock", h.emu.origins.admin))
        .json(&json!({"speed": 50.0, "advanceMs": 60_000}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(after["speed"], 50.0);
    assert!(after["nowMs"].as_u64().unwrap() >= before["nowMs"].as_u64().unwrap() + 60_000);
}

#[tokio::test]
async fn reset_needs_a_json_content_type_so_web_pages_cannot_trigger_it() {
    let h = harness().await;
    let plain = h.http.post(format!("{}/reset", h.emu.origins.admin)).send().await.unwrap();
    assert_eq!(plain.status(), 415);
    let json = h.http.post(format!("{}/reset", h.emu.origins.admin)).header("content-type", "application/json").send().await.unwrap();
    assert_eq!(json.status(), 200);
}
