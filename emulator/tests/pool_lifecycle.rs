//! Agent pools through their life: create, scale, delete as long-running operations; the
//! service's rules (Premium, regions, tiers, quota, Linux, subnets and their NSGs); RBAC on writes.

mod common;

use common::*;
use pool_portal_emulator::authority::users::READER;
use serde_json::json;

fn pool_body(tier: &str, count: i64) -> serde_json::Value {
    json!({ "location": "eastus", "properties": { "tier": tier, "count": count, "os": "Linux" } })
}

const LRO_MS: u64 = 20_000;

#[tokio::test]
async fn create_is_an_operation_that_ends_succeeded() {
    let h = harness().await;
    let t = h.owner();
    let r = h.put(&pool_url("fresh-s2"), &t, pool_body("S2", 2)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["properties"]["provisioningState"], "Creating");
    let status_url = r.header("azure-asyncoperation").expect("Azure-AsyncOperation");
    // As recorded: the status lives under the pool, and nothing says when to ask again.
    let under_pool = format!("{}{REGISTRY}/agentPools/fresh-s2/operationStatuses/", h.emu.origins.arm);
    assert!(status_url.starts_with(&under_pool), "{status_url}");
    assert!(r.header("retry-after").is_none() && r.header("location").is_none());
    assert_eq!(r.body["systemData"]["createdBy"], "olivia@contoso.test");
    assert_eq!((r.body["systemData"]["createdByType"].as_str(), r.body["systemData"]["lastModifiedByType"].as_str()), (Some("User"), Some("User")));

    let during = h.send(reqwest::Method::GET, &pool_url("fresh-s2"), &t, None).await;
    assert_eq!(during.body["properties"]["provisioningState"], "Creating");
    let op = h.send(reqwest::Method::GET, &status_url, &t, None).await;
    assert_eq!((op.status, op.body.clone()), (200, json!({"status": "Creating"})));
    assert!(op.header("retry-after").is_none());

    h.later(LRO_MS);
    let after = h.send(reqwest::Method::GET, &pool_url("fresh-s2"), &t, None).await;
    assert_eq!(after.body["properties"]["provisioningState"], "Succeeded");
    assert_eq!(after.body["properties"]["count"], 2);
    let op = h.send(reqwest::Method::GET, &status_url, &t, None).await;
    assert_eq!(op.body, json!({"status": "Succeeded"}));
}

#[tokio::test]
async fn tags_sent_to_a_pool_are_dropped_as_azure_drops_them() {
    let h = harness().await;
    let t = h.owner();
    let mut body = pool_body("S1", 0);
    body["tags"] = json!({"team": "platform"});
    let r = h.put(&pool_url("tagged-s1"), &t, body).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.get("tags").is_none(), "{}", r.body);
    let r = h.patch(&pool_url("build-s2"), &t, json!({"tags": {"a": "1"}})).await;
    assert_eq!(r.status, 201);
    assert!(r.body.get("tags").is_none());
    h.later(LRO_MS);
    for name in ["tagged-s1", "build-s2"] {
        let pool = h.send(reqwest::Method::GET, &pool_url(name), &t, None).await;
        assert!(pool.body.get("tags").is_none(), "{}", pool.body);
    }
}

#[tokio::test]
async fn a_service_principal_is_an_application_in_system_data() {
    let h = harness().await;
    let sp = h.service_principal_token();
    let r = h.patch(&pool_url("build-s2"), &sp, json!({"properties": {"count": 1}})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let data = &r.body["systemData"];
    assert_eq!((data["lastModifiedBy"].as_str(), data["lastModifiedByType"].as_str()), (Some(pool_portal_emulator::authority::users::SERVICE_PRINCIPAL.client_id), Some("Application")));
    assert_ne!(data["createdAt"], data["lastModifiedAt"], "created before, changed now");
}

#[tokio::test]
async fn a_scale_answers_201_with_the_new_count_and_polls_creating_then_updating() {
    let h = harness().await;
    let t = h.owner();
    let r = h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["properties"]["provisioningState"], "Updating");
    assert_eq!(r.body["properties"]["count"], 1, "the new count at once, as recorded");
    let status_url = r.header("azure-asyncoperation").unwrap();
    assert_eq!(h.send(reqwest::Method::GET, &status_url, &t, None).await.body, json!({"status": "Creating"}));
    h.later(LRO_MS / 2);
    assert_eq!(h.send(reqwest::Method::GET, &status_url, &t, None).await.body, json!({"status": "Updating"}));
    let during = h.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await;
    assert_eq!((during.body["properties"]["count"].as_i64(), during.body["properties"]["provisioningState"].as_str()), (Some(1), Some("Updating")));
    // A second write while the first runs is refused.
    let again = h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 0}})).await;
    assert_eq!((again.status, again.code().as_str()), (409, "AnotherOperationInProgress"));
    h.later(LRO_MS);
    let after = h.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await;
    assert_eq!((after.body["properties"]["count"].as_i64(), after.body["properties"]["provisioningState"].as_str()), (Some(1), Some("Succeeded")));
    assert_eq!(h.send(reqwest::Method::GET, &status_url, &t, None).await.body, json!({"status": "Succeeded"}));
}

#[tokio::test]
async fn delete_answers_202_with_the_body_and_only_a_location_then_the_pool_is_gone() {
    let h = harness().await;
    let t = h.owner();
    let r = h.delete(&pool_url("nightly-s1"), &t).await;
    assert_eq!(r.status, 202);
    assert_eq!((r.body["name"].as_str(), r.body["properties"]["provisioningState"].as_str()), (Some("nightly-s1"), Some("Deleting")));
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("application/json")));
    let location = r.header("location").expect("Location");
    assert!(location.starts_with(&format!("{}{REGISTRY}/agentPoolsOperationResults/", h.emu.origins.arm)) && location.contains("/status?api-version="), "{location}");
    assert!(r.header("azure-asyncoperation").is_none() && r.header("retry-after").is_none());
    let during = h.send(reqwest::Method::GET, &pool_url("nightly-s1"), &t, None).await;
    assert_eq!(during.body["properties"]["provisioningState"], "Deleting");
    let poll = h.send(reqwest::Method::GET, &location, &t, None).await;
    assert_eq!((poll.status, poll.body.clone()), (202, serde_json::Value::Null));
    assert!(poll.header("location").is_some(), "a fresh Location on every 202");
    h.later(LRO_MS);
    let done = h.send(reqwest::Method::GET, &location, &t, None).await;
    assert_eq!((done.status, done.header("content-type")), (204, None));
    assert_eq!(h.send(reqwest::Method::GET, &pool_url("nightly-s1"), &t, None).await.status, 404);
    assert_eq!(h.delete(&pool_url("nightly-s1"), &t).await.status, 204, "deleting what is not there is 204");
}

#[tokio::test]
async fn bodies_are_validated_like_arm_naming_the_field() {
    let h = harness().await;
    let t = h.owner();
    let cases = [
        (json!({"location": "eastus", "properties": {"tier": "S1", "count": "two"}}), "InvalidRequestContent", "properties.count"),
        (json!({"location": "eastus", "properties": {"tier": "S9", "count": 1}}), "InvalidAgentPoolTier", "properties.tier"),
        (json!({"properties": {"tier": "S1", "count": 1}}), "LocationRequired", "location"),
        (json!({"location": "eastus", "properties": {"tier": "S1", "count": -1}}), "InvalidAgentPoolCount", "properties.count"),
        (json!({"location": "eastus", "properties": {"tier": "S1", "count": 0, "os": "Windows"}}), "OsTypeNotSupported", "properties.os"),
        (json!({"location": "westus2", "properties": {"tier": "S1", "count": 0}}), "InvalidLocation", "location"),
        (json!({"location": "eastus", "properties": {"tier": "S1", "count": 0, "virtualNetworkSubnetResourceId": "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/v/subnets/none"}}), "InvalidSubnetId", "properties.virtualNetworkSubnetResourceId"),
        (json!({"location": "eastus", "tags": {"n": 1}, "properties": {"tier": "S1", "count": 0}}), "InvalidRequestContent", "tags.n"),
    ];
    for (body, code, target) in cases {
        let r = h.put(&pool_url("valid-name"), &t, body.clone()).await;
        assert_eq!((r.status, r.code(), r.target()), (400, code.to_string(), target.to_string()), "{body} → {}", r.body);
        assert!(!r.body["error"]["message"].as_str().unwrap().is_empty());
    }
    let r = h.put(&pool_url("x_y"), &t, pool_body("S1", 0)).await;
    assert_eq!((r.status, r.code().as_str()), (400, "InvalidResourceName"));
    let r = h.send(reqwest::Method::PUT, &pool_url("valid-name"), &t, None).await;
    assert_eq!((r.status, r.code().as_str()), (400, "InvalidRequestContent"));
    // Nothing was created by any of them.
    assert_eq!(h.send(reqwest::Method::GET, &pool_url("valid-name"), &t, None).await.status, 404);
}

#[tokio::test]
async fn only_premium_registries_in_agent_pool_regions_get_pools() {
    let h = harness().await;
    let t = h.owner();
    let basic = REGISTRY.replace("contosobuilds", "contosobasic");
    let r = h.put(&format!("{basic}/agentPools/p1p1?{POOLS_API}"), &t, pool_body("S1", 0)).await;
    assert_eq!((r.status, r.code().as_str()), (400, "RegistrySkuNotSupported"));
    let uk = REGISTRY.replace("rg-builds", "rg-uk").replace("contosobuilds", "contosouk");
    let mut body = pool_body("S1", 0);
    body["location"] = json!("uksouth");
    let r = h.put(&format!("{uk}/agentPools/p1p1?{POOLS_API}"), &t, body).await;
    assert_eq!((r.status, r.code().as_str()), (400, "LocationNotAvailableForResourceType"));
    assert!(r.body["error"]["message"].as_str().unwrap().contains("'uksouth' is not available"));
}

#[tokio::test]
async fn quota_is_16_standard_and_0_isolated_vcpu_per_registry() {
    let h = harness().await;
    let t = h.owner();
    // The demo pools hold 8 of 16 standard vCPU: two S3 instances (16) are over.
    let r = h.put(&pool_url("one-more"), &t, pool_body("S3", 2)).await;
    assert_eq!((r.status, r.code().as_str(), r.target().as_str()), (400, "QuotaExceeded", "properties.count"));
    assert!(r.body["error"]["message"].as_str().unwrap().contains("Current usage: 8, additional required: 16, limit: 16"), "{}", r.body);
    // A pool of 0 instances holds nothing, so it fits.
    assert_eq!(h.put(&pool_url("zero-s1"), &t, pool_body("S1", 0)).await.status, 201);
    // Scaling over is refused too; scaling within is fine.
    let r = h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 5}})).await;
    assert_eq!(r.code(), "QuotaExceeded", "5 × 4 = 20 > 16");
    assert_eq!(h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await.status, 201);
    let r = h.put(&pool_url("big-i6"), &t, pool_body("I6", 1)).await;
    assert_eq!(r.code(), "QuotaExceeded");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("isolated"));
}

#[tokio::test]
async fn a_subnet_whose_nsg_blocks_egress_makes_the_pool_fail_saying_which_rule() {
    let h = harness().await;
    let t = h.owner();
    h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 0}})).await;
    h.later(LRO_MS);
    let subnet = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-locked";
    let mut body = pool_body("S1", 1);
    body["properties"]["virtualNetworkSubnetResourceId"] = json!(subnet);
    let r = h.put(&pool_url("locked-s1"), &t, body).await;
    assert_eq!(r.status, 201, "Azure starts the create, then fails it");
    let status_url = r.header("azure-asyncoperation").unwrap();
    h.later(LRO_MS);
    let pool = h.send(reqwest::Method::GET, &pool_url("locked-s1"), &t, None).await;
    assert_eq!(pool.body["properties"]["provisioningState"], "Failed");
    let op = h.send(reqwest::Method::GET, &status_url, &t, None).await;
    assert_eq!(op.body["status"], "Failed");
    let message = op.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("nsg-locked") && message.contains("Storage TCP 443") && message.contains("DenyStorageOutbound"), "{message}");

    // The good subnet works.
    let mut body = pool_body("S1", 1);
    body["properties"]["virtualNetworkSubnetResourceId"] = json!(subnet.replace("snet-locked", "snet-pools"));
    assert_eq!(h.put(&pool_url("good-s1"), &t, body).await.status, 201);
    h.later(LRO_MS);
    let pool = h.send(reqwest::Method::GET, &pool_url("good-s1"), &t, None).await;
    assert_eq!(pool.body["properties"]["provisioningState"], "Succeeded");
}

#[tokio::test]
async fn a_pool_failed_by_its_nsg_fails_again_when_updated() {
    let h = harness().await;
    let t = h.owner();
    let subnet = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-locked";
    let mut body = pool_body("S1", 1);
    body["properties"]["virtualNetworkSubnetResourceId"] = json!(subnet);
    assert_eq!(h.put(&pool_url("locked-s1"), &t, body).await.status, 201);
    h.later(LRO_MS);
    let r = h.patch(&pool_url("locked-s1"), &t, json!({"properties": {"count": 2}})).await;
    assert_eq!(r.status, 201);
    h.later(LRO_MS);
    let pool = h.send(reqwest::Method::GET, &pool_url("locked-s1"), &t, None).await;
    assert_eq!(pool.body["properties"]["provisioningState"], "Failed", "updating does not open the NSG");
    let op = h.send(reqwest::Method::GET, &r.header("azure-asyncoperation").unwrap(), &t, None).await;
    assert_eq!((op.body["status"].as_str(), op.body["error"]["code"].as_str()), (Some("Failed"), Some("AgentPoolNetworkConfigurationInvalid")));
}

#[tokio::test]
async fn quota_counts_updates_in_flight_and_huge_counts_do_not_overflow() {
    let h = harness().await;
    let t = h.owner();
    // build-s2 going to 4 (16 vCPU) holds 16 until it is done: nothing else fits meanwhile.
    assert_eq!(h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 4}})).await.status, 201);
    let r = h.put(&pool_url("sneaky-s1"), &t, pool_body("S1", 1)).await;
    assert_eq!(r.code(), "QuotaExceeded", "{}", r.body);
    let r = h.put(&pool_url("huge-i6"), &t, pool_body("I6", 67_108_864)).await;
    assert_eq!(r.code(), "QuotaExceeded");
    let r = h.put(&pool_url("huge-s3"), &t, pool_body("S3", i32::MAX as i64)).await;
    assert_eq!(r.code(), "QuotaExceeded");
}

#[tokio::test]
async fn tags_an_earlier_emulator_kept_show_until_a_write_sends_tags() {
    let h = harness().await;
    let t = h.owner();
    {
        let mut s = h.emu.state();
        let i = s.pools.iter().position(|p| p.name == "nightly-s1").unwrap();
        s.pools[i].tags = vec![("poolportal-paused-count".into(), "2".into())];
    }
    let pool = h.send(reqwest::Method::GET, &pool_url("nightly-s1"), &t, None).await;
    assert_eq!(pool.body["tags"]["poolportal-paused-count"], "2");
    let r = h.patch(&pool_url("nightly-s1"), &t, json!({"properties": {"count": 2}, "tags": {}})).await;
    assert!(r.body.get("tags").is_none(), "{}", r.body);
}

#[tokio::test]
async fn tier_os_and_subnet_cannot_change_after_creation() {
    let h = harness().await;
    let t = h.owner();
    let r = h.put(&pool_url("build-s2"), &t, pool_body("S3", 2)).await;
    assert_eq!((r.status, r.code().as_str(), r.target().as_str()), (400, "PropertyChangeNotAllowed", "properties.tier"));
    let r = h.put(&pool_url("build-s2"), &t, pool_body("S2", 1)).await;
    assert_eq!(r.status, 200, "a PUT of the same pool updates count and tags");
    assert_eq!(r.body["properties"]["provisioningState"], "Updating");
}

#[tokio::test]
async fn readers_cannot_write_and_are_told_the_missing_action() {
    let h = harness().await;
    let t = h.user_token(&READER);
    let checks = [
        (h.put(&pool_url("by-reader"), &t, pool_body("S1", 0)).await, "agentpools/write"),
        (h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await, "agentpools/write"),
        (h.delete(&pool_url("build-s2"), &t).await, "agentpools/delete"),
        (h.post(&format!("{REGISTRY}/scheduleRun?{POOLS_API}"), &t, Some(json!({"type": "DockerBuildRequest", "dockerFilePath": "Dockerfile", "platform": {"os": "Linux"}}))).await, "scheduleRun/action"),
    ];
    for (r, action) in checks {
        assert_eq!((r.status, r.code().as_str()), (403, "AuthorizationFailed"));
        assert!(r.body["error"]["message"].as_str().unwrap().contains(action), "{}", r.body);
    }
    // listQueueStatus is an action: `*/read` does not grant it, as on Azure; plain reads work.
    assert_eq!(h.post(&format!("{REGISTRY}/agentPools/build-s2/listQueueStatus?{POOLS_API}"), &t, None).await.status, 403);
    assert_eq!(h.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await.status, 200);
}

#[tokio::test]
async fn an_injected_failure_ends_the_next_operation_failed() {
    let h = harness().await;
    let t = h.owner();
    h.emu.faults.set(pool_portal_emulator::faults::FaultConfig { fail_operations: 1, ..Default::default() });
    let r = h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 1}})).await;
    let status_url = r.header("azure-asyncoperation").unwrap();
    h.later(LRO_MS);
    let op = h.send(reqwest::Method::GET, &status_url, &t, None).await;
    assert_eq!((op.body["status"].as_str(), op.body["error"]["code"].as_str()), (Some("Failed"), Some("AgentPoolProvisioningFailed")));
    let pool = h.send(reqwest::Method::GET, &pool_url("build-s2"), &t, None).await;
    assert_eq!((pool.body["properties"]["provisioningState"].as_str(), pool.body["properties"]["count"].as_i64()), (Some("Failed"), Some(2)));
}
