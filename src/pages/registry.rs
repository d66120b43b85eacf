use leptos::prelude::*;

use crate::ctx::ctx;
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::id::{subnet_short_name, RegistryId};
use crate::arm::{permissions, registries};
use crate::domain::permissions as perms;
use crate::ops::tracker::Tracker;
use crate::live::queue::use_live_counts;
use crate::components::status::StatusBadge;
use crate::components::read_only::ReadOnlyNotice;
use crate::domain::fleet::PoolQueue;
use crate::domain::status::{derive, Facts};
use crate::live::UseLiveReturn;
use crate::route::create_pool_path;
use crate::components::pool_tabs::{RegistryHeader, Tab};
use std::collections::BTreeMap;
use crate::components::{error_view::ArmErrorView, loading::Loading, quota_meter::QuotaMeter};
use crate::domain::{quota, tier};
use crate::live::reach::arm_read;

/// A registry's agent pools with their size and state, and the vCPU quota meter (F4).
#[component]
pub fn RegistryPage(id: RegistryId) -> impl IntoView {
    let registry = arm_read(id.clone(), |c, rid| async move { registries::get(&c, &rid).await });
    let regions = crate::live::regions::use_regions().of(&id.subscription);
    let pools = arm_read(id.clone(), |c, rid| async move { agent_pools::list(&c, &rid).await });
    // Pools being created, scaled or deleted: refresh the list when one of those ends.
    let tracker = expect_context::<Tracker>();
    let prefix = format!("{}/", id.path());
    let running = Memo::new(move |_| tracker.running_under(&prefix).len());
    Effect::watch(move || running.get(), move |now, before, _| if before.is_some_and(|b| now < b) { pools.refetch() }, false);
    // Every pool's queue, live: one runs-list request per refresh, whatever the number of pools.
    let counts = use_live_counts(id.clone(), Signal::derive(move || running.get() > 0));
    // A delete this browser made leaves a word here: the pool page it came from is gone.
    let deleted_prefix = format!("{}/", id.path());
    let deleted = Memo::new(move |_| tracker.deleted_under(&deleted_prefix));
    let activity_href = crate::route::activity_path(&id.path());
    view! {
        <RegistryHeader id=id.clone() tab=Tab::Overview/>
        {move || deleted.get().into_iter().map(|op| {
            let name = op.pool.rsplit('/').next().unwrap_or_default().to_string();
            let href = match op.correlation_id { Some(c) => format!("{activity_href}?op={}", js_sys::encode_uri_component(&c)), None => activity_href.clone() };
            view! { <p class="notice done" role="status">{format!("Agent pool {name} was deleted. ")}<a href=href>"See it in the activity log"</a></p> }
        }).collect_view()}
        {move || match (registry.get(), pools.get(), regions.get()) {
            (Some(Err(error)), _, _) => view! { <ArmErrorView error reload=true/> }.into_any(),
            (Some(Ok(reg)), Some(pools), Some(regions)) => view! { <RegistryBody registry=reg pools id=id.clone() counts regions/> }.into_any(),
            _ => view! { <Loading what="agent pools"/> }.into_any(),
        }}
    }
}

/// The registry loaded: its facts, then (if it can host pools) the pools and the quota meter.
#[component]
fn RegistryBody(registry: registries::Registry, pools: Result<Vec<AgentPool>, crate::arm::ArmError>, id: RegistryId, counts: UseLiveReturn<BTreeMap<String, PoolQueue>>, regions: crate::domain::region::Regions) -> impl IntoView {
    let facts = format!(
        "{} · {} SKU · {}",
        registry.location,
        registry.sku.name,
        registry.properties.as_ref().and_then(|p| p.login_server.clone()).unwrap_or_default()
    );
    let note = regions.fallback_note().map(|note| view! { <p class="notice" role="note">{note}</p> });
    if let Err(why) = registry.eligibility(&regions) {
        return view! {
            <p class="muted">{facts}</p>
            {note}
            <p class="notice" role="note">{format!("This registry cannot host agent pools. {}", why.reason())}</p>
        }
        .into_any();
    }
    let client = ctx().client;
    let perm_id = id.clone();
    let can_write = LocalResource::new(move || {
        let (c, r) = (client.clone(), perm_id.clone());
        async move { permissions::on_registry(&c, &r).await.ok().map(|p| perms::access(&p)) }
    });
    let access = Signal::derive(move || can_write.get().flatten());
    let can_write = Signal::derive(move || access.get().is_none_or(|a| a == perms::Access::Write));
    let create_href = create_pool_path(&id);
    let (is_default, set_is_default) = signal(crate::prefs::default_registry().as_ref() == Some(&id));
    let make_default = {
        let id = id.clone();
        move |_| {
            crate::prefs::set_default_registry(&id);
            set_is_default.set(true);
        }
    };
    let list = match pools {
        Err(error) => view! { <ArmErrorView error reload=true/> }.into_any(),
        Ok(list) => {
            let usage = quota::usage(list.iter().map(|p| (p.tier(), p.count())));
            let tags = registry.tags.clone().unwrap_or_default();
            view! { <PoolTable pools=list registry=id.clone() counts registry_tags=tags/> <QuotaMeter usage/> }.into_any()
        }
    };
    view! {
        <div class="title-row">
            <p class="muted">{facts}</p>
            <div class="actions">
                <button type="button" on:click=make_default disabled=is_default title="Puts a link to this registry on your Home page, in this browser">
                    {move || if is_default.get() { "Pinned to Home" } else { "Pin to Home" }}
                </button>
                {move || if can_write.get() {
                    view! { <a class="button primary" href=create_href.clone()>"Create agent pool"</a> }.into_any()
                } else {
                    view! {
                        <span class="button primary disabled" aria-disabled="true" aria-describedby="create-why">"Create agent pool"</span>
                        <span id="create-why" class="muted small">{perms::needs(perms::POOL_WRITE)}</span>
                    }.into_any()
                }}
            </div>
        </div>
        {note}
        <ReadOnlyNotice access registry=id.name.clone()/>
        {list}
    }
    .into_any()
}

#[component]
fn PoolTable(pools: Vec<AgentPool>, registry: RegistryId, counts: UseLiveReturn<BTreeMap<String, PoolQueue>>, registry_tags: BTreeMap<String, String>) -> impl IntoView {
    if pools.is_empty() {
        return view! { <p class="empty">"No agent pools in this registry yet."</p> }.into_any();
    }
    let tracker = expect_context::<Tracker>();
    crate::components::switcher::learn_pools(pools.iter().map(|p| registry.pool(p.display_name()).path()));
    let rows = pools
        .into_iter()
        .map(|p| {
            let name = p.display_name().to_string();
            let pool_id = registry.pool(&name);
            let href = pool_id.path();
            let subnet = p.properties.virtual_network_subnet_resource_id.as_deref().map(subnet_short_name);
            let key = name.to_ascii_lowercase();
            let queue_key = key.clone();
            let queued = move || counts.data.get().map_or_else(|| "…".to_string(), |c| c.get(&queue_key).map_or(0, |q| q.queued).to_string());
            let paused = crate::domain::pause::find(Some(&registry_tags), p.tags.as_ref(), &name, p.count(), p.system_data.as_ref().and_then(|s| s.last_modified_ms()));
            let state = p.state().to_string();
            let count = p.count();
            let status = move || {
                let queue = counts.data.get().map(|c| c.get(&key).copied().unwrap_or_default());
                let op = tracker.for_pool(&pool_id.path()).filter(|o| o.is_running()).map(|o| o.summary);
                let facts = Facts {
                    provisioning_state: &state,
                    count,
                    queued: queue.map(|q| q.queued),
                    running: queue.map(|q| q.running),
                    paused: paused.as_ref(),
                    operation: op.as_deref(),
                    failure: None,
                };
                view! { <StatusBadge status=derive(&facts) provisioning=state.clone()/> }
            };
            view! {
                <tr>
                    <th scope="row"><a href=href>{name}</a></th>
                    <td data-label="Tier">{tier::describe(p.tier())}</td>
                    <td class="num" data-label="Instances">{p.count()}</td>
                    <td class="num" data-label="vCPU">{p.vcpu()}</td>
                    <td data-label="Status">{status}</td>
                    <td data-label="Subnet">{subnet.unwrap_or_else(|| "—".into())}</td>
                    <td class="num" data-label="Queued">{queued}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="list pools cards" aria-label="Agent pools">
            <thead><tr>
                <th scope="col">"Pool"</th><th scope="col">"Tier"</th><th scope="col" class="num">"Instances"</th>
                <th scope="col" class="num">"vCPU"</th><th scope="col">"Status"</th><th scope="col">"Subnet"</th><th scope="col" class="num">"Queued"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="muted small live-line">
            {move || counts.updated_at.get().map(|t| format!("Queues updated {}", crate::components::time::clock_text(t as u64)))}
            " "
            <label class="inline"><input type="checkbox" prop:checked=move || !counts.paused.get() on:change=move |ev| counts.paused.set(!event_target_checked(&ev))/>" Live"</label>
        </p>
        {move || counts.error.get().map(|error| view! { <ArmErrorView error reload=true/> })}
    }
    .into_any()
}
