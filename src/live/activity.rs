//! Reading the Activity Log for a pool or a registry (issue 13): the window's events to the last
//! page, grouped into changes as pages arrive. A registry's events are its resource group's,
//! kept when they are the registry's or under it (the API has no filter for a subtree).

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::activity::{self, Event, Scope};
use crate::arm::id::{AgentPoolId, RegistryId};
use crate::arm::ArmError;
use crate::ctx::ctx;
use crate::domain::activity::{group, under, Change, Span};

/// Whose activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Pool(AgentPoolId),
    Registry(RegistryId),
}

impl Source {
    fn subscription(&self) -> &str {
        match self {
            Source::Pool(p) => &p.registry.subscription,
            Source::Registry(r) => &r.subscription,
        }
    }

    fn scope(&self) -> Scope {
        match self {
            Source::Pool(p) => Scope::Resource(p.path()),
            Source::Registry(r) => Scope::ResourceGroup(r.resource_group.clone()),
        }
    }

    /// Whether an event the scope returned belongs here.
    fn keeps(&self, e: &Event) -> bool {
        match self {
            Source::Pool(_) => true,
            Source::Registry(r) => e.resource_id.as_deref().is_some_and(|id| under(id, &r.path())),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Activity {
    /// Changes read so far, newest first.
    pub changes: RwSignal<Vec<Change>>,
    /// When the window ends (the service's clock when the read began).
    pub end_ms: RwSignal<Option<u64>>,
    pub complete: RwSignal<bool>,
    pub error: RwSignal<Option<ArmError>>,
    /// Reads the window again, ending now.
    pub reload: Callback<()>,
}

/// Reads `source`'s activity over `span`, again when the span changes.
pub fn use_activity(source: Source, span: Signal<Span>) -> Activity {
    let client = ctx().client;
    let changes = RwSignal::new(Vec::<Change>::new());
    let end_ms = RwSignal::new(None::<u64>);
    let complete = RwSignal::new(false);
    let error = RwSignal::new(None::<ArmError>);
    // Pages of a read that a newer one replaced are dropped.
    let generation = Rc::new(Cell::new(0u32));
    let start = move |span: Span| {
        generation.set(generation.get() + 1);
        let mine = generation.get();
        let (client, source, generation) = (client.clone(), source.clone(), generation.clone());
        let live = move || generation.get() == mine;
        (changes.set(Vec::new()), complete.set(false), error.set(None), end_ms.set(None));
        spawn_local(async move {
            let end = client.server_now_ms().unwrap_or_else(js_sys::Date::now) as u64;
            if end_ms.try_set(Some(end)).is_some() {
                return; // the page is gone
            }
            let mut events: Vec<Event> = Vec::new();
            let (since, until) = activity::bounds(end, span.ms());
            let mut first = true;
            let result = activity::list(&client, source.subscription(), since, until, &source.scope(), |page| {
                if !live() {
                    return false;
                }
                // The answer's `Date` is the service's clock: "as of" and "5 min ago" use it.
                if std::mem::take(&mut first) {
                    if let Some(now) = client.server_now_ms() {
                        let _ = end_ms.try_set(Some(now as u64));
                    }
                }
                events.extend(page.into_iter().filter(|e| source.keeps(e)));
                changes.try_set(group(&events)).is_none()
            })
            .await;
            if !live() {
                return;
            }
            match result {
                Ok(_) => {
                    let _ = complete.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let start = send_wrapper::SendWrapper::new(start);
    let first = start.clone();
    Effect::new(move |_| first(span.get()));
    let reload = Callback::new(move |_| start(span.get_untracked()));
    Activity { changes, end_ms, complete, error, reload }
}
