//! On a pool's overview: what its schedule did lately (issue 21). Each run of a rule's task, with
//! a link to its log, and a rule whose newest run failed flagged with the reason (no role, the
//! quota). The tasks run on the registry's shared pool, not on this one, so the live queue (this
//! pool's runs) does not hold them.

use leptos::prelude::*;

use crate::arm::id::{AgentPoolId, RunId};
use crate::components::time::{ticking_now, Time};
use crate::ctx::ctx;
use crate::live::schedule::{recent, Recent};

/// Runs shown: a week of a two-rule weekday schedule.
const SHOWN: u32 = 10;

/// Read with the pool: `count` changes when a scheduled change (or anyone) scales it.
#[component]
pub fn ScheduledChanges(id: AgentPoolId, #[prop(into)] count: Signal<Option<i32>>) -> impl IntoView {
    let client = StoredValue::new_local(ctx().client);
    let pool = id.clone();
    let read = LocalResource::new(move || {
        count.track();
        let (c, id) = (client.get_value(), pool.clone());
        async move { recent(&c, &id, SHOWN).await }
    });
    let now = ticking_now(crate::components::time::service_now());
    move || match read.get() {
        // Quiet when there is no schedule, or it cannot be read: the Schedule tab says why.
        None | Some(Err(_)) => ().into_any(),
        Some(Ok(r)) if r.tasks.is_empty() => ().into_any(),
        Some(Ok(r)) => view! { <Changes id=id.clone() recent=r now/> }.into_any(),
    }
}

#[component]
fn Changes(id: AgentPoolId, recent: Recent, now: Signal<u64>) -> impl IntoView {
    let failed = recent.failed().into_iter().map(|r| {
        let what = recent.rule_of(r).map_or_else(|| "A rule".to_string(), |rule| format!("{} {} → {}", rule.days.label(), rule.time(), rule.count));
        let reason = r.properties.run_error_message.clone().unwrap_or_else(|| format!("the run ended {}", r.status()));
        let href = RunId { registry: id.registry.clone(), run_id: r.run_id().to_string() }.path();
        view! {
            <p class="notice error schedule-failed" role="note">
                <strong>{format!("{what} did not change the pool")}</strong>
                {format!(": {reason} ")}
                <a href=href>{format!("Run {}", r.run_id())}</a>
            </p>
        }
    }).collect_view();
    let rows = recent.runs.iter().map(|r| {
        let v = r.view();
        let what = recent.rule_of(r).map_or_else(|| r.properties.task.clone().unwrap_or_default(), |rule| format!("→ {} instance{} ({} {} rule)", rule.count, if rule.count == 1 { "" } else { "s" }, rule.days.label(), rule.time()));
        let href = RunId { registry: id.registry.clone(), run_id: v.run_id.clone() }.path();
        let bad = crate::domain::queue::is_finished(&v.status) && v.status != "Succeeded";
        view! {
            <tr>
                <th scope="row" class="nowrap" data-label="Run"><a href=href>{v.run_id.clone()}</a></th>
                <td data-label="When"><Time at_ms=v.create_ms now/></td>
                <td data-label="Change">{what}</td>
                <td data-label="Result">
                    <span class=format!("state state-{}", v.status.to_ascii_lowercase())>{v.status.clone()}</span>
                    {bad.then(|| r.properties.run_error_message.clone()).flatten().map(|m| view! { <span class="error-message block">{m}</span> })}
                </td>
            </tr>
        }
    }).collect_view();
    let schedule = crate::route::schedule_path(&id);
    view! {
        <section class="panel scheduled-changes" aria-labelledby="scheduled-title">
            <h2 id="scheduled-title">"Scheduled changes"</h2>
            <p class="muted small">"Runs of the schedule's tasks, on the registry's shared pool. "<a href=schedule>"The schedule"</a></p>
            {failed}
            {if recent.runs.is_empty() {
                view! { <p class="empty">"No rule has run yet."</p> }.into_any()
            } else {
                view! {
                    <table class="list cards" aria-label="Scheduled changes">
                        <thead><tr><th scope="col" class="nowrap">"Run"</th><th scope="col" class="nowrap">"When"</th><th scope="col">"Change"</th><th scope="col">"Result"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
