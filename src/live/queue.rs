//! `use_live_queue` (a pool's queue count and runs) and `use_live_counts` (every pool's queue count
//! in a registry, with one request).

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{use_live, UseLiveReturn, Watch};
use crate::ctx::ctx;
use crate::arm::id::{AgentPoolId, RegistryId};
use crate::arm::{agent_pools, runs};
use crate::domain::fleet::{pool_queues, PoolQueue};
use crate::domain::queue::RunView;

#[derive(Clone, Debug, PartialEq)]
pub struct QueueSnapshot {
    /// `listQueueStatus`: what ARM counts as waiting (or, when the caller may not ask — it is an
    /// action the Reader role lacks — the queued runs counted from the list).
    pub queued: i32,
    pub counted_from_runs: bool,
    /// The pool's newest runs.
    pub runs: Vec<RunView>,
    pub at_ms: f64,
}

/// How many of a pool's newest runs (not queued) the live view reads besides every queued one:
/// every running run is among them while fewer than 20 run at once.
const RECENT: u32 = 20;

/// A pool's queue: ARM's count, every queued run (paged: positions need all of them, oldest
/// first), and the newest runs for what is running and what just finished. Only the pool's runs
/// are fetched, whatever the registry holds. Live requests are not retried by the client: the
/// hook's own back-off paces them, and nothing keeps sending after the page is gone.
pub fn use_live_queue(pool: AgentPoolId, operation_running: Signal<bool>, active: Signal<bool>) -> UseLiveReturn<QueueSnapshot> {
    let client = ctx().client.without_retries();
    use_live(
        move || {
            let (client, pool) = (client.clone(), pool.clone());
            async move {
                let queued_runs = runs::list_queued_for_pool(&client, &pool.registry, &pool.name);
                let recent = runs::list_for_pool(&client, &pool.registry, &pool.name, RECENT);
                let (count, (queued_runs, recent)) = futures_join(agent_pools::queue_status(&client, &pool), futures_join(queued_runs, recent)).await;
                let mut seen = std::collections::BTreeSet::new();
                let runs: Vec<RunView> = queued_runs?.iter().chain(recent?.iter()).map(|r| r.view()).filter(|v| seen.insert(v.run_id.clone())).collect();
                let (queued, counted_from_runs) = match count {
                    Ok(c) => (c.count, false),
                    Err(e) if e.status == 403 => (runs.iter().filter(|r| r.status == "Queued").count() as i32, true),
                    Err(e) => return Err(e),
                };
                let at_ms = client.server_now_ms().unwrap_or_else(js_sys::Date::now);
                Ok(QueueSnapshot { queued, counted_from_runs, runs, at_ms })
            }
        },
        Watch {
            busy: Box::new(|s: &QueueSnapshot| s.queued > 0 || s.runs.iter().any(|r| !crate::domain::queue::is_finished(&r.status))),
            done: Box::new(|_| false),
            extra_busy: operation_running,
            active,
        },
    )
}

/// Queued and running runs per pool name (lower-cased), from one runs list.
pub fn use_live_counts(registry: RegistryId, operation_running: Signal<bool>) -> UseLiveReturn<BTreeMap<String, PoolQueue>> {
    let client = ctx().client.without_retries();
    use_live(
        move || {
            let (client, registry) = (client.clone(), registry.clone());
            async move {
                let active = runs::list_active(&client, &registry).await?;
                let views: Vec<(Option<String>, String, u64)> =
                    active.iter().map(|r| (r.properties.agent_pool_name.clone(), r.status().to_string(), r.view().create_ms)).collect();
                Ok(pool_queues(views.iter().map(|(p, s, c)| (p.as_deref(), s.as_str(), *c))))
            }
        },
        Watch {
            busy: Box::new(|c: &BTreeMap<String, PoolQueue>| c.values().any(|q| q.queued > 0 || q.running > 0)),
            done: Box::new(|_| false),
            extra_busy: operation_running,
            active: Signal::stored(true),
        },
    )
}

/// Both futures at once (two requests in parallel, one refresh).
async fn futures_join<A, B>(a: impl std::future::Future<Output = A>, b: impl std::future::Future<Output = B>) -> (A, B) {
    futures::future::join(a, b).await
}
