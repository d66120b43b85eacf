use leptos::prelude::*;

use crate::arm::id::{subscription_path, ResourceId};
use crate::live::directory::use_directory;
use crate::route::Route;

/// A crumb's text: fixed, or a subscription's display name once it is known.
enum Label {
    Text(String),
    Subscription(String),
}

/// Home › subscription › registry › pool (or run), each a link but the last.
#[component]
pub fn Breadcrumbs(route: Route) -> impl IntoView {
    let mut crumbs: Vec<(Label, String)> = vec![(Label::Text("Subscriptions".into()), "/".into())];
    if let Route::CreatePool(r) = &route {
        crumbs.push((Label::Subscription(r.subscription.clone()), subscription_path(&r.subscription)));
        crumbs.push((Label::Text(r.name.clone()), r.path()));
        crumbs.push((Label::Text("Create agent pool".into()), crate::route::create_pool_path(r)));
    }
    if let Route::Insights(p) = &route {
        crumbs.push((Label::Subscription(p.registry.subscription.clone()), subscription_path(&p.registry.subscription)));
        crumbs.push((Label::Text(p.registry.name.clone()), p.registry.path()));
        crumbs.push((Label::Text(p.name.clone()), p.path()));
        crumbs.push((Label::Text("Insights".into()), crate::route::insights_path(p)));
    }
    if let Route::PoolActivity(p) = &route {
        crumbs.push((Label::Subscription(p.registry.subscription.clone()), subscription_path(&p.registry.subscription)));
        crumbs.push((Label::Text(p.registry.name.clone()), p.registry.path()));
        crumbs.push((Label::Text(p.name.clone()), p.path()));
        crumbs.push((Label::Text("Activity".into()), crate::route::activity_path(&p.path())));
    }
    if let Route::RegistryActivity(r) = &route {
        crumbs.push((Label::Subscription(r.subscription.clone()), subscription_path(&r.subscription)));
        crumbs.push((Label::Text(r.name.clone()), r.path()));
        crumbs.push((Label::Text("Activity".into()), crate::route::activity_path(&r.path())));
    }
    if let Route::Resource(id) = &route {
        let (sub, registry) = match id {
            ResourceId::Subscription(s) => (s.clone(), None),
            ResourceId::Registry(r) => (r.subscription.clone(), Some(r)),
            ResourceId::AgentPool(p) => (p.registry.subscription.clone(), Some(&p.registry)),
            ResourceId::Run(r) => (r.registry.subscription.clone(), Some(&r.registry)),
        };
        crumbs.push((Label::Subscription(sub.clone()), subscription_path(&sub)));
        if let Some(r) = registry {
            crumbs.push((Label::Text(r.name.clone()), r.path()));
        }
        match id {
            ResourceId::AgentPool(p) => crumbs.push((Label::Text(p.name.clone()), p.path())),
            ResourceId::Run(r) => crumbs.push((Label::Text(format!("Run {}", r.run_id)), r.path())),
            _ => {}
        }
    }
    if route == Route::Fleet {
        crumbs.push((Label::Text("All agent pools".into()), "/pools".into()));
    }
    let directory = use_directory();
    let last = crumbs.len() - 1;
    let items = crumbs
        .into_iter()
        .enumerate()
        .map(|(i, (label, href))| {
            let label = match label {
                Label::Text(t) => Signal::stored(t),
                Label::Subscription(id) => {
                    let name = directory.name(&id);
                    Signal::derive(move || name.get().unwrap_or_else(|| format!("Subscription {}", short(&id))))
                }
            };
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
