//! `use_live_queue` (a pool's queue count and runs) and `use_live_counts` (every pool's queue count
//! in a registry, with one request).

use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{use_live, UseLiveReturn};
use crate::app::ctx;
use crate::arm::id::{AgentPoolId, RegistryId};
use crate::arm::{agent_pools, runs};
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

/// How many of a pool's runs the live view reads.
const RUNS_SHOWN: u32 = 50;

pub fn use_live_queue(pool: AgentPoolId, operation_running: Signal<bool>) -> UseLiveReturn<QueueSnapshot> {
    let client = ctx().client;
    use_live(
        move || {
            let (client, pool) = (client.clone(), pool.clone());
            async move {
                let (count, list) = futures_join(agent_pools::queue_status(&client, &pool), runs::list_for_pool(&client, &pool.registry, &pool.name, RUNS_SHOWN)).await;
                let runs: Vec<RunView> = list?.iter().map(|r| r.view()).collect();
                let (queued, counted_from_runs) = match count {
                    Ok(c) => (c.count, false),
                    Err(e) if e.status == 403 => (runs.iter().filter(|r| r.status == "Queued").count() as i32, true),
                    Err(e) => return Err(e),
                };
                Ok(QueueSnapshot { queued, counted_from_runs, runs, at_ms: js_sys::Date::now() })
            }
        },
        |s: &QueueSnapshot| s.queued > 0 || s.runs.iter().any(|r| !crate::domain::queue::is_finished(&r.status)),
        operation_running,
    )
}

/// Queued runs per pool name (lower-cased), from one runs list.
pub fn use_live_counts(registry: RegistryId, operation_running: Signal<bool>) -> UseLiveReturn<BTreeMap<String, u32>> {
    let client = ctx().client;
    use_live(
        move || {
            let (client, registry) = (client.clone(), registry.clone());
            async move {
                let queued = runs::list_queued(&client, &registry).await?;
                let mut counts = BTreeMap::new();
                for r in queued.iter().filter(|r| r.status() == "Queued") {
                    if let Some(pool) = &r.properties.agent_pool_name {
                        *counts.entry(pool.to_ascii_lowercase()).or_insert(0) += 1;
                    }
                }
                Ok(counts)
            }
        },
        |c: &BTreeMap<String, u32>| c.values().any(|n| *n > 0),
        operation_running,
    )
}

/// Both futures at once (two requests in parallel, one refresh).
async fn futures_join<A, B>(a: impl std::future::Future<Output = A>, b: impl std::future::Future<Output = B>) -> (A, B) {
    futures::future::join(a, b).await
}
