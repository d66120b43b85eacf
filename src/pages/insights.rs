//! `{pool id}/insights` (issue 12): a pool's queue waits and run times, runs per hour, success
//! rate, busy share and idle hours over the last 24 hours or 7 days, and the sizing advisor.
//! The window and the advisor's target are in the URL, so a view is a link.

use leptos::prelude::*;

use crate::arm::agent_pools::{self, AgentPool};
use crate::arm::id::AgentPoolId;
use crate::components::advisor::Advisor;
use crate::components::schedule_proposal::ScheduleProposal;
use crate::components::charts::{BarChart, HourStrip};
use crate::components::cli_echo::CliEcho;
use crate::components::window_choice::WindowChoice;
use crate::components::pool_tabs::{PoolHeader, Tab};
use crate::components::{error_view::ArmErrorView, loading::Loading};
use crate::domain::insights::{self, grouped, hour_ranges, Insights, Query, Span, Window, RUN_BUCKETS, WAIT_BUCKETS};
use crate::domain::queue::duration;
use crate::domain::tier::Tier;
use crate::domain::{cli, quota};
use crate::live::history::{use_history, History};
use crate::live::reach::arm_read;

/// Minutes east of UTC of the browser's zone now (the strip's hours are local).
fn local_offset_min() -> i32 {
    -(js_sys::Date::new_0().get_timezone_offset() as i32)
}

fn zone_name(offset_min: i32) -> String {
    let sign = if offset_min < 0 { '−' } else { '+' };
    let m = offset_min.unsigned_abs();
    format!("your time, UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

#[component]
pub fn InsightsPage(id: AgentPoolId) -> impl IntoView {
    let search = crate::nav::use_search();
    let query = Memo::new(move |_| Query::from_query(&search.get()));
    let span = Signal::derive(move || query.get().span);
    let details = arm_read(id.clone(), |c, p| async move {
        let (pool, siblings) = futures::join!(agent_pools::get(&c, &p), agent_pools::list(&c, &p.registry));
        pool.map(|pool| (pool, siblings.unwrap_or_default()))
    });
    let pool_read = Signal::derive(move || matches!(details.get(), Some(Ok(_))));
    let history = use_history(id.clone(), span, pool_read);
    let offset = local_offset_min();
    // Only a window the runs read cover: between choosing a longer one and its read starting,
    // there is none (no chart or advice from the shorter read stretched over it).
    let window = Memo::new(move |_| {
        let (end, since) = (history.end_ms.get()?, history.since_ms.get()?);
        let w = Window::ending(end, span.get(), offset);
        (since <= w.start_ms).then_some(w)
    });
    let set_span = Callback::new(move |s: Span| crate::nav::replace_query(&Query { span: s, ..query.get_untracked() }.to_query()));
    let pid = id.clone();
    view! {
        <PoolHeader id=id.clone() tab=Tab::Insights system_data=Signal::derive(move || details.get().and_then(|r| r.ok()).and_then(|(p, _)| p.system_data))/>
        <div class="insights-controls">
            <WindowChoice name="insights-window" spans=&insights::SPANS current=span on_choose=set_span/>
            <Progress history/>
        </div>
        {move || history.error.get().map(|error| view! {
            <p class="notice" role="note">"The history below is what was read before this error: reload to read it all."</p>
            <ArmErrorView error/>
        })}
        {move || match details.get() {
            Some(Err(error)) => view! { <ArmErrorView error reload=true/> }.into_any(),
            None => view! { <Loading what="agent pool"/> }.into_any(),
            Some(Ok((pool, siblings))) => view! { <Body id=pid.clone() pool siblings history window query/> }.into_any(),
        }}
    }
}

/// "As of", pages read, and Refresh.
#[component]
fn Progress(history: History) -> impl IntoView {
    let text = move || {
        let runs = history.runs.with(|r| r.len());
        let pages = history.pages.get();
        match (history.complete.get(), history.end_ms.get()) {
            (_, None) => "Reading runs…".to_string(),
            (false, Some(_)) => format!("Reading runs… {} so far ({} page{})", grouped(runs), pages, if pages == 1 { "" } else { "s" }),
            (true, Some(end)) => format!("{} runs as of {} ({} page{})", grouped(runs), crate::components::time::clock_text(end), pages, if pages == 1 { "" } else { "s" }),
        }
    };
    view! {
        <p class="progress muted" role="status" aria-live="polite">
            {move || (!history.complete.get() && history.error.get().is_none()).then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
            <span class="history-status">{text}</span>
        </p>
        <button type="button" on:click=move |_| history.reload.run(()) disabled=move || !history.complete.get() && history.error.get().is_none()>"Refresh"</button>
    }
}

#[component]
fn Body(id: AgentPoolId, pool: AgentPool, siblings: Vec<AgentPool>, history: History, window: Memo<Option<Window>>, query: Memo<Query>) -> impl IntoView {
    let tier = Tier::lookup(pool.tier());
    let vcpu = tier.map_or(0, |t| t.vcpu);
    let current = pool.count().max(0) as u32;
    let others = quota::usage(siblings.iter().filter(|x| !x.display_name().eq_ignore_ascii_case(&id.name)).map(|x| (x.tier(), x.count())));
    let max_instances = tier.map_or(current, |t| quota::max_count(&t, others).max(current));
    let summary = Memo::new(move |_| {
        let w = window.get()?;
        Some(history.runs.with(|r| insights::summarise(r, w, current, vcpu)))
    });
    let (advisor_id, proposal_id) = (id.clone(), id.clone());
    view! {
        {move || summary.get().map(|s| {
            let partial = !history.complete.get();
            view! { <Summary id=id.clone() s partial current vcpu/> }
        })}
        <Advisor id=advisor_id runs=history.runs window complete=history.complete failed=Signal::derive(move || history.error.get().is_some()) max_instances vcpu current query/>
        <ScheduleProposal id=proposal_id runs=history.runs window complete=history.complete max_instances vcpu current query/>
    }
}

#[component]
fn Summary(id: AgentPoolId, s: Insights, partial: bool, current: u32, vcpu: u32) -> impl IntoView {
    let zone = zone_name(local_offset_min());
    let spread_row = |name: &'static str, pick: fn(&insights::Spread) -> u64| {
        let cell = |x: Option<insights::Spread>| x.map_or_else(|| "—".to_string(), |x| duration(pick(&x)));
        view! { <tr><th scope="row">{name}</th><td class="num">{cell(s.wait)}</td><td class="num">{cell(s.run_time)}</td></tr> }
    };
    let busiest = if s.busiest.is_empty() {
        "None: no runs in this window.".to_string()
    } else {
        s.busiest.iter().map(|(h, n)| format!("{h:02}:00–{:02}:00 ({} runs)", h + 1, grouped(*n as usize))).collect::<Vec<_>>().join(", ")
    };
    view! {
        {partial.then(|| view! { <p class="notice" role="note">"Partial: the newest runs are shown while older ones are read."</p> })}
        <dl class="facts insights-facts">
            <dt>"Runs queued"</dt><dd class="runs-total">{grouped(s.runs)}</dd>
            <dt>"Success rate"</dt><dd class="success-rate">{s.success_rate().map_or_else(|| "— (none ended)".to_string(), |r| format!("{} ({} of {} that ended)", percent(r), grouped(s.succeeded), grouped(s.ended)))}</dd>
            <dt>"Still queued"</dt><dd>{grouped(s.still_queued)}</dd>
            <dt>"Busy share"</dt><dd class="busy-share">{s.busy_share.map_or_else(
                || "— (no instances now)".to_string(),
                |b| format!("{} of the instance time {current} instance{} give", percent(b), if current == 1 { "" } else { "s" }),
            )}</dd>
            <dt>"Busiest hours"</dt><dd>{busiest}</dd>
        </dl>
        <section class="panel" aria-labelledby="times-title">
            <h2 id="times-title">"Queue wait and run time"</h2>
            <table class="list percentiles" aria-label="Percentiles of queue wait and run time">
                <thead><tr><th scope="col">"Percentile"</th><th scope="col" class="num">"Queue wait"</th><th scope="col" class="num">"Run time"</th></tr></thead>
                <tbody>
                    {spread_row("p50", |x| x.p50)}
                    {spread_row("p90", |x| x.p90)}
                    {spread_row("p95", |x| x.p95)}
                    {spread_row("max", |x| x.max)}
                </tbody>
            </table>
            <p class="muted small">{format!(
                "Queue wait: createTime to startTime of the {} runs that started. Run time: startTime to finishTime of the {} that ended. Nearest-rank percentiles.",
                grouped(s.wait.map_or(0, |x| x.count)), grouped(s.run_time.map_or(0, |x| x.count))
            )}</p>
            <div class="charts">
                <BarChart title="Queue wait".into() what="Wait" labels=WAIT_BUCKETS.iter().map(|b| b.1).collect() values=s.wait_bars.clone()/>
                <BarChart title="Run time".into() what="Run time" labels=RUN_BUCKETS.iter().map(|b| b.1).collect() values=s.run_bars.clone()/>
            </div>
        </section>
        <section class="panel" aria-labelledby="hours-title">
            <h2 id="hours-title">"Runs per hour"</h2>
            <HourStrip days=s.strip.clone() zone=zone/>
            <Idle id s current vcpu/>
        </section>
    }
}

/// What scaling to 0 in the idle hours would have saved, and the commands that do it.
#[component]
fn Idle(id: AgentPoolId, s: Insights, current: u32, vcpu: u32) -> impl IntoView {
    let idle = s.idle.clone();
    let text = if current == 0 {
        "The pool has no instances now: idle hours cost nothing.".to_string()
    } else if idle.hours == 0 {
        "No whole hour of this window was idle: every hour had a run queued or running.".to_string()
    } else {
        format!(
            "{} whole hour{} had no run queued or running. Scaled to 0 in those hours, the pool would have used {} fewer vCPU-hours ({current} × {vcpu} vCPU each hour).",
            grouped(idle.hours),
            if idle.hours == 1 { "" } else { "s" },
            grouped(idle.vcpu_hours.round() as usize)
        )
    };
    let recurring = (!idle.every_day.is_empty() && current > 0).then(|| format!("Idle on every day of the window: {} (your time).", hour_ranges(&idle.every_day)));
    let commands = (idle.hours > 0 && current > 0).then(|| {
        let (reg, name) = (id.registry.name.clone(), id.name.clone());
        let command = format!("{}\n{}", cli::scale_pool(&reg, &name, 0), cli::scale_pool(&reg, &name, current as i64));
        view! { <CliEcho command=Signal::stored(command) note="The first as idle hours begin, the second as they end (from a scheduled pipeline, say). Runs queued in between wait for the second.".to_string()/> }
    });
    view! {
        <h3>"Idle hours"</h3>
        <p class="idle-saving">{text}</p>
        {recurring.map(|t| view! { <p>{t}</p> })}
        {commands}
    }
}
