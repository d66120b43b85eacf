//! Reusable widgets. They render every server string as text (never as HTML).

pub mod account_menu;
pub mod breadcrumbs;
pub mod copy_link;
pub mod error_view;
pub mod loading;
pub mod quota_meter;
