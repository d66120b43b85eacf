//! Reusable widgets. They render every server string as text (never as HTML).

pub mod account_menu;
pub mod activity;
pub mod advisor;
pub mod breadcrumbs;
pub mod charts;
pub mod cli_echo;
pub mod connection_banner;
pub mod copy_link;
pub mod delete_pool;
pub mod error_view;
pub mod live_queue;
pub mod loading;
pub mod op_progress;
pub mod pause;
pub mod pool_tabs;
pub mod preflight_view;
pub mod provenance;
pub mod quota_meter;
pub mod readiness;
pub mod scale;
pub mod schedule_work;
pub mod window_choice;
