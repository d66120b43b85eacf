//! Tasks CRUD (bound to agent pools) and the network resources a pool's subnet is chosen from.

mod common;

use common::*;
use serde_json::json;

fn task(pool: &str) -> serde_json::Value {
    json!({
        "location": "eastus", "tags": {"team": "web"},
        "properties": {"status": "Enabled", "platform": {"os": "Linux", "architecture": "amd64"}, "agentPoolName": pool,
            "step": {"type": "Docker", "dockerFilePath": "Dockerfile", "imageNames": ["web:latest"], "contextPath": "https://github.com/x/y.git"}}
    })
}

#[tokio::test]
async fn tasks_are_created_read_updated_listed_and_deleted() {
    let h = harness().await;
    let t = h.owner();
    let url = format!("{REGISTRY}/tasks/web-build?{POOLS_API}");
    let created = h.put(&url, &t, task("build-s2")).await;
    assert_eq!(created.status, 200, "a new task is 200 too, as the CLI expects: {}", created.body);
    assert_eq!(created.body["properties"]["provisioningState"], "Succeeded");
    assert!(created.body["properties"]["creationDate"].is_string());
    assert_eq!(h.put(&url, &t, task("build-s2")).await.status, 200, "a second PUT replaces");

    let patched = h.patch(&url, &t, json!({"properties": {"agentPoolName": "nightly-s1", "step": {"dockerFilePath": "Dockerfile.prod"}}})).await;
    assert_eq!(patched.status, 200, "{}", patched.body);
    assert_eq!(patched.body["properties"]["agentPoolName"], "nightly-s1");
    assert_eq!(patched.body["properties"]["step"]["dockerFilePath"], "Dockerfile.prod");
    assert_eq!(patched.body["properties"]["step"]["imageNames"][0], "web:latest", "the step was merged, not replaced");

    let listed = h.send(reqwest::Method::GET, &format!("{REGISTRY}/tasks?{POOLS_API}"), &t, None).await;
    let names: Vec<&str> = listed.body["value"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).filter(|n| !n.starts_with("poolportal-")).collect();
    assert_eq!(names, ["web-build"], "the task, beside the demo schedule's own");
    assert_eq!(h.delete(&url, &t).await.status, 200);
    assert_eq!(h.send(reqwest::Method::GET, &url, &t, None).await.status, 404);
    assert_eq!(h.delete(&url, &t).await.status, 204);
}

#[tokio::test]
async fn task_bodies_are_validated() {
    let h = harness().await;
    let t = h.owner();
    let url = format!("{REGISTRY}/tasks/web-build?{POOLS_API}");
    let r = h.put(&url, &t, task("no-such-pool")).await;
    assert_eq!((r.status, r.code().as_str(), r.target().as_str()), (400, "AgentPoolNotFound", "properties.agentPoolName"));
    let mut no_step = task("build-s2");
    no_step["properties"].as_object_mut().unwrap().remove("step");
    assert_eq!(h.put(&url, &t, no_step).await.target(), "properties.step.type");
    let mut no_location = task("build-s2");
    no_location.as_object_mut().unwrap().remove("location");
    assert_eq!(h.put(&url, &t, no_location).await.code(), "LocationRequired");
    assert_eq!(h.put(&format!("{REGISTRY}/tasks/abc?{POOLS_API}"), &t, task("build-s2")).await.code(), "InvalidResourceName");
}

const NET: &str = "api-version=2024-05-01";
const SUB: &str = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211";

#[tokio::test]
async fn virtual_networks_list_by_subscription_and_group_with_their_subnets() {
    let h = harness().await;
    let t = h.owner();
    let all = h.send(reqwest::Method::GET, &format!("{SUB}/providers/Microsoft.Network/virtualNetworks?{NET}"), &t, None).await;
    let names: Vec<&str> = all.body["value"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["vnet-builds", "vnet-uk"]);
    let group = h.send(reqwest::Method::GET, &format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks?{NET}"), &t, None).await;
    assert_eq!(group.body["value"].as_array().unwrap().len(), 1);
    let subnets = h.send(reqwest::Method::GET, &format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets?{NET}"), &t, None).await;
    let nsgs: Vec<Option<&str>> = subnets.body["value"].as_array().unwrap().iter().map(|s| s["properties"]["networkSecurityGroup"]["id"].as_str()).collect();
    assert_eq!(nsgs.len(), 3);
    assert!(nsgs[0].unwrap().ends_with("/nsg-pools") && nsgs[1].unwrap().ends_with("/nsg-locked") && nsgs[2].is_none());
    let one = h.send(reqwest::Method::GET, &format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-open?{NET}"), &t, None).await;
    assert_eq!((one.status, one.body["properties"]["addressPrefix"].as_str()), (200, Some("10.20.3.0/24")));
}

#[tokio::test]
async fn an_nsg_has_its_custom_and_default_rules() {
    let h = harness().await;
    let r = h.send(reqwest::Method::GET, &format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/nsg-locked?{NET}"), &h.owner(), None).await;
    assert_eq!(r.status, 200);
    let custom = &r.body["properties"]["securityRules"][0]["properties"];
    assert_eq!((custom["access"].as_str(), custom["priority"].as_u64(), custom["destinationAddressPrefix"].as_str()), (Some("Deny"), Some(200), Some("Storage")));
    let defaults: Vec<&str> = r.body["properties"]["defaultSecurityRules"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert!(defaults.contains(&"AllowInternetOutBound") && defaults.contains(&"DenyAllOutBound"));
    let wrong = h.send(reqwest::Method::GET, &format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/nsg-locked?api-version=2019-06-01-preview"), &h.owner(), None).await;
    assert_eq!(wrong.code(), "NoRegisteredProviderFound");
    assert!(wrong.body["error"]["message"].as_str().unwrap().contains("for type 'networkSecurityGroups'"), "{}", wrong.body);
}

#[tokio::test]
async fn a_null_in_a_patch_removes_the_field() {
    let h = harness().await;
    let t = h.owner();
    let url = format!("{REGISTRY}/tasks/web-build?{POOLS_API}");
    h.put(&url, &t, task("build-s2")).await;
    let r = h.patch(&url, &t, json!({"properties": {"agentPoolName": null}})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["properties"].get("agentPoolName").is_none());
}

#[tokio::test]
async fn security_rules_are_written_and_the_next_pool_sees_them() {
    let h = harness().await;
    let t = h.owner();
    let nsg = format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/networkSecurityGroups/nsg-locked");
    let rule = |priority: u32| json!({"properties": {
        "protocol": "Tcp", "sourcePortRange": "*", "sourceAddressPrefixes": ["VirtualNetwork"], "destinationAddressPrefixes": ["Storage"],
        "destinationPortRanges": ["443"], "access": "Allow", "priority": priority, "direction": "Outbound"}});
    let url = format!("{nsg}/securityRules/AllowStorageOutbound?api-version=2022-01-01");

    let reader = h.user_token(&pool_portal_emulator::authority::users::READER);
    assert_eq!(h.put(&url, &reader, rule(199)).await.code(), "AuthorizationFailed");
    let taken = h.put(&url, &t, rule(200)).await;
    assert_eq!((taken.status, taken.code().as_str()), (400, "SecurityRuleConflict"), "DenyStorageOutbound holds 200");
    assert_eq!(h.put(&url, &t, rule(99)).await.code(), "SecurityRuleInvalidPriority");

    let made = h.put(&url, &t, rule(199)).await;
    assert_eq!(made.status, 201, "{}", made.body);
    // Asynchronous, as on Azure: Updating, and a link to Microsoft.Network's operation status.
    assert_eq!(made.body["properties"]["provisioningState"], "Updating");
    assert_eq!(made.body["type"], "Microsoft.Network/networkSecurityGroups/securityRules");
    assert!(made.body["etag"].as_str().unwrap().starts_with("W/\""));
    let status_url = made.header("azure-asyncoperation").expect("Azure-AsyncOperation");
    assert!(status_url.contains("/providers/Microsoft.Network/locations/eastus/operations/"), "{status_url}");
    let status = h.send(reqwest::Method::GET, &status_url, &t, None).await;
    assert_eq!(status.body, json!({"status": "Succeeded"}));
    let read = h.send(reqwest::Method::GET, &url, &t, None).await;
    assert_eq!(read.body["properties"]["provisioningState"], "Succeeded");
    assert_eq!(read.body["properties"]["sourceAddressPrefixes"], json!(["VirtualNetwork"]));
    assert_eq!(h.put(&url, &t, rule(199)).await.status, 200, "a second PUT replaces");
    let listed = h.send(reqwest::Method::GET, &format!("{nsg}/securityRules?api-version=2022-01-01"), &t, None).await;
    assert_eq!(listed.body["value"].as_array().unwrap().len(), 2);

    // The allow now wins over the deny: a pool in snet-locked is created and stays Succeeded.
    let subnet = format!("{SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-locked");
    let body = json!({"location": "eastus", "properties": {"tier": "S1", "count": 1, "os": "Linux", "virtualNetworkSubnetResourceId": subnet}});
    assert_eq!(h.put(&pool_url("locked-s1"), &t, body).await.status, 201);
    h.later(60_000);
    let (_, pool) = h.get(&pool_url("locked-s1"), &t).await;
    assert_eq!(pool["properties"]["provisioningState"], "Succeeded");
}
