//! Create an agent pool (SPEC F5, F10, F14): name checked as typed, tier cards priced against the
//! registry's quota, count, Linux, an optional subnet (searched or pasted); pre-flight before
//! submit; then the operation followed until it ends, the form kept as it was. No tags: Azure
//! drops them on agent pools (recorded, azure-rest-api-specs#24727), so the form does not offer them.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::id::{RegistryId, SubnetId};
use crate::arm::network::{self, VirtualNetwork};
use crate::arm::registries::{self, Registry};
use crate::arm::{permissions, ArmError};
use crate::components::read_only::ReadOnlyNotice;
use crate::components::readiness::{look_up, Readiness};
use crate::components::{cli_echo::CliEcho, error_view::ArmErrorView, loading::Loading, op_progress::OpProgress, preflight_view::PreflightList};
use crate::domain::preflight::{self, SubnetState};
use crate::domain::quota::{self, Usage};
use crate::domain::tier::{Tier, TierKind, TIERS};
use crate::domain::{cli, names, permissions as perms, region};
use crate::ops::tracker::Tracker;
use crate::ops::Kind;
use crate::live::reach::arm_read;

#[component]
pub fn CreatePoolPage(registry: RegistryId) -> impl IntoView {
    let client = ctx().client;
    let id = registry.clone();
    let reg = arm_read(id.clone(), |c, i| async move { registries::get(&c, &i).await });
    let pools = arm_read(id.clone(), |c, i| async move { agent_pools::list(&c, &i).await });
    let vnets = arm_read(id.subscription.clone(), |c, s| async move { network::list_vnets(&c, &s).await });
    let regions = crate::live::regions::use_regions().of(&id.subscription);
    let for_allowed = id.clone();
    let allowed = LocalResource::new(move || {
        let (c, i) = (client.clone(), for_allowed.clone());
        // Unknown (the read failed): the service decides, and its 403 names the permission.
        async move { permissions::on_registry(&c, &i).await.ok().map(|p| perms::access(&p)) }
    });
    let access = Signal::derive(move || allowed.get().flatten());
    view! {
        <h1>"Create agent pool"</h1>
        <p class="muted">{format!("In registry {}", id.name)}</p>
        // A reader learns first, not after filling the form.
        <ReadOnlyNotice access registry=id.name.clone()/>
        {move || match (reg.get(), pools.get()) {
            (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <ArmErrorView error reload=true/> }.into_any(),
            (Some(Ok(r)), Some(Ok(p))) => view! { <CreateForm id=id.clone() registry=r pools=p vnets allowed regions/> }.into_any(),
            _ => view! { <Loading what="registry"/> }.into_any(),
        }}
    }
}

/// Subnets of the subscription's virtual networks in `location`: (`vnet/subnet`, id, address).
fn subnet_options(vnets: &[VirtualNetwork], location: &str) -> Vec<(String, String, String)> {
    vnets
        .iter()
        .filter(|v| region::normalize(&v.location) == region::normalize(location))
        .flat_map(|v| {
            v.properties.subnets.iter().map(move |s| (format!("{}/{}", v.name, s.name), s.id.clone(), s.properties.address_prefix.clone().unwrap_or_default()))
        })
        .collect()
}


#[component]
fn CreateForm(
    id: RegistryId,
    registry: Registry,
    pools: Vec<AgentPool>,
    vnets: LocalResource<Result<Vec<VirtualNetwork>, ArmError>>,
    allowed: LocalResource<Option<perms::Access>>,
    regions: Signal<Option<crate::domain::region::Regions>>,
) -> impl IntoView {
    let client = ctx().client;
    let tracker = expect_context::<Tracker>();
    let existing: Vec<String> = pools.iter().map(|p| p.display_name().to_ascii_lowercase()).collect();
    let others: Usage = quota::usage(pools.iter().map(|p| (p.tier(), p.count())));
    let location = registry.location.clone();
    let sku = registry.sku.name.clone();

    let name = RwSignal::new(String::new());
    let name_touched = RwSignal::new(false);
    let tier = RwSignal::new("S1".to_string());
    let count_text = RwSignal::new("1".to_string());
    let subnet_text = RwSignal::new(String::new());
    let override_checks = RwSignal::new(false);
    let submitting = RwSignal::new(false);
    let error = RwSignal::new(None::<ArmError>);
    let started = RwSignal::new(None::<u64>);

    let name_problems = Memo::new(move |_| {
        let n = name.get();
        let mut p = names::agent_pool_name_problems(&n);
        if existing.contains(&n.to_ascii_lowercase()) {
            p.push(format!("A pool named '{n}' already exists in this registry."));
        }
        p
    });
    let count = Memo::new(move |_| count_text.get().trim().parse::<u32>().ok().filter(|c| *c <= 100));
    let loc = location.clone();
    let options = Memo::new(move |_| match vnets.get() {
        Some(Ok(list)) => Some(subnet_options(&list, &loc)),
        _ => None,
    });
    let subnet_choice = Memo::new(move |_| -> Result<Option<SubnetId>, String> {
        let text = subnet_text.get();
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.starts_with('/') {
            return SubnetId::parse(text).map(Some).map_err(|e| format!("Not a subnet resource id: {e}"));
        }
        match options.get() {
            None => Err("Loading the subscription's subnets…".into()),
            Some(opts) => opts
                .iter()
                .find(|(label, _, _)| label.eq_ignore_ascii_case(text))
                .map(|(_, id, _)| SubnetId::parse(id).map(Some).map_err(|e| e.to_string()))
                .unwrap_or_else(|| Err(format!("No subnet '{text}' in {}: pick one from the list or paste a subnet resource id.", loc_label(&location)))),
        }
    });
    let lookup_client = client.clone();
    let lookup = LocalResource::new(move || {
        let choice = subnet_choice.get();
        let client = lookup_client.clone();
        let list = match vnets.get() {
            Some(Ok(v)) => v,
            _ => Vec::new(),
        };
        async move {
            match choice {
                Ok(Some(id)) => Some(look_up(client, id, list).await),
                _ => None,
            }
        }
    });
    let subnet_state = Memo::new(move |_| match subnet_choice.get() {
        Ok(None) => SubnetState::None,
        Err(why) => SubnetState::Missing(why),
        Ok(Some(_)) => lookup.get().flatten().map_or(SubnetState::Loading, |l| l.state),
    });
    let (sku2, loc2) = (sku.clone(), registry.location.clone());
    let checks = Memo::new(move |_| {
        let subnet = subnet_state.get();
        let regions = regions.get();
        let typed = name.get();
        let problems = name_problems.get();
        preflight::checks(&preflight::Inputs {
            name: &typed,
            name_problems: &problems,
            sku: &sku2,
            location: &loc2,
            regions: regions.as_ref(),
            tier: Tier::lookup(&tier.get()),
            count: count.get().unwrap_or(0),
            others,
            subnet: &subnet,
        })
    });
    let subnet_for_cli = move || subnet_choice.get().ok().flatten().map(|s| s.path());
    let reg_name = id.name.clone();
    let command = Signal::derive(move || {
        let n = name.get();
        let n = if n.is_empty() { "<name>" } else { &n };
        cli::create_pool(&reg_name, n, &tier.get(), count.get().unwrap_or(0) as i64, subnet_for_cli().as_deref())
    });
    let form_ok = Memo::new(move |_| name_problems.get().is_empty() && count.get().is_some() && subnet_choice.get().is_ok());
    let checks_ok = Memo::new(move |_| preflight::no_failures(&checks.get()));
    let warnings = Memo::new(move |_| preflight::has_warnings(&checks.get()));
    // Once a create is accepted the form is done: a second submit would PUT again, which ARM
    // takes as an update of the new pool. Only a failure opens it again.
    let running = Memo::new(move |_| started.get().and_then(|op| tracker.get(op)).is_some_and(|o| !matches!(o.state, crate::ops::OpState::Failed { .. })));
    let may_write = Memo::new(move |_| allowed.get().flatten().is_none_or(|a| a == perms::Access::Write));
    let can_submit = Memo::new(move |_| {
        form_ok.get() && preflight::can_submit(&checks.get(), override_checks.get()) && !submitting.get() && !running.get() && may_write.get()
    });

    let blocking = Memo::new(move |_| preflight::first_blocking(&checks.get(), count.get().is_some(), override_checks.get()));
    let submit_id = id.clone();
    let submit_location = registry.location.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        name_touched.set(true);
        if !can_submit.get_untracked() {
            // Straight to what must be fixed first, which the hint beside the button names.
            if let Some((field, _)) = blocking.get_untracked() {
                let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(field));
                if let Some(el) = element.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
                    let _ = el.focus();
                }
            }
            return;
        }
        let (client, pool) = (client.clone(), submit_id.pool(&name.get_untracked()));
        let tier_name = tier.get_untracked();
        let n = count.get_untracked().unwrap_or(0) as i32;
        let subnet = subnet_choice.get_untracked().ok().flatten().map(|s| s.path());
        let body = agent_pools::new_pool(&submit_location, &tier_name, n, subnet);
        submitting.set(true);
        error.set(None);
        spawn_local(async move {
            let result = agent_pools::create(&client, &pool, &body).await;
            match tracker.after_write(&client, &pool, Kind::Create, format!("Create {} ({tier_name} × {n})", pool.name), None, result) {
                // Accepted: the new pool's page shows its progress (and the form is not left
                // filled in with Create still on offer). Replaced in history: Back returns to the
                // registry, not to a form that would create it twice.
                Ok(op) => {
                    let _ = started.try_set(Some(op));
                    crate::nav::navigate(&pool.path(), true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = submitting.try_set(false);
        });
    };

    let tier_cards = TIERS
        .iter()
        .map(|t| {
            let t = *t;
            let max = quota::max_count(&t, others);
            let limit = quota::limit_for(&t);
            let cost = move || {
                let c = count.get().unwrap_or(0);
                let left = quota::left_after(&t, c, others);
                let total = t.vcpu * c;
                if left < 0 {
                    format!("{} × {c} = {total} vCPU · {} over the {limit} vCPU quota", t.vcpu, -left)
                } else {
                    format!("{} × {c} = {total} vCPU · {left} of {limit} left after", t.vcpu)
                }
            };
            let fits = format!("Up to {max} instance{} within the default quota", if max == 1 { "" } else { "s" });
            let isolated = t.kind == TierKind::Isolated;
            view! {
                <label class="tier-card" class:selected=move || tier.get() == t.name>
                    <input type="radio" name="tier" value=t.name prop:checked=move || tier.get() == t.name on:change=move |_| tier.set(t.name.to_string())/>
                    <span class="tier-name">{t.name}</span>
                    <span class="tier-size">{format!("{} vCPU · {} GB", t.vcpu, t.memory_gb)}{if isolated { " · isolated" } else { "" }}</span>
                    <span class="tier-cost">{cost}</span>
                    <span class="tier-fit muted small">{fits}</span>
                    {isolated.then(|| view! {
                        <span class="tier-note small">"Isolated quota is 0 by default: "
                            <a href="https://aka.ms/acr/support/create-ticket" target="_blank" rel="noopener noreferrer">"open a support ticket"</a>" to get some."</span>
                    })}
                </label>
            }
        })
        .collect_view();

    let location_label = registry.location.clone();
    view! {
        <form class="create" on:submit=submit novalidate>
            <div class="form-main">
                <div class="field">
                    <label for="pool-name">"Name"</label>
                    <input id="pool-name" type="text" autocomplete="off" spellcheck="false" maxlength="40"
                        prop:value=move || name.get()
                        on:input=move |ev| { name.set(event_target_value(&ev)); name_touched.set(true); }
                        aria-invalid=move || (name_touched.get() && !name_problems.get().is_empty()).to_string()
                        aria-describedby="pool-name-help pool-name-problems"/>
                    <p id="pool-name-help" class="muted small">"3 to 20 letters, digits or hyphens; unique in the registry."</p>
                    <ul id="pool-name-problems" class="problems" aria-live="polite">
                        {move || name_touched.get().then(|| name_problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view())}
                    </ul>
                </div>

                <fieldset class="field">
                    <legend>"Tier"</legend>
                    <div class="tier-cards">{tier_cards}</div>
                </fieldset>

                <div class="field">
                    <label for="pool-count">"Instances"</label>
                    <input id="pool-count" type="number" min="0" max="100" step="1" inputmode="numeric"
                        prop:value=move || count_text.get()
                        on:input=move |ev| count_text.set(event_target_value(&ev))
                        aria-invalid=move || count.get().is_none().to_string()
                        aria-describedby="pool-count-help"/>
                    <p id="pool-count-help" class="muted small">
                        {move || match count.get() {
                            None => "A whole number from 0 to 100.".to_string(),
                            Some(0) => "0 creates the pool without instances: runs wait until it is scaled up.".to_string(),
                            Some(c) => format!("{c} instance{} of {}", if c == 1 { "" } else { "s" }, tier.get()),
                        }}
                    </p>
                </div>

                <fieldset class="field">
                    <legend>"Operating system"</legend>
                    <label class="inline"><input type="radio" name="os" value="Linux" checked/>" Linux"</label>
                    <label class="inline disabled"><input type="radio" name="os" value="Windows" disabled aria-describedby="os-note"/>" Windows"</label>
                    <p id="os-note" class="muted small">"Windows agent pools are not supported in the preview: agent pools run Linux only."</p>
                </fieldset>

                <div class="field">
                    <label for="pool-subnet">"Subnet (optional)"</label>
                    <input id="pool-subnet" type="text" list="subnet-options" autocomplete="off" spellcheck="false"
                        placeholder="vnet/subnet, or a subnet resource id"
                        prop:value=move || subnet_text.get()
                        on:input=move |ev| subnet_text.set(event_target_value(&ev))
                        aria-invalid=move || subnet_choice.get().is_err().to_string()
                        aria-describedby="pool-subnet-help"/>
                    <datalist id="subnet-options">
                        {move || options.get().unwrap_or_default().into_iter().map(|(label, _, prefix)| view! { <option value=label.clone()>{prefix}</option> }).collect_view()}
                    </datalist>
                    <p id="pool-subnet-help" class="muted small">
                        {move || match (subnet_choice.get(), options.get()) {
                            (Err(why), _) => why,
                            (Ok(Some(s)), _) => format!("Subnet {}/{}", s.vnet, s.name),
                            (Ok(None), Some(o)) => format!("Empty: the pool uses an Azure-managed network. {} subnet{} in {} to choose from.", o.len(), if o.len() == 1 { "" } else { "s" }, location_label),
                            (Ok(None), None) => "Empty: the pool uses an Azure-managed network.".to_string(),
                        }}
                    </p>
                </div>

                <p class="muted small">"Agent pools keep no tags: Azure drops tags sent with a pool. Tag the registry instead."</p>
            </div>

            <aside class="form-side">
                <section class="preflight-panel" aria-labelledby="preflight-title">
                    <h2 id="preflight-title">"Pre-flight"</h2>
                    <PreflightList checks=Signal::derive(move || checks.get())/>
                    {move || (warnings.get() && checks_ok.get()).then(|| view! {
                        <label class="override">
                            <input id="create-anyway" type="checkbox" prop:checked=move || override_checks.get() on:change=move |ev| override_checks.set(event_target_checked(&ev))/>
                            " " {move || preflight::override_label(&checks.get())}
                        </label>
                    })}
                </section>
                <CliEcho command/>
            </aside>

            <div class="form-actions">
                {move || lookup.get().flatten().and_then(|l| l.readiness).filter(|(_, _, _, v)| v.iter().any(|x| !x.allowed)).map(|(name, rg, rules, verdicts)| {
                    view! { <div class="panel"><h2>"Why the subnet fails"</h2><Readiness nsg_name=name resource_group=rg rules verdicts/></div> }
                })}
                {move || error.get().map(|error| view! { <ArmErrorView error/> })}
                {move || started.get().and_then(|op| tracker.get(op)).map(|op| {
                    let link = op.pool.clone();
                    view! { <OpProgress op/> <p><a href=link>"Open the pool"</a></p> }
                })}
                // Not disabled for a form still to fix: pressing it goes to the first thing to fix.
                <button type="submit" class="primary" disabled=move || submitting.get() || running.get() || !may_write.get() aria-describedby="submit-why">
                    {move || if submitting.get() { "Creating…" } else { "Create agent pool" }}
                </button>
                <p id="submit-why" class="muted small" aria-live="polite">
                    {move || if !may_write.get() {
                        perms::needs(perms::POOL_WRITE)
                    } else if let Some((_, what)) = blocking.get() {
                        format!("First fix {what}")
                    } else if !form_ok.get() {
                        "The subnet cannot be used: see its note.".to_string()
                    } else if preflight::any_pending(&checks.get()) {
                        "Waiting for the pre-flight checks.".to_string()
                    } else {
                        String::new()
                    }}
                </p>
            </div>
        </form>
    }
}

fn loc_label(location: &str) -> String {
    location.to_string()
}
