use leptos::prelude::*;

use crate::ctx::ctx;
use crate::arm::client::ArmClient;
use crate::arm::id::{NsgId, SubnetId};
use crate::arm::network::{self, VirtualNetwork};
use crate::components::loading::Loading;
use crate::domain::nsg::{evaluate, fix_commands, Rule, Verdict};
use crate::domain::preflight::{NsgState, SubnetState};

/// A subnet picked in the form, looked up: where it is and what its NSG lets out.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub state: SubnetState,
    pub readiness: Option<(String, String, Vec<Rule>, Vec<Verdict>)>,
}

pub async fn look_up(client: ArmClient, id: SubnetId, vnets: Vec<VirtualNetwork>) -> Lookup {
    let subnet = match network::get_subnet(&client, &id).await {
        Ok(s) => s,
        Err(e) if e.status == 404 => return Lookup { state: SubnetState::Missing(format!("Subnet {}/{} was not found.", id.vnet, id.name)), readiness: None },
        Err(e) => return Lookup { state: SubnetState::Missing(format!("The subnet could not be read: {}", e.message)), readiness: None },
    };
    let vnet_path = id.path().rsplit_once("/subnets/").map(|(v, _)| v.to_ascii_lowercase()).unwrap_or_default();
    let location = vnets.iter().find(|v| v.id.to_ascii_lowercase() == vnet_path).map(|v| v.location.clone());
    let Some(nsg_ref) = subnet.properties.network_security_group else {
        return Lookup { state: SubnetState::Found { location, nsg: NsgState::None }, readiness: None };
    };
    let nsg_id = match NsgId::parse(&nsg_ref.id) {
        Ok(n) => n,
        Err(e) => return Lookup { state: SubnetState::Found { location, nsg: NsgState::Unreadable(e.to_string()) }, readiness: None },
    };
    match network::get_nsg(&client, &nsg_id).await {
        Ok(nsg) => {
            let rules = nsg.rules();
            let verdicts = evaluate(&rules);
            Lookup {
                state: SubnetState::Found { location, nsg: NsgState::Evaluated { name: nsg.name.clone(), verdicts: verdicts.clone() } },
                readiness: Some((nsg.name, nsg_id.resource_group, rules, verdicts)),
            }
        }
        Err(e) => Lookup { state: SubnetState::Found { location, nsg: NsgState::Unreadable(e.message) }, readiness: None },
    }
}


/// VNet readiness (SPEC F10): each required destination, the rule that decides it, and the
/// commands that would fix what is blocked.
#[component]
pub fn Readiness(nsg_name: String, resource_group: String, rules: Vec<Rule>, verdicts: Vec<Verdict>) -> impl IntoView {
    let fixes = fix_commands(&resource_group, &nsg_name, &rules, &verdicts);
    let rows = verdicts
        .iter()
        .map(|v| {
            let rule = v.rule.as_ref().map_or_else(|| "—".to_string(), |r| format!("{} ({}{})", r.name, r.priority, if r.is_default { ", default" } else { "" }));
            view! {
                <tr class:blocked=!v.allowed>
                    <th scope="row">{v.tag}</th>
                    <td data-label="Port">{format!("TCP {}", v.port)}</td>
                    <td data-label="Result">{if v.allowed { "Allowed" } else { "Blocked" }}</td>
                    <td data-label="Deciding rule">{rule}</td>
                </tr>
            }
        })
        .collect_view();
    let blocked = verdicts.iter().any(|v| !v.allowed);
    view! {
        <div class="readiness">
            <p>{format!("Outbound rules of network security group {nsg_name}, in priority order, default rules included:")}</p>
            <table class="list cards" aria-label="Required outbound traffic">
                <thead><tr><th scope="col">"Destination"</th><th scope="col">"Port"</th><th scope="col">"Result"</th><th scope="col">"Deciding rule"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {blocked.then(|| view! {
                <h3>"To fix"</h3>
                <pre class="fixes"><code>{fixes.join("\n")}</code></pre>
            })}
            <p class="muted small">"Builds that pull from public sources (Docker Hub base images, npm or NuGet restores) need their own outbound rules too."</p>
        </div>
    }
}

/// VNet readiness of a pool's subnet, looked up when shown (the pool page).
#[component]
pub fn SubnetReadiness(subnet: String) -> impl IntoView {
    let client = ctx().client;
    let parsed = SubnetId::parse(&subnet);
    let lookup = LocalResource::new(move || {
        let (client, parsed) = (client.clone(), parsed.clone());
        async move {
            match parsed {
                Ok(id) => Some(look_up(client, id, Vec::new()).await),
                Err(_) => None,
            }
        }
    });
    view! {
        <section class="panel" aria-labelledby="readiness-title">
            <h2 id="readiness-title">"VNet readiness"</h2>
            {move || match lookup.get() {
                None => view! { <Loading what="the subnet's rules"/> }.into_any(),
                Some(None) => view! { <p class="message">"The pool's subnet id cannot be read."</p> }.into_any(),
                Some(Some(Lookup { readiness: Some((name, rg, rules, verdicts)), .. })) => view! { <Readiness nsg_name=name resource_group=rg rules verdicts/> }.into_any(),
                Some(Some(Lookup { state, .. })) => {
                    let text = match state {
                        SubnetState::Missing(why) => why,
                        SubnetState::Found { nsg: NsgState::None, .. } => "No network security group on the subnet: outbound traffic is not filtered by an NSG (route tables and firewalls are not checked).".into(),
                        SubnetState::Found { nsg: NsgState::Unreadable(why), .. } => format!("The network security group could not be read: {why}"),
                        _ => String::new(),
                    };
                    view! { <p>{text}</p> }.into_any()
                }
            }}
        </section>
    }
}
