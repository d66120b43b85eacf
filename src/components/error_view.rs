use leptos::prelude::*;

use crate::arm::ArmError;
use crate::live::reach::use_reach;

fn title(e: &ArmError) -> &'static str {
    match e.status {
        0 => "Azure could not be reached",
        401 => "You need to sign in",
        403 => "You do not have access",
        404 => "Not found",
        429 => "Azure is throttling requests",
        500..=599 => "Azure had a problem",
        _ => "The request failed",
    }
}

/// An ARM error as ARM gave it: code, message and request id (for a support ticket), plus the
/// permission a 403 names and the wait a 429 asked for. `reload`: the error is a read's, so a
/// transient one offers to read again (writes are retried from their own form).
#[component]
pub fn ArmErrorView(error: ArmError, #[prop(optional)] reload: bool) -> impl IntoView {
    let again = (reload && error.is_transient()).then(|| {
        let reach = use_reach();
        view! { <button type="button" on:click=move |_| reach.reload()>"Try again"</button> }
    });
    let permission = error.missing_permission().map(|p| {
        view! { <p class="hint">"Ask for a role that grants " <code>{p.to_string()}</code> "."</p> }
    });
    let wait = error.retry_after.map(|s| view! { <p class="hint">{format!("Azure asked to wait {s} s before retrying.")}</p> });
    let status = if error.status == 0 { "no response".to_string() } else { format!("HTTP {}", error.status) };
    view! {
        <section class="error" role="alert">
            <h2>{title(&error)}</h2>
            <p class="message">{error.message.clone()}</p>
            {permission}
            {wait}
            <dl class="facts">
                <dt>"Code"</dt><dd><code>{error.code.clone()}</code></dd>
                <dt>"Status"</dt><dd>{status}</dd>
                {error.request_id.clone().map(|id| view! { <dt>"Request id"</dt><dd><code>{id}</code></dd> })}
            </dl>
            {again}
        </section>
    }
}
