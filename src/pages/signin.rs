use leptos::prelude::*;

use crate::ctx::ctx;
use crate::route::Route;

/// Signed out. At the root: what this is and a sign-in button. On a deep link: straight to
/// sign-in, coming back to that link afterwards. If the redirect cannot even start (a wrong
/// authority in config.json), say so instead of waiting forever.
#[component]
pub fn SignIn(route: Route) -> impl IntoView {
    let session = ctx().session;
    let (error, set_error) = signal(None::<String>);
    let start = move || {
        let session = session.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = session.sign_in().await {
                set_error.set(Some(e));
            }
        });
    };
    let failure = move || {
        error.get().map(|message| {
            view! {
                <section class="error" role="alert">
                    <h2>"Sign-in failed"</h2>
                    <p class="message">{message}</p>
                    <p class="hint">"Check the authority and client id in config.json."</p>
                </section>
            }
        })
    };
    let (title, text) = if route == Route::Home {
        (
            "Manage ACR Task agent pools",
            "See every agent pool of your Premium container registries, its size and state, and share a link to any pool.",
        )
    } else {
        start();
        ("Signing you in…", "You will come back to this page once you are signed in.")
    };
    let start_click = start.clone();
    view! {
        <section class="signin">
            <h1>{title}</h1>
            <p>{text}</p>
            <button type="button" class="primary" on:click=move |_| start_click()>"Sign in"</button>
            {failure}
        </section>
    }
}
