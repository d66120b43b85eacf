//! `providers/Microsoft.Authorization`: the caller's permissions at a scope. (Role assignments,
//! for scheduled scaling, belong here too.)

pub mod permissions;
