use leptos::prelude::*;

use crate::app::ctx;
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::id::{subnet_short_name, AgentPoolId};
use crate::components::{copy_link::CopyLink, error_view::ArmErrorView, loading::Loading};
use crate::domain::tier::Tier;

/// One agent pool: what it is, how big, in which subnet, and a link to share (F13).
#[component]
pub fn PoolPage(id: AgentPoolId) -> impl IntoView {
    let client = ctx().client;
    let pid = id.clone();
    let pool = LocalResource::new(move || {
        let (c, pid) = (client.clone(), pid.clone());
        async move { agent_pools::get(&c, &pid).await }
    });
    view! {
        <div class="title-row">
            <h1>{id.name.clone()}</h1>
            <CopyLink/>
        </div>
        <p class="muted">{format!("Agent pool in {}", id.registry.name)}</p>
        <Suspense fallback=|| view! { <Loading what="agent pool"/> }>
            {move || pool.get().map(|r| match r {
                Err(error) => view! { <ArmErrorView error/> }.into_any(),
                Ok(p) => view! { <PoolFacts pool=p/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn PoolFacts(pool: AgentPool) -> impl IntoView {
    let tier = Tier::lookup(pool.tier());
    let size = tier.map_or_else(|| "unknown size".to_string(), |t| format!("{} vCPU, {} GB memory per instance", t.vcpu, t.memory_gb));
    let subnet = pool.properties.virtual_network_subnet_resource_id.clone();
    let state = pool.state().to_string();
    let tags = pool.tags.clone().unwrap_or_default();
    let tag_rows = tags.into_iter().map(|(k, v)| view! { <tr><th scope="row">{k}</th><td>{v}</td></tr> }).collect_view();
    view! {
        <dl class="facts pool-facts">
            <dt>"State"</dt><dd><span class=format!("state state-{}", state.to_ascii_lowercase())>{state.clone()}</span></dd>
            <dt>"Tier"</dt><dd>{pool.tier().to_string()} " · " {size}</dd>
            <dt>"Instances"</dt><dd>{pool.count()}</dd>
            <dt>"vCPU in use"</dt><dd>{pool.vcpu()}</dd>
            <dt>"OS"</dt><dd>{pool.properties.os.clone().unwrap_or_else(|| "Linux".into())}</dd>
            <dt>"Location"</dt><dd>{pool.location.clone()}</dd>
            <dt>"Subnet"</dt><dd>{match subnet {
                Some(s) => view! { <span title=s.clone()>{subnet_short_name(&s)}</span> }.into_any(),
                None => view! { <span>"None (Azure-managed network)"</span> }.into_any(),
            }}</dd>
        </dl>
        <h2 class="section">"Tags"</h2>
        {if pool.tags.as_ref().is_none_or(|t| t.is_empty()) {
            view! { <p class="empty">"No tags."</p> }.into_any()
        } else {
            view! { <table class="list tags" aria-label="Tags"><tbody>{tag_rows}</tbody></table> }.into_any()
        }}
    }
}
