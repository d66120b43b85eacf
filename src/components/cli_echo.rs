use leptos::prelude::*;

/// The equivalent `az` command (SPEC F14), updated as the form changes: one block per command,
/// so where a second command starts is plain even when lines wrap. Not a landmark: a page holds
/// several, and its heading already names it.
#[component]
pub fn CliEcho(#[prop(into)] command: Signal<String>, #[prop(optional, into)] note: Option<String>) -> impl IntoView {
    view! {
        <div class="cli">
            <h3>"Azure CLI"</h3>
            {move || command.get().lines().map(|line| view! { <pre><code>{line.to_string()}</code></pre> }).collect_view()}
            {note.map(|n| view! { <p class="muted small">{n}</p> })}
        </div>
    }
}
