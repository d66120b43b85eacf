use leptos::prelude::*;

use crate::arm::id::{AgentPoolId, RunId};
use crate::components::error_view::ArmErrorView;
use crate::components::time::Time;
use crate::domain::queue::{self, PoolView, Sample};
use crate::live::queue::QueueSnapshot;
use crate::live::UseLiveReturn;

const SAMPLES: usize = 120;

/// How far back the sparklines start, rebuilt from the runs read.
const BACKFILL_MS: u64 = 10 * 60 * 1000;

/// The live queue of a pool (SPEC F9): ARM's queued count, the runs in order with their ages,
/// why they wait, and how the queue moved since the page opened.
#[component]
pub fn LiveQueuePanel(id: AgentPoolId, live: UseLiveReturn<QueueSnapshot>, #[prop(into)] pool: Signal<PoolView>) -> impl IntoView {
    let samples = RwSignal::new(Vec::<Sample>::new());
    Effect::new(move |_| {
        if let Some(s) = live.data.get() {
            let wait = queue::oldest_wait(&s.runs, s.at_ms as u64).unwrap_or(0);
            samples.update(|v| {
                // The first read starts the lines with the last ten minutes, rebuilt from the runs.
                if v.is_empty() {
                    *v = queue::backfill(&s.runs, s.at_ms as u64, BACKFILL_MS, 20);
                    v.pop();
                }
                queue::push_sample(v, Sample { at_ms: s.at_ms, depth: s.queued.max(0) as u32, oldest_wait_ms: wait }, SAMPLES)
            });
        }
    });
    let registry = id.registry.clone();
    let run_link = move |run_id: &str| RunId { registry: registry.clone(), run_id: run_id.to_string() }.path();
    let body = move || {
        let Some(snap) = live.data.get() else {
            return view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"Loading the queue…"</p> }.into_any();
        };
        let q = queue::split(&snap.runs, 5);
        let now = snap.at_ms as u64;
        let why = queue::why_waiting(snap.queued.max(0) as usize, q.running.len(), &pool.get());
        let link = run_link.clone();
        let queued = q.queued.iter().enumerate().map(|(i, r)| {
            let href = link(&r.run_id);
            let age = if r.create_ms == u64::MAX { "—".to_string() } else { queue::duration(now.saturating_sub(r.create_ms)) };
            view! { <li><span class="pos">{format!("#{}", i + 1)}</span><a href=href>{r.run_id.clone()}</a><span class="what">{r.what.clone()}</span><span class="muted">{format!("waiting {age}")}</span></li> }
        }).collect_view();
        let running = q.running.iter().map(|r| {
            let href = link(&r.run_id);
            let since = r.start_ms.unwrap_or(r.create_ms);
            view! { <li><a href=href>{r.run_id.clone()}</a><span class="what">{r.what.clone()}</span><span class="muted">{format!("running {}", queue::duration(now.saturating_sub(since)))}</span></li> }
        }).collect_view();
        let finished = q.finished.iter().map(|r| {
            let href = link(&r.run_id);
            let took = match (r.start_ms, r.finish_ms) { (Some(s), Some(f)) => queue::duration(f.saturating_sub(s)), _ => "—".into() };
            let class = format!("state state-{}", r.status.to_ascii_lowercase());
            let ended = r.finish_ms.map(|at_ms| view! { <span class="muted">"ended " <Time at_ms now=Signal::stored(now)/></span> });
            view! { <li><a href=href>{r.run_id.clone()}</a><span class=class>{r.status.clone()}</span><span class="what">{r.what.clone()}</span><span class="muted">{took}</span>{ended}</li> }
        }).collect_view();
        let (nq, nr) = (q.queued.len(), q.running.len());
        view! {
            <p class="why" role="status">{why}</p>
            <div class="queue-columns">
                <section aria-label="Queued runs"><h3>{format!("Queued ({nq})")}</h3>
                    {if nq == 0 { view! { <p class="empty">"None."</p> }.into_any() } else { view! { <ol class="runs">{queued}</ol> }.into_any() }}</section>
                <section aria-label="Running runs"><h3>{format!("Running ({nr})")}</h3>
                    {if nr == 0 { view! { <p class="empty">"None."</p> }.into_any() } else { view! { <ul class="runs">{running}</ul> }.into_any() }}</section>
                <section aria-label="Recent runs"><h3>"Recent"</h3>
                    {if q.finished.is_empty() { view! { <p class="empty">"None."</p> }.into_any() } else { view! { <ul class="runs">{finished}</ul> }.into_any() }}</section>
            </div>
        }
        .into_any()
    };
    let sparks = move || {
        let s = samples.get();
        let depth: Vec<f64> = s.iter().map(|x| x.depth as f64).collect();
        let wait: Vec<f64> = s.iter().map(|x| x.oldest_wait_ms as f64 / 1000.0).collect();
        let max_depth = depth.iter().cloned().fold(0.0, f64::max);
        let max_wait = wait.iter().cloned().fold(0.0, f64::max);
        view! {
            <figure class="spark">
                <svg viewBox="0 0 120 24" width="120" height="24" role="img" aria-label=format!("Queue depth over the last minutes, up to {max_depth}")>
                    <polyline points=queue::sparkline(&depth, 120.0, 22.0) class="spark-line"/>
                </svg>
                <figcaption>{format!("Queue depth (max {max_depth})")}</figcaption>
            </figure>
            <figure class="spark">
                <svg viewBox="0 0 120 24" width="120" height="24" role="img" aria-label=format!("Oldest wait over the last minutes, up to {}", queue::duration(max_wait as u64 * 1000))>
                    <polyline points=queue::sparkline(&wait, 120.0, 22.0) class="spark-line wait"/>
                </svg>
                <figcaption>{format!("Oldest wait (max {})", queue::duration(max_wait as u64 * 1000))}</figcaption>
            </figure>
        }
    };
    let paused = live.paused;
    view! {
        <section class="panel live-queue" aria-labelledby="queue-title">
            <div class="title-row">
                <h2 id="queue-title">"Queue"</h2>
                <div class="live-controls">
                    <span class="muted small" aria-live="polite">
                        {move || match live.updated_at.get() {
                            Some(t) => format!("Updated {}{}", crate::components::time::clock_text(t as u64), if live.refreshing.get() { " · refreshing…" } else { "" }),
                            None => String::new(),
                        }}
                    </span>
                    <label class="inline">
                        <input type="checkbox" prop:checked=move || !paused.get() on:change=move |ev| paused.set(!event_target_checked(&ev))/>
                        " Live"
                    </label>
                </div>
            </div>
            <p class="queued-count">{move || live.data.get().map(|s| if s.counted_from_runs {
                format!("{} queued (counted from the runs list: your role may not ask Azure for the pool's queue count)", s.queued)
            } else {
                format!("{} queued", s.queued)
            })}</p>
            {body}
            <div class="sparks">{sparks}</div>
            {move || live.error.get().map(|error| view! { <ArmErrorView error reload=true/> })}
        </section>
    }
}
