use leptos::prelude::*;

use crate::app::ctx;
use crate::route::Route;

/// Signed out. At the root: what this is and a sign-in button. On a deep link: straight to
/// sign-in, coming back to that link afterwards.
#[component]
pub fn SignIn(route: Route) -> impl IntoView {
    let session = ctx().session;
    let start = {
        let session = session.clone();
        move |_| session.sign_in()
    };
    if route != Route::Home {
        session.sign_in();
        return view! {
            <section class="signin">
                <h1>"Signing you in…"</h1>
                <p>"You will come back to this page once you are signed in."</p>
                <button type="button" on:click=start>"Sign in"</button>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="signin">
            <h1>"Manage ACR Task agent pools"</h1>
            <p>"See every agent pool of your Premium container registries, its size and state, and share a link to any pool."</p>
            <button type="button" class="primary" on:click=start>"Sign in"</button>
        </section>
    }
    .into_any()
}
