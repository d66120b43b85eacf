use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::agent_pools;
use crate::arm::id::AgentPoolId;
use crate::arm::ArmError;
use crate::components::{cli_echo::CliEcho, error_view::ArmErrorView};
use crate::domain::{cli, permissions as perms};
use crate::ops::tracker::Tracker;
use crate::ops::Kind;

/// Delete (SPEC F8): confirmed by typing the pool's name; the operation is followed until the
/// pool is gone (404 counts as done).
#[component]
pub fn DeletePanel(id: AgentPoolId, #[prop(into)] can_delete: Signal<bool>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    // Kept in the arena: the confirm handler lives inside <Show>, whose children must be Send.
    let client = StoredValue::new_local(ctx().client);
    let tracker = expect_context::<Tracker>();
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ArmError>);
    let sending = RwSignal::new(false);
    let name = id.name.clone();
    let matches = Memo::new(move |_| typed.get() == name);
    let command = Signal::stored(cli::delete_pool(&id.registry.name, &id.name));
    let disabled = move || !can_delete.get() || busy.get() || sending.get();
    let confirm = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !matches.get_untracked() {
                return;
            }
            let (client, id) = (client.get_value(), id.clone());
            sending.set(true);
            error.set(None);
            spawn_local(async move {
                let result = agent_pools::delete(&client, &id).await;
                match tracker.after_write(&client, &id, Kind::Delete, format!("Delete {}", id.name), None, result) {
                    Ok(_) => open.set(false),
                    Err(e) => error.set(Some(e)),
                }
                sending.set(false);
            });
        }
    };
    let label = format!("Type {} to confirm", id.name);
    view! {
        <section class="panel danger" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete"</h2>
            <p class="muted">"Deleting removes the pool and its instances; queued runs for it fail."</p>
            <button type="button" class="danger" on:click=move |_| open.set(true) disabled=disabled aria-expanded=move || open.get().to_string() aria-describedby="delete-why">"Delete pool…"</button>
            <Show when=move || open.get()>
                <form class="delete-form" on:submit=confirm.clone()>
                    <label for="delete-confirm">{label.clone()}</label>
                    <input id="delete-confirm" type="text" autocomplete="off" spellcheck="false" prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))/>
                    <CliEcho command/>
                    <button type="submit" class="danger" disabled=move || disabled() || !matches.get()>"Delete"</button>
                    " "
                    <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </form>
            </Show>
            {move || error.get().map(|error| view! { <ArmErrorView error/> })}
            <p id="delete-why" class="muted small">{move || if !can_delete.get() { perms::needs(perms::POOL_DELETE) } else { String::new() }}</p>
        </section>
    }
}
