use leptos::prelude::*;

/// The equivalent `az` command (SPEC F14), updated as the form changes. Not a landmark: a page
/// holds several, and its heading already names it.
#[component]
pub fn CliEcho(#[prop(into)] command: Signal<String>, #[prop(optional, into)] note: Option<String>) -> impl IntoView {
    view! {
        <div class="cli">
            <h3>"Azure CLI"</h3>
            <pre><code>{move || command.get()}</code></pre>
            {note.map(|n| view! { <p class="muted small">{n}</p> })}
        </div>
    }
}
