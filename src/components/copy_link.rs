use js_sys::{Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// `navigator.clipboard.writeText(text)`, where the browser offers it (secure contexts only).
fn write_text(text: &str) -> Option<Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok().filter(|c| !c.is_undefined())?;
    let write: Function = Reflect::get(&clipboard, &JsValue::from_str("writeText")).ok()?.dyn_into().ok()?;
    write.call1(&clipboard, &JsValue::from_str(text)).ok()?.dyn_into().ok()
}

/// Copies this page's URL (an ARM resource id on our origin) to the clipboard.
#[component]
pub fn CopyLink() -> impl IntoView {
    let (status, set_status) = signal(String::new());
    let copy = move |_| {
        let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        match write_text(&href) {
            Some(promise) => wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                set_status.set(if ok { "Link copied.".into() } else { format!("Copy this link: {href}") });
            }),
            None => set_status.set(format!("Copy this link: {href}")),
        }
    };
    view! {
        <span class="copy-link">
            <button type="button" on:click=copy>"Copy link"</button>
            <span class="muted" role="status">{status}</span>
        </span>
    }
}

/// Someone the portal names by a short id ("App 5e4d…"): the whole id on hover, and a button that
/// copies it (to look it up in Entra ID). A person is their sign-in name, as text.
#[component]
pub fn PrincipalName(who: crate::domain::names::Principal) -> impl IntoView {
    let Some(id) = who.id else {
        return view! { <span class="who">{who.label}</span> }.into_any();
    };
    let (status, set_status) = signal(String::new());
    let full = id.clone();
    let copy = move |_| {
        let full = full.clone();
        match write_text(&full) {
            Some(promise) => wasm_bindgen_futures::spawn_local(async move {
                let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
                set_status.set(if ok { "Copied.".into() } else { full });
            }),
            None => set_status.set(full),
        }
    };
    view! {
        <span class="who app-id" title=id.clone()>{who.label.clone()}</span>
        <button type="button" class="link-button small" on:click=copy aria-label=format!("Copy id of {}", who.label)>"Copy id"</button>
        <span class="muted small" role="status">{status}</span>
    }
    .into_any()
}
