//! The operations tray in the header (the Azure portal's bell, issue 20): every create, scale,
//! pause, resume and delete started in this browser, in progress and finished, each with a link
//! to its pool and to its row in the Activity Log. Opt-in: a browser notification when one ends
//! while the tab is in the background.

use leptos::prelude::*;

use crate::components::time::Time;
use crate::ops::tracker::Tracker;
use crate::ops::{Kind, OpState, Operation};

/// Whether this browser has notifications at all (some webviews and iOS Safari outside an
/// installed app have none: calling into them would throw).
fn notifications_exist() -> bool {
    web_sys::window().is_some_and(|w| js_sys::Reflect::has(&w, &wasm_bindgen::JsValue::from_str("Notification")).unwrap_or(false))
}

fn granted() -> bool {
    notifications_exist() && web_sys::Notification::permission() == web_sys::NotificationPermission::Granted
}

fn notify_wanted() -> bool {
    crate::prefs::notify_operations() && granted()
}

fn remember(on: bool) {
    crate::prefs::set_notify_operations(on);
}

fn tab_hidden() -> bool {
    web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

fn outcome(op: &Operation) -> String {
    match &op.state {
        OpState::Running => "in progress…".into(),
        OpState::Succeeded => "succeeded".into(),
        OpState::Failed { message, .. } => format!("failed: {message}"),
    }
}

#[component]
pub fn OpsTray() -> impl IntoView {
    let tracker = expect_context::<Tracker>();
    // Only what the tray shows: an operation's polls must not redraw the list (nor move the
    // focus of someone reading it).
    let ops = Memo::new(move |_| {
        tracker.all().into_iter().map(|o| Operation { polls: 0, last_seen: None, status_url: None, answered_count: None, ..o }).collect::<Vec<Operation>>()
    });
    let running = Memo::new(move |_| ops.with(|o| o.iter().filter(|o| o.is_running()).count()));
    // An operation that ends while the tab is hidden: a notification, if the user asked for them.
    Effect::watch(
        move || ops.with(|o| o.iter().filter(|o| !o.is_running()).map(|o| o.id).collect::<Vec<u64>>()),
        move |ended, before, _| {
            let Some(before) = before else { return };
            if !tab_hidden() || !notify_wanted() {
                return;
            }
            for op in ops.get_untracked().iter().filter(|o| ended.contains(&o.id) && !before.contains(&o.id)) {
                let options = web_sys::NotificationOptions::new();
                options.set_body(&format!("{}: {}", op.summary, outcome(op)));
                let _ = web_sys::Notification::new_with_options("Pool Portal", &options);
            }
        },
        false,
    );
    let wants = RwSignal::new(notify_wanted());
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if !on || granted() {
            remember(on);
            wants.set(on);
            return;
        }
        wants.set(false);
        if !notifications_exist() {
            return;
        }
        // The browser asks the user; kept on, and the box ticked, only if they said yes.
        if let Ok(promise) = web_sys::Notification::request_permission() {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                remember(granted());
                let _ = wants.try_set(granted());
            });
        }
    };
    let now = crate::components::time::ticking_now(js_sys::Date::now() as u64);
    let list = move || {
        let all = ops.get();
        if all.is_empty() {
            return view! { <p class="muted">"Nothing started in this browser yet. Creates, scales, pauses and deletes show here while they run, and for 15 minutes after."</p> }.into_any();
        }
        let items = all.into_iter()
            .map(|op| {
                let class = match &op.state {
                    OpState::Running => "state state-updating",
                    OpState::Succeeded => "state state-succeeded",
                    OpState::Failed { .. } => "state state-failed",
                };
                let pool_link = (!(op.kind == Kind::Delete && op.state == OpState::Succeeded)).then(|| view! { <a href=op.pool.clone()>"Pool"</a> });
                let activity = op.correlation_id.clone().map(|c| {
                    let href = format!("{}?op={}", crate::route::activity_path(&op.pool), js_sys::encode_uri_component(&c));
                    view! { <a href=href>"Activity"</a> }
                });
                view! {
                    <li>
                        <span class="op-summary">{op.summary.clone()}</span>
                        " " <span class=class>{outcome(&op)}</span>
                        <span class="muted small block">"started " <Time at_ms=op.started_ms as u64 now/> " · " {pool_link} " " {activity}</span>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="plain-list tray-list">{items}</ul> }.into_any()
    };
    view! {
        <details class="tray">
            <summary>
                "Operations"
                {move || (running.get() > 0).then(|| view! { <span class="tray-count">{running.get()}<span class="visually-hidden">" in progress"</span></span> })}
            </summary>
            <div class="menu tray-menu">
                <h2 class="tray-title">"Operations in this browser"</h2>
                <p class="visually-hidden" role="status">{move || format!("{} in progress", running.get())}</p>
                {list}
                <label class="inline small">
                    <input type="checkbox" prop:checked=move || wants.get() on:change=toggle disabled=!notifications_exist()/>
                    " Notify me when one ends while this tab is in the background"
                </label>
            </div>
        </details>
    }
}
