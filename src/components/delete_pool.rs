use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::ctx::ctx;
use crate::arm::agent_pools;
use crate::arm::id::AgentPoolId;
use crate::arm::ArmError;
use crate::components::dialog::Modal;
use crate::components::{cli_echo::CliEcho, error_view::ArmErrorView};
use crate::domain::{cli, impact, permissions as perms};
use crate::ops::tracker::Tracker;
use crate::ops::Kind;

/// Delete (SPEC F8), in the pool's danger zone: a modal dialog that says what the delete does to
/// the runs in numbers, confirmed by typing the pool's name; the operation is followed until the
/// pool is gone (404 counts as done).
#[component]
pub fn DeletePanel(
    id: AgentPoolId,
    #[prop(into)] can_delete: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    /// Runs (queued, running) on the pool now, when the queue has been read.
    #[prop(into)]
    runs: Signal<Option<(u32, u32)>>,
) -> impl IntoView {
    // Kept in the arena: the confirm handler lives inside the dialog, whose children must be Send.
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
    let submit = format!("Delete {}", id.name);
    let open_dialog = move |_| {
        typed.set(String::new());
        error.set(None);
        open.set(true);
    };
    view! {
        <div class="danger-row">
            <div>
                <h3>"Delete this pool"</h3>
                <p class="muted">"Removes the pool and its instances. Runs still queued for it fail."</p>
            </div>
            <button type="button" class="danger" on:click=open_dialog disabled=disabled aria-haspopup="dialog" aria-describedby="delete-why">"Delete pool…"</button>
        </div>
        <p id="delete-why" class="muted small">{move || if !can_delete.get() { perms::needs(perms::POOL_DELETE) } else { String::new() }}</p>
        <Modal open title=format!("Delete {}?", id.name) id="delete-dialog">
            <form class="delete-form" on:submit=confirm.clone()>
                <p class="impact" role="note">{move || impact::delete(runs.get())}</p>
                <label for="delete-confirm">{label.clone()}</label>
                <input id="delete-confirm" autofocus type="text" autocomplete="off" spellcheck="false" prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))/>
                <CliEcho command/>
                {move || error.get().map(|error| view! { <ArmErrorView error/> })}
                <div class="modal-actions">
                    <button type="submit" class="danger solid" disabled=move || disabled() || !matches.get()>{submit.clone()}</button>
                    <button type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        </Modal>
        // A refusal after the dialog closed (it closes only on success) stays readable here too.
        {move || (!open.get()).then(|| error.get().map(|error| view! { <ArmErrorView error/> }))}
    }
}
