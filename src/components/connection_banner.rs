//! Says when ARM cannot be reached or is throttling us, above every page. While ARM is out of
//! reach it asks again on a back-off (or at once, on "Try now"); the first answer brings every
//! page's reads back without a reload (`live::reach`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::ctx::ctx;
use crate::domain::live::reconnect_delay_ms;
use crate::live::reach::use_reach;

/// The cheapest read every signed-in user may make.
const PROBE: &str = "/subscriptions?api-version=2022-12-01";

#[derive(Default)]
struct Probe {
    timer: Option<Timeout>,
    attempts: u32,
}

#[component]
pub fn ConnectionBanner() -> impl IntoView {
    let reach = use_reach();
    // No retries: the banner paces itself, and the pipeline reports each attempt to `reach`.
    let client = ctx().client.without_retries();
    let now = RwSignal::new(js_sys::Date::now());
    let next_try = RwSignal::new(None::<f64>);
    let checking = RwSignal::new(false);
    // "Try now" pressed while a probe is on its way: ask again as soon as it answers. The button is
    // never disabled, so a click always counts, even one that lands just as a timed probe starts.
    let again = RwSignal::new(false);
    let probe = Rc::new(RefCell::new(Probe::default()));

    // `try_now` and `schedule` call each other: `try_now` is built once and shared.
    let try_now: Rc<RefCell<Option<Rc<dyn Fn()>>>> = Rc::default();
    let schedule = {
        let (probe, try_now) = (probe.clone(), try_now.clone());
        move || {
            let mut p = probe.borrow_mut();
            let ms = reconnect_delay_ms(p.attempts);
            p.attempts += 1;
            next_try.set(Some(js_sys::Date::now() + f64::from(ms)));
            let try_now = try_now.clone();
            p.timer = Some(Timeout::new(ms, move || {
                if let Some(f) = try_now.borrow().clone() {
                    f()
                }
            }));
        }
    };
    *try_now.borrow_mut() = Some(Rc::new({
        let (probe, schedule, this) = (probe.clone(), schedule.clone(), try_now.clone());
        move || {
            if reach.online.get_untracked() {
                return;
            }
            if checking.get_untracked() {
                again.set(true);
                return;
            }
            probe.borrow_mut().timer.take();
            checking.set(true);
            next_try.set(None);
            let (client, schedule, try_again) = (client.clone(), schedule.clone(), this.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let answered = client.get::<serde_json::Value>(PROBE).await.map_or_else(|e| !e.is_network(), |_| true);
                checking.set(false);
                if reach.online.get_untracked() {
                    again.set(false);
                } else if again.get_untracked() {
                    again.set(false);
                    if let Some(f) = try_again.borrow().clone() {
                        f()
                    }
                } else if !answered {
                    schedule();
                }
            });
        }
    }));

    // Out of reach: start asking again; back: stop, and start afresh next time.
    let on_change = SendWrapper::new((probe.clone(), schedule.clone()));
    Effect::watch(
        move || reach.online.get(),
        move |online, _, _| {
            let (probe, schedule) = &*on_change;
            if *online {
                *probe.borrow_mut() = Probe::default();
                next_try.set(None);
            } else if probe.borrow().timer.is_none() {
                schedule();
            }
        },
        false,
    );
    // A clock for the countdowns, ticking only while there is one to show.
    let ticker = SendWrapper::new(Interval::new(1_000, move || {
        if !reach.online.get_untracked() || reach.throttled_until.get_untracked().is_some() {
            now.set(js_sys::Date::now());
        }
    }));
    on_cleanup(move || drop(ticker));

    // `now` is only the tick that re-renders; the time itself is read fresh.
    let seconds_until = move |at: f64| {
        now.track();
        ((at - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as u64
    };
    let click = SendWrapper::new(try_now);
    let on_try = move |_| {
        if let Some(f) = click.borrow().clone() {
            f()
        }
    };
    view! {
        // Always in the page, so screen readers announce what appears in it.
        <div class="banners" role="status">
            <Show when=move || !reach.online.get()>
                <div class="banner offline">
                    <p>
                        <strong>"Azure Resource Manager cannot be reached."</strong>
                        " What is on screen may be out of date; nothing you typed is lost. "
                        {move || if checking.get() {
                            "Checking…".to_string()
                        } else {
                            next_try.get().map(|at| format!("Trying again in {} s.", seconds_until(at))).unwrap_or_default()
                        }}
                    </p>
                    <button type="button" on:click=on_try.clone()>"Try now"</button>
                </div>
            </Show>
            {move || reach.throttled_until.get().filter(|_| reach.online.get()).map(|at| view! {
                <div class="banner throttled">
                    <p><strong>"Azure is throttling requests."</strong>{format!(" Waiting {} s, as it asked, before trying again.", seconds_until(at))}</p>
                </div>
            })}
        </div>
    }
}
