//! "Propose a schedule" on the Insights tab (issue 21): from the window's runs, the fewest
//! instances for each hour of the week meeting the advisor's target, merged into a few rules in
//! the browser's zone, replayed side by side with the current fixed count and the cheapest fixed
//! count that meets the target. "Apply this schedule" opens the Schedule tab filled in; nothing
//! is written until the user saves there.

use leptos::prelude::*;

use crate::arm::id::AgentPoolId;
use crate::domain::insights::{self, grouped, Query, Window};
use crate::domain::proposal::{self, Comparison, Outcome};
use crate::domain::queue::{duration, RunView};
use crate::domain::schedule::{self, Rule};
use crate::live::zone::{browser_zone, NamedZone};

fn wait_text(ms: Option<u64>) -> String {
    ms.map_or_else(|| "never ran".to_string(), duration)
}

#[component]
pub fn ScheduleProposal(
    id: AgentPoolId,
    runs: RwSignal<Vec<RunView>>,
    #[prop(into)] window: Signal<Option<Window>>,
    #[prop(into)] complete: Signal<bool>,
    max_instances: u32,
    vcpu: u32,
    current: u32,
    query: Memo<Query>,
) -> impl IntoView {
    let asked = RwSignal::new(false);
    let zone_name = browser_zone();
    let proposed = {
        let zone_name = zone_name.clone();
        Memo::new(move |_| {
            if !asked.get() || !complete.get() {
                return None;
            }
            let window = window.get()?;
            let target_ms = query.get().target_s * 1000;
            let input = runs.with(|r| insights::replay_input(r, window));
            if input.recorded < crate::domain::sizing::MIN_RUNS {
                return Some(Err(format!("Too little history to propose a schedule: the advisor needs at least {} runs.", crate::domain::sizing::MIN_RUNS)));
            }
            let zone = NamedZone::new(&zone_name);
            let started = crate::components::advisor::now_ms();
            let rules = proposal::propose(&input.arrivals, &zone, max_instances, target_ms, window.end_ms);
            let c = proposal::compare(&input.arrivals, &zone, current, &rules, max_instances, vcpu, window.start_ms, window.end_ms, target_ms);
            let took_ms = crate::components::advisor::now_ms() - started;
            Some(Ok((rules, c, target_ms, took_ms)))
        })
    };
    let week = Memo::new(move |_| window.get().is_some_and(|w| w.end_ms - w.start_ms >= 6 * schedule::DAY_MS));
    let body = {
        let (id, zone_name) = (id.clone(), zone_name.clone());
        move || match proposed.get() {
            None if asked.get() => view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"Waiting for the whole window…"</p> }.into_any(),
            None => ().into_any(),
            Some(Err(e)) => view! { <p class="notice" role="note">{e}</p> }.into_any(),
            Some(Ok((rules, c, target_ms, took_ms))) => result(&id, &zone_name, rules, c, current, target_ms, took_ms).into_any(),
        }
    };
    view! {
        <section class="panel proposal" aria-labelledby="proposal-title">
            <h2 id="proposal-title">"A schedule instead of a fixed count"</h2>
            <p class="muted">{format!("For each hour of the week ({zone_name}), the fewest instances whose replayed p95 wait meets the target above, never more than the quota allows; weekdays share their busiest day's hours, and so do Saturday and Sunday.")}</p>
            {move || (!week.get()).then(|| view! { <p class="notice" role="note">"A weekly schedule needs a week of runs: choose the 7-day window."</p> })}
            <button type="button" on:click=move |_| asked.set(true) disabled=move || !week.get() || asked.get()>"Propose a schedule"</button>
            {body}
        </section>
    }
}

fn row(label: &str, o: &Outcome) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{label.to_string()}</th>
            <td class="num" data-ms=o.p50_wait_ms.map(|m| m.to_string())>{wait_text(o.p50_wait_ms)}</td>
            <td class="num" data-ms=o.p95_wait_ms.map(|m| m.to_string())>{wait_text(o.p95_wait_ms)}</td>
            <td class="num">{grouped(o.never_ran)}</td>
            <td class="num">{format!("{:.0}", o.vcpu_hours)}</td>
        </tr>
    }
}

fn result(id: &AgentPoolId, zone: &str, rules: Vec<Rule>, c: Comparison, current: u32, target_ms: u64, took_ms: f64) -> impl IntoView {
    let href = format!("{}{}", crate::route::schedule_path(id), schedule::proposal_query(&rules, zone));
    let items = rules
        .iter()
        .map(|r| view! { <li>{format!("{} {} → {} instance{}", r.days.label(), r.time(), r.count, if r.count == 1 { "" } else { "s" })}</li> })
        .collect_view();
    let cheapest = match &c.cheapest_fixed {
        Some((k, o)) => row(&format!("Cheapest fixed count: {k}"), o).into_any(),
        None => view! { <tr><th scope="row">"Cheapest fixed count"</th><td colspan="4">"none up to the quota meets the target"</td></tr> }.into_any(),
    };
    let verdict = proposal::verdict(&c, target_ms);
    view! {
        <ul class="proposed-rules" aria-label="Proposed rules">{items}</ul>
        <table class="list advice" aria-label="A schedule against fixed counts" data-propose-ms=format!("{took_ms:.1}")>
            <thead><tr>
                <th scope="col">"Over the window"</th>
                <th scope="col" class="num">"Wait p50"</th>
                <th scope="col" class="num">"Wait p95"</th>
                <th scope="col" class="num">"Never ran"</th>
                <th scope="col" class="num">"vCPU-hours"</th>
            </tr></thead>
            <tbody>
                {row(&format!("Now: {current} all week"), &c.current)}
                {row("The proposed schedule", &c.scheduled)}
                {cheapest}
            </tbody>
        </table>
        <p class="small proposal-verdict">{verdict}</p>
        <a class="button primary" href=href>"Apply this schedule"</a>
        <p class="muted small">"Opens the Schedule tab filled in: nothing is written until you save there."</p>
    }
}
