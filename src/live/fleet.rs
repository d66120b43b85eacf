//! The fleet, live (issue 11). Each refresh is one pass: Resource Graph names every container
//! registry the user can see (one query, paged), then, for the Premium ones in agent-pool regions
//! only, each registry's pools and its queued runs are read, a few registries at a time (two
//! requests each, at most six in flight). Rows appear as each registry answers; one that fails
//! keeps its error beside the rest, with a retry of its own. Passes follow the live schedule: soon
//! while runs wait or pools change, slowly when idle, not at all while the tab is hidden.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use futures::StreamExt;
use leptos::prelude::*;

use super::{use_live, UseLiveReturn, Watch};
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::graph::{self, GraphRegistry};
use crate::arm::id::{RegistryId, ResourceId};
use crate::arm::runs;
use crate::arm::ArmError;
use crate::ctx::ctx;
use crate::domain::fleet::{pool_queues, PoolQueue};

/// Registries read at once: two requests each, so at most six in flight.
const REGISTRIES_AT_ONCE: usize = 3;

/// What one registry said.
#[derive(Clone, Debug, PartialEq)]
pub struct RegistryState {
    pub id: RegistryId,
    /// Its pools, or why they could not be read.
    pub pools: Result<Vec<AgentPool>, ArmError>,
    /// Queued runs by pool, or why the runs could not be read (the rows then say "unknown").
    pub queues: Result<BTreeMap<String, PoolQueue>, ArmError>,
    /// The service's time when read, for waits.
    pub at_ms: f64,
}

impl RegistryState {
    /// Something moves: runs wait, or a pool is being created, scaled or deleted.
    fn busy(&self) -> bool {
        let waiting = self.queues.as_ref().is_ok_and(|q| q.values().any(|p| p.queued > 0));
        let changing = self.pools.as_ref().is_ok_and(|ps| ps.iter().any(|p| p.state().ends_with("ing")));
        waiting || changing
    }
}

/// What Resource Graph found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discovery {
    pub registries: usize,
    /// Premium registries in agent-pool regions: the ones read.
    pub eligible: usize,
}

#[derive(Clone, Copy)]
pub struct Fleet {
    pub discovery: RwSignal<Option<Discovery>>,
    /// By registry path (lower-cased).
    pub registries: RwSignal<BTreeMap<String, RegistryState>>,
    /// Registries of the running pass still to answer.
    pub pending: RwSignal<usize>,
    pub live: UseLiveReturn<bool>,
    retry: StoredValue<Rc<dyn Fn(RegistryId)>, LocalStorage>,
}

impl Fleet {
    /// Reads one registry again (its inline "Try again").
    pub fn retry(&self, id: RegistryId) {
        (self.retry.get_value())(id)
    }
}

async fn read_registry(client: &crate::arm::client::ArmClient, id: RegistryId) -> RegistryState {
    let (pools, queued) = futures::join!(agent_pools::list(client, &id), runs::list_queued(client, &id));
    let queues = queued.map(|runs| {
        let views: Vec<(Option<String>, String, u64)> =
            runs.iter().map(|r| (r.properties.agent_pool_name.clone(), r.status().to_string(), r.view().create_ms)).collect();
        pool_queues(views.iter().map(|(p, s, c)| (p.as_deref(), s.as_str(), *c)))
    });
    let at_ms = client.server_now_ms().unwrap_or_else(js_sys::Date::now);
    RegistryState { id, pools, queues, at_ms }
}

fn registry_id(r: &GraphRegistry) -> Option<RegistryId> {
    match ResourceId::parse(&r.id) {
        Ok(ResourceId::Registry(id)) => Some(id),
        _ => None,
    }
}

pub fn use_fleet() -> Fleet {
    let client = ctx().client;
    let discovery = RwSignal::new(None::<Discovery>);
    let registries = RwSignal::new(BTreeMap::<String, RegistryState>::new());
    let pending = RwSignal::new(0usize);
    // A pass that outlives the page stops taking new registries.
    let alive = Rc::new(Cell::new(true));
    let alive_for_cleanup = send_wrapper::SendWrapper::new(alive.clone());
    on_cleanup(move || alive_for_cleanup.set(false));

    let put = move |state: RegistryState| registries.update(|m| {
        m.insert(state.id.path().to_ascii_lowercase(), state);
    });
    let retry_client = client.clone();
    let retry: Rc<dyn Fn(RegistryId)> = Rc::new(move |id: RegistryId| {
        let client = retry_client.clone();
        leptos::task::spawn_local(async move { put(read_registry(&client, id).await) });
    });

    let live = use_live(
        move || {
            let (client, alive) = (client.clone(), alive.clone());
            async move {
                let found = graph::registries(&client).await?;
                let eligible: Vec<RegistryId> = found
                    .iter()
                    .filter(|r| crate::domain::eligibility::check(r.sku_name(), &r.location).is_ok())
                    .filter_map(registry_id)
                    .collect();
                discovery.set(Some(Discovery { registries: found.len(), eligible: eligible.len() }));
                // Registries gone since the last pass leave the table.
                let keep: std::collections::BTreeSet<String> = eligible.iter().map(|r| r.path().to_ascii_lowercase()).collect();
                registries.update(|m| m.retain(|k, _| keep.contains(k)));
                pending.set(eligible.len());
                let mut answers = futures::stream::iter(eligible.into_iter().filter(|_| alive.get()))
                    .map(|id| {
                        let client = client.clone();
                        async move { read_registry(&client, id).await }
                    })
                    .buffer_unordered(REGISTRIES_AT_ONCE);
                let mut busy = false;
                while let Some(state) = answers.next().await {
                    if !alive.get() {
                        break;
                    }
                    busy |= state.busy();
                    put(state);
                    pending.update(|p| *p = p.saturating_sub(1));
                }
                Ok(busy)
            }
        },
        Watch::busy_when(|busy: &bool| *busy),
    );
    Fleet { discovery, registries, pending, live, retry: StoredValue::new_local(retry) }
}
