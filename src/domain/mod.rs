//! Pure rules of ACR Task agent pools: tiers, regions, quota, names, and which registries can host
//! pools. No HTTP, no DOM: every rule here is tested natively.

pub mod activity;
pub mod ansi;
pub mod cli;
pub mod eligibility;
pub mod fleet;
pub mod impact;
pub mod insights;
pub mod live;
pub mod log_event;
pub mod log_lines;
pub mod names;
pub mod nsg;
pub mod pause;
pub mod permissions;
pub mod preflight;
pub mod proposal;
pub mod queue;
pub mod quota;
pub mod region;
pub mod schedule;
pub mod search;
pub mod sizing;
pub mod status;
pub mod tier;
pub mod time;
