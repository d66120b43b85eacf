//! How many reads of one fan-out (the fleet's, and any other that reads many resources at once)
//! may be in flight for one subscription (issue 22). ARM's own limit is a token bucket per
//! subscription and principal (250 reads, refilled at 25 a second; Learn, *Understand how Azure
//! Resource Manager throttles requests*), which it reports in
//! `x-ms-ratelimit-remaining-subscription-reads` and enforces with 429 and `Retry-After`. The
//! browser's six connections a host are an HTTP/1.1 limit, not ARM's. So the window starts at
//! six, grows by one with each answer that came back fast while the bucket is far from empty,
//! shrinks by one with each answer that finds the bucket low, halves once on a 429 (the rest of
//! that burst's 429s do not halve it again) and then waits what `Retry-After` asked. Pure: the
//! clock and the answers are given, so tests run natively. `Gate` holds one window per
//! subscription and caps their sum (every subscription's reads go to the same ARM host); the
//! client's fan-out (`client::ArmClient::fanned_out`) waits on it.

/// Where a subscription's window starts: what HTTP/1.1 allowed, known to be safe.
pub const START: u32 = 6;

/// The most reads in flight for one subscription. At ARM's typical 100–300 ms a read, 32 in
/// flight is 100–320 reads a second: a full bucket (250) lasts about a second of that, so the
/// window is past what the bucket sustains (25 a second) well before the ceiling, and the
/// remaining-reads header turns it down first. Higher would only buy a deeper drain before the
/// first 429; it also stays under the 100 concurrent streams browsers and ARM's front doors
/// allow on one HTTP/2 connection, with room for the other subscriptions' windows.
pub const CEILING: u32 = 32;

/// An answer faster than this leaves room to grow.
pub const FAST_MS: f64 = 1_000.0;

/// Reads left in the bucket below which the window stops growing and shrinks: about two seconds
/// of ARM's refill.
pub const LOW_REMAINING: u32 = 50;

/// When `Retry-After` is missing from a 429, wait this long.
const DEFAULT_RETRY_AFTER_MS: f64 = 1_000.0;

/// What one read came back with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// Any answer that is not a 429 (an error too: it says nothing about the bucket).
    Done { elapsed_ms: f64, remaining_reads: Option<u32> },
    /// 429, with `Retry-After` in seconds if given.
    Throttled { retry_after_s: Option<u32> },
}

/// One subscription's window.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    limit: u32,
    /// Browser clock (ms) before which nothing new starts: a 429's `Retry-After`.
    paused_until_ms: f64,
    /// 429s seen (what the tests check of a burst).
    pub throttled: u32,
}

impl Default for Window {
    fn default() -> Self {
        Window { limit: START, paused_until_ms: f64::NEG_INFINITY, throttled: 0 }
    }
}

impl Window {
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Whether another read may start now, with `in_flight` already going.
    pub fn may_start(&self, in_flight: u32, now_ms: f64) -> bool {
        now_ms >= self.paused_until_ms && in_flight < self.limit
    }

    /// How long until reads may start again (0 when they may).
    pub fn wait_ms(&self, now_ms: f64) -> f64 {
        (self.paused_until_ms - now_ms).max(0.0)
    }

    /// Takes an answer into account.
    pub fn record(&mut self, answer: Answer, now_ms: f64) {
        match answer {
            Answer::Throttled { retry_after_s } => {
                self.throttled += 1;
                // One halving for one throttling: the other reads of the same burst come back
                // 429 too, while the wait is already on, and must not take the window to one.
                if now_ms >= self.paused_until_ms {
                    self.limit = (self.limit / 2).max(1);
                }
                let wait = retry_after_s.map_or(DEFAULT_RETRY_AFTER_MS, |s| f64::from(s) * 1_000.0);
                self.paused_until_ms = self.paused_until_ms.max(now_ms + wait);
            }
            Answer::Done { remaining_reads: Some(left), .. } if left < LOW_REMAINING => {
                self.limit = self.limit.saturating_sub(1).max(1);
            }
            Answer::Done { elapsed_ms, .. } if elapsed_ms < FAST_MS => {
                self.limit = (self.limit + 1).min(CEILING);
            }
            Answer::Done { .. } => {}
        }
    }
}

/// Every subscription's window, and the sum of reads in flight capped: they all go to one host.
/// At most 48 at once: under the 100 streams an HTTP/2 connection carries (browsers and ARM's
/// front door both allow about that), with room for the page's own reads beside a fan-out.
pub const TOTAL_CAP: u32 = 48;

/// Why a read may not start yet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wait {
    /// Its subscription is waiting out a 429 for this many ms.
    For(f64),
    /// Its subscription's window, or the total, is full: until a read ends.
    Slot,
}

#[derive(Clone, Debug, Default)]
pub struct Gate {
    windows: std::collections::BTreeMap<String, (Window, u32)>,
    total: u32,
    /// The most reads that were in flight at once (what the cap bounds; the bench measures the
    /// same from the emulator's log).
    pub peak: u32,
}

impl Gate {
    /// Whether a read for `subscription` may start now (nothing is started).
    pub fn room(&self, subscription: &str, now_ms: f64) -> Result<(), Wait> {
        let in_flight = self.windows.get(subscription).map_or(0, |(_, n)| *n);
        self.room_with(subscription, in_flight, self.total, now_ms)
    }

    /// The same, counting reads as a caller does: one that chooses what to start next keeps
    /// its own count of what it started (a read counts here only once it reaches the gate, after
    /// the caller has moved on).
    pub fn room_with(&self, subscription: &str, in_flight: u32, total: u32, now_ms: f64) -> Result<(), Wait> {
        let default = Window::default();
        let window = self.windows.get(subscription).map_or(&default, |(w, _)| w);
        let wait = window.wait_ms(now_ms);
        if wait > 0.0 {
            return Err(Wait::For(wait));
        }
        if !window.may_start(in_flight, now_ms) || total >= TOTAL_CAP {
            return Err(Wait::Slot);
        }
        Ok(())
    }

    /// Starts a read for `subscription` (lower-cased; "" for tenant-level reads) if it may.
    pub fn try_start(&mut self, subscription: &str, now_ms: f64) -> Result<(), Wait> {
        self.room(subscription, now_ms)?;
        let (_, in_flight) = self.windows.entry(subscription.to_string()).or_default();
        *in_flight += 1;
        self.total += 1;
        self.peak = self.peak.max(self.total);
        Ok(())
    }

    /// Ends a read started with `try_start`, with what it came back with (`None`: it was
    /// dropped unanswered, a page that went away).
    pub fn finish(&mut self, subscription: &str, answer: Option<Answer>, now_ms: f64) {
        if let Some((window, in_flight)) = self.windows.get_mut(subscription) {
            *in_flight = in_flight.saturating_sub(1);
            self.total = self.total.saturating_sub(1);
            if let Some(answer) = answer {
                window.record(answer, now_ms);
            }
        }
    }

    /// A subscription's window now (what the tests check).
    pub fn limit(&self, subscription: &str) -> u32 {
        self.windows.get(subscription).map_or(START, |(w, _)| w.limit())
    }

    /// 429s seen in all.
    pub fn throttled(&self) -> u32 {
        self.windows.values().map(|(w, _)| w.throttled).sum()
    }
}

/// The subscription a URL reads in (lower-cased), "" for reads above any subscription.
pub fn subscription_of(url: &str) -> String {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    subscription_of_path(path.split('?').next().unwrap_or(""))
}

/// The subscription of a resource path (`/subscriptions/<id>/…`), lower-cased; "" for none.
pub fn subscription_of_path(path: &str) -> String {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") && !id.is_empty() => id.to_ascii_lowercase(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(left: u32) -> Answer {
        Answer::Done { elapsed_ms: 120.0, remaining_reads: Some(left) }
    }

    #[test]
    fn it_starts_at_six_and_grows_with_fast_answers_up_to_its_ceiling() {
        let mut w = Window::default();
        assert_eq!(w.limit(), 6);
        assert!(w.may_start(5, 0.0) && !w.may_start(6, 0.0));
        for i in 0..3 {
            w.record(fast(240 - i), 0.0);
        }
        assert_eq!(w.limit(), 9);
        for _ in 0..100 {
            w.record(fast(200), 0.0);
        }
        assert_eq!(w.limit(), CEILING, "never past the ceiling");
        // No header (a cloud that does not send it): speed alone decides.
        let mut w = Window::default();
        w.record(Answer::Done { elapsed_ms: 80.0, remaining_reads: None }, 0.0);
        assert_eq!(w.limit(), 7);
    }

    #[test]
    fn slow_answers_hold_it_and_a_low_bucket_shrinks_it() {
        let mut w = Window::default();
        w.record(Answer::Done { elapsed_ms: 2_500.0, remaining_reads: Some(240) }, 0.0);
        assert_eq!(w.limit(), 6, "slow: no growth");
        w.record(fast(49), 0.0);
        assert_eq!(w.limit(), 5, "the bucket runs low: one fewer, however fast");
        for _ in 0..10 {
            w.record(fast(3), 0.0);
        }
        assert_eq!(w.limit(), 1, "never below one");
    }

    #[test]
    fn a_429_halves_it_and_nothing_starts_until_retry_after_has_passed() {
        let mut w = Window::default();
        for _ in 0..10 {
            w.record(fast(200), 0.0);
        }
        assert_eq!(w.limit(), 16);
        w.record(Answer::Throttled { retry_after_s: Some(3) }, 1_000.0);
        assert_eq!((w.limit(), w.throttled), (8, 1));
        assert!(!w.may_start(0, 3_999.0), "waits out Retry-After");
        assert_eq!(w.wait_ms(2_500.0), 1_500.0);
        assert!(w.may_start(0, 4_000.0));
        // The burst's other 429s, while the wait is on: neither a shorter wait nor another halving.
        w.record(Answer::Throttled { retry_after_s: Some(1) }, 1_100.0);
        assert_eq!(w.wait_ms(1_100.0), 2_900.0);
        assert_eq!((w.limit(), w.throttled), (8, 2));
        // A 429 after the wait: a new throttling, halved again.
        w.record(Answer::Throttled { retry_after_s: Some(1) }, 4_500.0);
        assert_eq!(w.limit(), 4);
        // Without Retry-After: a second; and never below one.
        let mut w = Window::default();
        w.record(Answer::Throttled { retry_after_s: None }, 0.0);
        assert_eq!((w.limit(), w.wait_ms(0.0)), (3, 1_000.0));
        for i in 1..6 {
            w.record(Answer::Throttled { retry_after_s: None }, f64::from(i) * 2_000.0);
        }
        assert_eq!(w.limit(), 1);
    }

    #[test]
    fn the_gate_keeps_each_subscription_in_its_window_and_the_sum_under_the_cap() {
        let mut g = Gate::default();
        for _ in 0..START {
            assert_eq!(g.try_start("a", 0.0), Ok(()));
        }
        assert_eq!(g.try_start("a", 0.0), Err(Wait::Slot), "a's window is full");
        assert_eq!(g.try_start("b", 0.0), Ok(()), "b has its own window");
        g.finish("a", Some(fast(200)), 0.0);
        assert_eq!(g.limit("a"), START + 1, "a fast answer grew a's window");
        assert_eq!((g.try_start("a", 0.0), g.try_start("a", 0.0)), (Ok(()), Ok(())));
        assert_eq!(g.try_start("a", 0.0), Err(Wait::Slot));
        // Many subscriptions: the sum stops at the cap.
        let mut g = Gate::default();
        let started = (0..100).filter(|i| g.try_start(&format!("s{i}"), 0.0).is_ok()).count();
        assert_eq!((started as u32, g.peak), (TOTAL_CAP, TOTAL_CAP));
        g.finish("s0", None, 0.0);
        assert_eq!(g.try_start("s99", 0.0), Ok(()), "an ended read frees a slot");
    }

    #[test]
    fn a_429_in_the_gate_pauses_only_its_subscription() {
        let mut g = Gate::default();
        g.try_start("a", 0.0).unwrap();
        g.finish("a", Some(Answer::Throttled { retry_after_s: Some(2) }), 500.0);
        assert_eq!(g.try_start("a", 1_000.0), Err(Wait::For(1_500.0)));
        assert_eq!(g.try_start("b", 1_000.0), Ok(()));
        assert_eq!(g.try_start("a", 2_500.0), Ok(()), "the wait is over");
        assert_eq!((g.limit("a"), g.throttled()), (START / 2, 1));
        // A read dropped unanswered (its page left) frees its slot and teaches nothing.
        g.finish("a", None, 2_600.0);
        assert_eq!(g.limit("a"), START / 2);
        // A caller's own count: room while under the window, whatever reached the gate yet.
        assert_eq!(g.room_with("a", START / 2 - 1, 0, 3_000.0), Ok(()));
        assert_eq!(g.room_with("a", START / 2, 0, 3_000.0), Err(Wait::Slot));
        assert_eq!(g.room_with("b", 0, TOTAL_CAP, 3_000.0), Err(Wait::Slot));
    }

    #[test]
    fn a_read_is_counted_against_the_subscription_in_its_url() {
        assert_eq!(subscription_of("https://management.azure.com/subscriptions/AB-12/resourceGroups/g?api-version=1"), "ab-12");
        assert_eq!(subscription_of("https://127.0.0.1:9/subscriptions/ab?api-version=1"), "ab");
        assert_eq!(subscription_of("https://management.azure.com/subscriptions?api-version=1"), "");
        assert_eq!(subscription_of("https://management.azure.com/providers/Microsoft.ResourceGraph/resources?api-version=1"), "");
        assert_eq!(subscription_of_path("/subscriptions/AbC/resourcegroups/g"), "abc");
        assert_eq!(subscription_of_path("/providers/x"), "");
    }
}
