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

    /// Records an accepted write and follows it.
    pub fn start(&self, client: &ArmClient, pool: &AgentPoolId, kind: Kind, summary: String, reply: &Reply) -> u64 {
        let id = self.ops.get_untracked().iter().map(|o| o.id).max().unwrap_or(0) + 1;
        // The state the write put the pool in, as its answer says (a delete answers without a body).
        let state = reply.json::<agent_pools::AgentPool>().ok().map(|p| p.state().to_string()).unwrap_or_else(|| initial_state(kind).into());
        self.ops.update(|ops| {
            ops.push(Operation {
                id,
                pool: pool.path(),
                kind,
                summary,
                started_ms: now_ms(),
                state: OpState::Running,
                status_url: reply.async_operation.clone(),
                last_seen: Some(state),
                polls: 0,
            });
            prune(ops, now_ms());
        });
        self.save();
        self.spawn(client.clone(), id, pool.clone(), kind, reply.retry_after);
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
        let started = self.get(id).map_or(now_ms(), |o| o.started_ms);
        let mut polls = 0;
        loop {
            gloo_timers::future::TimeoutFuture::new(poller::delay_ms(retry_after, polls)).await;
            polls += 1;
            let seen = match agent_pools::get(&client, &pool).await {
                Ok(p) => Seen::State(p.state().to_string()),
                Err(e) if e.status == 404 => Seen::NotFound,
                // Signing in again leaves the page; anything else: keep trying, slower.
                Err(e) if e.code == "SignInRequired" => return,
                Err(_) => {
                    retry_after = Some(15);
                    continue;
                }
            };
            let step = poller::judge(kind, &seen);
            let last = match &seen {
                Seen::State(s) => Some(s.clone()),
                Seen::NotFound => Some("Deleted".into()),
            };
            self.update(id, |op| {
                op.last_seen = last;
                op.polls = polls;
            });
            match step {
                Step::Wait if now_ms() - started > poller::GIVE_UP_AFTER_MS => {
                    self.finish(id, OpState::Failed { message: "Still not finished after an hour: check the pool in the Azure CLI.".into(), code: None });
                    return;
                }
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

    /// Why it failed: the async operation's error when ARM let us read its URL.
    async fn failure(&self, client: &ArmClient, id: u64, fallback: String) -> OpState {
        let url = self.get(id).and_then(|o| o.status_url);
        if let Some(url) = url {
            if let Ok(AsyncStatus { error: Some(e) }) = client.get_url::<AsyncStatus>(&url).await {
                return OpState::Failed { message: e.message.unwrap_or(fallback), code: e.code };
            }
        }
        OpState::Failed { message: fallback, code: None }
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
