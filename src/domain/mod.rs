//! Pure rules of ACR Task agent pools: tiers, regions, quota, names, and which registries can host
//! pools. No HTTP, no DOM: every rule here is tested natively.

pub mod eligibility;
pub mod names;
pub mod quota;
pub mod region;
pub mod tier;
