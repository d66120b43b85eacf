//! `providers/Microsoft.ContainerRegistry`: registries, their agent pools and the pools'
//! operations, runs (with their `$filter`), scheduleRun, tasks and task runs.

pub mod agent_pools;
pub mod operations;
pub mod registries;
pub mod run_filter;
pub mod runs;
pub mod schedule;
pub mod task_runs;
pub mod tasks;
