//! The top of a pool's pages (its name, a link to share, who made it and changed it last, and the tabs
//! between its overview, insights and activity) and of a registry's (its pools and activity).
//! Each tab is a URL of its own.

use leptos::prelude::*;

use crate::arm::id::{AgentPoolId, RegistryId};
use crate::arm::system_data::SystemData;
use crate::components::provenance::{Provenance, ProvenanceRead};
use crate::components::copy_link::CopyLink;
use crate::ops::tracker::Tracker;
use crate::route::activity_path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Runs,
    Schedule,
    Insights,
    Activity,
}

/// `system_data`: from the pool the page reads anyway; without it the header reads the pool.
#[component]
pub fn PoolHeader(id: AgentPoolId, tab: Tab, #[prop(optional)] system_data: Option<Signal<Option<SystemData>>>) -> impl IntoView {
    let current = move |t: Tab| (t == tab).then_some("page");
    let tracker = expect_context::<Tracker>();
    let path = id.path();
    let op = Memo::new(move |_| tracker.for_pool(&path).map(|o| (o.id, o.is_running())));
    view! {
        <div class="title-row">
            <h1>{id.name.clone()}</h1>
            <CopyLink/>
        </div>
        <p class="muted">{format!("Agent pool in {}", id.registry.name)}</p>
        {match system_data {
            Some(system_data) => view! { <Provenance system_data/> }.into_any(),
            None => view! { <ProvenanceRead id=id.clone() changed=op/> }.into_any(),
        }}
        <nav class="tabs" aria-label="Agent pool views">
            <a href=id.path() aria-current=current(Tab::Overview)>"Overview"</a>
            <a href=crate::route::runs_path(&id) aria-current=current(Tab::Runs)>"Runs"</a>
            <a href=crate::route::schedule_path(&id) aria-current=current(Tab::Schedule)>"Schedule"</a>
            <a href=crate::route::insights_path(&id) aria-current=current(Tab::Insights)>"Insights"</a>
            <a href=activity_path(&id.path()) aria-current=current(Tab::Activity)>"Activity"</a>
        </nav>
    }
}

/// A registry's name and its tabs: its agent pools (`Tab::Overview`) and its activity.
#[component]
pub fn RegistryHeader(id: RegistryId, tab: Tab) -> impl IntoView {
    let current = move |t: Tab| (t == tab).then_some("page");
    view! {
        <div class="title-row">
            <h1>{id.name.clone()}</h1>
            <CopyLink/>
        </div>
        <nav class="tabs" aria-label="Registry views">
            <a href=id.path() aria-current=current(Tab::Overview)>"Agent pools"</a>
            <a href=activity_path(&id.path()) aria-current=current(Tab::Activity)>"Activity"</a>
        </nav>
    }
}
