//! `providers/Microsoft.Network`: virtual networks and their subnets, network security groups
//! and their security rules.

pub mod security_rules;
pub mod virtual_networks;
