//! `{pool id}/activity` and `{registry id}/activity` (issue 13): who changed what, when, and how
//! it ended, from the Azure Activity Log. The window (24 h, 7 d, 30 d) and the operation a link
//! points at (`op`) are in the URL.

use leptos::prelude::*;

use crate::components::activity::{ActivityTable, NoActivityAccess};
use crate::components::error_view::ArmErrorView;
use crate::components::window_choice::WindowChoice;
use crate::components::pool_tabs::{PoolHeader, RegistryHeader, Tab};
use crate::domain::activity::{Query, Span};
use crate::live::activity::{use_activity, Activity, Source};

#[component]
pub fn ActivityPage(source: Source) -> impl IntoView {
    let search = crate::nav::use_search();
    let query = Memo::new(move |_| Query::from_query(&search.get()));
    // A memo: pointing at another operation (`op`) must not read the log again.
    let span = Memo::new(move |_| query.get().span);
    let activity = use_activity(source.clone(), span.into());
    // The row a link points at takes the focus once, when the read is done: not again on a
    // Refresh or another window, which would pull the keyboard away from where the user is.
    let focused = StoredValue::new(None::<String>);
    let set_span = Callback::new(move |s: Span| crate::nav::replace_query(&Query { span: s, ..query.get_untracked() }.to_query()));
    let show_target = matches!(source, Source::Registry(_));
    // The registry's tasks' identities, to name a scheduled change's writer by its task.
    let registry = match &source {
        Source::Pool(id) => id.registry.clone(),
        Source::Registry(id) => id.clone(),
    };
    let tasks = LocalResource::new(move || {
        let (client, registry) = (crate::ctx::ctx().client, registry.clone());
        async move { crate::arm::tasks::list(&client, &registry).await.unwrap_or_default() }
    });
    let identities = Signal::derive(move || {
        tasks.get().map(|list| list.iter().filter_map(|t| Some((t.principal_id()?.to_ascii_lowercase(), t.display_name().to_string()))).collect()).unwrap_or_default()
    });
    let header = match source {
        Source::Pool(id) => view! { <PoolHeader id tab=Tab::Activity/> }.into_any(),
        Source::Registry(id) => view! { <RegistryHeader id tab=Tab::Activity/> }.into_any(),
    };
    view! {
        {header}
        <p class="muted small">"From the Azure Activity Log: every write on Azure Resource Manager, by anyone, from any tool. Reads are not in it."</p>
        <div class="insights-controls">
            <WindowChoice name="activity-window" spans=&Span::ALL current=span on_choose=set_span/>
            <Progress activity/>
        </div>
        {move || activity.error.get().map(|error| if error.status == 403 {
            view! { <NoActivityAccess/> }.into_any()
        } else {
            view! {
                <p class="notice" role="note">"What is shown was read before this error."</p>
                <ArmErrorView error/>
            }
            .into_any()
        })}
        {move || {
            let (changes, end) = (activity.changes.get(), activity.end_ms.get());
            match end {
                Some(now) if !changes.is_empty() => {
                    let pointed = query.with(|q| q.op.clone());
                    let take_focus = activity.complete.get() && pointed.is_some() && focused.get_value() != pointed;
                    if take_focus {
                        focused.set_value(pointed.clone());
                    }
                    view! { <ActivityTable changes now_ms=now show_target pointed take_focus identities/> }.into_any()
                }
                Some(_) if activity.complete.get() => view! {
                    <p class="empty">{format!("No changes in the {}.", span.get().label().to_lowercase())}</p>
                }
                .into_any(),
                _ => ().into_any(),
            }
        }}
    }
}

/// "As of", and Refresh.
#[component]
fn Progress(activity: Activity) -> impl IntoView {
    let busy = move || !activity.complete.get() && activity.error.get().is_none();
    let text = move || match (activity.complete.get(), activity.end_ms.get()) {
        _ if activity.error.with(|e| e.as_ref().is_some_and(|e| e.status == 403)) => "No access to the Activity Log".to_string(),
        _ if activity.error.with(Option::is_some) => "Could not read the Activity Log".to_string(),
        (true, Some(end)) => {
            let n = activity.changes.with(Vec::len);
            format!("{n} change{} as of {}", if n == 1 { "" } else { "s" }, crate::components::time::clock_text(end))
        }
        _ => "Reading the Activity Log…".to_string(),
    };
    view! {
        <p class="progress muted" role="status" aria-live="polite">
            {move || busy().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
            <span class="activity-status">{text}</span>
        </p>
        <button type="button" on:click=move |_| activity.reload.run(()) disabled=busy>"Refresh"</button>
    }
}
