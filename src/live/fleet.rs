//! The fleet, live (issue 11). Each refresh is one pass: Resource Graph names every container
//! registry the user can see, then every agent pool and task (two queries, paged; again every
//! idle interval), then, for the Premium registries in agent-pool regions only, each registry's
//! queued runs are read, a few registries at a time. A registry's pools come from Resource Graph
//! (issue 22) unless it is moving (then its own list is read, fresher than the index), or the
//! cloud's Resource Graph has no agent pools while there are registries to hold them (then every
//! registry's list is read, as before, and the page says so). Rows appear as each registry
//! answers; one that fails keeps its error beside the rest, with a retry of its own.
//!
//! The live schedule holds per registry: one whose pools or queues changed since its last read,
//! or whose pools are being created, scaled or deleted, is read again on the next pass (seconds);
//! one where nothing moved waits the idle interval. Nothing is read while the tab is hidden.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use futures::StreamExt;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;

use super::{use_live, UseLiveReturn, Watch};
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::graph::{self, GraphRegistry};
use crate::arm::id::{RegistryId, ResourceId};
use crate::arm::runs;
use crate::arm::ArmError;
use crate::ctx::ctx;
use crate::domain::fleet::{pool_queues, PoolQueue};
use crate::domain::region::Regions;
use crate::domain::live::DEFAULT as SCHEDULE;

/// Registries read at once when each takes two requests (pools and runs): six in flight.
const REGISTRIES_AT_ONCE: usize = 3;

/// How often answers reach the table while registries are being read.
const FLUSH_MS: u32 = 250;

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
    /// When to read it again (browser clock, ms).
    due_ms: f64,
    /// Whether it moved at its last read: its pools are then read from its own list next time.
    busy: bool,
}

/// What a registry's pools say for the fleet: not every field (Resource Graph's rows and a
/// list's differ in what they carry, systemData for one), so that reading one way and then the
/// other is no change.
fn facts(pools: &[AgentPool]) -> Vec<(String, i32, String, String, Option<String>)> {
    let mut out: Vec<_> = pools
        .iter()
        .map(|p| (p.display_name().to_ascii_lowercase(), p.count(), p.state().to_string(), p.tier().to_string(), p.properties.virtual_network_subnet_resource_id.clone()))
        .collect();
    out.sort();
    out
}

/// Two reads say the same: the same data, or the same refusal (its request id aside).
fn same<T: PartialEq>(a: &Result<T, ArmError>, b: &Result<T, ArmError>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(x), Err(y)) => (x.status, &x.code) == (y.status, &y.code),
        _ => false,
    }
}

impl RegistryState {
    /// Something moves: a pool is being created, scaled or deleted, or the registry differs from
    /// what the last read said (a count, a state, a queue). On a first read there is nothing to
    /// compare with: runs waiting count as moving, as in the queue view.
    fn moving(&self, before: Option<&RegistryState>) -> bool {
        let changing = self.pools.as_ref().is_ok_and(|ps| ps.iter().any(|p| p.state().ends_with("ing")));
        let changed = match before {
            Some(b) => {
                let pools = match (&b.pools, &self.pools) {
                    (Ok(x), Ok(y)) => facts(x) == facts(y),
                    (x, y) => same(x, y),
                };
                !pools || !same(&b.queues, &self.queues)
            }
            None => self.queues.as_ref().is_ok_and(|q| q.values().any(|p| p.queued > 0)),
        };
        changing || changed
    }

    /// Milliseconds until it is read again: soon while it moves, the idle interval otherwise,
    /// and never sooner than a 429 asked.
    fn wait_ms(&self, before: Option<&RegistryState>) -> f64 {
        let base = if self.moving(before) { SCHEDULE.busy_ms } else { SCHEDULE.idle_ms };
        let asked = [&self.pools.as_ref().err(), &self.queues.as_ref().err()]
            .iter()
            .filter_map(|e| e.and_then(|e| e.retry_after))
            .max()
            .map_or(0, |secs| secs.saturating_mul(1000));
        f64::from(base.max(asked))
    }
}

/// What Resource Graph found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discovery {
    pub registries: usize,
    /// Premium registries in agent-pool regions: the ones read.
    pub eligible: usize,
    /// Said when a subscription's agent-pool regions could not be read (the built-in list judged).
    pub regions_note: Option<String>,
    /// Said when Resource Graph gave no agent pools and every registry's list is read instead.
    pub pools_note: Option<String>,
}

#[derive(Clone, Copy)]
pub struct Fleet {
    pub discovery: RwSignal<Option<Discovery>>,
    /// By registry path (lower-cased).
    pub registries: RwSignal<BTreeMap<String, RegistryState>>,
    /// Registries of the running pass still to answer.
    pub pending: RwSignal<usize>,
    /// Resource Graph failed after the registries were first found: the table goes on with
    /// the ones it knows, and says so.
    pub graph_error: RwSignal<Option<ArmError>>,
    /// Each registry's tags, as Resource Graph said (path lower-cased): where pauses are recorded.
    pub tags: RwSignal<BTreeMap<String, BTreeMap<String, String>>>,
    /// Each pool's schedule (pool path lower-cased), from Resource Graph with the registries;
    /// `None` while not known (not read yet, or Resource Graph refused).
    pub schedules: RwSignal<Option<BTreeMap<String, crate::arm::tasks::PoolSchedule>>>,
    pub live: UseLiveReturn<bool>,
    retry: StoredValue<Rc<dyn Fn(RegistryId)>, LocalStorage>,
}

impl Fleet {
    /// Reads one registry again (its inline "Try again").
    pub fn retry(&self, id: RegistryId) {
        (self.retry.get_value())(id)
    }
}

/// Reads a registry's queued and running runs, and its pools unless Resource Graph gave them.
async fn read_registry(client: &crate::arm::client::ArmClient, id: RegistryId, known: Option<Vec<AgentPool>>) -> RegistryState {
    let (pools, queued) = match known {
        Some(pools) => (Ok(pools), runs::list_active(client, &id).await),
        None => futures::join!(agent_pools::list(client, &id), runs::list_active(client, &id)),
    };
    let queues = queued.map(|runs| {
        let views: Vec<(Option<String>, String, u64)> =
            runs.iter().map(|r| (r.properties.agent_pool_name.clone(), r.status().to_string(), r.view().create_ms)).collect();
        pool_queues(views.iter().map(|(p, s, c)| (p.as_deref(), s.as_str(), *c)))
    });
    let at_ms = client.server_now_ms().unwrap_or_else(js_sys::Date::now);
    RegistryState { id, pools, queues, at_ms, due_ms: 0.0, busy: false }
}

fn registry_id(r: &GraphRegistry) -> Option<RegistryId> {
    match ResourceId::parse(&r.id) {
        Ok(ResourceId::Registry(id)) => Some(id),
        _ => None,
    }
}

pub fn use_fleet() -> Fleet {
    let client = ctx().client;
    let regions_book = super::regions::use_regions();
    let discovery = RwSignal::new(None::<Discovery>);
    let registries = RwSignal::new(BTreeMap::<String, RegistryState>::new());
    let pending = RwSignal::new(0usize);
    let graph_error = RwSignal::new(None::<ArmError>);
    let tags = RwSignal::new(BTreeMap::<String, BTreeMap<String, String>>::new());
    let schedules = RwSignal::new(None::<BTreeMap<String, crate::arm::tasks::PoolSchedule>>);
    // A pass that outlives the page stops taking new registries and touches no signal (they are
    // gone with the page: every access below is a `try_`).
    let alive = Rc::new(Cell::new(true));
    let alive_for_cleanup = send_wrapper::SendWrapper::new(alive.clone());
    on_cleanup(move || alive_for_cleanup.set(false));

    // Keeps what reads said, and when to read each registry again. Answers are applied a few
    // times a second, not one by one: hundreds of registries answering would otherwise redraw the
    // table hundreds of times.
    let apply = move |answers: Vec<RegistryState>| {
        registries.try_update(|m| {
            for mut state in answers {
                let key = state.id.path().to_ascii_lowercase();
                state.busy = state.moving(m.get(&key));
                state.due_ms = js_sys::Date::now() + state.wait_ms(m.get(&key));
                m.insert(key, state);
            }
        });
    };
    let batch: Rc<RefCell<(Vec<RegistryState>, Option<Timeout>)>> = Rc::default();
    let flush = {
        let batch = batch.clone();
        move || {
            let answers = std::mem::take(&mut batch.borrow_mut().0);
            batch.borrow_mut().1 = None;
            if !answers.is_empty() {
                apply(answers);
            }
        }
    };
    let put = {
        let (batch, flush) = (batch.clone(), flush.clone());
        move |state: RegistryState| {
            let mut b = batch.borrow_mut();
            b.0.push(state);
            if b.1.is_none() {
                let flush = flush.clone();
                b.1 = Some(Timeout::new(FLUSH_MS, move || flush()));
            }
        }
    };
    // When Resource Graph was last asked (browser clock, ms), and the registries it named that
    // can host pools (read or not yet).
    let discovered_at = Rc::new(Cell::new(f64::NEG_INFINITY));
    let eligible_known: Rc<RefCell<Vec<RegistryId>>> = Rc::default();
    // Each registry's pools as Resource Graph last gave them (path lower-cased); `None` when it
    // gave none (each registry's list is read instead).
    let graph_pools: Rc<RefCell<Option<BTreeMap<String, Vec<AgentPool>>>>> = Rc::default();
    let retry_client = client.clone();
    let retry: Rc<dyn Fn(RegistryId)> = Rc::new(move |id: RegistryId| {
        let client = retry_client.clone();
        leptos::task::spawn_local(async move { apply(vec![read_registry(&client, id, None).await]) });
    });

    let live = use_live(
        move || {
            let (client, alive, discovered_at, eligible_known, graph_pools) = (client.clone(), alive.clone(), discovered_at.clone(), eligible_known.clone(), graph_pools.clone());
            let (put, flush) = (put.clone(), flush.clone());
            async move {
                let now = js_sys::Date::now();
                let known = || eligible_known.borrow().clone();
                // Which registries: asked again every idle interval (new ones, gone ones).
                let eligible: Vec<RegistryId> = if now - discovered_at.get() >= f64::from(SCHEDULE.idle_ms) {
                    let found = graph::registries(&client).await;
                    if !alive.get() {
                        return Ok(false);
                    }
                    match found {
                        Ok(found) => {
                            discovered_at.set(now);
                            graph_error.try_set(None);
                            let found_tags: BTreeMap<String, BTreeMap<String, String>> =
                                found.iter().filter_map(|r| Some((r.id.to_ascii_lowercase(), r.tags.clone().filter(|t| !t.is_empty())?))).collect();
                            if tags.try_with_untracked(|t| *t != found_tags).unwrap_or(false) {
                                tags.try_set(found_tags);
                            }
                            // Every agent pool and task in one more query (issues 21 and 22), not
                            // a list per registry. A refusal leaves the schedules unknown, not "none",
                            // and the pools to each registry's list.
                            let resources = graph::fleet_resources(&client).await;
                            if !alive.get() {
                                return Ok(false);
                            }
                            // Each subscription's agent-pool regions, from its provider registration
                            // (once a session), for the Premium registries only.
                            let mut subs: Vec<String> = found.iter().filter(|r| r.sku_name().eq_ignore_ascii_case("Premium")).map(|r| r.subscription_id.to_ascii_lowercase()).collect();
                            subs.sort();
                            subs.dedup();
                            // Six at a time, as every fan-out read here.
                            let book = regions_book;
                            let regions: BTreeMap<String, Regions> = futures::stream::iter(subs.into_iter().map(|s| {
                                let client = client.clone();
                                async move {
                                    let r = book.get(&client, &s).await;
                                    (s, r)
                                }
                            }))
                            .buffer_unordered(6)
                            .collect()
                            .await;
                            if !alive.get() {
                                return Ok(false);
                            }
                            let regions_note = regions.values().find_map(Regions::fallback_note);
                            let eligible: Vec<RegistryId> = found
                                .iter()
                                .filter(|r| {
                                    let of = regions.get(&r.subscription_id.to_ascii_lowercase()).cloned().unwrap_or(Regions::BuiltIn { why: String::new() });
                                    crate::domain::eligibility::check(r.sku_name(), &r.location, &of).is_ok()
                                })
                                .filter_map(registry_id)
                                .collect();
                            // No pool in Resource Graph while registries could hold some: this cloud
                            // may not index them (unverified on Azure), so each registry is listed.
                            let resources = resources.ok().filter(|r| !r.pools.is_empty() || eligible.is_empty());
                            // Tasks are as unknown as pools then: no schedule is "?", not "none".
                            let found_schedules = resources.as_ref().map(|r| crate::arm::tasks::schedules(&r.tasks));
                            if schedules.try_with_untracked(|s| *s != found_schedules).unwrap_or(false) {
                                schedules.try_set(found_schedules);
                            }
                            let indexed = resources.map(|r| r.pools_by_registry());
                            let pools_note = (indexed.is_none() && !eligible.is_empty())
                                .then(|| "Resource Graph lists no agent pools here, so each registry's pools are read from its own list.".to_string());
                            *graph_pools.borrow_mut() = indexed;
                            discovery.try_set(Some(Discovery { registries: found.len(), eligible: eligible.len(), regions_note, pools_note }));
                            // Registries gone since the last pass leave the table.
                            let keep: std::collections::BTreeSet<String> = eligible.iter().map(|r| r.path().to_ascii_lowercase()).collect();
                            registries.try_update(|m| m.retain(|k, _| keep.contains(k)));
                            *eligible_known.borrow_mut() = eligible.clone();
                            eligible
                        }
                        // Nothing known yet: the page shows the error.
                        Err(e) if discovery.try_with_untracked(Option::is_none).unwrap_or(true) => return Err(e),
                        // Known already: go on with those, and say Resource Graph failed. Its
                        // copy of the pools would only grow older: each registry's list from now.
                        Err(e) => {
                            *graph_pools.borrow_mut() = None;
                            graph_error.try_set(Some(e));
                            known()
                        }
                    }
                } else {
                    known()
                };
                // Only the ones due: never read, or their time has come.
                let due: Vec<RegistryId> = registries
                    .try_with_untracked(|m| {
                        eligible.into_iter().filter(|id| m.get(&id.path().to_ascii_lowercase()).is_none_or(|s| s.due_ms <= now + 500.0)).collect()
                    })
                    .unwrap_or_default();
                pending.try_set(due.len());
                // A registry's pools from Resource Graph, unless it moved at its last read (its own
                // list is fresher than the index then) or the index has none.
                let from_graph = |id: &RegistryId| -> Option<Vec<AgentPool>> {
                    let key = id.path().to_ascii_lowercase();
                    let busy = registries.try_with_untracked(|m| m.get(&key).is_some_and(|s| s.busy)).unwrap_or(false);
                    let indexed = graph_pools.borrow();
                    (!busy).then(|| indexed.as_ref().map(|m| m.get(&key).cloned().unwrap_or_default())).flatten()
                };
                let indexed = graph_pools.borrow().is_some();
                // Six requests in flight: three registries of two requests, or six of one.
                let at_once = if indexed { REGISTRIES_AT_ONCE * 2 } else { REGISTRIES_AT_ONCE };
                // Taken one by one: none once the page is gone or the tab hidden.
                let mut answers = futures::stream::iter(due.into_iter().filter(|_| alive.get() && super::tab_visible()))
                    .map(|id| {
                        let client = client.clone();
                        let known = from_graph(&id);
                        async move { read_registry(&client, id, known).await }
                    })
                    .buffer_unordered(at_once);
                while let Some(state) = answers.next().await {
                    if !alive.get() {
                        return Ok(false);
                    }
                    put(state);
                    pending.try_update(|p| *p = p.saturating_sub(1));
                }
                drop(answers);
                flush();
                // Registries not read (the tab was hidden) are no longer pending.
                pending.try_set(0);
                // The next pass comes on the busy schedule when some registry will be due by then.
                let soon = js_sys::Date::now() + f64::from(SCHEDULE.busy_ms);
                Ok(registries.try_with_untracked(|m| m.values().any(|s| s.due_ms <= soon)).unwrap_or(false))
            }
        },
        Watch::busy_when(|busy: &bool| *busy),
    );
    Fleet { discovery, registries, pending, graph_error, tags, schedules, live, retry: StoredValue::new_local(retry) }
}
