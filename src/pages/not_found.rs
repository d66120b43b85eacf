use leptos::prelude::*;

/// A link that is not the id of anything the portal shows.
#[component]
pub fn NotFound(reason: String) -> impl IntoView {
    view! {
        <section>
            <h1>"This link does not lead to a page"</h1>
            <p class="message">{reason}</p>
            <p>"Pool Portal's links are Azure resource ids, like "
               <code>"/subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{registry}/agentPools/{pool}"</code>"."</p>
            <p><a href="/">"Go to your subscriptions"</a></p>
        </section>
    }
}
