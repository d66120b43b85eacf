//! The Activity Log as a table (one row an operation: when, who, what, result) and the pool
//! header's "Last changed by … · 5 min ago". Every string from the log is shown as text.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::activity::{self, Scope};
use crate::arm::id::AgentPoolId;
use crate::ctx::ctx;
use crate::domain::activity::{ago, Change, Outcome, Span, Who};
use crate::domain::time::format_rfc3339_ms;

/// "30 Nov 09:14" in the browser's zone.
fn local_stamp(ms: u64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{} {} {:02}:{:02}", d.get_date(), MONTHS[d.get_month() as usize % 12], d.get_hours(), d.get_minutes())
}

/// The service's time now, from its time `now_ms` when a read ended: moves on every half minute
/// while the view is open, so "5 min ago" does not stay 5 minutes for an hour.
pub fn ticking_now(now_ms: u64) -> Signal<u64> {
    let read_at = js_sys::Date::now();
    let tick = RwSignal::new(read_at);
    let ticker = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(30_000, move || tick.set(js_sys::Date::now())));
    on_cleanup(move || drop(ticker));
    Signal::derive(move || now_ms + (tick.get() - read_at).max(0.0) as u64)
}

/// When: relative, with the exact time (UTC) on hover and the local time under it.
#[component]
pub fn When(at_ms: u64, #[prop(into)] now: Signal<u64>) -> impl IntoView {
    let iso = format_rfc3339_ms(at_ms);
    view! {
        <time datetime=iso.clone() title=format!("{iso} (UTC)")>{move || ago(now.get(), at_ms)}</time>
        <span class="muted small block">{local_stamp(at_ms)}</span>
    }
}

#[component]
fn WhoCell(who: Who) -> impl IntoView {
    let kind = who.app.then(|| view! { <span class="muted small block">"service principal (app id)"</span> });
    let detail = who.detail.map(|d| view! { <span class="muted small block">{d}</span> });
    view! { <span class="who" class:app-id=who.app>{who.label}</span>{detail}{kind} }
}

#[component]
fn Result(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Succeeded => view! { <span class="state state-succeeded">"Succeeded"</span> }.into_any(),
        Outcome::Running => view! { <span class="state state-updating">"In progress"</span> }.into_any(),
        Outcome::Failed { code, message } => view! {
            <span class="state state-failed">"Failed"</span>
            {code.map(|c| view! { <code class="block">{c}</code> })}
            {message.map(|m| view! { <span class="error-message block">{m}</span> })}
        }
        .into_any(),
    }
}

/// The changes, newest first. `show_target`: name what each change was done to (a registry's
/// view); `pointed`: the correlation id of a row to mark; `take_focus`: scroll to it and focus it.
#[component]
pub fn ActivityTable(changes: Vec<Change>, now_ms: u64, show_target: bool, pointed: Option<String>, take_focus: bool) -> impl IntoView {
    let now = ticking_now(now_ms);
    let mut seen = std::collections::HashSet::new();
    let rows = changes
        .into_iter()
        .map(|c| {
            // One correlation id may hold several operations (a tool's command): ids stay unique,
            // and the first of them is the one pointed at.
            let first = seen.insert(c.correlation_id.to_ascii_lowercase());
            let id = if first { format!("op-{}", c.correlation_id) } else { format!("op-{}-{}", c.correlation_id, seen.len()) };
            let here = first && pointed.as_deref().is_some_and(|p| c.correlation_id.eq_ignore_ascii_case(p));
            let target = show_target.then(|| view! { <td>{c.target()}</td> });
            let node = NodeRef::<leptos::html::Tr>::new();
            if here && take_focus {
                // The operation a link pointed at: in view, and where the keyboard is.
                Effect::new(move |_| {
                    if let Some(tr) = node.get() {
                        tr.scroll_into_view();
                        let _ = tr.focus();
                    }
                });
            }
            view! {
                <tr node_ref=node id=id class:pointed=here aria-current=here.then_some("true") tabindex=here.then_some("-1")>
                    <td><When at_ms=c.started_ms now/></td>
                    <td class="who-cell"><WhoCell who=c.who.clone()/></td>
                    {target}
                    <td>{c.what.text()}</td>
                    <td><Result outcome=c.outcome.clone()/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label="Activity" tabindex="0">
            <table class="list activity">
                <thead><tr>
                    <th scope="col" class="col-when">"When"</th>
                    <th scope="col" class="col-who">"Who"</th>
                    {show_target.then(|| view! { <th scope="col" class="col-on">"On"</th> })}
                    <th scope="col" class="col-what">"What"</th>
                    <th scope="col" class="col-result">"Result"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// What a reader without the Activity Log's read permission sees instead of the log.
#[component]
pub fn NoActivityAccess() -> impl IntoView {
    view! {
        <p class="notice" role="note">
            "You cannot read this subscription's Activity Log: it takes " <code>{activity::READ_ACTION}</code>
            " (the Reader role has it). Ask an owner of the subscription for it."
        </p>
    }
}

/// How often, and how long, to look for an operation in the log: Azure writes events within
/// minutes, not at once.
const LOOK_EVERY_MS: u32 = 10_000;
const LOOKS: u32 = 30;

/// "This operation in the activity log", once the log has the operation `correlation` started
/// by this tab; asked again every 10 s for 5 minutes until it does.
#[component]
pub fn ActivityLink(pool: AgentPoolId, correlation: String) -> impl IntoView {
    let client = ctx().client;
    let found = RwSignal::new(false);
    let (sub, cid) = (pool.registry.subscription.clone(), correlation.clone());
    spawn_local(async move {
        for look in 0..LOOKS {
            if look > 0 {
                gloo_timers::future::TimeoutFuture::new(LOOK_EVERY_MS).await;
            }
            let now = client.server_now_ms().unwrap_or_else(js_sys::Date::now) as u64;
            let mut any = false;
            let (since, until) = activity::bounds(now, Span::Day.ms());
            // The log may answer a page with nothing and a nextLink: read on until something.
            let result = activity::list(&client, &sub, since, until, &Scope::Correlation(cid.clone()), |page| {
                any |= !page.is_empty();
                !any && found.try_get().is_some()
            })
            .await;
            match result {
                Ok(_) if any => {
                    let _ = found.try_set(true);
                    return;
                }
                // No access, a bad request: asking again will not help.
                Err(e) if !e.is_transient() => return,
                _ => {}
            }
            // Gone (the page was left, or another operation took its place): stop asking.
            if found.try_get().is_none() {
                return;
            }
        }
    });
    let href = format!("{}?op={}", crate::route::activity_path(&pool.path()), correlation);
    move || found.get().then(|| view! { <p class="op-activity"><a href=href.clone()>"See this operation in the activity log"</a></p> })
}
