//! `x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}`: ARM's legacy hourly budget
//! (12,000 reads, 1,200 writes, 15,000 deletes), counted down per request; and, when switched on
//! (`FaultConfig::read_bucket`), ARM's token bucket for reads per subscription and principal
//! (Learn, *Understand how Azure Resource Manager throttles requests*: 250 reads, refilled at 25
//! a second), which answers 429 when empty.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(3600);

pub struct RateLimit {
    window: Mutex<(Instant, [u32; 3])>,
    /// Tokens left and when they were counted, by (subscription or "tenant", principal).
    buckets: Mutex<HashMap<(String, String), (f64, Instant)>>,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { window: Mutex::new((Instant::now(), [0; 3])), buckets: Mutex::new(HashMap::new()) }
    }
}

impl RateLimit {
    /// Forgets every bucket: a new setting (or the demo data again) starts them full.
    pub fn clear_buckets(&self) {
        self.buckets.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Takes one read from `key`'s bucket of `size` refilled at `per_sec` (0: never, for tests
    /// that must not depend on how fast they run): the whole tokens left after it, or, when
    /// empty, the seconds until one is back (`Retry-After`; 1 when it never comes back).
    pub fn take_read(&self, key: (String, String), size: u32, per_sec: u32, now: Instant) -> Result<u32, u32> {
        let size = f64::from(size.max(1));
        let rate = f64::from(per_sec);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, at) = buckets.entry(key).or_insert((size, now));
        *tokens = (*tokens + now.saturating_duration_since(*at).as_secs_f64() * rate).min(size);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(*tokens as u32)
        } else {
            Err(if rate > 0.0 { ((1.0 - *tokens) / rate).ceil().max(1.0) as u32 } else { 1 })
        }
    }

    /// Counts one request of `kind` and returns what is left of the hour's budget.
    pub fn remaining(&self, kind: &str) -> u32 {
        let (i, limit) = match kind {
            "reads" => (0, 12_000),
            "deletes" => (2, 15_000),
            _ => (1, 1_200),
        };
        let mut w = self.window.lock().unwrap_or_else(|p| p.into_inner());
        if w.0.elapsed() >= WINDOW {
            *w = (Instant::now(), [0; 3]);
        }
        w.1[i] = w.1[i].saturating_add(1);
        limit - w.1[i].min(limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_answers_how_long_to_wait_and_refills_per_subscription() {
        let r = RateLimit::default();
        let t0 = Instant::now();
        let key = |s: &str| (s.to_string(), "p".to_string());
        assert_eq!(r.take_read(key("a"), 3, 1, t0), Ok(2));
        assert_eq!(r.take_read(key("a"), 3, 1, t0), Ok(1));
        assert_eq!(r.take_read(key("a"), 3, 1, t0), Ok(0));
        assert_eq!(r.take_read(key("a"), 3, 1, t0), Err(1), "empty: wait a second");
        assert_eq!(r.take_read(key("b"), 3, 1, t0), Ok(2), "each subscription its own bucket");
        assert_eq!(r.take_read(key("a"), 3, 1, t0 + Duration::from_millis(1500)), Ok(0), "refilled at its rate");
        assert_eq!(r.take_read(key("a"), 3, 1, t0 + Duration::from_secs(100)), Ok(2), "never past its size");
    }

    #[test]
    fn each_kind_counts_down_its_own_budget() {
        let r = RateLimit::default();
        assert_eq!(r.remaining("reads"), 11_999);
        assert_eq!(r.remaining("reads"), 11_998);
        assert_eq!(r.remaining("writes"), 1_199);
        assert_eq!(r.remaining("deletes"), 14_999);
    }
}
