//! A pool's run history for the insights (issue 12): the runs list filtered to the pool and to
//! `createTime ge` the window's start, read to the last page. Pages reach the view as they
//! arrive (a few times a second at most), so the first chart shows after the first page; the
//! advisor waits for the whole window.
//!
//! The window ends when it was read ("as of"); a week read once also answers the last 24 hours,
//! so switching to the shorter window reads nothing.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::arm::id::AgentPoolId;
use crate::arm::runs;
use crate::arm::ArmError;
use crate::ctx::ctx;
use crate::domain::insights::Span;
use crate::domain::queue::RunView;

/// How often pages already read reach the charts while more are coming.
const FLUSH_MS: f64 = 250.0;

#[derive(Clone, Copy)]
pub struct History {
    /// Runs read so far, newest first.
    pub runs: RwSignal<Vec<RunView>>,
    /// When the window ends (the service's clock when the read began); `None` before a read.
    pub end_ms: RwSignal<Option<u64>>,
    /// Where the read begins: a window starting earlier is not covered by `runs`.
    pub since_ms: RwSignal<Option<u64>>,
    pub pages: RwSignal<usize>,
    pub complete: RwSignal<bool>,
    pub error: RwSignal<Option<ArmError>>,
    /// Reads the window again, ending now.
    pub reload: Callback<()>,
}

/// Reads `id`'s history for `span`, again when the span needs more than was read. Nothing is read
/// until `active` (the pool has been read: a missing pool gets one error, and the service's
/// clock is known by then).
pub fn use_history(id: AgentPoolId, span: Signal<Span>, active: Signal<bool>) -> History {
    let client = ctx().client;
    let runs = RwSignal::new(Vec::<RunView>::new());
    let end_ms = RwSignal::new(None::<u64>);
    let since_ms = RwSignal::new(None::<u64>);
    let pages = RwSignal::new(0usize);
    let complete = RwSignal::new(false);
    let error = RwSignal::new(None::<ArmError>);
    // Each read has a number: pages of a read that a newer one replaced are dropped.
    let generation = Rc::new(Cell::new(0u32));

    let start = {
        let generation = generation.clone();
        move |end: Option<u64>, span: Span| {
            generation.set(generation.get() + 1);
            let mine = generation.get();
            let (client, id, generation) = (client.clone(), id.clone(), generation.clone());
            let live = move || generation.get() == mine;
            runs.set(Vec::new());
            (pages.set(0), complete.set(false), error.set(None), end_ms.set(None), since_ms.set(None));
            spawn_local(async move {
                // The service's clock, not the browser's: a skewed laptop must not shift the window.
                let end = end.unwrap_or_else(|| client.server_now_ms().unwrap_or_else(js_sys::Date::now) as u64);
                let since = end.saturating_sub(span.ms());
                if end_ms.try_set(Some(end)).is_some() || since_ms.try_set(Some(since)).is_some() {
                    return; // the page is gone
                }
                let mut buffer: Vec<RunView> = Vec::new();
                let mut flushed_at = 0.0;
                // A read replaced by a newer one, or whose page is gone, stops at its next page.
                let result = runs::list_since(&client, &id.registry, &id.name, since, |page| {
                    if !live() || pages.try_update(|n| *n += 1).is_none() {
                        return false;
                    }
                    buffer.extend(page.iter().map(|r| r.view()));
                    let now = js_sys::Date::now();
                    if now - flushed_at >= FLUSH_MS {
                        flushed_at = now;
                        let _ = runs.try_update(|v| v.append(&mut buffer));
                    }
                    true
                })
                .await;
                if !live() {
                    return;
                }
                let _ = runs.try_update(|v| v.append(&mut buffer));
                match result {
                    Ok(_) => {
                        let _ = complete.try_set(true);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e));
                    }
                }
            });
        }
    };

    // A longer window than was read needs a read; a shorter one is a view of what was read.
    let first = send_wrapper::SendWrapper::new(start.clone());
    Effect::new(move |_| {
        let span = span.get();
        if !active.get() {
            return;
        }
        let covered = match (end_ms.get_untracked(), since_ms.get_untracked()) {
            (Some(end), Some(since)) => since <= end.saturating_sub(span.ms()),
            _ => false,
        };
        if !covered {
            first(end_ms.get_untracked(), span);
        }
    });
    let start = send_wrapper::SendWrapper::new(start);
    let reload = Callback::new(move |_| start(None, span.get_untracked()));
    History { runs, end_ms, since_ms, pages, complete, error, reload }
}
