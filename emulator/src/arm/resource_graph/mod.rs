//! `providers/Microsoft.ResourceGraph`: the `resources` query, in the emulator's subset of Kusto.

pub mod kql;
pub mod query;
