use leptos::prelude::*;

use crate::ops::{OpState, Operation};

/// An operation's progress, or how it ended.
#[component]
pub fn OpProgress(op: Operation) -> impl IntoView {
    let state = op.last_seen.clone().unwrap_or_else(|| "Accepted".into());
    // Azure answers a scale with the new count at once: said beside its word.
    let count = op.answered_count.map(|n| format!(" The pool now shows {n} instance{}.", if n == 1 { "" } else { "s" })).unwrap_or_default();
    match op.state {
        OpState::Running => view! {
            <div class="op op-running" role="status">
                <span class="spinner" aria-hidden="true"></span>
                <span>{format!("{}: {state}…{count}", op.summary)}</span>
            </div>
        }
        .into_any(),
        OpState::Succeeded => view! {
            <div class="op op-succeeded" role="status">{format!("{}: Succeeded.", op.summary)}</div>
        }
        .into_any(),
        OpState::Failed { message, code, request_id } => view! {
            <div class="op op-failed" role="alert">
                <strong>{format!("{}: Failed.", op.summary)}</strong>
                " " {message}
                {code.map(|c| view! { " " <code>{c}</code> })}
                {request_id.map(|r| view! { <span class="muted small">" Request id " <code>{r}</code></span> })}
            </div>
        }
        .into_any(),
    }
}
