use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::agent_pools::{self, AgentPoolPropertiesUpdateParameters, AgentPoolUpdateParameters};
use crate::arm::id::AgentPoolId;
use crate::arm::ArmError;
use crate::components::error_view::ArmErrorView;
use crate::domain::pause::{self, Paused};
use crate::domain::permissions as perms;
use crate::ops::tracker::Tracker;
use crate::ops::Kind;

/// Pause / resume (SPEC F7): pause scales to 0 and records the count, who and why in the pool's
/// tags; resume restores the count and removes the record.
#[component]
pub fn PausePanel(id: AgentPoolId, count: i32, tags: BTreeMap<String, String>, #[prop(into)] can_write: Signal<bool>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    let Ctx { client, session, .. } = ctx();
    // Kept in the arena: handlers live inside <Show>, whose children must be Send.
    let client = StoredValue::new_local(client);
    let tracker = expect_context::<Tracker>();
    let paused = pause::paused(&tags);
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let error = RwSignal::new(None::<ArmError>);
    let sending = RwSignal::new(false);
    let problems = Memo::new(move |_| pause::reason_problems(&reason.get()));
    let who = session.user.as_ref().map_or_else(|| "someone".to_string(), |u| u.name.clone());

    let send = move |id: AgentPoolId, body: AgentPoolUpdateParameters, summary: String| {
        let client = client.get_value();
        let target = body.properties.as_ref().and_then(|p| p.count);
        sending.set(true);
        error.set(None);
        spawn_local(async move {
            let result = agent_pools::update(&client, &id, &body).await;
            match tracker.after_write(&client, &id, Kind::Update, summary, target, result) {
                Ok(_) => open.set(false),
                Err(e) => error.set(Some(e)),
            }
            sending.set(false);
        });
    };
    let disabled = move || !can_write.get() || busy.get() || sending.get();
    let why = move || if !can_write.get() { perms::needs(perms::POOL_WRITE) } else { String::new() };

    let body = match paused {
        Some(Paused { count: back, by, reason: why_paused, at }) => {
            let (id, tags) = (id.clone(), tags.clone());
            let resume = move |_| {
                let body = AgentPoolUpdateParameters {
                    properties: Some(AgentPoolPropertiesUpdateParameters { count: Some(back) }),
                    tags: Some(pause::resume_tags(&tags)),
                };
                send(id.clone(), body, format!("Resume to {back}"));
            };
            view! {
                <p class="paused" role="note"><strong>{format!("Paused by {by}")}</strong>{format!(": {why_paused}")}
                    <span class="muted small">{format!(" ({}was {back} instance{})", if at.is_empty() { String::new() } else { format!("since {at}; ") }, if back == 1 { "" } else { "s" })}</span></p>
                <button type="button" class="primary" on:click=resume disabled=disabled aria-describedby="pause-why">{format!("Resume ({back} instance{})", if back == 1 { "" } else { "s" })}</button>
            }
            .into_any()
        }
        None if count == 0 => view! { <p class="muted">"The pool has no instances: nothing to pause."</p> }.into_any(),
        None => {
            let (id, tags) = (id.clone(), tags.clone());
            let confirm = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                touched.set(true);
                if !problems.get_untracked().is_empty() {
                    return;
                }
                let at = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
                let body = AgentPoolUpdateParameters {
                    properties: Some(AgentPoolPropertiesUpdateParameters { count: Some(0) }),
                    tags: Some(pause::pause_tags(&tags, count, &who, &reason.get_untracked(), &at)),
                };
                send(id.clone(), body, format!("Pause ({count} → 0)"));
            };
            view! {
                <p class="muted">{format!("Pausing scales the pool to 0 and remembers its {count} instance{} so it can be resumed.", if count == 1 { "" } else { "s" })}</p>
                <button type="button" on:click=move |_| open.set(true) disabled=disabled aria-expanded=move || open.get().to_string() aria-describedby="pause-why">"Pause…"</button>
                <Show when=move || open.get()>
                    <form class="pause-form" on:submit=confirm.clone()>
                        <label for="pause-reason">"Why? (shown to everyone who opens the pool)"</label>
                        <textarea id="pause-reason" rows="2" maxlength="300" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                            aria-invalid=move || (touched.get() && !problems.get().is_empty()).to_string()
                            aria-describedby="pause-problems"></textarea>
                        <ul id="pause-problems" class="problems" aria-live="polite">
                            {move || touched.get().then(|| problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view())}
                        </ul>
                        <button type="submit" class="primary" disabled=disabled>"Pause pool"</button>
                        " "
                        <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                    </form>
                </Show>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel pause" aria-labelledby="pause-title">
            <h2 id="pause-title">"Pause"</h2>
            {body}
            {move || error.get().map(|error| view! { <ArmErrorView error/> })}
            <p id="pause-why" class="muted small">{why}</p>
        </section>
    }
}

use crate::ctx::Ctx;
