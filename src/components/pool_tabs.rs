//! The top of a pool's pages: its name, a link to share, and the tabs between its overview and
//! its insights (each tab a URL of its own).

use leptos::prelude::*;

use crate::arm::id::AgentPoolId;
use crate::components::copy_link::CopyLink;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Insights,
}

#[component]
pub fn PoolHeader(id: AgentPoolId, tab: Tab) -> impl IntoView {
    let current = move |t: Tab| (t == tab).then_some("page");
    view! {
        <div class="title-row">
            <h1>{id.name.clone()}</h1>
            <CopyLink/>
        </div>
        <p class="muted">{format!("Agent pool in {}", id.registry.name)}</p>
        <nav class="tabs" aria-label="Agent pool views">
            <a href=id.path() aria-current=current(Tab::Overview)>"Overview"</a>
            <a href=crate::route::insights_path(&id) aria-current=current(Tab::Insights)>"Insights"</a>
        </nav>
    }
}
