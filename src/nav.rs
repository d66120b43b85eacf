//! In-app navigation without a router crate: every URL is a resource id that `route::Route`
//! parses, so all the app needs is the current path as a signal, same-origin link clicks turned
//! into `history.pushState`, and Back/Forward followed. (leptos_router did this for one
//! catch-all route at ~40 KB of wasm; see README "Benchmarks".)

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, MouseEvent};

#[derive(Clone, Copy)]
struct Nav {
    path: RwSignal<String>,
}

thread_local! {
    // One per page, like the address bar it mirrors; reachable from effects and event handlers
    // whatever their reactive owner.
    static NAV: std::cell::Cell<Option<Nav>> = const { std::cell::Cell::new(None) };
}

fn nav() -> Nav {
    NAV.with(|n| n.get()).expect("nav::provide runs before any page")
}

fn current_path() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_else(|| "/".into())
}

/// Starts following the address bar; call once per app mount, above everything that reads
/// `use_path`. The signal belongs to the caller's reactive owner; the document listeners are
/// added once and look the signal up when they fire, so a remount gets a live one.
pub fn provide() {
    let first = NAV.with(|n| n.get()).is_none();
    NAV.with(|n| n.set(Some(Nav { path: RwSignal::new(current_path()) })));
    let Some(window) = web_sys::window().filter(|_| first) else { return };
    let on_pop = Closure::<dyn Fn()>::new(move || nav().path.set(current_path()));
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |e: MouseEvent| {
        if let Some(to) = in_app_target(&e) {
            e.prevent_default();
            go(nav(), &to);
        }
    });
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    if let Some(doc) = window.document() {
        let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    // For the life of the page, like the app itself.
    on_pop.forget();
    on_click.forget();
}

/// The path of the link clicked, if the app should handle it: a plain left click on a same-origin
/// link that opens here, and not just a jump within the page.
fn in_app_target(e: &MouseEvent) -> Option<String> {
    if e.default_prevented() || e.button() != 0 || e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() {
        return None;
    }
    let target: web_sys::Element = e.target()?.dyn_into().ok()?;
    let a: HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    let location = web_sys::window()?.location();
    let opens_elsewhere = !matches!(a.target().as_str(), "" | "_self") || a.has_attribute("download");
    if opens_elsewhere || a.origin() != location.origin().ok()? {
        return None;
    }
    let (path, search) = (a.pathname(), a.search());
    if path == location.pathname().ok()? && search == location.search().ok()? && !a.hash().is_empty() {
        return None;
    }
    Some(format!("{path}{search}{}", a.hash()))
}

fn go(nav: Nav, to: &str) {
    let Some(window) = web_sys::window() else { return };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to));
    }
    nav.path.set(current_path());
    window.scroll_to_with_x_and_y(0.0, 0.0);
    // Keyboard and screen-reader users start on the new page's content, not back at the top.
    if let Some(main) = window.document().and_then(|d| d.get_element_by_id("main")).and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = main.focus();
    }
}

/// The current path (`location.pathname`), reactive.
pub fn use_path() -> ReadSignal<String> {
    nav().path.read_only()
}

/// Goes to `to` (a path in the app) as a link click would.
pub fn navigate(to: &str) {
    go(nav(), to);
}
