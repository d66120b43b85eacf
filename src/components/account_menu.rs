use leptos::prelude::*;

use crate::ctx::ctx;

/// Who is signed in, and sign-out. A `<details>` menu: keyboard-usable without script tricks.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = ctx().session;
    let Some(user) = session.user.clone() else {
        return view! { <span class="account signed-out">"Not signed in"</span> }.into_any();
    };
    let (error, set_error) = signal(None::<String>);
    let sign_out = move |_| {
        let session = session.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = session.sign_out().await {
                set_error.set(Some(e));
            }
        });
    };
    let initials: String = user.name.split_whitespace().filter_map(|w| w.chars().next()).take(2).collect();
    view! {
        <details class="account">
            <summary>
                <span class="avatar" aria-hidden="true">{initials}</span>
                <span class="account-name">{user.name.clone()}</span>
                <span class="visually-hidden">" (account)"</span>
            </summary>
            <div class="menu">
                <p><strong>{user.name.clone()}</strong><br/><span class="muted">{user.username.clone()}</span></p>
                <button type="button" on:click=sign_out>"Sign out"</button>
                {move || error.get().map(|e| view! { <p class="message" role="alert">{e}</p> })}
            </div>
        </details>
    }
    .into_any()
}
