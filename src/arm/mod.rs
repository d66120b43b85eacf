//! The Azure Resource Manager client: typed models from Microsoft's spec (one file a resource
//! type), resource ids, the error type, and the request pipeline (bearer token, api-version,
//! retry on 429/5xx honouring Retry-After, nextLink paging). Knows nothing of views.

pub mod activity;
pub mod agent_pools;
pub mod concurrency;
pub mod error;
pub mod graph;
pub mod id;
pub mod logs;
pub mod network;
pub mod pager;
pub mod permissions;
pub mod poller;
pub mod providers;
pub mod registries;
pub mod retry;
pub mod role_assignments;
pub mod runs;
pub mod subscriptions;
pub mod system_data;
pub mod tasks;

#[cfg(target_arch = "wasm32")]
pub mod client;

pub use error::ArmError;

/// Unknown fields of a model, kept so that what we read we can write back unchanged.
pub type Extra = serde_json::Map<String, serde_json::Value>;
