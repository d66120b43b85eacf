use leptos::prelude::*;

/// A polite status line while something loads.
#[component]
pub fn Loading(#[prop(into)] what: String) -> impl IntoView {
    view! { <p class="loading" role="status"><span class="spinner" aria-hidden="true"></span>{format!("Loading {what}…")}</p> }
}
