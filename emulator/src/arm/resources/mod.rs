//! ARM's own tree (`Microsoft.Resources`): the cloud's metadata, subscriptions, resource groups,
//! the generic resources list and its `$filter`, resource providers, and tags as a resource.

pub mod generic;
pub mod generic_filter;
pub mod metadata;
pub mod providers;
pub mod resource_groups;
pub mod subscriptions;
pub mod tags;
