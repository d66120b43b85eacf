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
    if let Route::PoolRuns(p) = &route {
        crumbs.push((Label::Subscription(p.registry.subscription.clone()), subscription_path(&p.registry.subscription)));
        crumbs.push((Label::Text(p.registry.name.clone()), p.registry.path()));
        crumbs.push((Label::Text(p.name.clone()), p.path()));
        crumbs.push((Label::Text("Runs".into()), crate::route::runs_path(p)));
    }
    if let Route::PoolSchedule(p) = &route {
        crumbs.push((Label::Subscription(p.registry.subscription.clone()), subscription_path(&p.registry.subscription)));
        crumbs.push((Label::Text(p.registry.name.clone()), p.registry.path()));
        crumbs.push((Label::Text(p.name.clone()), p.path()));
        crumbs.push((Label::Text("Schedule".into()), crate::route::schedule_path(p)));
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
    // A run's pool is known once the run is read: its crumb comes in before the run's.
    let run_pool = match &route {
        Route::Resource(ResourceId::Run(r)) => {
            let (registry, run_path) = (r.registry.clone(), r.path());
            let known = use_context::<RunPool>().map(|c| c.0);
            Some(move || {
                // The service's word for the pool becomes part of a link: only a valid pool name.
                let pool = known?.get().filter(|(path, _)| path.eq_ignore_ascii_case(&run_path)).map(|(_, p)| p).filter(|p| crate::domain::names::is_agent_pool_name(p))?;
                Some(view! { <li><a href=registry.pool(&pool).path()>{pool.clone()}</a></li> })
            })
        }
        _ => None,
    };
    let mut run_pool = Some(run_pool);
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
                let pool = run_pool.take().flatten();
                view! { {pool} <li><span aria-current="page">{label}</span></li> }.into_any()
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

/// The pool of the run a page shows (the run's id path, the pool's name), set by the run page
/// once it has read the run: the breadcrumbs put the pool before the run.
#[derive(Clone, Copy)]
pub struct RunPool(pub RwSignal<Option<(String, String)>>);

pub fn provide_run_pool() {
    provide_context(RunPool(RwSignal::new(None)));
}
