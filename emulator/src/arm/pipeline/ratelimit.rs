//! `x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}`: ARM's legacy hourly budget
//! (12,000 reads, 1,200 writes, 15,000 deletes), counted down per request.

use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(3600);

pub struct RateLimit {
    window: Mutex<(Instant, [u32; 3])>,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { window: Mutex::new((Instant::now(), [0; 3])) }
    }
}

impl RateLimit {
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
    fn each_kind_counts_down_its_own_budget() {
        let r = RateLimit::default();
        assert_eq!(r.remaining("reads"), 11_999);
        assert_eq!(r.remaining("reads"), 11_998);
        assert_eq!(r.remaining("writes"), 1_199);
        assert_eq!(r.remaining("deletes"), 14_999);
    }
}
