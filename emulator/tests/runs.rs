//! Runs on agent pools: scheduling (quick runs may name a pool, task runs may not), queueing at
//! most `count` at a time, listQueueStatus, \$filter/\$top/paging, cancel, and logs by SAS link.

mod common;

use common::*;
use serde_json::json;

const LRO_MS: u64 = 20_000;
const RUN_MS: u64 = 45_000;

fn build(pool: Option<&str>) -> serde_json::Value {
    let mut b = json!({
        "type": "DockerBuildRequest", "dockerFilePath": "Dockerfile", "imageNames": ["web:{{.Run.ID}}"],
        "sourceLocation": "https://github.com/Azure-Samples/acr-build-helloworld-node.git",
        "platform": {"os": "Linux"}
    });
    if let Some(p) = pool {
        b["agentPoolName"] = json!(p);
    }
    b
}

fn schedule_url() -> String {
    format!("{REGISTRY}/scheduleRun?{POOLS_API}")
}

async fn queue_count(h: &Harness, pool: &str) -> i64 {
    let r = h.post(&format!("{REGISTRY}/agentPools/{pool}/listQueueStatus?{POOLS_API}"), &h.owner(), None).await;
    assert_eq!(r.status, 200);
    r.body["count"].as_i64().unwrap()
}

async fn run(h: &Harness, id: &str) -> serde_json::Value {
    h.send(reqwest::Method::GET, &format!("{REGISTRY}/runs/{id}?{POOLS_API}"), &h.owner(), None).await.body
}

#[tokio::test]
async fn runs_wait_on_a_pool_of_zero_and_drain_when_it_scales_up() {
    let h = harness().await;
    let t = h.owner();
    let before = queue_count(&h, "nightly-s1").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let r = h.post(&schedule_url(), &t, Some(build(Some("nightly-s1")))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["properties"]["status"].as_str(), Some("Queued"));
        let id = r.body["name"].as_str().unwrap().to_string();
        let (_, run) = h.get(&format!("{REGISTRY}/runs/{id}?{POOLS_API}"), &t).await;
        assert_eq!(run["properties"]["agentPoolName"].as_str(), Some("nightly-s1"));
        ids.push(id);
    }
    assert_eq!(queue_count(&h, "nightly-s1").await, before + 3);
    h.later(10 * 60_000);
    assert_eq!(queue_count(&h, "nightly-s1").await, before + 3, "count 0: nothing runs, however long we wait");

    // Make room in the quota anyway (the demo holds 8 of 16 standard vCPU), then scale up.
    assert_eq!(h.patch(&pool_url("build-s2"), &t, json!({"properties": {"count": 0}})).await.status, 201);
    h.later(LRO_MS);
    assert_eq!(h.patch(&pool_url("nightly-s1"), &t, json!({"properties": {"count": 4}})).await.status, 201);
    h.later(LRO_MS);
    let q = queue_count(&h, "nightly-s1").await;
    assert_eq!(q, (before + 3 - 4).max(0), "four instances took four runs");
    h.later(10 * RUN_MS);
    assert_eq!(queue_count(&h, "nightly-s1").await, 0);
    for id in &ids {
        let r = run(&h, id).await;
        assert_eq!(r["properties"]["status"], "Succeeded", "{r}");
        assert!(r["properties"]["startTime"].is_string() && r["properties"]["finishTime"].is_string());
        assert_eq!(r["properties"]["outputImages"][0]["tag"], id.as_str(), "{{.Run.ID}} was filled in");
    }
}

#[tokio::test]
async fn task_runs_take_the_pool_from_the_task_and_may_not_name_one() {
    let h = harness().await;
    let t = h.owner();
    let task = json!({
        "location": "eastus",
        "properties": {
            "status": "Enabled", "platform": {"os": "Linux"}, "agentPoolName": "build-s2", "timeout": 3600,
            "step": {"type": "Docker", "imageNames": ["api:{{.Run.ID}}"], "dockerFilePath": "Dockerfile", "contextPath": "https://github.com/Azure-Samples/acr-build-helloworld-node.git"}
        }
    });
    let r = h.put(&format!("{REGISTRY}/tasks/nightly-build?{POOLS_API}"), &t, task).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["properties"]["agentPoolName"], "build-s2");

    let refused = h.post(&schedule_url(), &t, Some(json!({"type": "TaskRunRequest", "taskId": "nightly-build", "agentPoolName": "build-s2"}))).await;
    assert_eq!((refused.status, refused.target().as_str()), (400, "agentPoolName"));
    assert!(refused.body["error"]["message"].as_str().unwrap().contains("agent pool configured on the task"));

    let ok = h.post(&schedule_url(), &t, Some(json!({"type": "TaskRunRequest", "taskId": "nightly-build"}))).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let (_, run) = h.get(&format!("{REGISTRY}/runs/{}?{POOLS_API}", ok.body["name"].as_str().unwrap()), &t).await;
    assert_eq!((run["properties"]["agentPoolName"].as_str(), run["properties"]["task"].as_str()), (Some("build-s2"), Some("nightly-build")));

    let missing = h.post(&schedule_url(), &t, Some(json!({"type": "TaskRunRequest", "taskId": "no-such-task"}))).await;
    assert_eq!(missing.code(), "TaskNotFound");
    let no_pool = h.post(&schedule_url(), &t, Some(build(Some("no-such-pool")))).await;
    assert_eq!((no_pool.code().as_str(), no_pool.target().as_str()), ("AgentPoolNotFound", "agentPoolName"));
}

#[tokio::test]
async fn every_run_request_type_is_accepted_and_validated() {
    let h = harness().await;
    let t = h.owner();
    let good = [
        build(None),
        json!({"type": "FileTaskRunRequest", "taskFilePath": "acb.yaml", "platform": {"os": "Linux"}, "agentPoolName": "build-s2"}),
        json!({"type": "EncodedTaskRunRequest", "encodedTaskContent": "c3RlcHM6IFtdCg==", "platform": {"os": "Linux"}}),
    ];
    for body in good {
        let r = h.post(&schedule_url(), &t, Some(body.clone())).await;
        assert_eq!(r.status, 200, "{body} → {}", r.body);
    }
    let bad = [
        (json!({"type": "DockerBuildRequest", "platform": {"os": "Linux"}}), "dockerFilePath"),
        (json!({"type": "DockerBuildRequest", "dockerFilePath": "D"}), "platform"),
        (json!({"type": "EncodedTaskRunRequest", "encodedTaskContent": "%%%", "platform": {"os": "Linux"}}), "encodedTaskContent"),
        (json!({"type": "Nope"}), "type"),
        (json!({"type": "DockerBuildRequest", "dockerFilePath": "D", "platform": {"os": "Linux"}, "timeout": 10}), "timeout"),
        (json!({"type": "DockerBuildRequest", "dockerFilePath": "D", "platform": {"os": "Windows"}, "agentPoolName": "build-s2"}), "platform.os"),
    ];
    for (body, target) in bad {
        let r = h.post(&schedule_url(), &t, Some(body.clone())).await;
        assert_eq!((r.status, r.target()), (400, target.to_string()), "{body} → {}", r.body);
    }
}

#[tokio::test]
async fn the_runs_list_filters_tops_and_pages() {
    let h = harness_with(|o| o.settings.page_size = 2).await;
    let t = h.owner();
    let url = |q: &str| format!("{REGISTRY}/runs?{POOLS_API}&{q}");
    let list = |q: String| {
        let h = &h;
        let t = t.clone();
        async move {
            let mut ids = Vec::new();
            let mut next = Some(url(&q));
            while let Some(u) = next.take() {
                let r = h.send(reqwest::Method::GET, &u, &t, None).await;
                assert_eq!(r.status, 200, "{}", r.body);
                ids.extend(r.body["value"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap().to_string()));
                next = r.body["nextLink"].as_str().map(String::from);
            }
            ids
        }
    };
    let q = |f: &str| format!("$filter={}", url::form_urlencoded::byte_serialize(f.as_bytes()).collect::<String>());
    assert_eq!(list(q("AgentPoolName eq 'nightly-s1'")).await, vec!["ca7", "ca6"], "newest first, over pages");
    assert_eq!(list(q("agentPoolName eq 'build-s2' and status eq 'Running'")).await, vec!["ca4", "ca3"]);
    assert_eq!(list("$top=3".into()).await, vec!["ca5", "ca4", "ca3"], "$top limits the whole list, across pages");
    let r = h.send(reqwest::Method::GET, &url(&q("not status eq 'Queued'")), &t, None).await;
    assert_eq!((r.status, r.target().as_str()), (400, "$filter"));
}

#[tokio::test]
async fn cancel_stops_queued_and_running_runs_but_not_finished_ones() {
    let h = harness().await;
    let t = h.owner();
    let cancel = |id: &str| format!("{REGISTRY}/runs/{id}/cancel?{POOLS_API}");
    assert_eq!(h.post(&cancel("ca5"), &t, None).await.status, 200);
    assert_eq!(run(&h, "ca5").await["properties"]["status"], "Canceled");
    assert_eq!(h.post(&cancel("ca3"), &t, None).await.status, 200);
    let r = h.post(&cancel("ca1"), &t, None).await;
    assert_eq!((r.status, r.code().as_str()), (409, "RunNotCancelable"));
    assert_eq!(h.post(&cancel("nope"), &t, None).await.status, 404);
}

#[tokio::test]
async fn logs_are_read_by_sas_link_without_a_token_and_grow_while_running() {
    let h = harness().await;
    let t = h.owner();
    let r = h.post(&schedule_url(), &t, Some(build(Some("build-s2")))).await;
    let id = r.body["name"].as_str().unwrap().to_string();
    // build-s2's two instances are busy with ca3 and ca4, and ca5 is first in line: this run gets
    // the instance ca3 frees, 13 min 2 s from now.
    let link = h.post(&format!("{REGISTRY}/runs/{id}/listLogSasUrl?{POOLS_API}"), &t, None).await;
    assert_eq!(link.status, 200);
    let url = link.body["logLink"].as_str().unwrap().to_string();
    assert!(url.starts_with(&h.emu.origins.blob) && url.contains("sig="), "{url}");

    let read = |with_token: bool| {
        let mut req = h.http.get(&url);
        if with_token {
            req = req.bearer_auth(&t);
        }
        req.send()
    };
    let queued = read(false).await.unwrap().text().await.unwrap();
    assert!(queued.contains("Waiting for an agent on build-s2"), "{queued}");
    assert_eq!(read(true).await.unwrap().status(), 403, "a bearer token is refused on the log origin");

    h.later(13 * 60_000 + 2_000 + RUN_MS / 3);
    let part = read(false).await.unwrap().text().await.unwrap();
    assert!(part.len() > queued.len() && part.contains("Step 1/5"), "{part}");
    // Tail with a Range request: only the new bytes.
    let tail = h.http.get(&url).header("Range", format!("bytes={}-", part.len())).send().await.unwrap();
    assert_eq!(tail.status(), 416, "nothing new yet");
    h.later(2 * RUN_MS);
    let tail = h.http.get(&url).header("Range", format!("bytes={}-", part.len())).send().await.unwrap();
    assert_eq!(tail.status(), 206);
    let rest = tail.text().await.unwrap();
    assert!(rest.contains("was successful"), "{rest}");

    let mut forged = url.clone();
    forged.replace_range(forged.len() - 4.., "AAA=");
    assert_eq!(h.http.get(&forged).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn a_build_that_says_fail_fails_with_an_error_message() {
    let h = harness().await;
    let mut body = build(None);
    body["dockerFilePath"] = json!("Dockerfile.fail");
    let r = h.post(&schedule_url(), &h.owner(), Some(body)).await;
    let id = r.body["name"].as_str().unwrap().to_string();
    assert!(r.body["properties"].get("runErrorMessage").is_none(), "no error before it ends");
    h.later(3 * RUN_MS);
    let done = run(&h, &id).await;
    assert_eq!(done["properties"]["status"], "Failed");
    assert!(done["properties"]["runErrorMessage"].as_str().unwrap().contains("non-zero code"));
}
