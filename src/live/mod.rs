//! Live views (SPEC F9): `use_live` refreshes data on `domain::live`'s schedule (fast while busy,
//! slow when idle, nothing while the tab is hidden, at once when it returns, backing off on errors
//! and 429s), one refresh at a time, keeping the last data on screen while it refreshes.

pub mod activity;
pub mod directory;
pub mod fleet;
pub mod history;
pub mod queue;
pub mod reach;
pub mod regions;
pub mod schedule;
pub mod stored;
pub mod zone;

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
    /// Nothing more will change (a finished run): stop refreshing.
    is_done: Rc<dyn Fn(&T) -> bool>,
    extra_busy: Signal<bool>,
    /// Off until there is something to watch (the pool exists).
    active: Signal<bool>,
    set_data: WriteSignal<Option<T>>,
    data: ReadSignal<Option<T>>,
    set_error: WriteSignal<Option<ArmError>>,
    set_updated: WriteSignal<Option<f64>>,
    set_refreshing: WriteSignal<bool>,
    paused: RwSignal<bool>,
    timer: RefCell<Option<Timeout>>,
    in_flight: Cell<bool>,
    /// A refresh asked for while one was in flight: run it when that one ends.
    pending: Cell<bool>,
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

    fn done(&self) -> bool {
        self.data.with_untracked(|d| d.as_ref().is_some_and(|d| (self.is_done)(d)))
    }

    fn plan(self: &Rc<Self>) {
        self.timer.borrow_mut().take();
        if self.disposed.get() || !self.active.get_untracked() || self.done() {
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
        if self.disposed.get() || !self.active.get_untracked() {
            return;
        }
        if self.in_flight.get() {
            self.pending.set(true);
            return;
        }
        self.pending.set(false);
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
            if me.pending.get() && me.failures.get() == 0 {
                me.run();
            } else {
                me.pending.set(false);
                me.plan();
            }
        });
    }

    /// Back on the tab: refresh at once, unless paused or backing off (then keep the schedule).
    fn returned(self: &Rc<Self>) {
        if self.paused.get_untracked() {
            return;
        }
        if self.failures.get() == 0 {
            self.run();
        } else {
            self.plan();
        }
    }
}

/// What a live view watches, besides its fetch.
pub struct Watch<T> {
    /// Things are moving (refresh fast).
    pub busy: Box<dyn Fn(&T) -> bool>,
    /// Nothing will change any more (stop).
    pub done: Box<dyn Fn(&T) -> bool>,
    /// What the data cannot tell: an operation in flight.
    pub extra_busy: Signal<bool>,
    /// Whether there is anything to watch yet.
    pub active: Signal<bool>,
}

impl<T> Watch<T> {
    pub fn busy_when(busy: impl Fn(&T) -> bool + 'static) -> Watch<T> {
        Watch { busy: Box::new(busy), done: Box::new(|_| false), extra_busy: Signal::stored(false), active: Signal::stored(true) }
    }
}

/// Keeps `fetch`'s data fresh while the component lives, as `watch` says.
pub fn use_live<T, F, Fut>(fetch: F, watch: Watch<T>) -> UseLiveReturn<T>
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
    let Watch { busy, done, extra_busy, active } = watch;
    let inner = Rc::new(Inner {
        fetch: Rc::new(move || Box::pin(fetch())),
        is_busy: Rc::from(busy),
        is_done: Rc::from(done),
        extra_busy,
        active,
        set_data,
        data,
        set_error,
        set_updated,
        set_refreshing,
        paused,
        timer: RefCell::new(None),
        in_flight: Cell::new(false),
        pending: Cell::new(false),
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
                inner.returned();
            } else {
                inner.timer.borrow_mut().take();
            }
        })
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(d) = &document {
        let _ = d.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
    }
    // Pausing stops the timer; resuming (or becoming active) refreshes; an operation starting or
    // ending replans.
    let for_switches = SendWrapper::new(inner.clone());
    Effect::watch(
        move || (paused.get(), extra_busy.get(), active.get()),
        move |(now_paused, _, now_active), before, _| {
            let resumed = before.is_some_and(|(was, _, _)| *was) && !now_paused;
            let activated = before.is_some_and(|(_, _, was)| !*was) && *now_active;
            if resumed || activated { for_switches.run() } else { for_switches.plan() }
        },
        false,
    );
    // ARM reachable again, or the user asked to try again: refresh now, back-off forgotten.
    if let Some(epoch) = reach::reload_epoch() {
        let for_reload = SendWrapper::new(inner.clone());
        Effect::watch(move || epoch.get(), move |_, _, _| {
            for_reload.failures.set(0);
            for_reload.retry_after.set(None);
            for_reload.run();
        }, false);
    }
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
