//! Subscriptions' display names, for every page that names a subscription (breadcrumbs, the
//! fleet): learnt from any subscription list the app reads, and read once from ARM (one list)
//! the first time a name is wanted that no list has brought.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::subscriptions::{self, Subscription};
use crate::ctx::ctx;

#[derive(Clone, Copy)]
pub struct Directory {
    /// Lower-cased subscription id → display name.
    names: RwSignal<BTreeMap<String, String>>,
    /// Whether the list was asked for (once a session; a failure leaves ids as they are).
    asked: RwSignal<bool>,
}

impl Directory {
    pub fn provide() {
        provide_context(Directory { names: RwSignal::new(BTreeMap::new()), asked: RwSignal::new(false) });
    }

    /// Remembers the names a list brought.
    pub fn learn(self, subs: &[Subscription]) {
        self.names.update(|n| {
            for s in subs {
                n.insert(s.subscription_id.to_ascii_lowercase(), s.display_name.clone());
            }
        });
    }

    /// The display name of a subscription, once known (`None` until then, or if the user cannot
    /// read it), as a signal.
    pub fn name(self, id: &str) -> Signal<Option<String>> {
        self.ask(id);
        let key = id.to_ascii_lowercase();
        let names = self.names;
        Signal::derive(move || names.with(|n| n.get(&key).cloned()))
    }

    /// The same, read where it is needed (tracked by the caller's effect or memo).
    pub fn lookup(self, id: &str) -> Option<String> {
        self.ask(id);
        self.names.with(|n| n.get(&id.to_ascii_lowercase()).cloned())
    }

    /// Every subscription known, as (id, name) (reactive); asks for the list once if none is.
    pub fn all(self) -> Vec<(String, String)> {
        self.ask("");
        self.names.with(|n| n.iter().map(|(id, name)| (id.clone(), name.clone())).collect())
    }

    /// Reads the subscriptions once, the first time a name is wanted that no list has brought.
    fn ask(self, id: &str) {
        if self.asked.get_untracked() || self.names.with_untracked(|n| n.contains_key(&id.to_ascii_lowercase())) {
            return;
        }
        self.asked.set(true);
        let client = ctx().client;
        spawn_local(async move {
            if let Ok(list) = subscriptions::list(&client).await {
                self.learn(&list);
            }
        });
    }
}

pub fn use_directory() -> Directory {
    expect_context()
}
