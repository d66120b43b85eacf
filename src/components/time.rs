//! Every time on every page goes through here (issue 20): relative in the text ("5 min ago"), the
//! absolute time with its zone on hover, and the machine-readable time in `datetime`. The zone is
//! the browser's or UTC, as chosen in the account menu and kept per browser.

use leptos::prelude::*;

use crate::domain::time::{absolute, clock, format_rfc3339_ms};
use crate::prefs::Zone;

/// The zone choice, shared by every time on screen: changing it rewrites them all at once.
#[derive(Clone, Copy)]
pub struct ZoneChoice(pub RwSignal<Zone>);

pub fn provide_zone() {
    provide_context(ZoneChoice(RwSignal::new(crate::prefs::zone())));
}

pub fn use_zone() -> RwSignal<Zone> {
    use_context::<ZoneChoice>().map_or_else(|| RwSignal::new(Zone::Local), |z| z.0)
}

/// Minutes to add to UTC for the wall-clock time at `ms` in `zone` (the browser's offset on that
/// day, so summer and winter times are each right).
pub fn offset_min(ms: u64, zone: Zone) -> i32 {
    match zone {
        Zone::Utc => 0,
        Zone::Local => -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i32),
    }
}

/// "3 Dec 2026, 15:39:23 UTC" in the chosen zone (reactive: read inside a view closure).
pub fn absolute_text(ms: u64) -> String {
    let zone = use_zone().get();
    absolute(ms, offset_min(ms, zone))
}

/// "15:39:23 UTC" in the chosen zone, for "as of" lines.
pub fn clock_text(ms: u64) -> String {
    let zone = use_zone().get();
    clock(ms, offset_min(ms, zone))
}

/// The service's time now (ARM's `Date`, else the browser's), moving on every half minute while
/// the view is open, so "5 min ago" does not stay 5 minutes for an hour.
pub fn ticking_now(now_ms: u64) -> Signal<u64> {
    let read_at = js_sys::Date::now();
    let tick = RwSignal::new(read_at);
    let ticker = send_wrapper::SendWrapper::new(gloo_timers::callback::Interval::new(30_000, move || tick.set(js_sys::Date::now())));
    on_cleanup(move || drop(ticker));
    Signal::derive(move || now_ms + (tick.get() - read_at).max(0.0) as u64)
}

/// The service's time now, as the client last learned it.
pub fn service_now() -> u64 {
    crate::ctx::ctx().client.server_now_ms().unwrap_or_else(js_sys::Date::now) as u64
}

/// A time as text: relative, the absolute time and its zone on hover. `now`: the clock to count
/// from (a view's own read time); by default the service's, ticking.
#[component]
pub fn Time(at_ms: u64, #[prop(optional, into)] now: Option<Signal<u64>>) -> impl IntoView {
    let now = now.unwrap_or_else(|| ticking_now(service_now()));
    view! {
        <time datetime=format_rfc3339_ms(at_ms) title=move || absolute_text(at_ms)>{move || crate::domain::time::ago(now.get(), at_ms)}</time>
    }
}

/// A time written out (for a table cell where the moment matters more than the distance:
/// a run's start), relative on hover.
#[component]
pub fn Stamp(at_ms: u64) -> impl IntoView {
    let now = ticking_now(service_now());
    view! {
        <time datetime=format_rfc3339_ms(at_ms) title=move || crate::domain::time::ago(now.get(), at_ms)>{move || absolute_text(at_ms)}</time>
    }
}
