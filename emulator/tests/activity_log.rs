//! The Activity Log: the events each kind of write leaves, `$filter` and `$select` as the spec
//! (and the real az CLI) use them, paging, RBAC, and the demo's week.

mod common;

use common::*;
use pool_portal_emulator::authority::users::{NO_ACCESS, READER};
use reqwest::Method;
use serde_json::{json, Value};

const LRO_MS: u64 = 20_000;
const DAY_MS: u64 = 86_400_000;

fn iso(ms: u64) -> String {
    pool_portal_emulator::clock::rfc3339_ms(ms)
}

fn events_url(sub: &str, filter: &str, select: Option<&str>) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("api-version", "2015-04-01").append_pair("$filter", filter);
    if let Some(s) = select {
        q.append_pair("$select", s);
    }
    format!("/subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values?{}", q.finish())
}

impl Harness {
    fn since(&self, ms_ago: u64) -> String {
        format!("eventTimestamp ge '{}'", iso(self.emu.clock.now_ms() - ms_ago))
    }

    /// Every event the filter selects, following nextLink.
    async fn events(&self, token: &str, filter: &str, select: Option<&str>) -> Vec<Value> {
        let mut url = events_url(CONTOSO, filter, select);
        let mut all = Vec::new();
        loop {
            let r = self.send(Method::GET, &url, token, None).await;
            assert_eq!(r.status, 200, "{}", r.body);
            all.extend(r.body["value"].as_array().unwrap().iter().cloned());
            match r.body["nextLink"].as_str() {
                Some(next) => url = next.to_string(),
                None => return all,
            }
        }
    }

    async fn of_resource(&self, id: &str) -> Vec<Value> {
        self.events(&self.owner(), &format!("{} and resourceUri eq '{id}'", self.since(DAY_MS)), None).await
    }
}

fn statuses(events: &[Value]) -> Vec<String> {
    events.iter().map(|e| e["status"]["value"].as_str().unwrap().to_string()).collect()
}

fn pool_id(name: &str) -> String {
    format!("{REGISTRY}/agentPools/{name}")
}

#[tokio::test]
async fn a_scale_is_started_accepted_then_succeeded_under_one_correlation_id() {
    let h = harness().await;
    let r = h.patch(&pool_url("build-s2"), &h.owner(), json!({"properties": {"count": 1}})).await;
    assert_eq!(r.status, 201, "a PATCH is answered 201, as recorded");
    let correlation = r.header("x-ms-correlation-request-id").unwrap();
    let events = h.of_resource(&pool_id("build-s2")).await;
    let mine: Vec<Value> = events.into_iter().filter(|e| e["correlationId"] == correlation.as_str()).collect();
    assert_eq!(statuses(&mine), ["Accepted", "Started"], "newest first, the operation still running");
    h.later(LRO_MS);
    let events = h.of_resource(&pool_id("build-s2")).await;
    let mine: Vec<&Value> = events.iter().filter(|e| e["correlationId"] == correlation.as_str()).collect();
    assert_eq!(statuses(&mine.iter().map(|e| (*e).clone()).collect::<Vec<_>>()), ["Succeeded", "Accepted", "Started"]);
    let (done, accepted, started) = (mine[0], mine[1], mine[2]);
    assert_eq!(started["eventName"]["value"], "BeginRequest");
    assert_eq!(started["httpRequest"]["method"], "PATCH");
    let body: Value = serde_json::from_str(started["properties"]["requestbody"].as_str().unwrap()).unwrap();
    assert_eq!(body["properties"]["count"], 1);
    assert_eq!((accepted["subStatus"]["value"].as_str(), accepted["properties"]["statusCode"].as_str()), (Some("Created"), Some("Created")), "a PATCH is answered 201");
    for e in [done, accepted, started] {
        assert_eq!(e["caller"], "olivia@contoso.test");
        assert_eq!(e["claims"]["name"], "Olivia Owner");
        assert_eq!(e["operationName"]["value"], "Microsoft.ContainerRegistry/registries/agentPools/write");
        assert_eq!(e["resourceId"].as_str().map(str::to_ascii_lowercase), Some(pool_id("build-s2").to_ascii_lowercase()));
        assert_eq!(e["level"], "Informational");
        assert!(e["id"].as_str().unwrap().contains("/events/") && e["eventTimestamp"].is_string());
    }
    assert!(done["properties"].get("requestbody").is_none(), "only the Started event keeps the body");
}

#[tokio::test]
async fn a_create_blocked_by_its_subnet_fails_with_the_error() {
    let h = harness().await;
    let subnet = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-locked";
    let body = json!({"location": "eastus", "properties": {"tier": "S1", "count": 1, "os": "Linux", "virtualNetworkSubnetResourceId": subnet}});
    assert_eq!(h.put(&pool_url("locked-s1"), &h.owner(), body).await.status, 201);
    h.later(LRO_MS);
    let events = h.of_resource(&pool_id("locked-s1")).await;
    assert_eq!(statuses(&events), ["Failed", "Accepted", "Started"]);
    assert_eq!(events[1]["subStatus"]["localizedValue"], "Created (HTTP Status Code: 201)");
    let failed = &events[0];
    assert_eq!(failed["level"], "Error");
    let message: Value = serde_json::from_str(failed["properties"]["statusMessage"].as_str().unwrap()).unwrap();
    assert_eq!(message["error"]["code"], "AgentPoolNetworkConfigurationInvalid");
    assert!(message["error"]["message"].as_str().unwrap().contains("nsg-locked"));
}

#[tokio::test]
async fn a_refused_write_is_started_then_failed_at_once() {
    let h = harness().await;
    let r = h.patch(&pool_url("build-s2"), &h.owner(), json!({"properties": {"count": 50}})).await;
    assert_eq!(r.code(), "QuotaExceeded");
    let correlation = r.header("x-ms-correlation-request-id").unwrap();
    let events = h.events(&h.owner(), &format!("{} and correlationId eq '{correlation}'", h.since(DAY_MS)), None).await;
    assert_eq!(statuses(&events), ["Failed", "Started"]);
    assert_eq!((events[0]["subStatus"]["value"].as_str(), events[0]["properties"]["statusCode"].as_str()), (Some("BadRequest"), Some("BadRequest")));
    assert!(events[0]["properties"]["statusMessage"].as_str().unwrap().contains("QuotaExceeded"));
}

#[tokio::test]
async fn deletes_runs_and_tasks_are_recorded_as_their_operations() {
    let h = harness().await;
    let t = h.owner();
    let schedule = format!("{REGISTRY}/scheduleRun?{POOLS_API}");
    let run = h
        .post(&schedule, &t, Some(json!({"type": "DockerBuildRequest", "dockerFilePath": "Dockerfile", "platform": {"os": "Linux"}, "agentPoolName": "nightly-s1", "sourceLocation": "https://github.com/Azure-Samples/acr-build-helloworld-node.git"})))
        .await;
    assert_eq!(run.status, 200, "{}", run.body);
    let run_id = run.body["name"].as_str().unwrap().to_string();
    assert!(matches!(h.post(&format!("{REGISTRY}/runs/{run_id}/cancel?{POOLS_API}"), &t, None).await.status, 200 | 202));
    let task = json!({"location": "eastus", "properties": {"platform": {"os": "Linux"}, "agentPoolName": "build-s2", "step": {"type": "Docker", "dockerFilePath": "Dockerfile", "contextPath": "https://github.com/Azure-Samples/acr-build-helloworld-node.git", "imageNames": ["web:1"]}}});
    assert!(matches!(h.put(&format!("{REGISTRY}/tasks/nightly?{POOLS_API}"), &t, task).await.status, 200 | 201));
    assert_eq!(h.delete(&pool_url("vnet-s3"), &t).await.status, 202);
    h.later(LRO_MS);
    let events = h.events(&t, &format!("{} and resourceGroupName eq 'rg-builds'", h.since(60_000)), None).await;
    let ops: Vec<(String, String)> = events
        .iter()
        .rev()
        .map(|e| (e["operationName"]["value"].as_str().unwrap().rsplit("registries/").next().unwrap().to_string(), e["status"]["value"].as_str().unwrap().to_string()))
        .collect();
    let expect = [
        ("scheduleRun/action", "Started"), ("scheduleRun/action", "Succeeded"),
        ("runs/cancel/action", "Started"), ("runs/cancel/action", "Succeeded"),
        ("tasks/write", "Started"), ("tasks/write", "Succeeded"),
        ("agentPools/delete", "Started"), ("agentPools/delete", "Accepted"), ("agentPools/delete", "Succeeded"),
    ];
    assert_eq!(ops, expect.map(|(a, b)| (a.to_string(), b.to_string())));
    assert!(events.iter().all(|e| e["resourceGroupName"] == "rg-builds"));
    let cancel = events.iter().find(|e| e["operationName"]["value"].as_str().unwrap().ends_with("cancel/action")).unwrap();
    assert!(cancel["resourceId"].as_str().unwrap().ends_with(&format!("/runs/{run_id}")));
}

#[tokio::test]
async fn readers_read_it_others_are_refused_and_a_service_principal_is_its_app_id() {
    let h = harness().await;
    let filter = h.since(7 * DAY_MS);
    assert!(!h.events(&h.user_token(&READER), &filter, None).await.is_empty(), "Reader has */read");
    let r = h.send(Method::GET, &events_url(CONTOSO, &filter, None), &h.user_token(&NO_ACCESS), None).await;
    assert_eq!((r.status, r.code().as_str()), (403, "AuthorizationFailed"), "ARM's own check: the wrapped error");
    // The demo's automation: caller is its app id, its claims say it is an app.
    let robot = h.events(&h.owner(), &format!("{filter} and caller eq '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170'"), None).await;
    assert!(!robot.is_empty());
    assert!(robot.iter().all(|e| e["claims"]["idtyp"] == "app" && e["claims"].get("name").is_none()));
    // A role without the action (the deny switch stands in for a custom role).
    let set = h.http.put(format!("{}/faults", h.emu.origins.admin)).json(&json!({"denyActions": ["Microsoft.Insights/eventtypes/values/read"]})).send().await.unwrap();
    assert!(set.status().is_success());
    let r = h.send(Method::GET, &events_url(CONTOSO, &filter, None), &h.owner(), None).await;
    assert_eq!(r.status, 403);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("Microsoft.Insights/eventtypes/values/read"));
}

#[tokio::test]
async fn filters_outside_the_grammar_get_the_flat_error() {
    let h = harness().await;
    for filter in ["", "resourceGroupName eq 'rg-builds'", &format!("{} and level eq 'Error'", h.since(DAY_MS))] {
        let r = h.send(Method::GET, &events_url(CONTOSO, filter, None), &h.owner(), None).await;
        assert_eq!(r.status, 400, "{filter}");
        assert_eq!(r.body["Code"], "BadRequest", "flat {{Code, Message}}, as recorded: {}", r.body);
        assert!(r.body["Message"].as_str().unwrap().contains("eventTimestamp ge"));
    }
    let r = h.send(Method::GET, &events_url(CONTOSO, &h.since(DAY_MS), Some("Caller,Category,ResourceUri")), &h.owner(), None).await;
    assert_eq!(r.status, 200, "Get-AzLog's fields are accepted, as recorded: {}", r.body);
    let r = h.send(Method::GET, &events_url(CONTOSO, &h.since(DAY_MS), Some("nonsense")), &h.owner(), None).await;
    assert_eq!((r.status, r.body["Code"].as_str()), (400, Some("BadRequest")), "an unknown field is refused");
    let r = h.send(Method::GET, &events_url(CONTOSO, &h.since(91 * DAY_MS), None), &h.owner(), None).await;
    assert_eq!(r.body, serde_json::json!({"Code": "BadRequest", "Message": "The start time cannot be more than 90 days in the past."}));
    let wrong_version = format!("/subscriptions/{CONTOSO}/providers/Microsoft.Insights/eventtypes/management/values?api-version=2017-03-01-preview&$filter=x");
    assert_eq!(h.send(Method::GET, &wrong_version, &h.owner(), None).await.status, 400);
}

#[tokio::test]
async fn select_returns_only_the_fields_named_and_status_filters() {
    let h = harness().await;
    let filter = format!("{} and status eq 'Failed'", h.since(7 * DAY_MS));
    let events = h.events(&h.owner(), &filter, Some("claims,correlationId,eventTimestamp,status,properties")).await;
    assert!(!events.is_empty(), "the demo week has a refused scale-up");
    for e in &events {
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["claims", "correlationId", "eventTimestamp", "properties", "status"]);
        assert_eq!(e["status"]["value"], "Failed");
    }
}

#[tokio::test]
async fn pages_follow_next_link_newest_first_without_loss() {
    let h = harness_with(|o| o.settings.page_size = 3).await;
    let filter = format!("{} and resourceGroupName eq 'rg-builds'", h.since(7 * DAY_MS));
    let first = h.send(Method::GET, &events_url(CONTOSO, &filter, None), &h.owner(), None).await;
    assert_eq!(first.body["value"].as_array().unwrap().len(), 3);
    assert!(first.body["nextLink"].as_str().unwrap().starts_with(&h.emu.origins.arm));
    let all = h.events(&h.owner(), &filter, None).await;
    let ids: std::collections::BTreeSet<&str> = all.iter().map(|e| e["eventDataId"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), all.len(), "no event twice");
    let times: Vec<&str> = all.iter().map(|e| e["eventTimestamp"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first across pages");
    let everything = h.events(&h.owner(), &h.since(7 * DAY_MS), None).await;
    assert_eq!(all.len(), everything.iter().filter(|e| e["resourceGroupName"] == "rg-builds").count());
}
