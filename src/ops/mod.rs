//! Operations in flight on pools (create, scale, pause, resume, delete): what the user started,
//! followed until it ends, kept in sessionStorage so progress survives navigating away and a
//! reload. The record is plain data (tested natively); `tracker` polls and renders it reactive.

#[cfg(target_arch = "wasm32")]
pub mod tracker;

use serde::{Deserialize, Serialize};

pub use crate::arm::poller::Kind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpState {
    Running,
    Succeeded,
    Failed { message: String, code: Option<String>, request_id: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    pub id: u64,
    /// The pool's id path (also its page's URL).
    pub pool: String,
    pub kind: Kind,
    /// What was asked, in words: "Create S2 × 2", "Scale 2 → 0".
    pub summary: String,
    pub started_ms: f64,
    pub state: OpState,
    /// `Azure-AsyncOperation`, if it could be read: asked why, if the operation fails.
    pub status_url: Option<String>,
    /// The last `provisioningState` seen.
    pub last_seen: Option<String>,
    pub polls: u32,
    /// The count an update asked for (it is done when the pool has it).
    #[serde(default)]
    pub target_count: Option<i32>,
    /// `x-ms-request-id` of the write, for a support ticket.
    #[serde(default)]
    pub request_id: Option<String>,
    /// `x-ms-correlation-request-id` of the write: its events in the Activity Log.
    #[serde(default)]
    pub correlation_id: Option<String>,
    /// The count the write's answer already shows (Azure answers a scale with the new count).
    #[serde(default)]
    pub answered_count: Option<i32>,
}

impl Operation {
    pub fn is_running(&self) -> bool {
        self.state == OpState::Running
    }
}

pub const STORAGE_KEY: &str = "poolportal.operations";
/// Finished operations are shown for a while, then forgotten.
pub const KEEP_FINISHED_MS: f64 = 15.0 * 60.0 * 1000.0;
const MAX_KEPT: usize = 50;

pub fn decode(text: &str) -> Vec<Operation> {
    serde_json::from_str(text).unwrap_or_default()
}

pub fn encode(ops: &[Operation]) -> String {
    serde_json::to_string(ops).unwrap_or_else(|_| "[]".into())
}

/// Forgets finished operations past their time, and the oldest beyond a bound.
pub fn prune(ops: &mut Vec<Operation>, now_ms: f64) {
    ops.retain(|o| o.is_running() || now_ms - o.started_ms < KEEP_FINISHED_MS);
    if ops.len() > MAX_KEPT {
        let drop = ops.len() - MAX_KEPT;
        ops.drain(..drop);
    }
}

/// The newest operation on a pool (ids compare case-insensitively, as ARM's do).
pub fn latest_for<'a>(ops: &'a [Operation], pool: &str) -> Option<&'a Operation> {
    ops.iter().filter(|o| o.pool.eq_ignore_ascii_case(pool)).max_by_key(|o| o.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(id: u64, pool: &str, state: OpState, started_ms: f64) -> Operation {
        Operation { id, pool: pool.into(), kind: Kind::Update, summary: "s".into(), started_ms, state, status_url: None, last_seen: None, polls: 0, target_count: None, request_id: None, correlation_id: None, answered_count: None }
    }

    #[test]
    fn records_survive_a_round_trip_and_garbage_is_ignored() {
        let ops = vec![op(1, "/p", OpState::Failed { message: "m".into(), code: Some("C".into()), request_id: None }, 5.0)];
        assert_eq!(decode(&encode(&ops)), ops);
        assert!(decode("{not json").is_empty());
    }

    #[test]
    fn running_operations_are_kept_and_old_finished_ones_forgotten() {
        let mut ops = vec![op(1, "/a", OpState::Running, 0.0), op(2, "/a", OpState::Succeeded, 0.0), op(3, "/b", OpState::Succeeded, 10_000_000.0)];
        prune(&mut ops, 10_000_000.0 + 1.0);
        assert_eq!(ops.iter().map(|o| o.id).collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn the_latest_operation_of_a_pool_wins() {
        let ops = vec![op(1, "/A", OpState::Succeeded, 0.0), op(4, "/a", OpState::Running, 0.0), op(9, "/b", OpState::Running, 0.0)];
        assert_eq!(latest_for(&ops, "/a").map(|o| o.id), Some(4));
        assert!(latest_for(&ops, "/c").is_none());
    }
}
