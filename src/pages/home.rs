use leptos::prelude::*;

use crate::arm::{id::subscription_path, subscriptions};
use crate::components::{error_view::ArmErrorView, loading::Loading};
use crate::live::reach::arm_read;

/// The subscriptions the user can see, and a shortcut to the default registry.
#[component]
pub fn Home() -> impl IntoView {
    let subs = arm_read((), |client, ()| async move { subscriptions::list(&client).await });
    // The names, for breadcrumbs and the fleet.
    let directory = crate::live::directory::use_directory();
    Effect::new(move |_| subs.with(|s| if let Some(Ok(list)) = s { directory.learn(list) }));
    let default = crate::prefs::default_registry().map(|r| {
        view! { <p class="shortcut">"Pinned registry: " <a href=r.path()>{r.name.clone()}</a></p> }
    });
    // Pools opened lately in this browser, newest first: the way back to yesterday's work.
    let recent: Vec<crate::arm::id::AgentPoolId> = crate::prefs::recent_pools()
        .iter()
        .filter_map(|p| match crate::arm::id::ResourceId::parse(p) {
            Ok(crate::arm::id::ResourceId::AgentPool(id)) => Some(id),
            _ => None,
        })
        .collect();
    let recent = (!recent.is_empty()).then(|| {
        let items = recent
            .into_iter()
            .map(|id| view! { <li><a href=id.path()>{id.name.clone()}</a><span class="muted">{format!(" in {}", id.registry.name)}</span></li> })
            .collect_view();
        view! {
            <section class="recent" aria-labelledby="recent-title">
                <h2 id="recent-title" class="section">"Recent pools"</h2>
                <ul class="plain-list">{items}</ul>
            </section>
        }
    });
    view! {
        <h1>"Subscriptions"</h1>
        <p class="shortcut"><a href=crate::route::FLEET>"All agent pools, in every subscription"</a></p>
        {default}
        {recent}
        <Suspense fallback=|| view! { <Loading what="subscriptions"/> }>
            {move || subs.get().map(|r| match r {
                Err(error) => view! { <ArmErrorView error reload=true/> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <p class="empty">"You have no role on any subscription in this directory. Ask an owner for at least Reader."</p>
                }.into_any(),
                Ok(list) => {
                    let rows = list.into_iter().map(|s| view! {
                        <tr>
                            <td><a href=subscription_path(&s.subscription_id)>{s.display_name.clone()}</a></td>
                            <td><code>{s.subscription_id.clone()}</code></td>
                            <td>{s.state.clone().unwrap_or_default()}</td>
                        </tr>
                    }).collect_view();
                    view! {
                        <table class="list" aria-label="Subscriptions">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Subscription id"</th><th scope="col">"State"</th></tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
