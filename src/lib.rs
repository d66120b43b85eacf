//! Pool Portal: manage ACR Task agent pools from the browser, calling ARM directly.
//!
//! `arm`, `domain`, `refresh` and `config` are plain Rust and build natively for tests; the UI (`app`,
//! `pages`, `components`) and the sign-in glue (`auth`) exist only in the wasm build.

pub mod arm;
pub mod config;
pub mod domain;
pub mod ops;
pub mod refresh;
pub mod route;

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod auth;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod ctx;
#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
mod nav;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod prefs;

#[cfg(target_arch = "wasm32")]
pub use app::start;
