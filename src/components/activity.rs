//! The Activity Log as a table (one row an operation: when, who, what, result) and the pool
//! header's "Last changed by … · 5 min ago". Every string from the log is shown as text.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::activity::{self, Scope};
use crate::arm::id::AgentPoolId;
use crate::ctx::ctx;
use crate::domain::activity::{Change, Outcome, Span, Who};
use crate::components::copy_link::PrincipalName;
use crate::components::time::{absolute_text, Time};

pub use crate::components::time::ticking_now;

/// When: relative, with the absolute time and its zone on hover and under it.
#[component]
pub fn When(at_ms: u64, #[prop(into)] now: Signal<u64>) -> impl IntoView {
    view! {
        <Time at_ms now/>
        <span class="muted small block">{move || absolute_text(at_ms)}</span>
    }
}

#[component]
fn WhoCell(who: Who, identities: Signal<BTreeMap<String, String>>) -> impl IntoView {
    // A task's managed identity (a schedule's rule, say) by its task's name once this registry's
    // tasks are read: Azure logs only the identity's ids.
    move || {
        let who = who.clone();
        let task = who.object_id.as_ref().filter(|_| who.app).and_then(|oid| identities.with(|m| m.get(&oid.to_ascii_lowercase()).cloned()));
        if let Some(task) = task {
            return view! {
                <span class="who">{format!("Task {task}")}</span>
                <span class="muted small block">{format!("its managed identity, app {}", who.label)}</span>
            }
            .into_any();
        }
        if who.app {
            // An app id means nothing to a reader: "App 5e4d…", the whole id on hover and to copy.
            return view! { <PrincipalName who=crate::domain::names::principal(&who.label, "Application")/> }.into_any();
        }
        let detail = who.detail.map(|d| view! { <span class="muted small block">{d}</span> });
        view! { <span class="who">{who.label}</span>{detail} }.into_any()
    }
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
pub fn ActivityTable(
    changes: Vec<Change>,
    now_ms: u64,
    show_target: bool,
    pointed: Option<String>,
    take_focus: bool,
    /// Task names by their identity's principal id (lower case).
    #[prop(into)]
    identities: Signal<BTreeMap<String, String>>,
) -> impl IntoView {
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
            let target = show_target.then(|| view! { <td data-label="On">{c.target()}</td> });
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
                    <td data-label="When"><When at_ms=c.started_ms now/></td>
                    <td class="who-cell" data-label="Who"><WhoCell who=c.who.clone() identities/></td>
                    {target}
                    <td data-label="What">{c.what.text()}</td>
                    <td data-label="Result"><Result outcome=c.outcome.clone()/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label="Activity" tabindex="0">
            // On a narrow screen each operation is a card: its Result stays on screen.
            <table class="list activity cards">
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
    let href = format!("{}?op={}", crate::route::activity_path(&pool.path()), js_sys::encode_uri_component(&correlation));
    move || found.get().then(|| view! { <p class="op-activity"><a href=href.clone()>"See this operation in the activity log"</a></p> })
}
