use leptos::prelude::*;

use crate::arm::id::RunId;

/// Runs get their own page (status, log) with the live queue; until then the link is kept valid.
#[component]
pub fn RunPage(id: RunId) -> impl IntoView {
    view! {
        <h1>{format!("Run {}", id.run_id)}</h1>
        <p>"Run details are not shown in this version yet. "
           <a href=id.registry.path()>{format!("Back to {}", id.registry.name)}</a></p>
    }
}
