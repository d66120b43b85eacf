//! Which regions offer agent pools, per subscription: read from the provider registration once a
//! session (kept in sessionStorage, so a reload does not ask again), for every page that judges
//! registries (a subscription's list, a registry, the fleet). A failed read falls back to the
//! built-in list, and the pages say so.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::providers;
use crate::ctx::ctx;
use crate::domain::region::Regions;

const STORAGE_KEY: &str = "poolportal.regions";

#[derive(Clone, Copy)]
pub struct RegionBook {
    /// Lower-cased subscription id → its regions, once read.
    known: RwSignal<BTreeMap<String, Regions>>,
    /// Subscriptions whose registration is being read.
    asking: RwSignal<Vec<String>>,
    /// Subscriptions whose read failed for a passing reason (offline, throttled, a 5xx): the
    /// built-in list stands in, and the next page that asks reads again.
    retry: RwSignal<Vec<String>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

impl RegionBook {
    pub fn provide() {
        let known = storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|t| serde_json::from_str::<BTreeMap<String, Regions>>(&t).ok())
            // Only what was read: a fallback is tried again in a new page load.
            .map(|m| m.into_iter().filter(|(_, r)| matches!(r, Regions::Registered(_))).collect())
            .unwrap_or_default();
        provide_context(RegionBook { known: RwSignal::new(known), asking: RwSignal::new(Vec::new()), retry: RwSignal::new(Vec::new()) });
    }

    /// The regions of a subscription, as a signal: `None` while they are being read.
    pub fn of(self, subscription: &str) -> Signal<Option<Regions>> {
        let key = subscription.to_ascii_lowercase();
        self.ask(&key);
        let known = self.known;
        Signal::derive(move || known.with(|k| k.get(&key).cloned()))
    }

    fn ask(self, key: &str) {
        let settled = self.known.with_untracked(|k| k.contains_key(key)) && !self.retry.with_untracked(|r| r.iter().any(|x| x == key));
        if settled || self.asking.with_untracked(|a| a.iter().any(|x| x == key)) {
            return;
        }
        // Marked now, not when the read starts: two pages asking in the same moment read once.
        self.asking.update(|a| a.push(key.to_string()));
        let client = ctx().client;
        let key = key.to_string();
        spawn_local(async move {
            self.get(&client, &key).await;
        });
    }

    /// The regions of a subscription, read now if no one has: for a loop that needs them before
    /// it goes on (the fleet). A read already under way is not started twice; its answer is waited
    /// for by the signal, so this reads again only if called while it runs.
    pub async fn get(self, client: &crate::arm::client::ArmClient, subscription: &str) -> Regions {
        let key = subscription.to_ascii_lowercase();
        let retry = self.retry.try_with_untracked(|r| r.contains(&key)).unwrap_or(false);
        if let Some(known) = self.known.try_with_untracked(|k| k.get(&key).cloned()).flatten().filter(|_| !retry) {
            return known;
        }
        let _ = self.asking.try_update(|a| {
            if !a.contains(&key) {
                a.push(key.clone());
            }
        });
        let (regions, passing) = match providers::container_registry(client, &key).await {
            Ok(p) => match p.agent_pool_locations() {
                Some(locations) => (Regions::registered(locations), false),
                None => (Regions::BuiltIn { why: "the registration lists no registries/agentPools".into() }, false),
            },
            Err(e) => {
                let passing = e.is_transient();
                (Regions::BuiltIn { why: e.code }, passing)
            }
        };
        let _ = self.retry.try_update(|r| {
            r.retain(|x| *x != key);
            if passing {
                r.push(key.clone());
            }
        });
        let _ = self.known.try_update(|k| {
            k.insert(key.clone(), regions.clone());
        });
        let _ = self.asking.try_update(|a| a.retain(|x| *x != key));
        if let (Some(s), Some(map)) = (storage(), self.known.try_get_untracked()) {
            let _ = s.set_item(STORAGE_KEY, &serde_json::to_string(&map).unwrap_or_default());
        }
        regions
    }
}

pub fn use_regions() -> RegionBook {
    expect_context()
}
