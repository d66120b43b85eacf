//! Scheduled scaling as Azure runs it (issue 21): tasks' timer triggers fire on the simulated
//! clock, a task's system-assigned identity scales a pool through `az acr agentpool update` only
//! once a role assignment allows it, and role assignments are ARM resources that the emulator's
//! RBAC honours from the moment they are made.

mod common;

use base64::Engine;
use common::*;
use pool_portal_emulator::authority::users;
use serde_json::{json, Value};

const TASKS_CONTRIBUTOR: &str = "fb382eab-e894-4461-af04-94435c366c3f";
const ASSIGN_API: &str = "api-version=2022-04-01";
const MIN: u64 = 60_000;

fn script(pool: &str, count: u32) -> String {
    format!("version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update -g rg-builds -r contosobuilds -n {pool} --count {count}\n")
}

/// A task that scales `pool` to `count` at `cron`, with a system-assigned identity.
fn scale_task(cron: &str, pool: &str, count: u32) -> Value {
    json!({
        "location": "eastus",
        "identity": { "type": "SystemAssigned" },
        "properties": {
            "status": "Enabled",
            "platform": { "os": "Linux", "architecture": "amd64" },
            "step": { "type": "EncodedTask", "encodedTaskContent": base64::engine::general_purpose::STANDARD.encode(script(pool, count)) },
            "trigger": { "timerTriggers": [{ "name": "t1", "schedule": cron, "status": "Enabled" }] }
        }
    })
}

/// The next whole minute `ahead` minutes on, and a daily cron for it (UTC).
fn minute_ahead(h: &Harness, ahead: u64) -> (u64, String) {
    let now = h.emu.clock.now_ms();
    let at = (now / MIN + ahead) * MIN;
    let (hour, minute) = ((at / 3_600_000) % 24, (at / MIN) % 60);
    (at, format!("{minute} {hour} * * *"))
}

async fn runs_of(h: &Harness, task: &str) -> Vec<Value> {
    let (_, body) = h.get(&format!("{REGISTRY}/runs?api-version=2019-06-01-preview&$filter=TaskName eq '{task}'"), &h.owner()).await;
    body["value"].as_array().cloned().unwrap_or_default()
}

async fn pool_count(h: &Harness, pool: &str) -> (i64, String) {
    let (_, p) = h.get(&pool_url(pool), &h.owner()).await;
    (p["properties"]["count"].as_i64().unwrap(), p["properties"]["provisioningState"].as_str().unwrap().to_string())
}

async fn log_of(h: &Harness, run_id: &str) -> String {
    let link = h.post(&format!("{REGISTRY}/runs/{run_id}/listLogSasUrl?api-version=2019-06-01-preview"), &h.owner(), None).await;
    let url = link.body["logLink"].as_str().unwrap().to_string();
    h.http.get(url).send().await.unwrap().text().await.unwrap()
}

/// Timers on; the tests scale nightly-s1 (S1, 0 instances), which the demo's schedule leaves alone.
async fn timed() -> Harness {
    harness_with(|o| o.settings.timers = true).await
}

#[tokio::test]
async fn an_emulator_started_without_timers_keeps_them_off_after_a_reset() {
    // A reset puts the demo's data back, not its settings: tests that start the emulator without
    // timers must not see build-s2's schedule (or any task's) queue runs after one.
    for timers in [false, true] {
        let h = harness_with(|o| o.settings.timers = timers).await;
        let reset = h.http.post(format!("{}/reset", h.emu.origins.admin)).header("content-type", "application/json").send().await.unwrap();
        assert_eq!(reset.status(), 200);
        let (at, cron) = minute_ahead(&h, 2);
        let put = h.put(&format!("{REGISTRY}/tasks/nightly-scale?{POOLS_API}"), &h.owner(), scale_task(&cron, "nightly-s1", 0)).await;
        assert_eq!(put.status, 200, "{}", put.body);
        h.later(at - h.emu.clock.now_ms() + 1);
        assert_eq!(runs_of(&h, "nightly-scale").await.len(), usize::from(timers), "timers {timers}");
    }
}

#[tokio::test]
async fn a_timer_fires_at_its_minute_and_each_day_after_with_its_trigger_on_the_run() {
    let h = timed().await;
    let (at, cron) = minute_ahead(&h, 2);
    let put = h.put(&format!("{REGISTRY}/tasks/nightly-scale?{POOLS_API}"), &h.owner(), scale_task(&cron, "nightly-s1", 0)).await;
    assert_eq!(put.status, 200, "{}", put.body);
    h.later(at - h.emu.clock.now_ms() - 1);
    assert!(runs_of(&h, "nightly-scale").await.is_empty(), "nothing before its minute");
    h.later(1);
    let runs = runs_of(&h, "nightly-scale").await;
    assert_eq!(runs.len(), 1, "one run at its minute");
    let p = &runs[0]["properties"];
    assert_eq!(p["timerTrigger"]["timerTriggerName"], "t1");
    let occurrence = time::OffsetDateTime::parse(p["timerTrigger"]["scheduleOccurrence"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    assert_eq!(occurrence.unix_timestamp() as u64 * 1000, at);
    assert_eq!(p["runType"], "AutoRun");
    assert!(p.get("agentPoolName").is_none(), "it runs on the shared pool, not the pool it scales");
    h.later(24 * 60 * MIN);
    assert_eq!(runs_of(&h, "nightly-scale").await.len(), 2, "and again a day later, once");

    // A disabled trigger stays still.
    let mut disabled = scale_task(&cron, "nightly-s1", 0);
    disabled["properties"]["trigger"]["timerTriggers"][0]["status"] = json!("Disabled");
    h.put(&format!("{REGISTRY}/tasks/nightly-scale?{POOLS_API}"), &h.owner(), disabled).await;
    h.later(24 * 60 * MIN);
    assert_eq!(runs_of(&h, "nightly-scale").await.len(), 2);
}

#[tokio::test]
async fn the_identity_scales_the_pool_only_once_a_role_assignment_allows_it() {
    let h = timed().await;
    let t = h.owner();
    let (at, cron) = minute_ahead(&h, 2);
    let task_url = format!("{REGISTRY}/tasks/poolportal-nightly-s1-daily-to-1?{POOLS_API}");
    let task = h.put(&task_url, &t, scale_task(&cron, "nightly-s1", 1)).await.body;
    let principal = task["identity"]["principalId"].as_str().unwrap().to_string();
    assert_eq!(task["identity"]["tenantId"], users::TENANT_ID);

    // Without a role the identity sees no subscription: `az login --identity` fails, the pool stays.
    h.later(at + 30_000 - h.emu.clock.now_ms());
    let run = runs_of(&h, "poolportal-nightly-s1-daily-to-1").await.remove(0);
    assert_eq!(run["properties"]["status"], "Failed");
    assert!(run["properties"]["runErrorMessage"].as_str().unwrap().contains("no subscriptions were found"));
    assert_eq!(pool_count(&h, "nightly-s1").await, (0, "Succeeded".into()));

    // With a role that cannot write pools (AcrPull): the CLI's authorization error.
    let assign = |guid: &str, role: &str| {
        let url = format!("{REGISTRY}/providers/Microsoft.Authorization/roleAssignments/{guid}?{ASSIGN_API}");
        let body = json!({ "properties": { "roleDefinitionId": format!("/subscriptions/{CONTOSO}/providers/Microsoft.Authorization/roleDefinitions/{role}"), "principalId": principal, "principalType": "ServicePrincipal" } });
        (url, body)
    };
    let (url, body) = assign("9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "7f951dda-4ed3-4680-a7ca-43fe172d538d");
    assert_eq!(h.put(&url, &t, body).await.status, 201);
    h.later(24 * 60 * MIN);
    let runs = runs_of(&h, "poolportal-nightly-s1-daily-to-1").await;
    let run = runs.iter().find(|r| r["properties"]["runErrorMessage"].as_str().is_some_and(|m| m.contains("AuthorizationFailed"))).expect("a run refused for want of the role");
    let reason = run["properties"]["runErrorMessage"].as_str().unwrap();
    assert!(reason.contains("does not have authorization") && reason.contains(&principal), "{reason}");
    let log = log_of(&h, run["name"].as_str().unwrap()).await;
    assert!(log.contains("\"assignedIdentityInfo\": \"MSI\"") && log.contains("ERROR: (AuthorizationFailed)"), "{log}");
    assert_eq!(pool_count(&h, "nightly-s1").await, (0, "Succeeded".into()));

    // Tasks Contributor on the registry: the next day's run scales.
    let (url, body) = assign("3f2a5d1e-0b4c-4e8a-9d7f-1a2b3c4d5e6f", TASKS_CONTRIBUTOR);
    let made = h.put(&url, &t, body).await;
    assert_eq!(made.status, 201, "{}", made.body);
    h.later(24 * 60 * MIN - 30_000 + 1_000 + 100);
    assert_eq!(pool_count(&h, "nightly-s1").await, (1, "Updating".into()), "the count shows at once, as a PATCH's does");
    h.later(60_000);
    assert_eq!(pool_count(&h, "nightly-s1").await, (1, "Succeeded".into()));
    let runs = runs_of(&h, "poolportal-nightly-s1-daily-to-1").await;
    let ok = runs.iter().find(|r| r["properties"]["status"] == "Succeeded").expect("a run that worked");
    let log = log_of(&h, ok["name"].as_str().unwrap()).await;
    assert!(log.contains("\"count\": 1") && log.contains("Successfully executed container: acb_step_1"), "{log}");

    // Who changed it: the identity, by its client id, in systemData and the Activity Log.
    let (_, pool) = h.get(&pool_url("nightly-s1"), &t).await;
    assert_eq!(pool["systemData"]["lastModifiedByType"], "ManagedIdentity");
    let client = pool["systemData"]["lastModifiedBy"].as_str().unwrap().to_string();
    assert_ne!(client, principal);
    let from = pool_portal_emulator::clock::rfc3339_ms(h.emu.clock.now_ms() - 2 * 24 * 60 * MIN);
    let filter = format!("eventTimestamp ge '{from}' and resourceUri eq '{REGISTRY}/agentPools/nightly-s1'");
    let (_, events) = h.get(&format!("/subscriptions/{CONTOSO}/providers/microsoft.insights/eventtypes/management/values?api-version=2015-04-01&$filter={}", urlencode(&filter)), &t).await;
    let by_identity: Vec<&Value> = events["value"].as_array().unwrap().iter().filter(|e| e["caller"] == client.as_str()).collect();
    assert!(by_identity.iter().any(|e| e["status"]["value"] == "Succeeded"), "{events}");
    assert!(by_identity.iter().all(|e| e["operationName"]["value"] == "Microsoft.ContainerRegistry/registries/agentPools/write"));

    // Written again, the task keeps its identity; deleted and made again, it has a new one, which
    // the old identity's role does not reach.
    let again = h.put(&task_url, &t, scale_task(&cron, "nightly-s1", 1)).await.body;
    assert_eq!(again["identity"]["principalId"], principal.as_str());
    h.delete(&task_url, &t).await;
    h.later(60_000);
    let remade = h.put(&task_url, &t, scale_task(&cron, "nightly-s1", 1)).await.body;
    assert_ne!(remade["identity"]["principalId"], principal.as_str(), "a new task, a new identity");
}

#[tokio::test]
async fn a_scale_beyond_the_quota_fails_with_the_services_reason() {
    let h = timed().await;
    let t = h.owner();
    let (at, cron) = minute_ahead(&h, 2);
    let task = h.put(&format!("{REGISTRY}/tasks/too-many?{POOLS_API}"), &t, scale_task(&cron, "nightly-s1", 9)).await.body;
    let principal = task["identity"]["principalId"].as_str().unwrap();
    let body = json!({ "properties": { "roleDefinitionId": format!("/providers/Microsoft.Authorization/roleDefinitions/{TASKS_CONTRIBUTOR}"), "principalId": principal } });
    assert_eq!(h.put(&format!("{REGISTRY}/providers/Microsoft.Authorization/roleAssignments/0b7f6a1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b?{ASSIGN_API}"), &t, body).await.status, 201);
    h.later(at + 30_000 - h.emu.clock.now_ms());
    let run = runs_of(&h, "too-many").await.remove(0);
    assert_eq!(run["properties"]["status"], "Failed");
    assert!(run["properties"]["runErrorMessage"].as_str().unwrap().contains("QuotaExceeded"));
    assert_eq!(pool_count(&h, "nightly-s1").await.0, 0);
}

#[tokio::test]
async fn role_assignments_are_made_read_listed_by_principal_and_deleted() {
    let h = harness().await;
    let t = h.owner();
    let nadia = h.user_token(&users::NO_ACCESS);
    let principal = users::NO_ACCESS.oid;
    let name = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
    let url = format!("{REGISTRY}/providers/Microsoft.Authorization/roleAssignments/{name}?{ASSIGN_API}");
    let reader = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7";
    assert_eq!(h.get(&pool_url("build-s2"), &nadia).await.0, 403, "no role yet");

    // A Contributor (the demo's service principal) may not assign roles.
    let body = json!({ "properties": { "roleDefinitionId": reader, "principalId": principal, "principalType": "User" } });
    let refused = h.put(&url, &h.service_principal_token(), body.clone()).await;
    assert_eq!((refused.status, refused.code()), (403, "AuthorizationFailed".into()));

    let made = h.put(&url, &t, body.clone()).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["properties"]["scope"], REGISTRY);
    assert_eq!(made.body["properties"]["updatedBy"], users::OWNER.oid);
    assert_eq!(made.body["name"], name);
    let again = h.put(&format!("{REGISTRY}/providers/Microsoft.Authorization/roleAssignments/6e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c2b?{ASSIGN_API}"), &t, body).await;
    assert_eq!((again.status, again.code()), (409, "RoleAssignmentExists".into()));

    // Honoured at once, at the registry and only there.
    assert_eq!(h.get(&pool_url("build-s2"), &nadia).await.0, 200);
    let (status, subs) = h.get("/subscriptions?api-version=2022-12-01", &nadia).await;
    assert_eq!((status, subs["value"].as_array().unwrap().len()), (200, 1), "the subscription is listed for a role inside it");
    let other = "/subscriptions/2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b/resourceGroups/rg-research/providers/Microsoft.ContainerRegistry/registries/fabrikamresearch/agentPools?api-version=2019-06-01-preview";
    assert_eq!(h.get(other, &nadia).await.0, 403);
    let pool_write = h.patch(&pool_url("build-s2"), &nadia, json!({ "properties": { "count": 1 } })).await;
    assert_eq!(pool_write.status, 403, "Reader reads only");

    // Listed by principal from the subscription (it lies below), not with atScope().
    let filter = |f: &str| format!("/subscriptions/{CONTOSO}/providers/Microsoft.Authorization/roleAssignments?{ASSIGN_API}&$filter={}", urlencode(f));
    let (_, below) = h.get(&filter(&format!("principalId eq '{principal}'")), &t).await;
    assert_eq!(below["value"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect::<Vec<_>>(), vec![name]);
    let (_, at_scope) = h.get(&filter(&format!("atScope() and principalId eq '{principal}'")), &t).await;
    assert!(at_scope["value"].as_array().unwrap().is_empty());
    let (_, got) = h.get(&url, &t).await;
    assert_eq!(got["properties"]["principalId"], principal);

    // Role definitions by name, as `az role assignment create --role` looks them up.
    let (_, defs) = h.get(&format!("{REGISTRY}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-05-01-preview&$filter={}", urlencode("roleName eq 'Container Registry Tasks Contributor'")), &t).await;
    let defs = defs["value"].as_array().unwrap();
    assert_eq!(defs.len(), 1);
    assert_eq!(defs[0]["id"], format!("/subscriptions/{CONTOSO}/providers/Microsoft.Authorization/roleDefinitions/{TASKS_CONTRIBUTOR}"));
    assert!(defs[0]["properties"]["permissions"][0]["actions"].as_array().unwrap().iter().any(|a| a == "Microsoft.ContainerRegistry/registries/agentpools/write"));

    assert_eq!(h.delete(&url, &t).await.status, 200);
    assert_eq!(h.delete(&url, &t).await.status, 204);
    assert_eq!(h.get(&pool_url("build-s2"), &nadia).await.0, 403, "gone, and with it the access");
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
