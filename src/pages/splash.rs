use leptos::prelude::*;

#[component]
pub fn Splash(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <main class="splash" id="main">
            <h1>"Pool Portal"</h1>
            <p role="status"><span class="spinner" aria-hidden="true"></span>{message}</p>
        </main>
    }
}

/// The sign-in library failed to start or a sign-in came back with an error.
#[component]
pub fn AuthFailed(message: String) -> impl IntoView {
    view! {
        <main class="splash" id="main">
            <h1>"Pool Portal"</h1>
            <section class="error" role="alert">
                <h2>"Sign-in failed"</h2>
                <p class="message">{message}</p>
            </section>
            <p><a href="/">"Start again"</a></p>
        </main>
    }
}
