//! Test-only admin endpoint, plain HTTP on its own loopback port: never reachable from the portal's
//! origins, so nothing the browser does can flip a switch here.
//!
//! - `GET /requests?after=N`: the request log
//! - `GET /origins`: where the listeners are
//! - `GET|PUT /faults`: the fault switches (PUT replaces them all; omitted fields are off)
//! - `GET|PUT /clock`: `{speed}` and `{advanceMs}` (jump simulated time forward)
//! - `POST /reset`: back to the demo data
//! - `POST /seed-runs`: `{"count": 10000, "pool": "nightly-s1", "queued": 200}` adds finished
//!   runs across contosobuilds' pools and `queued` waiting on `pool` (benchmarks)
//! - `POST /seed-pools`: `{"count": 200}` adds that many idle S1 pools (no instances, so no quota)
//!   named `bench-000`… to the registry that holds the first pool (benchmarks)
//! - `POST /seed-world`: `{"subscriptions": 50, "registries": 40}` (optional `premiumPerTen`, `pools`)
//!   adds a tenant of that size beside the demo, for the fleet benchmarks (`store::demo::world`)
//! - `POST /seed-history`: `{"pool": "build-s2", "runs": 10000}` (optional `days`, `medianRunSeconds`,
//!   `seed`, `registry`, `count`) replaces a pool's past `days` with that many runs (`store::demo::history`)

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::faults::FaultConfig;
use crate::{log::Entry, Emulator, Origins};

#[derive(Deserialize)]
struct After {
    #[serde(default)]
    after: u64,
}

async fn requests(State(emulator): State<Arc<Emulator>>, Query(q): Query<After>) -> Json<Vec<Entry>> {
    Json(emulator.log.since(q.after))
}

async fn origins(State(emulator): State<Arc<Emulator>>) -> Json<Origins> {
    Json(emulator.origins.clone())
}

async fn get_faults(State(emulator): State<Arc<Emulator>>) -> Json<FaultConfig> {
    Json(emulator.faults.get())
}

async fn put_faults(State(emulator): State<Arc<Emulator>>, Json(config): Json<FaultConfig>) -> Json<FaultConfig> {
    emulator.faults.set(config);
    emulator.rate.clear_buckets();
    Json(emulator.faults.get())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClockChange {
    speed: Option<f64>,
    advance_ms: Option<u64>,
}

fn clock_json(emulator: &Emulator) -> Json<Value> {
    Json(json!({ "speed": emulator.clock.speed(), "nowMs": emulator.clock.now_ms() }))
}

async fn get_clock(State(emulator): State<Arc<Emulator>>) -> Json<Value> {
    clock_json(&emulator)
}

async fn put_clock(State(emulator): State<Arc<Emulator>>, Json(change): Json<ClockChange>) -> Json<Value> {
    if let Some(speed) = change.speed {
        emulator.clock.set_speed(speed);
    }
    if let Some(ms) = change.advance_ms {
        emulator.clock.advance_ms(ms);
    }
    clock_json(&emulator)
}

/// State-changing admin calls need `Content-Type: application/json`, which a web page cannot send
/// cross-origin without a preflight this port never grants: no page a tester visits can use them.
fn require_json(headers: &axum::http::HeaderMap) -> Result<(), axum::http::StatusCode> {
    let json = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    if json { Ok(()) } else { Err(axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE) }
}

/// Ends every refresh token (sessions revoked): silent renewal fails until the user signs in.
async fn revoke_refresh_tokens(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    Ok(Json(json!({ "revoked": emulator.grants.revoke_all() })))
}

async fn reset(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let mut state = emulator.state();
    *state = crate::store::demo::seed(emulator.clock.now_ms(), emulator.settings.hostile);
    // The demo's data again, not its settings: timers stay as the emulator was started (a reset
    // that turned them back on let build-s2's schedule queue runs in tests started without them).
    state.timers_off = !emulator.settings.timers;
    emulator.persist(&mut state);
    emulator.rate.clear_buckets();
    Ok(Json(json!({ "reset": true })))
}

#[derive(Deserialize)]
struct SeedRuns {
    count: usize,
    pool: String,
    #[serde(default)]
    queued: usize,
}

/// Many runs at once, for render benchmarks: finished ones spread over the registry's pools that
/// have instances, `queued` waiting on `pool`. The finished ones are 30 s long and queued 31 s
/// apart, so each starts at once on a free instance: times as consistent as a real pool's.
async fn seed_runs(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(seed): Json<SeedRuns>) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let now = emulator.clock.now_ms();
    let mut state = emulator.state();
    let template = state.runs.first().cloned().ok_or(axum::http::StatusCode::CONFLICT)?;
    let pools: Vec<String> = state.pools.iter().filter(|p| p.registry == template.registry && p.count > 0).map(|p| p.name.clone()).collect();
    if pools.is_empty() && seed.count > 0 {
        return Err(axum::http::StatusCode::CONFLICT);
    }
    // Before every run the registry already has, so none of those finds its instance taken.
    let oldest = state.runs.iter().filter(|r| r.registry == template.registry).map(|r| r.create_ms).min().unwrap_or(now).min(now);
    for i in 0..seed.count + seed.queued {
        state.run_counter += 1;
        let n = state.run_counter;
        let queued = i >= seed.count;
        let mut run = template.clone();
        run.run_id = format!("ca{n}");
        if queued {
            run.agent_pool_name = Some(seed.pool.clone());
            run.create_ms = now.saturating_sub(((seed.count + seed.queued - i) as u64) * 1000);
            (run.status, run.start_ms, run.finish_ms) = ("Queued".into(), None, None);
        } else {
            run.agent_pool_name = Some(pools[i % pools.len()].clone());
            run.create_ms = oldest.saturating_sub(((seed.count - i) as u64) * 31_000 + 60_000);
            (run.status, run.start_ms, run.finish_ms) = ("Succeeded".into(), Some(run.create_ms), Some(run.create_ms + 30_000));
        }
        run.duration_ms = 30_000;
        run.last_updated_ms = run.create_ms;
        run.will_fail = false;
        run.error_message = None;
        state.runs.push(run);
    }
    Ok(Json(json!({ "runs": state.runs.len() })))
}

#[derive(Deserialize)]
struct SeedPools {
    count: usize,
}

/// Many pools at once, for the pool list's render benchmark. Zero instances each: a registry can
/// hold any number of scaled-to-zero pools within its vCPU quota.
async fn seed_pools(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(seed): Json<SeedPools>) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let mut state = emulator.state();
    let template = state.pools.first().cloned().ok_or(axum::http::StatusCode::CONFLICT)?;
    let start = state.pools.iter().filter(|p| p.registry == template.registry && p.name.starts_with("bench-")).count();
    for i in start..start + seed.count {
        let mut pool = template.clone();
        pool.name = format!("bench-{i:03}");
        pool.tier = "S1".into();
        pool.count = 0;
        pool.subnet = None;
        pool.provisioning_state = "Succeeded".into();
        pool.tags = Vec::new();
        pool.pending = None;
        state.pools.push(pool);
    }
    let pools = state.pools.iter().filter(|p| p.registry == template.registry).count();
    Ok(Json(json!({ "registry": template.registry, "pools": pools })))
}

#[derive(Deserialize)]
struct SeedPoolTags {
    registry: String,
    pool: String,
    tags: std::collections::BTreeMap<String, String>,
}

/// Tags on a pool as an earlier emulator kept them (Azure keeps none, and writes cannot add
/// any): for the portal's test that a pool paused under the old record still resumes.
async fn seed_pool_tags(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(seed): Json<SeedPoolTags>) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let mut state = emulator.state();
    let pool = state
        .pools
        .iter_mut()
        .find(|p| crate::store::same(&p.registry, &seed.registry) && crate::store::same(&p.name, &seed.pool))
        .ok_or(axum::http::StatusCode::NOT_FOUND)?;
    pool.tags = seed.tags.into_iter().collect();
    let tags = pool.tags.len();
    emulator.persist(&mut state);
    Ok(Json(json!({ "tags": tags })))
}

#[derive(Deserialize)]
struct Grant {
    principal: String,
    subscription: String,
    /// A built-in role's name (`Contributor`).
    role: String,
}

/// A role on a whole subscription, as a tenant's administrator would grant it outside the demo
/// (tests: a Contributor who may make tasks but not assign roles).
async fn grant(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(g): Json<Grant>) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let role = crate::store::Role::by_name(&g.role).ok_or(axum::http::StatusCode::BAD_REQUEST)?;
    let mut state = emulator.state();
    state.subscription(&g.subscription).ok_or(axum::http::StatusCode::NOT_FOUND)?;
    state.assignments.push(crate::store::RoleAssignment::at_subscription(&g.principal, &g.subscription, role));
    emulator.persist(&mut state);
    Ok(Json(json!({ "granted": g.role })))
}

/// A large tenant beside the demo, for the fleet benchmarks (`store::demo::world`).
async fn seed_world(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(size): Json<crate::store::demo::world::WorldSize>) -> Result<Json<Value>, axum::http::StatusCode> {
    require_json(&headers)?;
    let now = emulator.clock.now_ms();
    let mut state = emulator.state();
    crate::store::demo::world::seed(&mut state, &size, now);
    emulator.persist(&mut state);
    Ok(Json(json!({ "subscriptions": state.subscriptions.len(), "registries": state.registries.len(), "pools": state.pools.len() })))
}

#[derive(Deserialize)]
struct SeedHistory {
    #[serde(flatten)]
    plan: crate::store::demo::history::Plan,
    /// The registry (in any subscription) that holds the pool; the demo's first by default.
    #[serde(default)]
    registry: Option<String>,
    /// Sets the pool's instance count first (benchmarks: a week on more instances than the demo's).
    #[serde(default)]
    count: Option<i32>,
}

/// A pool's past, for the insights benchmarks and e2e (`store::demo::history::replace`).
async fn seed_history(State(emulator): State<Arc<Emulator>>, headers: axum::http::HeaderMap, Json(seed): Json<SeedHistory>) -> Result<Json<Value>, (axum::http::StatusCode, String)> {
    require_json(&headers).map_err(|s| (s, "JSON only".into()))?;
    let now = emulator.clock.now_ms();
    let mut state = emulator.state();
    let registry = match &seed.registry {
        Some(name) => state.registries.iter().find(|r| r.name.eq_ignore_ascii_case(name)),
        None => state.registries.first(),
    }
    .cloned()
    .ok_or((axum::http::StatusCode::NOT_FOUND, "no such registry".into()))?;
    let (added, end) = crate::store::demo::history::replace(&mut state, &registry, &seed.plan, seed.count, now).map_err(|e| match e {
        crate::store::demo::history::SeedError::NoPool(m) => (axum::http::StatusCode::NOT_FOUND, m),
        crate::store::demo::history::SeedError::NoInstances(m) => (axum::http::StatusCode::CONFLICT, m),
    })?;
    emulator.persist(&mut state);
    Ok(Json(json!({ "runs": added, "endMs": end })))
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    Router::new()
        .route("/requests", get(requests))
        .route("/origins", get(origins))
        .route("/faults", get(get_faults).put(put_faults))
        .route("/clock", get(get_clock).put(put_clock))
        .route("/reset", post(reset))
        .route("/seed-runs", post(seed_runs))
        .route("/seed-pools", post(seed_pools))
        .route("/seed-pool-tags", post(seed_pool_tags))
        .route("/seed-world", post(seed_world))
        .route("/seed-history", post(seed_history))
        .route("/revoke-refresh-tokens", post(revoke_refresh_tokens))
        .route("/grant", post(grant))
        .with_state(emulator)
}
