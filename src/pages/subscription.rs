use leptos::prelude::*;

use crate::ctx::ctx;
use crate::arm::{registries, subscriptions};
use crate::components::{error_view::ArmErrorView, loading::Loading};
use crate::domain::region::Regions;
use crate::live::reach::arm_read;

/// A subscription's registries, each marked whether it can host agent pools and why not (F3).
#[component]
pub fn SubscriptionPage(subscription: String) -> impl IntoView {
    let client = ctx().client;
    let sub_for_name = subscription.clone();
    let c = client.clone();
    let name = LocalResource::new(move || {
        let (c, s) = (c.clone(), sub_for_name.clone());
        async move { subscriptions::get(&c, &s).await.map(|s| s.display_name).ok() }
    });
    let regions = crate::live::regions::use_regions().of(&subscription);
    let regs = arm_read(subscription, |c, s| async move { registries::list(&c, &s).await });
    view! {
        <h1>{move || name.get().flatten().unwrap_or_else(|| "Subscription".into())}</h1>
        <h2 class="section">"Container registries"</h2>
        <Suspense fallback=|| view! { <Loading what="registries"/> }>
            {move || match (regs.get(), regions.get()) {
                (Some(Err(error)), _) => view! { <ArmErrorView error reload=true/> }.into_any(),
                (Some(Ok(list)), _) if list.is_empty() => view! { <p class="empty">"No container registries in this subscription."</p> }.into_any(),
                (Some(Ok(list)), Some(regions)) => view! { <RegionNote regions=regions.clone()/> <RegistryTable registries=list regions/> }.into_any(),
                _ => view! { <Loading what="registries"/> }.into_any(),
            }}
        </Suspense>
    }
}

/// Said when the regions come from the built-in list, not from Azure.
#[component]
pub fn RegionNote(regions: Regions) -> impl IntoView {
    regions.fallback_note().map(|note| view! { <p class="notice" role="note">{note}</p> })
}

#[component]
fn RegistryTable(registries: Vec<registries::Registry>, regions: Regions) -> impl IntoView {
    let rows = registries
        .into_iter()
        .map(|r| {
            let eligibility = r.eligibility(&regions);
            let group = r.registry_id().map(|id| id.resource_group).unwrap_or_default();
            let name = match (r.registry_id(), &eligibility) {
                (Some(id), Ok(())) => view! { <a href=id.path()>{r.name.clone()}</a> }.into_any(),
                _ => view! { <span>{r.name.clone()}</span> }.into_any(),
            };
            let pools = match &eligibility {
                Ok(()) => view! { <span class="ok">"Available"</span> }.into_any(),
                Err(why) => view! { <span class="no">{why.reason()}</span> }.into_any(),
            };
            view! {
                <tr class:ineligible=eligibility.is_err()>
                    <td>{name}</td>
                    <td>{group}</td>
                    <td>{r.location.clone()}</td>
                    <td>{r.sku.name.clone()}</td>
                    <td>{pools}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list" aria-label="Container registries">
            <thead><tr>
                <th scope="col">"Registry"</th><th scope="col">"Resource group"</th><th scope="col">"Location"</th>
                <th scope="col">"SKU"</th><th scope="col">"Agent pools"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
