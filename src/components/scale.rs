use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::agent_pools::{self, AgentPoolPropertiesUpdateParameters, AgentPoolUpdateParameters};
use crate::arm::id::AgentPoolId;
use crate::arm::ArmError;
use crate::components::{cli_echo::CliEcho, error_view::ArmErrorView};
use crate::domain::quota::{self, Usage};
use crate::domain::tier::Tier;
use crate::domain::{cli, permissions as perms};
use crate::ops::tracker::Tracker;
use crate::ops::Kind;

/// Scale (SPEC F6): a slider and a number, 0 to what the default quota allows, with instances,
/// vCPU and quota before → after; applying PATCHes the count and follows the operation.
#[component]
pub fn ScalePanel(
    id: AgentPoolId,
    tier: String,
    current: i32,
    others: Usage,
    #[prop(into)] can_write: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    /// A count to start from (the sizing advisor's): filled in and focused, applied only on Scale.
    suggested: Option<u32>,
    /// The count a scale this browser follows is taking the pool to, until it lands.
    #[prop(into)]
    applying: Signal<Option<i32>>,
) -> impl IntoView {
    let client = ctx().client;
    let tracker = expect_context::<Tracker>();
    let info = Tier::lookup(&tier);
    let current = current.max(0) as u32;
    // Never below the current count: a pool already past the default quota (raised by ticket) can stay.
    let max = info.map_or(current, |t| quota::max_count(&t, others).max(current));
    let suggested = suggested.map(|n| n.min(max));
    let target = RwSignal::new(suggested.unwrap_or(current));
    let input = NodeRef::<leptos::html::Input>::new();
    if suggested.is_some() {
        // Where the user's eyes and keyboard should be: the count the advisor filled in.
        Effect::new(move |_| {
            if let Some(el) = input.get() {
                el.scroll_into_view();
                let _ = el.focus();
            }
        });
    }
    let error = RwSignal::new(None::<ArmError>);
    let sending = RwSignal::new(false);
    let set_from = move |text: String| {
        if let Ok(n) = text.trim().parse::<u32>() {
            target.set(n.min(max));
        }
    };
    let vcpu = move |n: u32| info.map_or(0, |t| t.vcpu * n);
    let summary = move || {
        // A scale on its way says where it goes, not the count the pool was read with.
        if let Some(to) = applying.get() {
            return format!("Instances → {to} (applying) · vCPU → {}", vcpu(to.max(0) as u32));
        }
        let t = target.get();
        let left = info.map(|i| quota::left_after(&i, t, others)).unwrap_or(0);
        let limit = info.map_or(0, |i| quota::limit_for(&i));
        format!("Instances {current} → {t} · vCPU {} → {} · default quota left after: {left} of {limit}", vcpu(current), vcpu(t))
    };
    let (reg, name) = (id.registry.name.clone(), id.name.clone());
    let command = Signal::derive(move || cli::scale_pool(&reg, &name, target.get() as i64));
    let apply = move |_| {
        let to = target.get_untracked();
        if to == current {
            return;
        }
        let (client, id) = (client.clone(), id.clone());
        let body = AgentPoolUpdateParameters { properties: Some(AgentPoolPropertiesUpdateParameters { count: Some(to as i32) }), tags: None };
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = agent_pools::update(&client, &id, &body).await;
            if let Err(e) = tracker.after_write(&client, &id, Kind::Update, format!("Scale {current} → {to}"), Some(to as i32), result) {
                error.set(Some(e));
            }
            sending.set(false);
        });
    };
    let disabled = move || !can_write.get() || busy.get() || sending.get();
    view! {
        <section class="panel scale" aria-labelledby="scale-title">
            <h2 id="scale-title">"Scale"</h2>
            <div class="scale-inputs">
                <label for="scale-count">"Instances"</label>
                <input id="scale-count" type="number" min="0" max=max step="1" node_ref=input
                    prop:value=move || target.get().to_string()
                    on:input=move |ev| set_from(event_target_value(&ev))
                    disabled=disabled/>
                <span class="muted small">{format!("0 to {max} within the default quota")}</span>
            </div>
            <label for="scale-slider" class="visually-hidden">"Instances (slider)"</label>
            <input id="scale-slider" class="scale-slider" type="range" min="0" max=max step="1"
                prop:value=move || target.get().to_string()
                on:input=move |ev| set_from(event_target_value(&ev))
                disabled=disabled
                aria-valuetext=move || format!("{} instances", target.get())/>
            {suggested.map(|n| view! { <p class="muted small suggested">{format!("{n} filled in by the sizing advisor: nothing changes until you scale.")}</p> })}
            <p class="scale-summary" aria-live="polite">{summary}</p>
            {move || (target.get() == 0 && current > 0).then(|| view! {
                <p class="notice" role="note">"At 0 instances no run starts: queued runs wait until the pool is scaled up again."</p>
            })}
            <CliEcho command/>
            {move || error.get().map(|error| view! { <ArmErrorView error/> })}
            <button type="button" class="primary" on:click=apply disabled=move || disabled() || target.get() == current aria-describedby="scale-why">
                {move || match (sending.get(), applying.get()) {
                    (true, _) => "Applying…".to_string(),
                    (_, Some(to)) => format!("Applying → {to}…"),
                    _ => format!("Scale to {}", target.get()),
                }}
            </button>
            <p id="scale-why" class="muted small">
                {move || if !can_write.get() { perms::needs(perms::POOL_WRITE) } else if busy.get() { "The pool is busy with an operation: wait for it to end.".into() } else { String::new() }}
            </p>
        </section>
    }
}
