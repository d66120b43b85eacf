use leptos::prelude::*;

use crate::ctx::ctx;
use crate::prefs::Zone;

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
            // What the browser kept of this user's views goes first: the next user sees none.
            crate::live::stored::clear().await;
            if let Err(e) = session.sign_out().await {
                set_error.set(Some(e));
            }
        });
    };
    // Times in the browser's zone or UTC, for every page at once, kept in this browser.
    let zone = crate::components::time::use_zone();
    let choose = move |z: Zone| {
        crate::prefs::set_zone(z);
        zone.set(z);
    };
    let now = js_sys::Date::now() as u64;
    let local_zone = crate::domain::time::zone_name(crate::components::time::offset_min(now, Zone::Local));
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
                <fieldset class="zone-choice">
                    <legend>"Show times in"</legend>
                    <label class="inline"><input type="radio" name="zone" prop:checked=move || zone.get() == Zone::Local on:change=move |_| choose(Zone::Local)/>" Local time (" {local_zone} ")"</label>
                    <label class="inline"><input type="radio" name="zone" prop:checked=move || zone.get() == Zone::Utc on:change=move |_| choose(Zone::Utc)/>" UTC"</label>
                </fieldset>
                <button type="button" on:click=sign_out>"Sign out"</button>
                {move || error.get().map(|e| view! { <p class="message" role="alert">{e}</p> })}
            </div>
        </details>
    }
    .into_any()
}
