//! `--hostile-demo`: the demo data plus server strings written to break a careless UI (markup,
//! script, `javascript:` URLs, ANSI escapes) in every field the portal shows. The portal must show
//! them as text; its e2e test asserts that no element is built from them and nothing runs.

use serde_json::json;

use crate::store::activity::{self, Context, Who};
use crate::store::{AgentPool, ImageRef, State, Task};

pub const POOL: &str = "odd-s1";
pub const TASK: &str = "oddtask";
pub const MARKUP: &str = "<img src=x onerror=\"window.__owned=1\"><b>bold</b>";
pub const SCRIPT: &str = "<script>window.__owned=2</script>";
pub const JS_URL: &str = "javascript:window.__owned=3";
/// Red, bold, reset, and a window-title sequence: a terminal would act on them, a page must not.
pub const ANSI: &str = "\u{1b}[31mred\u{1b}[0m \u{1b}[1mbold\u{1b}[22m \u{1b}]0;title\u{7}";

/// A failed write on the hostile pool, an hour before `now_ms`, by a caller whose name, sign-in
/// name and error are hostile.
fn add_event(state: &mut State, pool_id: String, sub: &str, rg: &str, now_ms: u64) {
    let context = Context {
        correlation_id: "0b5f3c2e-6a1d-4e8f-9c7b-2d4a6e8f0a1c".into(),
        operation_id: crate::ids::new_guid(),
        operation_name: "Microsoft.ContainerRegistry/registries/agentPools/write".into(),
        resource_id: pool_id,
        subscription: sub.into(),
        resource_group: rg.into(),
        resource_provider: "Microsoft.ContainerRegistry".into(),
        resource_type: "Microsoft.ContainerRegistry/registries/agentPools".into(),
        who: Who { oid: "0a1b2c3d-0009-4000-8000-00000000a009".into(), name: Some(MARKUP.into()), upn: Some(format!("{SCRIPT}@contoso.test")), appid: JS_URL.into(), managed: false },
        method: "PATCH".into(),
        request_body: Some(serde_json::json!({ "tags": { MARKUP: JS_URL } }).to_string()),
    };
    let at = now_ms.saturating_sub(3_600_000);
    activity::started(&mut state.events, &context, at);
    activity::answered(&mut state.events, &context, at, 400, false, Some((MARKUP.into(), format!("{SCRIPT} {ANSI}"))));
}

/// Adds to `state` (the demo data of `contosobuilds`) a pool, a task and a finished run whose
/// every shown string is hostile, and a hostile event in its Activity Log.
pub fn add(state: &mut State, now_ms: u64) {
    let Some(reg) = state.registries.iter().find(|r| r.name == "contosobuilds").cloned() else { return };
    let Some(template) = state.pools.iter().find(|p| p.registry == reg.name).cloned() else { return };
    state.pools.push(AgentPool {
        name: POOL.into(),
        tier: "S1".into(),
        count: 0,
        subnet: None,
        tags: vec![
            ("owner".into(), MARKUP.into()),
            ("docs".into(), JS_URL.into()),
            (SCRIPT.into(), ANSI.into()),
            ("poolportal-paused-count".into(), "1".into()),
            ("poolportal-paused-by".into(), MARKUP.into()),
            ("poolportal-paused-reason".into(), format!("{SCRIPT} {ANSI}")),
        ],
        ..template
    });
    let pool_id = crate::store::pool_id(state.pools.last().expect("just added"));
    add_event(state, pool_id, &reg.subscription, &reg.resource_group, now_ms);
    state.tasks.push(Task {
        subscription: reg.subscription.clone(),
        resource_group: reg.resource_group.clone(),
        registry: reg.name.clone(),
        name: TASK.into(),
        location: reg.location.clone(),
        tags: Vec::new(),
        created_ms: 0,
        properties: json!({
            "status": "Enabled",
            "platform": { "os": "Linux" },
            "agentPoolName": POOL,
            "step": { "type": "Docker", "contextPath": JS_URL, "dockerFilePath": MARKUP, "imageNames": [format!("{SCRIPT}:{ANSI}")] },
        }),
        identity: None,
        system_data: None,
        has_run: false,
    });
    if let Some(mut run) = state.runs.iter().find(|r| r.registry == reg.name && r.is_finished()).cloned() {
        state.run_counter += 1;
        run.run_id = format!("ca{}", state.run_counter);
        run.agent_pool_name = Some(POOL.into());
        run.status = "Failed".into();
        run.will_fail = true;
        run.source_location = Some(JS_URL.into());
        run.docker_file = Some(format!("{MARKUP} {ANSI}"));
        run.error_message = Some(format!("{SCRIPT} {ANSI}"));
        run.output_images = vec![ImageRef { registry: "contosobuilds.azurecr.io".into(), repository: MARKUP.into(), tag: ANSI.into(), digest: JS_URL.into() }];
        state.runs.push(run);
    }
}
