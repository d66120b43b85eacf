//! A run (SPEC F12): status, timings, pool, images, its log tailed while it runs, and cancel.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;

use crate::components::log_view::LogView;
use crate::components::time::Stamp;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::id::RunId;
use crate::arm::logs::{self, LogError};
use crate::arm::runs::{self, Run};
use crate::arm::ArmError;
use crate::components::{copy_link::CopyLink, error_view::ArmErrorView};
use crate::domain::queue::{self, is_finished};
use crate::live::{use_live, Watch};

/// Where a tail stands: the SAS link (asked once, again if refused) and the bytes so far.
#[derive(Default)]
struct Tail {
    link: Option<String>,
    bytes: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq)]
enum LogView {
    /// The log so far; `complete` once it was read after the run ended.
    Text { text: String, complete: bool },
    /// The run has written no log yet.
    NotYet,
    /// The browser may not read the log: offer the link to open it directly.
    Blocked(String),
}

#[component]
pub fn RunPage(id: RunId) -> impl IntoView {
    let client = ctx().client;
    let (c1, c2, c3) = (client.without_retries(), client.without_retries(), StoredValue::new_local(client));
    let (i1, i2) = (id.clone(), id.clone());
    let run = use_live(
        move || {
            let (c, i) = (c1.clone(), i1.clone());
            async move { runs::get(&c, &i).await }
        },
        Watch { done: Box::new(|r: &Run| is_finished(r.status())), ..Watch::busy_when(|r: &Run| !is_finished(r.status())) },
    );
    let finished = Memo::new(move |_| run.data.get().is_some_and(|r| is_finished(r.status())));
    // The breadcrumbs name the run's pool once it is known.
    if let Some(crate::components::breadcrumbs::RunPool(pool)) = use_context() {
        let path = id.path();
        Effect::new(move |_| {
            let name = run.data.with(|r| r.as_ref().and_then(|r| r.properties.agent_pool_name.clone()));
            if let Some(name) = name {
                if pool.with_untracked(|p| p.as_ref().is_none_or(|(at, n)| *at != path || *n != name)) {
                    pool.set(Some((path.clone(), name)));
                }
            }
        });
    }
    // A run that is not there: one message and a way back, no log to follow.
    let missing = Memo::new(move |_| run.data.with(Option::is_none) && run.error.with(|e| e.as_ref().is_some_and(crate::pages::missing::is_missing)));
    let tail = Rc::new(RefCell::new(Tail::default()));
    let log = use_live(
        move || {
            let (c, i, tail) = (c2.clone(), i2.clone(), tail.clone());
            // Whether this read starts after the run ended: then it is the last one needed.
            let complete = finished.get_untracked();
            async move {
                let link = tail.borrow().link.clone();
                let link = match link {
                    Some(l) => l,
                    None => match runs::log_link(&c, &i).await?.log_link {
                        // Only https is fetched or linked: never `javascript:` or plain http.
                        Some(l) if !logs::is_https(&l) => {
                            return Err(ArmError::unexpected(200, "the log link is not an https URL, so it was not followed", None));
                        }
                        Some(l) => {
                            tail.borrow_mut().link = Some(l.clone());
                            l
                        }
                        None => return Ok(LogView::NotYet),
                    },
                };
                let from = tail.borrow().bytes.len();
                let chunk = match logs::read(&link, from).await {
                    Ok(logs::Chunk::NotYet) => return Ok(LogView::NotYet),
                    Ok(chunk) => chunk,
                    Err(LogError::Blocked) => return Ok(LogView::Blocked(link)),
                    Err(LogError::Refused(status)) => {
                        // An expired link: the next refresh asks ARM for a fresh one.
                        tail.borrow_mut().link = None;
                        return Err(ArmError { status, code: "LogUnavailable".into(), message: format!("The log storage answered {status}; a fresh link is asked for next."), request_id: None, retry_after: None });
                    }
                };
                // Bound first, so the borrow of `tail` ends here and not across the re-read below.
                let continued = logs::apply(&tail.borrow().bytes, chunk);
                let bytes = match continued {
                    Some(b) => b,
                    // The tail did not continue where we were: read it all again.
                    None => match logs::read(&link, 0).await {
                        Ok(whole) => logs::apply(&[], whole).unwrap_or_default(),
                        Err(_) => return Ok(LogView::Blocked(link)),
                    },
                };
                // Terminal colours would show as stray `[31m`: the page gets plain text.
                let text = crate::domain::ansi::strip(&String::from_utf8_lossy(&bytes));
                tail.borrow_mut().bytes = bytes;
                Ok(LogView::Text { text, complete })
            }
        },
        Watch {
            busy: Box::new(|_| false),
            done: Box::new(|v: &LogView| matches!(v, LogView::Text { complete: true, .. })),
            extra_busy: Signal::derive(move || !finished.get()),
            active: Signal::derive(move || !missing.get()),
        },
    );
    // One last read when the run ends, so the log's end shows at once.
    Effect::watch(move || finished.get(), move |now, before, _| if *now && before == Some(&false) { log.refresh.run(()) }, false);
    let log_text = Memo::new(move |_| match log.data.get() {
        Some(LogView::Text { text, .. }) => Some(text),
        _ => None,
    });
    let cancel_error = RwSignal::new(None::<ArmError>);
    let cancelling = RwSignal::new(false);
    let cancel_id = id.clone();
    let cancel = Callback::new(move |_: ()| {
        let (c, i) = (c3.get_value(), cancel_id.clone());
        cancelling.set(true);
        cancel_error.set(None);
        spawn_local(async move {
            match runs::cancel(&c, &i).await {
                // Accepted, or already over (409): either way the run's status tells the rest.
                Ok(()) => {}
                Err(e) if e.status == 409 => {}
                Err(e) => {
                    cancel_error.set(Some(e));
                    cancelling.set(false);
                }
            }
            run.refresh.run(());
        });
    });
    let pool_link = StoredValue::new(id.registry.clone());
    let missing_id = id.clone();
    let log_run_id = StoredValue::new(id.run_id.clone());
    view! {
        <Show when=move || !missing.get() fallback=move || view! { <crate::pages::missing::MissingRun id=missing_id.clone() error=run.error.get_untracked().unwrap_or_else(|| crate::arm::ArmError::unexpected(404, "not found", None))/> }>
        <div class="title-row">
            <h1>{format!("Run {}", id.run_id)}</h1>
            <CopyLink/>
        </div>
        <p class="muted">{format!("In registry {}", id.registry.name)}</p>
        {move || match (run.data.get(), run.error.get()) {
            (None, Some(error)) => view! { <ArmErrorView error reload=true/> }.into_any(),
            (None, None) => view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>"Loading run…"</p> }.into_any(),
            (Some(r), _) => {
                let v = r.view();
                let status = r.status().to_string();
                let pool = r.properties.agent_pool_name.clone();
                let images: Vec<String> = r.properties.output_images.clone().unwrap_or_default().iter().map(|i| i.reference()).collect();
                let now = js_sys::Date::now() as u64;
                let waited = v.start_ms.unwrap_or(now).saturating_sub(v.create_ms);
                let ran = v.start_ms.map(|s| v.finish_ms.unwrap_or(now).saturating_sub(s));
                let t = |ms: Option<u64>| match ms {
                    Some(at_ms) => view! { <Stamp at_ms/> }.into_any(),
                    None => "—".into_any(),
                };
                let registry = pool_link.get_value();
                view! {
                    <dl class="facts pool-facts">
                        <dt>"Status"</dt><dd><span class=format!("state state-{}", status.to_ascii_lowercase())>{status.clone()}</span></dd>
                        <dt>"Type"</dt><dd>{r.properties.run_type.clone().unwrap_or_default()}</dd>
                        <dt>"Agent pool"</dt><dd>{match pool {
                            Some(p) => { let href = registry.pool(&p).path(); view! { <a href=href>{p}</a> }.into_any() }
                            None => view! { <span>"Shared (no agent pool)"</span> }.into_any(),
                        }}</dd>
                        <dt>"Task"</dt><dd>{r.properties.task.clone().unwrap_or_else(|| "— (quick run)".into())}</dd>
                        <dt>"Queued at"</dt><dd>{t(Some(v.create_ms))}</dd>
                        <dt>"Waited"</dt><dd>{queue::duration(waited)}</dd>
                        <dt>"Started"</dt><dd>{t(v.start_ms)}</dd>
                        <dt>"Ran"</dt><dd>{ran.map_or_else(|| "—".into(), queue::duration)}</dd>
                        <dt>"Finished"</dt><dd>{t(v.finish_ms)}</dd>
                        <dt>"Images"</dt><dd>{if images.is_empty() { "—".to_string() } else { images.join(", ") }}</dd>
                    </dl>
                    {r.properties.run_error_message.clone().map(|m| view! { <p class="message error-text" role="alert">{m}</p> })}
                }.into_any()
            }
        }}
        <Show when=move || run.data.get().is_some_and(|r| !is_finished(r.status()))>
            // Stays disabled once asked, until the run shows it ended: no second cancel.
            <button type="button" class="danger" on:click=move |_| cancel.run(()) disabled=move || cancelling.get()>"Cancel run"</button>
        </Show>
        {move || cancel_error.get().map(|error| view! { <ArmErrorView error/> })}
        <section class="panel log" aria-labelledby="log-title">
            <div class="title-row">
                <h2 id="log-title">"Log"</h2>
                <span class="muted small" aria-live="polite">{move || if finished.get() { "Complete".to_string() } else { "Following the log while the run runs…".to_string() }}</span>
            </div>
            // One <pre> whose text grows: rebuilding it on each read would jump it back to the top.
            <Show when=move || log_text.get().is_some()>
                <LogView text=log_text run_id=log_run_id.get_value()/>
            </Show>
            {move || match log.data.get() {
                None => Some(view! { <p class="loading">"Loading the log…"</p> }.into_any()),
                Some(LogView::NotYet) => Some(view! { <p class="empty">"No log yet: the run has not started writing one."</p> }.into_any()),
                Some(LogView::Blocked(link)) => Some(view! {
                    <p class="notice" role="note">"The log's storage does not let this page read it (cross-origin reads are refused). "
                        <a href=link target="_blank" rel="noopener noreferrer">"Open the log"</a>" in a new tab instead."</p>
                }.into_any()),
                Some(LogView::Text { .. }) => None,
            }}
            {move || log.error.get().map(|error| view! { <ArmErrorView error reload=true/> })}
        </section>
        </Show>
    }
}
