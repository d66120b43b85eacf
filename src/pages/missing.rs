//! What a link to something that is not there shows: one message that says what is missing and
//! where, and ways on (issue 20). A pool may have been deleted since the link was shared, so its
//! registry's pools and Activity are offered; a run, its registry.

use leptos::prelude::*;

use crate::arm::agent_pools;
use crate::arm::id::{AgentPoolId, RunId};
use crate::components::loading::Loading;
use crate::live::reach::arm_read;
use crate::route::activity_path;

/// Whether an error says the thing itself is not there (not a refusal or an outage).
pub fn is_missing(e: &crate::arm::ArmError) -> bool {
    e.status == 404
}

/// What Azure said, in small print, for a support ticket.
fn service_said(error: Option<crate::arm::ArmError>) -> impl IntoView {
    error.map(|e| {
        let request = e.request_id.map(|r| format!(" · request id {r}")).unwrap_or_default();
        view! { <p class="muted small">{format!("Azure answered {} ({}){request}.", e.code, e.status)}</p> }
    })
}

#[component]
pub fn MissingPool(id: AgentPoolId, #[prop(optional)] error: Option<crate::arm::ArmError>) -> impl IntoView {
    // A link kept in "Recent" that leads nowhere now leaves it.
    crate::prefs::forget_pool(&id.path());
    let siblings = arm_read(id.registry.clone(), |c, r| async move { agent_pools::list(&c, &r).await });
    let registry = id.registry.clone();
    let list = move || {
        siblings.get().map(|r| match r {
            Ok(pools) if pools.is_empty() => view! { <p class="empty">{format!("{} has no agent pools now.", registry.name)}</p> }.into_any(),
            Ok(pools) => {
                let items = pools
                    .iter()
                    .map(|p| {
                        let name = p.display_name().to_string();
                        // A name the service sent becomes a link only if it is a pool name.
                        if crate::domain::names::is_agent_pool_name(&name) {
                            view! { <li><a href=registry.pool(&name).path()>{name.clone()}</a></li> }.into_any()
                        } else {
                            view! { <li>{name.clone()}</li> }.into_any()
                        }
                    })
                    .collect_view();
                view! { <h2 class="section">{format!("Agent pools in {}", registry.name)}</h2><ul class="plain-list">{items}</ul> }.into_any()
            }
            // The registry itself cannot be read: say so once, without ARM's text twice.
            Err(_) => view! { <p class="muted">{format!("The registry {} could not be read either.", registry.name)}</p> }.into_any(),
        })
    };
    view! {
        <section class="missing" aria-labelledby="missing-title">
            <h1 id="missing-title">{format!("No agent pool '{}' in {}", id.name, id.registry.name)}</h1>
            <p>"It may have been deleted, or the link has a typo. "
                <a href=activity_path(&id.registry.path())>{format!("See {}'s Activity", id.registry.name)}</a>
                " for who deleted what, or open one of its pools."</p>
            {move || list().unwrap_or_else(|| view! { <Loading what="agent pools"/> }.into_any())}
            {service_said(error)}
        </section>
    }
}

#[component]
pub fn MissingRun(id: RunId, #[prop(optional)] error: Option<crate::arm::ArmError>) -> impl IntoView {
    view! {
        <section class="missing" aria-labelledby="missing-title">
            <h1 id="missing-title">{format!("No run '{}' in {}", id.run_id, id.registry.name)}</h1>
            <p>"It may have been deleted, or the link has a typo. "
                <a href=id.registry.path()>{format!("Back to {}", id.registry.name)}</a></p>
            {service_said(error)}
        </section>
    }
}
