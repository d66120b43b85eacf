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
