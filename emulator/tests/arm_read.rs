//! The ARM read side: authentication failures, api-versions, RBAC visibility, 404s, paging, CORS.

mod common;

use common::*;
use pool_portal_emulator::authority::users::{NO_ACCESS, OWNER, READER};
use pool_portal_emulator::{now_secs, Emulator};

const SUBS: &str = "/subscriptions?api-version=2022-12-01";

fn pools_path(sub: &str, rg: &str, reg: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/agentPools?api-version=2019-06-01-preview")
}

#[tokio::test]
async fn a_request_without_a_token_is_401_with_arms_body() {
    let h = harness().await;
    let r = h.http.get(h.arm(SUBS)).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("www-authenticate").unwrap().to_str().unwrap().starts_with("Bearer authorization_uri="));
    assert!(r.headers().contains_key("x-ms-request-id"));
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "AuthenticationFailed");
}

#[tokio::test]
async fn bad_tokens_are_refused_with_the_reason() {
    let h = harness().await;
    let (status, body) = h.get(SUBS, "not-a-jwt").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("InvalidAuthenticationToken")));

    let wrong_aud = h.token_for(OWNER.oid, "https://management.core.windows.net/", now_secs() + 600);
    let (status, body) = h.get(SUBS, &wrong_aud).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("InvalidAuthenticationTokenAudience")));

    // Without the trailing slash the audience differs: the reason the scope keeps a double slash.
    let no_slash = h.token_for(OWNER.oid, Emulator::ARM_RESOURCE.trim_end_matches('/'), now_secs() + 600);
    assert_eq!(h.get(SUBS, &no_slash).await.0, 401);

    let expired = h.token_for(OWNER.oid, Emulator::ARM_RESOURCE, now_secs() - 5);
    let (status, body) = h.get(SUBS, &expired).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("ExpiredAuthenticationToken")));
}

#[tokio::test]
async fn api_versions_are_required_and_checked_per_resource_type() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    let (status, body) = h.get("/subscriptions", &t).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("MissingApiVersionParameter")));
    let (status, body) = h.get("/subscriptions?api-version=2019-06-01-preview", &t).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("InvalidApiVersionParameter")));
    let wrong = pools_path(CONTOSO, "rg-builds", "contosobuilds").replace("2019-06-01-preview", "2023-07-01");
    let (status, body) = h.get(&wrong, &t).await;
    // A provider's type it lacks the version for: ARM's error names the type, where, and what it has.
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("NoRegisteredProviderFound")));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("No registered resource provider found for location 'eastus' and API version '2023-07-01' for type 'registries/agentPools'."), "{message}");
    assert!(message.contains("The supported api-versions are '2019-06-01-preview, 2025-03-01-preview'"), "{message}");
}

#[tokio::test]
async fn each_user_sees_only_the_subscriptions_they_have_a_role_on() {
    let h = harness().await;
    let ids = |body: serde_json::Value| -> Vec<String> {
        body["value"].as_array().unwrap().iter().map(|s| s["subscriptionId"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(h.get(SUBS, &h.user_token(&OWNER)).await.1), vec![CONTOSO, FABRIKAM]);
    assert_eq!(ids(h.get(SUBS, &h.user_token(&READER)).await.1), vec![CONTOSO]);
    assert!(ids(h.get(SUBS, &h.user_token(&NO_ACCESS)).await.1).is_empty());
}

#[tokio::test]
async fn reading_without_a_role_is_403_naming_the_action() {
    let h = harness().await;
    let (status, body) = h.get(&pools_path(FABRIKAM, "rg-research", "fabrikamresearch"), &h.user_token(&READER)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("AuthorizationFailed")));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("'Microsoft.ContainerRegistry/registries/agentpools/read'"), "{message}");
    assert!(message.contains(READER.oid));
}

#[tokio::test]
async fn the_reader_reads_pools_like_the_owner() {
    let h = harness().await;
    let path = pools_path(CONTOSO, "rg-builds", "contosobuilds");
    let (s1, owner_view) = h.get(&path, &h.user_token(&OWNER)).await;
    let (s2, reader_view) = h.get(&path, &h.user_token(&READER)).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(owner_view, reader_view);
    assert_eq!(owner_view["value"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn missing_things_get_the_right_404() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    let code = |b: serde_json::Value| b["error"]["code"].as_str().unwrap().to_string();
    let (s, b) = h.get(&pools_path("00000000-0000-0000-0000-000000000000", "rg", "abcde"), &t).await;
    assert_eq!((s, code(b)), (404, "SubscriptionNotFound".into()));
    let (s, b) = h.get(&pools_path(CONTOSO, "rg-nope", "abcde"), &t).await;
    assert_eq!((s, code(b)), (404, "ResourceGroupNotFound".into()));
    let (s, b) = h.get(&pools_path(CONTOSO, "rg-builds", "nosuchregistry"), &t).await;
    assert_eq!((s, code(b)), (404, "ResourceNotFound".into()));
    let pool = pools_path(CONTOSO, "rg-builds", "contosobuilds").replace("/agentPools?", "/agentPools/nope?");
    let (s, b) = h.get(&pool, &t).await;
    assert_eq!((s, code(b.clone())), (404, "ResourceNotFound".into()));
    assert!(b["error"]["message"].as_str().unwrap().contains("agentPools/nope"));
}

#[tokio::test]
async fn paths_match_case_insensitively_like_arm() {
    let h = harness().await;
    let path = pools_path(CONTOSO, "RG-BUILDS", "ContosoBuilds").replace("resourceGroups", "resourcegroups").replace("agentPools", "agentpools");
    let (status, body) = h.get(&path, &h.user_token(&OWNER)).await;
    assert_eq!(status, 200);
    assert_eq!(body["value"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn lists_page_with_absolute_next_links_that_keep_the_query() {
    let h = harness_with(|o| o.settings.page_size = 1).await;
    let t = h.user_token(&OWNER);
    let mut url = h.arm(&format!("/subscriptions/{CONTOSO}/providers/Microsoft.ContainerRegistry/registries?api-version=2023-07-01"));
    let mut names = Vec::new();
    for _ in 0..10 {
        let body: serde_json::Value = h.http.get(&url).bearer_auth(&t).send().await.unwrap().json().await.unwrap();
        names.extend(body["value"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()));
        match body["nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&h.emu.origins.arm) && next.contains("api-version=2023-07-01"), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(names, vec!["contosobuilds", "contosobasic", "contosouk"]);
}

#[tokio::test]
async fn a_skip_token_out_of_range_is_an_empty_page_not_a_crash() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    let (status, body) = h.get(&format!("{SUBS}&$skipToken=18446744073709551615"), &t).await;
    assert_eq!((status, body["value"].as_array().map(Vec::len)), (200, Some(0)));
    assert!(body.get("nextLink").is_none());
    assert_eq!(h.get(SUBS, &t).await.0, 200, "still serving");
}

#[tokio::test]
async fn cors_preflight_is_answered_without_a_token_and_exposes_lro_headers() {
    let h = harness().await;
    let r = h
        .http
        .request(reqwest::Method::OPTIONS, h.arm(SUBS))
        .header("Origin", &h.emu.origins.portal)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let header = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    assert_eq!(header("access-control-allow-origin"), h.emu.origins.portal);
    assert!(header("access-control-allow-headers").contains("Authorization"));
    for exposed in ["Azure-AsyncOperation", "Location", "Retry-After", "x-ms-request-id"] {
        assert!(header("access-control-expose-headers").contains(exposed), "{exposed}");
    }
}

#[tokio::test]
async fn the_request_log_records_bearer_use_but_not_tokens() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    h.get(SUBS, &t).await;
    let _ = h.http.get(h.arm(SUBS)).send().await.unwrap();
    let log: serde_json::Value =
        h.http.get(format!("{}/requests", h.emu.origins.admin)).send().await.unwrap().json().await.unwrap();
    let arm: Vec<&serde_json::Value> = log.as_array().unwrap().iter().filter(|e| e["listener"] == "arm").collect();
    assert_eq!(arm.len(), 2);
    assert_eq!((arm[0]["bearer"].as_bool(), arm[0]["status"].as_u64()), (Some(true), Some(200)));
    assert_eq!((arm[1]["bearer"].as_bool(), arm[1]["status"].as_u64()), (Some(false), Some(401)));
    assert!(!log.to_string().contains(&t), "tokens never reach the log");
}

#[tokio::test]
async fn callers_can_read_their_own_permissions_by_role() {
    let h = harness().await;
    let path = format!("/subscriptions/{CONTOSO}/resourceGroups/rg-builds/providers/Microsoft.ContainerRegistry/registries/contosobuilds/providers/Microsoft.Authorization/permissions?api-version=2022-04-01");
    let (s, owner) = h.get(&path, &h.user_token(&OWNER)).await;
    assert_eq!((s, owner["value"][0]["actions"][0].as_str()), (200, Some("*")));
    let (_, reader) = h.get(&path, &h.user_token(&READER)).await;
    assert_eq!(reader["value"][0]["actions"][0], "*/read");
    let (s, none) = h.get(&path, &h.user_token(&NO_ACCESS)).await;
    assert_eq!((s, none["value"].as_array().map(Vec::len)), (200, Some(0)));
}

#[tokio::test]
async fn seeded_pools_list_in_pages_and_take_no_quota() {
    let h = harness().await;
    let t = h.user_token(&OWNER);
    let seed = |count: u32| h.http.post(format!("{}/seed-pools", h.emu.origins.admin)).json(&serde_json::json!({ "count": count })).send();
    let first: serde_json::Value = seed(150).await.unwrap().json().await.unwrap();
    let second: serde_json::Value = seed(50).await.unwrap().json().await.unwrap();
    assert_eq!(second["pools"].as_u64().unwrap(), first["pools"].as_u64().unwrap() + 50, "a second seed adds, it does not rename");
    // Every pool, through nextLink, with no name twice.
    let mut names = std::collections::BTreeSet::new();
    let mut next = Some(format!("{REGISTRY}/agentPools?{POOLS_API}"));
    while let Some(path) = next.take() {
        let (s, page) = h.get(&path, &t).await;
        assert_eq!(s, 200);
        for p in page["value"].as_array().unwrap() {
            assert!(names.insert(p["name"].as_str().unwrap().to_string()), "listed twice: {}", p["name"]);
        }
        next = page["nextLink"].as_str().map(|l| l.trim_start_matches(&h.emu.origins.arm).to_string());
    }
    assert_eq!(names.len() as u64, second["pools"].as_u64().unwrap());
    assert!(names.contains("bench-000") && names.contains("bench-199"));
    let (_, pool) = h.get(&pool_url("bench-199"), &t).await;
    assert_eq!((pool["properties"]["count"].as_i64(), pool["properties"]["tier"].as_str()), (Some(0), Some("S1")));
}
