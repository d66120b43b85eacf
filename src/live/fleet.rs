//! The fleet, live (issues 11 and 22). Resource Graph names every container registry the user
//! can see, then every agent pool and task (two paged queries, asked again at most once a
//! minute); each subscription's agent-pool regions are read beside the second. Rows are drawn
//! from Resource Graph's pools at once, their queues saying "…"; then each registry's runs are
//! read, those of the rows on screen first (the page says which), through the client's fan-out
//! gate: a window per subscription that follows ARM's read bucket, and a cap on the sum. A
//! registry whose pools moved, or that Resource Graph says changed, or whose rows are on screen
//! once read, has its own pool list read too: fresher than the index. A cloud whose Resource
//! Graph has no agent pools while there are registries to hold them gets every registry's list
//! read instead, and the page says so. A registry that fails keeps its error beside the rest,
//! with a retry of its own.
//!
//! What is read again, and when (`refresh::registry`): a registry that moves, every few seconds;
//! one whose rows are on screen, every idle interval (at once when its rows come on screen after
//! longer); one off screen with runs waiting or running, after two minutes at first and less
//! often while its queue stands still; any other every ten minutes, or when Resource Graph (once
//! a minute) sees its pools change. Nothing is read while the tab is hidden.

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
use crate::arm::client::ArmClient;
use crate::arm::runs;
use crate::arm::ArmError;
use crate::ctx::ctx;
use crate::domain::fleet::pool_queues;
use crate::refresh::registry::{take_indexed, RegistryState};
use crate::arm::concurrency::subscription_of_path;
use crate::refresh::order::{Next, ReadOrder};
use crate::domain::region::Regions;
use crate::domain::live::DEFAULT as SCHEDULE;

/// Subscriptions' agent-pool regions read at once. One read per subscription, once a session:
/// nothing for a subscription's window to pace, so they go outside the fan-out gate, which then
/// learns only from the registries' reads it paces.
const REGIONS_AT_ONCE: usize = 16;

/// Resource Graph is asked again at most this often: enough to spot a pool changed anywhere.
const GRAPH_MS: f64 = 60_000.0;

/// How often answers reach the table while registries are being read.
const FLUSH_MS: u32 = 250;

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
    /// The registries (paths lower-cased) of the rows on screen, top first: the page says, and
    /// their runs are read first and kept fresh.
    pub seen: RwSignal<Vec<String>>,
    pub live: UseLiveReturn<bool>,
    retry: StoredValue<Rc<dyn Fn(RegistryId)>, LocalStorage>,
}

impl Fleet {
    /// Reads one registry again (its inline "Try again").
    pub fn retry(&self, id: RegistryId) {
        (self.retry.get_value())(id)
    }
}

/// Reads a registry's queued and running runs, and its pools unless they are known already.
async fn read_registry(client: &ArmClient, id: RegistryId, known: Option<Vec<AgentPool>>) -> RegistryState {
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
    RegistryState { id, pools, queues: Some(queues), at_ms, read_ms: 0.0, due_ms: 0.0, list_next: false, calm: 0 }
}

fn registry_id(r: &GraphRegistry) -> Option<RegistryId> {
    match ResourceId::parse(&r.id) {
        Ok(ResourceId::Registry(id)) => Some(id),
        _ => None,
    }
}

/// The fleet's signals that Resource Graph's answers set.
#[derive(Clone, Copy)]
struct Outputs {
    discovery: RwSignal<Option<Discovery>>,
    tags: RwSignal<BTreeMap<String, BTreeMap<String, String>>>,
    schedules: RwSignal<Option<BTreeMap<String, crate::arm::tasks::PoolSchedule>>>,
}

/// What Resource Graph said this time, for the registries it found.
struct Found {
    eligible: Vec<RegistryId>,
    /// Each eligible registry's pools (path lower-cased); `None`: Resource Graph has no agent
    /// pools here, each registry's list is read.
    pools: Option<BTreeMap<String, Vec<AgentPool>>>,
}

/// Asks Resource Graph for the registries, then for every agent pool and task while each
/// subscription's agent-pool regions are read; sets the signals that come from it.
async fn discover(client: &ArmClient, plain: &ArmClient, out: &Outputs, regions_book: super::regions::RegionBook, alive: &Cell<bool>) -> Option<Result<Found, ArmError>> {
    let found = match graph::registries(client).await {
        Ok(found) => found,
        Err(e) => return Some(Err(e)),
    };
    if !alive.get() {
        return None;
    }
    let found_tags: BTreeMap<String, BTreeMap<String, String>> = found.iter().filter_map(|r| Some((r.id.to_ascii_lowercase(), r.tags.clone().filter(|t| !t.is_empty())?))).collect();
    if out.tags.try_with_untracked(|t| *t != found_tags).unwrap_or(false) {
        out.tags.try_set(found_tags);
    }
    // The Premium registries' subscriptions: their agent-pool regions come from their provider
    // registration (once a session), read while Resource Graph gathers the pools and tasks.
    let mut subs: Vec<String> = found.iter().filter(|r| r.sku_name().eq_ignore_ascii_case("Premium")).map(|r| r.subscription_id.to_ascii_lowercase()).collect();
    subs.sort();
    subs.dedup();
    let regions = futures::stream::iter(subs.into_iter().map(|s| async move {
        let r = regions_book.get(plain, &s).await;
        (s, r)
    }))
    .buffer_unordered(REGIONS_AT_ONCE)
    .collect::<BTreeMap<String, Regions>>();
    // Every agent pool and task in one query (issues 21 and 22), not a list per registry.
    let (resources, regions) = futures::join!(graph::fleet_resources(client), regions);
    if !alive.get() {
        return None;
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
    // No pool in Resource Graph while registries could hold some: this cloud may not index them
    // (unverified on Azure), so each registry is listed. A refusal leaves the schedules unknown
    // ("?", not "none"), and the pools to each registry's list.
    let resources = resources.ok().filter(|r| !r.pools.is_empty() || eligible.is_empty());
    let found_schedules = resources.as_ref().map(|r| crate::arm::tasks::schedules(&r.tasks));
    if out.schedules.try_with_untracked(|s| *s != found_schedules).unwrap_or(false) {
        out.schedules.try_set(found_schedules);
    }
    let pools = resources.map(|r| r.pools_by_registry());
    let pools_note = (pools.is_none() && !eligible.is_empty()).then(|| "Resource Graph lists no agent pools here, so each registry's pools are read from its own list.".to_string());
    out.discovery.try_set(Some(Discovery { registries: found.len(), eligible: eligible.len(), regions_note, pools_note }));
    Some(Ok(Found { eligible, pools }))
}

pub fn use_fleet() -> Fleet {
    // Every read here goes through one fan-out gate (`arm::concurrency`), but the regions'.
    let plain = ctx().client;
    let client = plain.fanned_out();
    let regions_book = super::regions::use_regions();
    let registries = RwSignal::new(BTreeMap::<String, RegistryState>::new());
    let pending = RwSignal::new(0usize);
    let seen = RwSignal::new(Vec::<String>::new());
    // A pass that outlives the page stops taking new registries and touches no signal (they are
    // gone with the page: every access below is a `try_`).
    let alive = Rc::new(Cell::new(true));
    let alive_for_cleanup = send_wrapper::SendWrapper::new(alive.clone());
    on_cleanup(move || alive_for_cleanup.set(false));
    // Whether the pools come from Resource Graph now (else each registry's list is read, every
    // idle interval: a cloud that does not index them, or Resource Graph failing), and the pools
    // of its last good answer (path lower-cased), what its next answer is compared with: a change
    // made while it failed is still seen.
    let indexed = Rc::new(Cell::new(false));
    let graph_last: Rc<RefCell<Option<BTreeMap<String, Vec<AgentPool>>>>> = Rc::default();

    // Keeps what reads said, and when to read each registry again. Answers are applied a few
    // times a second, not one by one: hundreds of registries answering would otherwise redraw the
    // table hundreds of times.
    let apply = {
        let indexed = indexed.clone();
        move |answers: Vec<RegistryState>| {
            let every = !indexed.get();
            registries.try_update(|m| {
                let now = js_sys::Date::now();
                for state in answers {
                    let key = state.id.path().to_ascii_lowercase();
                    let state = state.after_read(m.get(&key), now, every);
                    m.insert(key, state);
                }
            });
        }
    };
    let batch: Rc<RefCell<(Vec<RegistryState>, Option<Timeout>)>> = Rc::default();
    let flush = {
        let (batch, apply) = (batch.clone(), apply.clone());
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
    let retry_client = client.clone();
    let retry: Rc<dyn Fn(RegistryId)> = Rc::new(move |id: RegistryId| {
        let (client, apply) = (retry_client.clone(), apply.clone());
        leptos::task::spawn_local(async move { apply(vec![read_registry(&client, id, None).await]) });
    });
    let discovery = RwSignal::new(None::<Discovery>);
    let graph_error = RwSignal::new(None::<ArmError>);
    let tags = RwSignal::new(BTreeMap::<String, BTreeMap<String, String>>::new());
    let schedules = RwSignal::new(None::<BTreeMap<String, crate::arm::tasks::PoolSchedule>>);
    let outputs = Outputs { discovery, tags, schedules };

    let live = use_live(
        {
            move || {
                let (client, plain, alive, discovered_at, eligible_known, indexed, graph_last) =
                    (client.clone(), plain.clone(), alive.clone(), discovered_at.clone(), eligible_known.clone(), indexed.clone(), graph_last.clone());
                let (put, flush) = (put.clone(), flush.clone());
                async move {
                    let now = js_sys::Date::now();
                    // Which registries, and their pools: Resource Graph at most once a minute.
                    let eligible: Vec<RegistryId> = if now - discovered_at.get() >= GRAPH_MS {
                        match discover(&client, &plain, &outputs, regions_book, &alive).await {
                            None => return Ok(false),
                            Some(Ok(found)) => {
                                discovered_at.set(now);
                                graph_error.try_set(None);
                                let keep: std::collections::BTreeSet<String> = found.eligible.iter().map(|r| r.path().to_ascii_lowercase()).collect();
                                registries.try_update(|m| {
                                    // Registries gone since the last pass leave the table.
                                    m.retain(|k, _| keep.contains(k));
                                    if let Some(pools) = &found.pools {
                                        take_indexed(m, &found.eligible, pools, graph_last.borrow().as_ref(), js_sys::Date::now());
                                    }
                                });
                                indexed.set(found.pools.is_some());
                                if found.pools.is_some() {
                                    *graph_last.borrow_mut() = found.pools;
                                }
                                *eligible_known.borrow_mut() = found.eligible.clone();
                                // Until the pass below counts what it reads: the page must not look
                                // settled in between (the rows just drawn have not been read).
                                pending.try_set(registries.try_with_untracked(|m| keep.iter().filter(|k| m.get(*k).is_none_or(|s| s.queues.is_none())).count()).unwrap_or(0));
                                found.eligible
                            }
                            // Nothing known yet: the page shows the error.
                            Some(Err(e)) if discovery.try_with_untracked(Option::is_none).unwrap_or(true) => return Err(e),
                            // Known already: go on with those, and say Resource Graph failed. Its
                            // copy of the pools would only grow older: each registry's list from now.
                            Some(Err(e)) => {
                                indexed.set(false);
                                graph_error.try_set(Some(e));
                                eligible_known.borrow().clone()
                            }
                        }
                    } else {
                        eligible_known.borrow().clone()
                    };
                    // Let the page draw what Resource Graph gave and say which rows are on screen
                    // (its effects run before a timer does): those are read first.
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if !alive.get() {
                        return Ok(false);
                    }
                    let indexed = indexed.get();
                    // The ones due now, with the pools already known for those read for runs only.
                    let on_screen: std::collections::BTreeSet<String> = seen.try_with_untracked(|s| s.iter().cloned().collect()).unwrap_or_default();
                    let todo: Vec<(String, (RegistryId, Option<Vec<AgentPool>>))> = registries
                        .try_with_untracked(|m| {
                            eligible
                                .into_iter()
                                .filter_map(|id| {
                                    let key = id.path().to_ascii_lowercase();
                                    let state = m.get(&key);
                                    if !state.is_none_or(|s| s.due(on_screen.contains(&key), now, indexed)) {
                                        return None;
                                    }
                                    // Its own list too when it moved or Resource Graph says it
                                    // changed, and when its rows are on screen and it was read
                                    // before (what is looked at is the freshest there is).
                                    let seen_again = on_screen.contains(&key) && state.is_some_and(|s| s.queues.is_some());
                                    let known = state.filter(|s| indexed && !s.list_next && !seen_again).and_then(|s| s.pools.clone().ok());
                                    Some((key, (id, known)))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let mut todo = ReadOrder::new(todo);
                    pending.try_set(todo.len());
                    let fanout = client.fanout().cloned().expect("the fleet's client fans out");
                    let mut reading = futures::stream::FuturesUnordered::new();
                    // Reads out, by subscription and in all, counted when started (the gate sees a
                    // read only once it is polled; a registry whose list is read too counts twice).
                    let mut out: BTreeMap<String, u32> = BTreeMap::new();
                    let mut total = 0u32;
                    loop {
                        // Start what the gate has room for, on screen first (the page may have
                        // scrolled or filtered since the pass began); none once the page is gone
                        // or the tab hidden.
                        let mut paused_ms = None;
                        while alive.get() && super::tab_visible() {
                            let seen_now = seen.try_get_untracked().unwrap_or_default();
                            // A registry whose list is read too is two requests: both must fit.
                            let requests = |known: &Option<Vec<AgentPool>>| if known.is_some() { 1 } else { 2 };
                            let room = |sub: &str, (_, known): &(RegistryId, Option<Vec<AgentPool>>)| {
                                let extra = requests(known) - 1;
                                fanout.room(sub, out.get(sub).copied().unwrap_or(0) + extra, total + extra)
                            };
                            match todo.next(&seen_now, room) {
                                Next::Start(key, (id, known)) => {
                                    let sub = subscription_of_path(&key);
                                    let n = requests(&known);
                                    *out.entry(sub.clone()).or_default() += n;
                                    total += n;
                                    let client = client.clone();
                                    reading.push(async move { (sub, n, read_registry(&client, id, known).await) });
                                }
                                Next::After(ms) => {
                                    paused_ms = Some(ms);
                                    break;
                                }
                                Next::Full | Next::Done => break,
                            }
                        }
                        if reading.is_empty() {
                            // Nothing out: either all is done, or every subscription left waits out a 429.
                            match paused_ms {
                                Some(ms) if alive.get() => {
                                    gloo_timers::future::TimeoutFuture::new(ms.ceil() as u32).await;
                                    continue;
                                }
                                _ => break,
                            }
                        }
                        let Some((sub, n, state)) = reading.next().await else { break };
                        if !alive.get() {
                            return Ok(false);
                        }
                        if let Some(c) = out.get_mut(&sub) {
                            *c = c.saturating_sub(n);
                        }
                        total = total.saturating_sub(n);
                        put(state);
                        pending.try_update(|p| *p = p.saturating_sub(1));
                    }
                    flush();
                    // Registries not read (the tab was hidden) are no longer pending.
                    pending.try_set(0);
                    // The next pass comes on the busy schedule when some registry will be due by then.
                    let soon = js_sys::Date::now() + f64::from(SCHEDULE.busy_ms);
                    Ok(registries.try_with_untracked(|m| m.values().any(|s| s.queues.is_none() || s.due_ms <= soon)).unwrap_or(false))
                }
            }
        },
        Watch::busy_when(|busy: &bool| *busy),
    );
    // A row that comes on screen (a scroll, a filter) whose registry was read more than an idle
    // interval ago is read now, not at the next pass: what is looked at is fresh.
    Effect::new(move |_| {
        let now = js_sys::Date::now();
        let stale = seen.with(|keys| registries.with_untracked(|m| keys.iter().any(|k| m.get(k).is_some_and(|s| s.queues.is_some() && s.due(true, now, true)))));
        if stale {
            live.refresh.run(());
        }
    });
    Fleet { discovery, registries, pending, graph_error, tags, schedules, seen, live, retry: StoredValue::new_local(retry) }
}
