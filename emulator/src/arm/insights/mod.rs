//! `providers/Microsoft.Insights`: the Activity Log's management events.

pub mod activity_log;
