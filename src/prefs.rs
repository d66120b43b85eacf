//! What the portal remembers between visits, in this browser's localStorage: the registry pinned
//! to Home (like `az configure --defaults acr=`), the pools opened lately, and whether times are
//! shown in the browser's zone or UTC. Never tokens: those stay in msal's sessionStorage cache.

use leptos::prelude::{use_context, LocalStorage, StoredValue, WithValue};

const DEFAULT_REGISTRY: &str = "poolportal.defaultRegistry";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The default registry's id path, if one was chosen and still parses as a registry id.
pub fn default_registry() -> Option<crate::arm::id::RegistryId> {
    let path = storage()?.get_item(DEFAULT_REGISTRY).ok().flatten()?;
    match crate::arm::id::ResourceId::parse(&path) {
        Ok(crate::arm::id::ResourceId::Registry(r)) => Some(r),
        _ => None,
    }
}

pub fn set_default_registry(id: &crate::arm::id::RegistryId) {
    if let Some(s) = storage() {
        let _ = s.set_item(DEFAULT_REGISTRY, &id.path());
    }
}

const ZONE: &str = "poolportal.timeZone";

/// Where times are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Local,
    Utc,
}

pub fn zone() -> Zone {
    match storage().and_then(|s| s.get_item(ZONE).ok().flatten()).as_deref() {
        Some("utc") => Zone::Utc,
        _ => Zone::Local,
    }
}

pub fn set_zone(zone: Zone) {
    if let Some(s) = storage() {
        let _ = s.set_item(ZONE, if zone == Zone::Utc { "utc" } else { "local" });
    }
}

const NOTIFY: &str = "poolportal.notifyOperations";

/// Whether the user asked for a notification when an operation ends in a background tab.
pub fn notify_operations() -> bool {
    storage().and_then(|s| s.get_item(NOTIFY).ok().flatten()).as_deref() == Some("on")
}

pub fn set_notify_operations(on: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(NOTIFY, if on { "on" } else { "off" });
    }
}

const RECENT: &str = "poolportal.recentPools";
const RECENT_KEPT: usize = 8;

/// Per signed-in user: someone else signing in on this browser does not see what they opened.
fn recent_key() -> String {
    let user = use_context::<StoredValue<crate::ctx::Ctx, LocalStorage>>()
        .and_then(|c| c.with_value(|c| c.session.user.as_ref().map(|u| u.username.to_ascii_lowercase())));
    format!("{RECENT}.{}", user.unwrap_or_default())
}

/// Pools opened lately by the signed-in user, newest first (their id paths).
pub fn recent_pools() -> Vec<String> {
    let text = storage().and_then(|s| s.get_item(&recent_key()).ok().flatten()).unwrap_or_default();
    serde_json::from_str::<Vec<String>>(&text).unwrap_or_default()
}

/// Puts a pool first in the recent list (once: ids compare without case, as ARM's do).
pub fn remember_pool(path: &str) {
    let mut list = recent_pools();
    list.retain(|p| !p.eq_ignore_ascii_case(path));
    list.insert(0, path.to_string());
    list.truncate(RECENT_KEPT);
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&list)) {
        let _ = s.set_item(&recent_key(), &text);
    }
}

/// Forgets a pool (it was deleted, or is no longer there).
pub fn forget_pool(path: &str) {
    let mut list = recent_pools();
    list.retain(|p| !p.eq_ignore_ascii_case(path));
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&list)) {
        let _ = s.set_item(&recent_key(), &text);
    }
}
