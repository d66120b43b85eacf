//! Whether ARM can be reached, as the request pipeline reports it, and the reload signal that
//! makes a page's failed reads run again: when ARM answers again after an outage, or when the
//! user asks to try again. Reads that worked, and forms built on them, are left alone.

use leptos::prelude::*;

use crate::arm::client::{ArmClient, NetEvent};

#[derive(Clone, Copy)]
pub struct Reach {
    /// The last attempt got an answer.
    pub online: RwSignal<bool>,
    /// Until when (ms since the epoch) the pipeline waits because ARM throttled it.
    pub throttled_until: RwSignal<Option<f64>>,
    epoch: RwSignal<u32>,
}

impl Reach {
    pub fn new() -> Self {
        Reach { online: RwSignal::new(true), throttled_until: RwSignal::new(None), epoch: RwSignal::new(0) }
    }

    pub fn observe(self, event: NetEvent) {
        match event {
            NetEvent::Answered => {
                if self.throttled_until.get_untracked().is_some() {
                    self.throttled_until.set(None);
                }
                if !self.online.get_untracked() {
                    self.online.set(true);
                    self.reload();
                }
            }
            NetEvent::Unreachable => {
                if self.online.get_untracked() {
                    self.online.set(false);
                }
            }
            NetEvent::Throttled { ms } => self.throttled_until.set(Some(js_sys::Date::now() + f64::from(ms))),
        }
    }

    /// Every read on the page runs again.
    pub fn reload(self) {
        self.epoch.update(|e| *e += 1);
    }
}

impl Default for Reach {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_reach() -> Reach {
    expect_context()
}

/// Reads `resource` again on `Reach::reload` if its last read failed. Reads that worked stay as
/// they are, and so does every form built from them: a reconnect never clears typed input.
pub fn reload_if_failed<T: 'static, E: 'static>(resource: LocalResource<Result<T, E>>) {
    if let Some(epoch) = reload_epoch() {
        Effect::watch(
            move || epoch.get(),
            move |_, _, _| {
                if resource.with_untracked(|r| matches!(r, Some(Err(_)))) {
                    resource.refetch();
                }
            },
            false,
        );
    }
}

/// A page's read from ARM: `read(client, key)` with the page's client, as a resource that runs
/// again on `Reach::reload` if it failed (`reload_if_failed`). The client and key are cloned
/// into each read, so callers hand over their own copies and nothing else.
pub fn arm_read<K, T, E, Fut>(key: K, read: impl Fn(ArmClient, K) -> Fut + 'static) -> LocalResource<Result<T, E>>
where
    K: Clone + 'static,
    T: 'static,
    E: 'static,
    Fut: std::future::Future<Output = Result<T, E>> + 'static,
{
    let client = crate::ctx::ctx().client;
    let resource = LocalResource::new(move || read(client.clone(), key.clone()));
    reload_if_failed(resource);
    resource
}

/// The reload count, for live views that refresh on it rather than re-run as a resource.
pub fn reload_epoch() -> Option<ReadSignal<u32>> {
    use_context::<Reach>().map(|r| r.epoch.read_only())
}
