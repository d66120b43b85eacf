//! A registry's tags as their own resource: one tag merged or deleted without touching the others
//! (where the portal keeps a paused pool's record), ARM's limits, and who may write them.

mod common;

use common::*;
use pool_portal_emulator::authority::users::READER;
use pool_portal_emulator::faults::FaultConfig;
use serde_json::json;

fn tags_url() -> String {
    format!("{REGISTRY}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01")
}

#[tokio::test]
async fn merge_and_delete_touch_only_the_named_tags() {
    let h = harness().await;
    let t = h.owner();
    let r = h.patch(&tags_url(), &t, json!({"operation": "Merge", "properties": {"tags": {"poolportal-paused-nightly-s1": "count=2"}}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["properties"]["tags"], json!({"team": "platform", "poolportal-paused-nightly-s1": "count=2"}));
    let (_, registry) = h.get(&format!("{REGISTRY}?api-version=2023-07-01"), &t).await;
    assert_eq!(registry["tags"]["poolportal-paused-nightly-s1"], "count=2", "the registry itself shows it");
    let r = h.patch(&tags_url(), &t, json!({"operation": "Delete", "properties": {"tags": {"poolportal-paused-nightly-s1": ""}}})).await;
    assert_eq!(r.body["properties"]["tags"], json!({"team": "platform"}));
    let (_, read) = h.get(&tags_url(), &t).await;
    assert_eq!(read["properties"]["tags"], json!({"team": "platform"}));
}

#[tokio::test]
async fn a_tasks_tags_are_written_the_same_way_and_read_back_on_the_task() {
    let h = harness().await;
    let t = h.owner();
    let task = format!("{REGISTRY}/tasks/poolportal-build-s2-weekdays-0700-to-2");
    let url = format!("{task}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01");
    let r = h.patch(&url, &t, json!({"operation": "Merge", "properties": {"tags": {"poolportal-zone": "Europe/London"}}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["id"], format!("{task}/providers/Microsoft.Resources/tags/default"));
    assert_eq!(r.body["properties"]["tags"]["poolportal-zone"], "Europe/London");
    assert_eq!(r.body["properties"]["tags"]["poolportal-pool"], "build-s2", "the others stay");
    let (_, read) = h.get(&format!("{task}?{POOLS_API}"), &t).await;
    assert_eq!(read["tags"]["poolportal-zone"], "Europe/London");
    let missing = h.patch(&format!("{REGISTRY}/tasks/nope/providers/Microsoft.Resources/tags/default?api-version=2021-04-01"), &t, json!({"operation": "Merge", "properties": {"tags": {"a": "b"}}})).await;
    assert_eq!(missing.status, 404);
    let reader = h.patch(&url, &h.user_token(&READER), json!({"operation": "Merge", "properties": {"tags": {"a": "b"}}})).await;
    assert_eq!(reader.status, 403);
}

#[tokio::test]
async fn limits_and_rights_are_arms() {
    let h = harness().await;
    let t = h.owner();
    let long = "x".repeat(257);
    let r = h.patch(&tags_url(), &t, json!({"operation": "Merge", "properties": {"tags": {"a": long}}})).await;
    assert_eq!((r.status, r.code().as_str()), (400, "InvalidTagValueLength"));
    let r = h.patch(&tags_url(), &t, json!({"operation": "Merge", "properties": {"tags": {"a/b": "x"}}})).await;
    assert_eq!(r.code(), "InvalidTagNameCharacters");
    let r = h.patch(&tags_url(), &h.user_token(&READER), json!({"operation": "Merge", "properties": {"tags": {"a": "x"}}})).await;
    assert_eq!((r.status, r.code().as_str()), (403, "AuthorizationFailed"));
    assert!(r.body["error"]["message"].as_str().unwrap().contains("Microsoft.Resources/tags/write"));
    // A role without the tag right (a custom role that may scale pools but not tag).
    h.emu.faults.set(FaultConfig { deny_actions: vec!["Microsoft.Resources/tags/write".into()], ..Default::default() });
    let r = h.patch(&tags_url(), &t, json!({"operation": "Merge", "properties": {"tags": {"a": "x"}}})).await;
    assert_eq!(r.status, 403);
    assert_eq!(h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await.status, 201, "the pool can still be scaled");
}
