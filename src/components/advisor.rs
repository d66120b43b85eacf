//! The sizing advisor's panel (issue 12): the target, each count's replayed waits and cost, the
//! recommendation, and "Use this size", which opens the pool's scale panel with that count filled
//! in (nothing changes until the user scales there).

use leptos::prelude::*;

use crate::arm::id::AgentPoolId;
use crate::domain::insights::{self, grouped, Query, Window};
use crate::domain::queue::{duration, RunView};
use crate::domain::sizing::{Advice, SizeOutcome, MIN_RUNS};

/// Milliseconds on the page's high-resolution clock.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

fn wait_text(ms: Option<u64>) -> String {
    ms.map_or_else(|| "never ran".to_string(), duration)
}

/// Where "Use this size" leads: the pool's page with its scale panel filled in.
pub fn scale_link(id: &AgentPoolId, count: u32) -> String {
    format!("{}?scale={count}", id.path())
}

#[component]
pub fn Advisor(
    id: AgentPoolId,
    runs: RwSignal<Vec<RunView>>,
    #[prop(into)] window: Signal<Option<Window>>,
    #[prop(into)] complete: Signal<bool>,
    /// Reading the window failed part-way: there will be no whole window to replay.
    #[prop(into)] failed: Signal<bool>,
    /// The counts to replay go from 0 to this (what the default quota allows the pool).
    max_instances: u32,
    vcpu: u32,
    current: u32,
    query: Memo<Query>,
) -> impl IntoView {
    // Replayed once per window and target, and only once the whole window is read: advice from
    // part of it would be about the wrong week.
    let advice = Memo::new(move |_| {
        let window = window.get()?;
        if !complete.get() {
            return None;
        }
        let target = query.get().target_s;
        let input = runs.with(|r| insights::replay_input(r, window));
        let started = now_ms();
        let advice = insights::advise(&input, window, max_instances, vcpu, target);
        // Shown to benchmarks (a data attribute), as the browser measured it.
        let estimate = (input.estimated > 0).then(|| (input.estimated, input.median_run_ms.unwrap_or(0)));
        Some((advice, now_ms() - started, estimate))
    });
    let target_text = RwSignal::new(query.get_untracked().target_s.to_string());
    let target_error = RwSignal::new(None::<String>);
    Effect::new(move |_| target_text.set(query.get().target_s.to_string()));
    let set_target = move |text: String| match text.trim().parse::<u64>() {
        Ok(s) if s <= insights::MAX_TARGET_S => {
            target_error.set(None);
            crate::nav::replace_query(&Query { target_s: s, ..query.get_untracked() }.to_query());
        }
        _ => target_error.set(Some("Enter a whole number of seconds, from 0 to 86400.".into())),
    };
    let body = move || {
        let Some((advice, replay_ms, estimate)) = advice.get() else {
            if failed.get() {
                return view! { <p class="notice" role="note">"The advisor replays the whole window, and part of it could not be read: reload the history to see its advice."</p> }.into_any();
            }
            return view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"The advisor replays the whole window once it is read…"</p> }.into_any();
        };
        match advice {
            Advice::TooLittleHistory { runs } => view! {
                <p class="notice too-little" role="note">{format!(
                    "Too little history to advise: {runs} run{} ran in this window, and the advisor needs at least {MIN_RUNS}. Try the longer window, or come back when the pool has been used more.",
                    if runs == 1 { "" } else { "s" }
                )}</p>
            }
            .into_any(),
            Advice::Replayed { rows, recommended } => view! {
                {estimate.map(|(n, median)| view! { <p class="muted small">{format!(
                    "{n} run{} still queued {} replayed with the median run time of the others, {}.",
                    if n == 1 { "" } else { "s" }, if n == 1 { "is" } else { "are" }, duration(median)
                )}</p> })}
                {advice_table(&id, rows, recommended, current, max_instances, query.get().target_s, replay_ms)}
            }
            .into_any(),
        }
    };
    view! {
        <section class="panel advisor" aria-labelledby="advisor-title">
            <h2 id="advisor-title">"Sizing advisor"</h2>
            <p class="muted">"A replay of this window's runs, as they were queued and for as long as they ran, against other instance counts, first in first out. It says what would have happened, not what will."</p>
            <div class="target">
                <label for="advisor-target">"Target: 95% of runs wait at most (seconds)"</label>
                <input id="advisor-target" type="number" min="0" max="86400" step="1" inputmode="numeric"
                    prop:value=move || target_text.get()
                    on:input=move |ev| target_text.set(event_target_value(&ev))
                    on:change=move |ev| set_target(event_target_value(&ev))
                    aria-invalid=move || target_error.get().is_some().then_some("true")
                    aria-describedby="advisor-target-error"/>
                <span id="advisor-target-error" class="field-error" role="alert">{move || target_error.get()}</span>
            </div>
            {body}
        </section>
    }
}

/// "60 s", "5 min 0 s": a target as the user typed it, in seconds below two minutes.
fn target_text(s: u64) -> String {
    if s < 120 { format!("{s} s") } else { duration(s * 1000) }
}

fn advice_table(id: &AgentPoolId, rows: Vec<SizeOutcome>, recommended: Option<u32>, current: u32, max: u32, target_s: u64, replay_ms: f64) -> impl IntoView {
    let target = target_text(target_s);
    let verdict = match recommended {
        Some(k) if k == current => format!("The current size, {k} instance{}, keeps 95% of waits within {target}.", plural(k)),
        Some(k) => format!("Recommended: {k} instance{}, the fewest that keep 95% of waits within {target} (now {current}).", plural(k)),
        None => format!("No size up to {max} instances (the default quota) keeps 95% of waits within {target}."),
    };
    let use_it = recommended.filter(|&k| k != current).map(|k| {
        let href = scale_link(id, k);
        view! { <a class="button primary use-size" href=href>{format!("Use this size ({k})")}</a> }
    });
    let body = rows
        .into_iter()
        .map(|r| {
            let k = r.instances;
            let mut notes = Vec::new();
            if k == current {
                notes.push("current");
            }
            if Some(k) == recommended {
                notes.push("recommended");
            }
            let class = if Some(k) == recommended { "recommended" } else { "" };
            view! {
                <tr class=class>
                    <th scope="row">{k.to_string()}{(!notes.is_empty()).then(|| view! { <span class="muted">{format!(" ({})", notes.join(", "))}</span> })}</th>
                    <td class="num" data-ms=r.p50_wait_ms.map(|m| m.to_string())>{wait_text(r.p50_wait_ms)}</td>
                    <td class="num" data-ms=r.p95_wait_ms.map(|m| m.to_string())>{wait_text(r.p95_wait_ms)}</td>
                    <td class="num">{grouped(r.never_ran)}</td>
                    <td class="num">{format!("{:.0}", r.vcpu_hours)}</td>
                </tr>
            }
        })
        .collect_view();
    let timing = format!("{replay_ms:.1}");
    view! {
        <p class="verdict" role="status">{verdict}</p>
        {use_it}
        <table class="list advice" aria-label="Replayed sizes" data-replay-ms=timing data-target=target_s.to_string()>
            <thead><tr>
                <th scope="col">"Instances"</th>
                <th scope="col" class="num">"Wait p50"</th>
                <th scope="col" class="num">"Wait p95"</th>
                <th scope="col" class="num">"Never ran"</th>
                <th scope="col" class="num">"vCPU-hours"</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}
