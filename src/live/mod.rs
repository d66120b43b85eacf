//! Live views (SPEC F9): `use_live` refreshes data on `domain::live`'s schedule (fast while busy,
//! slow when idle, nothing while the tab is hidden, at once when it returns, backing off on errors
//! and 429s), one refresh at a time, keeping the last data on screen while it refreshes.

pub mod queue;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::arm::ArmError;
use crate::domain::live::{self, Schedule, Situation};

pub struct UseLiveReturn<T: Send + Sync + 'static> {
    /// The last data fetched (kept while a refresh runs, and after a failed one).
    pub data: ReadSignal<Option<T>>,
    pub error: ReadSignal<Option<ArmError>>,
    /// When the data was last fetched (ms since the epoch).
    pub updated_at: ReadSignal<Option<f64>>,
    /// The user's pause-live switch.
    pub paused: RwSignal<bool>,
    pub refreshing: ReadSignal<bool>,
    /// Refresh now (after scheduling work, say).
    pub refresh: Callback<()>,
}

impl<T: Send + Sync + 'static> Clone for UseLiveReturn<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for UseLiveReturn<T> {}

type Fetch<T> = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, ArmError>>>>>;

struct Inner<T: Send + Sync + 'static> {
    fetch: Fetch<T>,
    is_busy: Rc<dyn Fn(&T) -> bool>,
    extra_busy: Signal<bool>,
    set_data: WriteSignal<Option<T>>,
    data: ReadSignal<Option<T>>,
    set_error: WriteSignal<Option<ArmError>>,
    set_updated: WriteSignal<Option<f64>>,
    set_refreshing: WriteSignal<bool>,
    paused: RwSignal<bool>,
    timer: RefCell<Option<Timeout>>,
    in_flight: Cell<bool>,
    failures: Cell<u32>,
    retry_after: Cell<Option<u32>>,
    disposed: Cell<bool>,
    schedule: Schedule,
}

pub fn tab_visible() -> bool {
    web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
}

impl<T: Clone + Send + Sync + 'static> Inner<T> {
    fn busy(&self) -> bool {
        self.extra_busy.get_untracked() || self.data.with_untracked(|d| d.as_ref().is_some_and(|d| (self.is_busy)(d)))
    }

    fn plan(self: &Rc<Self>) {
        self.timer.borrow_mut().take();
        if self.disposed.get() {
            return;
        }
        let situation = Situation {
            visible: tab_visible(),
            paused: self.paused.get_untracked(),
            busy: self.busy(),
            failures: self.failures.get(),
            retry_after_secs: self.retry_after.get(),
        };
        if let Some(ms) = live::next_delay_ms(&self.schedule, &situation) {
            let me = self.clone();
            *self.timer.borrow_mut() = Some(Timeout::new(ms, move || me.run()));
        }
    }

    fn run(self: &Rc<Self>) {
        if self.in_flight.get() || self.disposed.get() {
            return;
        }
        self.timer.borrow_mut().take();
        self.in_flight.set(true);
        self.set_refreshing.set(true);
        let me = self.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let result = (me.fetch)().await;
            me.in_flight.set(false);
            if me.disposed.get() {
                return;
            }
            me.set_refreshing.set(false);
            match result {
                Ok(v) => {
                    me.set_data.set(Some(v));
                    me.set_error.set(None);
                    me.set_updated.set(Some(js_sys::Date::now()));
                    me.failures.set(0);
                    me.retry_after.set(None);
                }
                // Signing in again leaves the page: nothing to schedule.
                Err(e) if e.code == "SignInRequired" => return,
                Err(e) => {
                    me.retry_after.set(if e.status == 429 { e.retry_after.or(Some(60)) } else { None });
                    me.failures.set(me.failures.get() + 1);
                    me.set_error.set(Some(e));
                }
            }
            me.plan();
        });
    }
}

/// Keeps `fetch`'s data fresh while the component lives. `is_busy` says from the data whether
/// things are moving (refresh fast); `extra_busy` adds what the data cannot tell (an operation).
pub fn use_live<T, F, Fut>(fetch: F, is_busy: impl Fn(&T) -> bool + 'static, extra_busy: Signal<bool>) -> UseLiveReturn<T>
where
    T: Clone + Send + Sync + 'static,
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Result<T, ArmError>> + 'static,
{
    let (data, set_data) = signal(None::<T>);
    let (error, set_error) = signal(None::<ArmError>);
    let (updated_at, set_updated) = signal(None::<f64>);
    let (refreshing, set_refreshing) = signal(false);
    let paused = RwSignal::new(false);
    let inner = Rc::new(Inner {
        fetch: Rc::new(move || Box::pin(fetch())),
        is_busy: Rc::new(is_busy),
        extra_busy,
        set_data,
        data,
        set_error,
        set_updated,
        set_refreshing,
        paused,
        timer: RefCell::new(None),
        in_flight: Cell::new(false),
        failures: Cell::new(0),
        retry_after: Cell::new(None),
        disposed: Cell::new(false),
        schedule: live::DEFAULT,
    });
    inner.run();

    // Hidden: the timer goes; visible again: refresh at once.
    let on_visibility = {
        let inner = inner.clone();
        Closure::<dyn Fn()>::new(move || {
            if tab_visible() {
                inner.run();
            } else {
                inner.timer.borrow_mut().take();
            }
        })
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(d) = &document {
        let _ = d.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    }
    // Pausing stops the timer; resuming refreshes; an operation starting or ending replans.
    let for_switches = SendWrapper::new(inner.clone());
    Effect::watch(
        move || (paused.get(), extra_busy.get()),
        move |(now_paused, _), before, _| {
            let resumed = before.is_some_and(|(was, _)| *was) && !now_paused;
            if resumed { for_switches.run() } else { for_switches.plan() }
        },
        false,
    );
    let cleanup = SendWrapper::new((inner.clone(), on_visibility, document));
    on_cleanup(move || {
        let (inner, listener, document) = cleanup.take();
        inner.disposed.set(true);
        inner.timer.borrow_mut().take();
        if let Some(d) = document {
            let _ = d.remove_event_listener_with_callback("visibilitychange", listener.as_ref().unchecked_ref());
        }
    });
    let for_refresh = SendWrapper::new(inner);
    let refresh = Callback::new(move |_| for_refresh.run());
    UseLiveReturn { data, error, updated_at, paused, refreshing, refresh }
}
