use leptos::prelude::*;

use crate::arm::id::{subscription_path, ResourceId};
use crate::route::Route;

/// Home › subscription › registry › pool (or run), each a link but the last.
#[component]
pub fn Breadcrumbs(route: Route) -> impl IntoView {
    let mut crumbs: Vec<(String, String)> = vec![("Subscriptions".into(), "/".into())];
    if let Route::CreatePool(r) = &route {
        crumbs.push((format!("Subscription {}", short(&r.subscription)), subscription_path(&r.subscription)));
        crumbs.push((r.name.clone(), r.path()));
        crumbs.push(("Create agent pool".into(), crate::route::create_pool_path(r)));
    }
    if let Route::Resource(id) = &route {
        let (sub, registry) = match id {
            ResourceId::Subscription(s) => (s.clone(), None),
            ResourceId::Registry(r) => (r.subscription.clone(), Some(r)),
            ResourceId::AgentPool(p) => (p.registry.subscription.clone(), Some(&p.registry)),
            ResourceId::Run(r) => (r.registry.subscription.clone(), Some(&r.registry)),
        };
        crumbs.push((format!("Subscription {}", short(&sub)), subscription_path(&sub)));
        if let Some(r) = registry {
            crumbs.push((r.name.clone(), r.path()));
        }
        match id {
            ResourceId::AgentPool(p) => crumbs.push((p.name.clone(), p.path())),
            ResourceId::Run(r) => crumbs.push((format!("Run {}", r.run_id), r.path())),
            _ => {}
        }
    }
    let last = crumbs.len() - 1;
    let items = crumbs
        .into_iter()
        .enumerate()
        .map(|(i, (label, href))| {
            if i == last {
                view! { <li><span aria-current="page">{label}</span></li> }.into_any()
            } else {
                view! { <li><a href=href>{label}</a></li> }.into_any()
            }
        })
        .collect_view();
    view! { <nav class="crumbs" aria-label="Breadcrumb"><ol>{items}</ol></nav> }
}

/// The first block of a GUID is enough to tell subscriptions apart in a breadcrumb.
fn short(id: &str) -> String {
    match id.split_once('-') {
        Some((head, _)) if head.len() >= 8 => format!("{head}…"),
        _ => id.to_string(),
    }
}
