//! When the request pipeline retries, and how long it waits. Pure, so the rules are tested natively.
//!
//! - 429: ARM refused the request before doing anything, so any method may be retried, after the
//!   `Retry-After` it sent. A wait longer than `max_delay_ms` is not shortened: we give up and the
//!   error (with its `retry_after`) is shown instead.
//! - 408, 5xx (but 501/505) and network failures: only idempotent requests are retried; a POST
//!   that may have been applied is never repeated blindly (SPEC F15).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 3, base_delay_ms: 800, max_delay_ms: 60_000 }
    }
}

/// `status` 0 means no response arrived.
pub fn is_retryable(status: u16, idempotent: bool) -> bool {
    match status {
        429 => true,
        0 | 408 | 500 | 502 | 503 | 504 => idempotent,
        _ => false,
    }
}

impl RetryPolicy {
    /// Milliseconds to wait before retry number `attempt + 1`, or `None` to give up.
    /// `jitter` in [0, 1) spreads clients apart when the server gave no `Retry-After`.
    /// Whether a 401 is worth one retry with a freshly renewed token (an expired or rejected
    /// token, as opposed to a missing permission).
    pub fn is_stale_token(code: &str) -> bool {
        matches!(code, "ExpiredAuthenticationToken" | "InvalidAuthenticationToken")
    }

    pub fn delay_ms(&self, attempt: u32, status: u16, retry_after_secs: Option<u32>, idempotent: bool, jitter: f64) -> Option<u32> {
        if attempt >= self.max_retries || !is_retryable(status, idempotent) {
            return None;
        }
        match retry_after_secs {
            Some(secs) => {
                let ms = secs.saturating_mul(1000);
                (ms <= self.max_delay_ms).then_some(ms)
            }
            None => {
                let exp = self.base_delay_ms.saturating_mul(1u32 << attempt.min(16));
                Some(((exp as f64 * (0.5 + jitter.clamp(0.0, 1.0) / 2.0)) as u32).min(self.max_delay_ms))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy = RetryPolicy { max_retries: 3, base_delay_ms: 1000, max_delay_ms: 30_000 };

    #[test]
    fn throttling_honours_retry_after_for_any_method() {
        assert_eq!(P.delay_ms(0, 429, Some(7), false, 0.3), Some(7000));
        assert_eq!(P.delay_ms(0, 429, Some(30), true, 0.3), Some(30_000));
        assert_eq!(P.delay_ms(0, 429, Some(600), true, 0.3), None, "a longer wait is shown, not cut short");
    }

    #[test]
    fn server_errors_are_retried_only_when_idempotent() {
        assert!(P.delay_ms(0, 503, None, true, 0.0).is_some());
        assert_eq!(P.delay_ms(0, 503, None, false, 0.0), None);
        assert_eq!(P.delay_ms(0, 0, None, false, 0.0), None, "a POST that may have landed is not repeated");
        assert_eq!(P.delay_ms(0, 501, None, true, 0.0), None);
    }

    #[test]
    fn only_stale_tokens_are_renewed() {
        assert!(RetryPolicy::is_stale_token("ExpiredAuthenticationToken"));
        assert!(!RetryPolicy::is_stale_token("AuthorizationFailed"));
        assert!(!RetryPolicy::is_stale_token("InvalidAuthenticationTokenAudience"));
    }

    #[test]
    fn client_errors_are_final() {
        for status in [400, 401, 403, 404, 409] {
            assert_eq!(P.delay_ms(0, status, None, true, 0.5), None, "{status}");
        }
    }

    #[test]
    fn back_off_grows_exponentially_with_jitter_and_stops() {
        assert_eq!(P.delay_ms(0, 500, None, true, 0.0), Some(500));
        assert_eq!(P.delay_ms(1, 500, None, true, 0.0), Some(1000));
        assert_eq!(P.delay_ms(2, 500, None, true, 0.999_999), Some(3999));
        assert_eq!(P.delay_ms(3, 500, None, true, 0.0), None);
    }
}
