//! The reactive side of operations: started by forms, polled here (not by a page, so leaving the
//! page does not stop them), resumed after a reload, read by any view.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::{decode, encode, latest_for, prune, Kind, OpState, Operation, STORAGE_KEY};
use crate::arm::client::{ArmClient, Reply};
use crate::arm::id::{AgentPoolId, ResourceId};
use crate::arm::poller::{self, Seen, Step};
use crate::arm::agent_pools;

#[derive(Clone, Copy)]
pub struct Tracker {
    ops: RwSignal<Vec<Operation>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The error body an `Azure-AsyncOperation` status carries when the operation failed.
#[derive(Deserialize)]
struct AsyncStatus {
    #[serde(default)]
    error: Option<AsyncError>,
}

#[derive(Deserialize)]
struct AsyncError {
    code: Option<String>,
    message: Option<String>,
}

impl Tracker {
    pub fn load() -> Tracker {
        let mut ops = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).map(|t| decode(&t)).unwrap_or_default();
        prune(&mut ops, now_ms());
        Tracker { ops: RwSignal::new(ops) }
    }

    fn save(&self) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &encode(&self.ops.get_untracked()));
        }
    }

    /// Picks up operations a previous page load was following.
    pub fn resume(&self, client: &ArmClient) {
        for op in self.ops.get_untracked().into_iter().filter(Operation::is_running) {
            if let Ok(ResourceId::AgentPool(pool)) = ResourceId::parse(&op.pool) {
                self.spawn(client.clone(), op.id, pool, op.kind, None);
            }
        }
    }

    /// Records an accepted write and follows it. `target_count`: what an update set the count to.
    pub fn start(&self, client: &ArmClient, pool: &AgentPoolId, kind: Kind, summary: String, target_count: Option<i32>, reply: &Reply) -> u64 {
        // The state and count the write put the pool in, as its answer says.
        let answered = reply.json::<agent_pools::AgentPool>().ok();
        let state = answered.as_ref().map(|p| p.state().to_string()).unwrap_or_else(|| initial_state(kind).into());
        // A delete is followed by `Location` alone: its failure is read there.
        let status_url = reply.async_operation.clone().or_else(|| reply.location.clone());
        let id = self.record(client, pool, kind, summary, target_count, state, status_url, reply.request_id.clone(), reply.retry_after);
        self.update(id, |op| {
            op.correlation_id = reply.correlation_id.clone();
            op.answered_count = answered.as_ref().map(agent_pools::AgentPool::count).filter(|_| kind == Kind::Update);
        });
        id
    }

    /// Follows an operation this page did not see start: a write refused with 409
    /// `AnotherOperationInProgress` (perhaps its own, if an answer was lost and the request retried).
    pub fn watch(&self, client: &ArmClient, pool: &AgentPoolId, kind: Kind, summary: String, target_count: Option<i32>) -> u64 {
        self.record(client, pool, kind, summary, target_count, initial_state(kind).into(), None, None, None)
    }

    /// The outcome of a write on a pool: accepted → followed; refused with 409
    /// `AnotherOperationInProgress` → the operation in progress is followed instead (if our own
    /// request was applied but its answer lost, the retry lands here); anything else is returned.
    pub fn after_write(&self, client: &ArmClient, pool: &AgentPoolId, kind: Kind, summary: String, target_count: Option<i32>, result: Result<Reply, crate::arm::ArmError>) -> Result<u64, crate::arm::ArmError> {
        match result {
            Ok(reply) => Ok(self.start(client, pool, kind, summary, target_count, &reply)),
            Err(e) if e.code == "AnotherOperationInProgress" => {
                Ok(self.watch(client, pool, kind, format!("{summary} (an operation was already in progress: following it)"), target_count))
            }
            Err(e) => Err(e),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record(&self, client: &ArmClient, pool: &AgentPoolId, kind: Kind, summary: String, target_count: Option<i32>, state: String, status_url: Option<String>, request_id: Option<String>, retry_after: Option<u32>) -> u64 {
        let id = self.ops.get_untracked().iter().map(|o| o.id).max().unwrap_or(0) + 1;
        self.ops.update(|ops| {
            ops.push(Operation {
                id,
                pool: pool.path(),
                kind,
                summary,
                started_ms: now_ms(),
                state: OpState::Running,
                status_url,
                last_seen: Some(state),
                polls: 0,
                target_count,
                request_id,
                correlation_id: None,
                answered_count: None,
            });
            prune(ops, now_ms());
        });
        self.save();
        self.spawn(client.clone(), id, pool.clone(), kind, retry_after);
        id
    }

    /// The newest operation on a pool (reactive).
    pub fn for_pool(&self, pool: &str) -> Option<Operation> {
        self.ops.with(|ops| latest_for(ops, pool).cloned())
    }

    /// Running operations on a registry's pools (reactive), for the pool list.
    pub fn running_under(&self, prefix: &str) -> Vec<Operation> {
        let prefix = prefix.to_ascii_lowercase();
        self.ops.with(|ops| ops.iter().filter(|o| o.is_running() && o.pool.to_ascii_lowercase().starts_with(&prefix)).cloned().collect())
    }

    /// Every operation kept in this browser, newest first (reactive), for the tray.
    pub fn all(&self) -> Vec<Operation> {
        self.ops.with(|ops| ops.iter().rev().cloned().collect())
    }

    /// Deletes of a registry's pools that ended well and are still kept (reactive): the
    /// registry's page says they happened.
    pub fn deleted_under(&self, prefix: &str) -> Vec<Operation> {
        let prefix = prefix.to_ascii_lowercase();
        self.ops.with(|ops| ops.iter().filter(|o| o.kind == Kind::Delete && o.state == OpState::Succeeded && o.pool.to_ascii_lowercase().starts_with(&prefix)).cloned().collect())
    }

    pub fn get(&self, id: u64) -> Option<Operation> {
        self.ops.with(|ops| ops.iter().find(|o| o.id == id).cloned())
    }

    fn update(&self, id: u64, f: impl FnOnce(&mut Operation)) {
        self.ops.update(|ops| {
            if let Some(op) = ops.iter_mut().find(|o| o.id == id) {
                f(op);
            }
        });
        self.save();
    }

    fn spawn(&self, client: ArmClient, id: u64, pool: AgentPoolId, kind: Kind, first_retry_after: Option<u32>) {
        let tracker = *self;
        spawn_local(async move { tracker.follow(client, id, pool, kind, first_retry_after).await });
    }

    async fn follow(self, client: ArmClient, id: u64, pool: AgentPoolId, kind: Kind, mut retry_after: Option<u32>) {
        let (started, target) = self.get(id).map_or((now_ms(), None), |o| (o.started_ms, o.target_count));
        let mut polls = 0;
        loop {
            if now_ms() - started > poller::GIVE_UP_AFTER_MS {
                self.finish(id, OpState::Failed { message: "Still not finished after an hour: check the pool in the Azure CLI.".into(), code: None, request_id: None });
                return;
            }
            gloo_timers::future::TimeoutFuture::new(poller::delay_ms(retry_after, polls)).await;
            polls += 1;
            let seen = match agent_pools::get(&client, &pool).await {
                Ok(p) => Seen::State { state: p.state().to_string(), count: p.count() },
                Err(e) if e.status == 404 => Seen::NotFound,
                // Signing in again leaves the page.
                Err(e) if e.code == "SignInRequired" => return,
                // Polling cannot succeed (no access any more, a bad request): say why and stop.
                Err(e) if poller::gives_up_on(e.status) => {
                    self.finish(id, OpState::Failed { message: e.message, code: Some(e.code), request_id: e.request_id });
                    return;
                }
                // Throttled or unreachable: keep trying, slower, as the server asks.
                Err(e) => {
                    retry_after = Some(e.retry_after.unwrap_or(15));
                    continue;
                }
            };
            let step = poller::judge(kind, &seen, target, now_ms() - started);
            let last = match &seen {
                Seen::State { state, .. } => Some(state.clone()),
                Seen::NotFound => Some("Deleted".into()),
            };
            self.update(id, |op| {
                op.last_seen = last;
                op.polls = polls;
            });
            match step {
                Step::Wait => retry_after = None,
                Step::Succeeded => {
                    self.finish(id, OpState::Succeeded);
                    return;
                }
                Step::Failed(why) => {
                    let state = self.failure(&client, id, why).await;
                    self.finish(id, state);
                    return;
                }
            }
        }
    }

    /// Why it failed: the async operation's error when ARM let us read its URL (a status body
    /// with `error`), or a delete's `Location`, which answers the error itself.
    async fn failure(&self, client: &ArmClient, id: u64, fallback: String) -> OpState {
        let (url, request_id) = self.get(id).map_or((None, None), |o| (o.status_url, o.request_id));
        if let Some(url) = url {
            match client.get_url::<AsyncStatus>(&url).await {
                Ok(AsyncStatus { error: Some(e) }) => return OpState::Failed { message: e.message.unwrap_or(fallback), code: e.code, request_id },
                Err(e) if (400..500).contains(&e.status) && e.status != 404 && e.status != 429 => {
                    return OpState::Failed { message: e.message, code: Some(e.code), request_id };
                }
                _ => {}
            }
        }
        OpState::Failed { message: fallback, code: None, request_id }
    }

    fn finish(&self, id: u64, state: OpState) {
        self.update(id, |op| op.state = state);
    }
}

fn initial_state(kind: Kind) -> &'static str {
    match kind {
        Kind::Create => "Creating",
        Kind::Update => "Updating",
        Kind::Delete => "Deleting",
    }
}
