//! In-app navigation without a router crate: every URL is a resource id that `route::Route`
//! parses, so all the app needs is the current path as a signal, same-origin link clicks turned
//! into `history.pushState`, and Back/Forward followed. (leptos_router did this for one
//! catch-all route at ~40 KB of wasm; see docs/benchmarks.md.)

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, MouseEvent};

#[derive(Clone, Copy)]
struct Nav {
    path: RwSignal<String>,
    /// The query (`?…`, or empty): pages that keep a view in it (the fleet) follow it too.
    search: RwSignal<String>,
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

fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// Starts following the address bar; call once per app mount, above everything that reads
/// `use_path`. The signal belongs to the caller's reactive owner; the document listeners are
/// added once and look the signal up when they fire, so a remount gets a live one.
pub fn provide() {
    let first = NAV.with(|n| n.get()).is_none();
    NAV.with(|n| n.set(Some(Nav { path: RwSignal::new(current_path()), search: RwSignal::new(current_search()) })));
    let Some(window) = web_sys::window().filter(|_| first) else { return };
    // Back/Forward: the browser has already moved the address bar and restores the scroll.
    let on_pop = Closure::<dyn Fn()>::new(move || {
        MOVED.with(|m| m.set(Some(Moved::Pop)));
        nav().search.set(current_search());
        nav().path.set(current_path());
    });
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |e: MouseEvent| {
        if let Some(href) = in_app_target(&e) {
            e.prevent_default();
            go(&href, false);
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

/// How the path last changed, for `arrived`: a link or `navigate` (scroll to the top) or
/// Back/Forward (leave the browser's scroll alone). None on the first load.
#[derive(Clone, Copy)]
enum Moved {
    Push,
    Pop,
}

thread_local! {
    static MOVED: std::cell::Cell<Option<Moved>> = const { std::cell::Cell::new(None) };
}

/// The full URL of the link clicked, if the app should handle it: a plain left click on a
/// same-origin link that opens here, and not just a jump within the page.
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
    if a.pathname() == location.pathname().ok()? && a.search() == location.search().ok()? && !a.hash().is_empty() {
        return None;
    }
    Some(a.href())
}

/// Moves the address bar to `href` (same origin) and the app with it. The full URL is pushed, not
/// a path, so a path that starts with `//` can't be read as another host. Going to where we
/// already are, or `replace`, rewrites the current entry instead of adding one, so Back isn't a
/// step that seems to do nothing (or lands on a pool just deleted).
fn go(href: &str, replace: bool) {
    let Some(window) = web_sys::window() else { return };
    let here = window.location().href().ok();
    if let Ok(history) = window.history() {
        let _ = if replace || here.as_deref() == Some(href) {
            history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        } else {
            history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href))
        };
    }
    let path = current_path();
    let search = current_search();
    if nav().search.get_untracked() != search {
        nav().search.set(search);
    }
    if nav().path.get_untracked() == path {
        // Same page: no new render to wait for, so no `arrived`; land on it as a reload would.
        land(Moved::Push);
        return;
    }
    MOVED.with(|m| m.set(Some(Moved::Push)));
    nav().path.set(path);
}

/// Called by the shell each time the path resolves to a page: names the document after it and,
/// after a navigation (not the first load), puts keyboard and screen-reader users on the new
/// page's content. That waits a frame: the new page renders after this runs.
pub fn arrived(title: &str) {
    let Some(window) = web_sys::window() else { return };
    if let Some(doc) = window.document() {
        doc.set_title(title);
    }
    if let Some(moved) = MOVED.with(|m| m.take()) {
        land(moved);
    }
}

/// Scrolls (after a link) and focuses the page's content, a frame from now: after the render.
fn land(moved: Moved) {
    leptos::prelude::request_animation_frame(move || {
        let Some(window) = web_sys::window() else { return };
        if matches!(moved, Moved::Push) {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
        let main = window.document().and_then(|d| d.get_element_by_id("main")).and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(main) = main {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = main.focus_with_options(&options);
        }
    });
}

/// The current path (`location.pathname`), reactive.
pub fn use_path() -> ReadSignal<String> {
    nav().path.read_only()
}

/// The current query (`location.search`), reactive: links, Back and Forward move it.
pub fn use_search() -> ReadSignal<String> {
    nav().search.read_only()
}

/// Rewrites the query of the current entry (no new history entry: a page's view, not a move).
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else { return };
    if current_search() != query {
        let url = format!("{}{query}", current_path());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    if nav().search.get_untracked() != query {
        nav().search.set(query.to_string());
    }
}

/// Goes to `to` (a path in the app) as a link click would; with `replace`, in place of the
/// current history entry.
pub fn navigate(to: &str, replace: bool) {
    let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) else { return };
    go(&format!("{origin}{to}"), replace);
}
