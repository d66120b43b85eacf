//! One file a page. Pages compose `arm` calls and `components`; they never build a URL themselves.

pub mod activity;
pub mod create_pool;
pub mod fleet;
pub mod home;
pub mod insights;
pub mod missing;
pub mod not_found;
pub mod pool;
pub mod pool_runs;
pub mod pool_schedule;
pub mod registry;
pub mod run;
pub mod setup;
pub mod signin;
pub mod splash;
pub mod subscription;
