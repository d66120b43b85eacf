//! Faults on demand (SPEC E6), for tests: set from the command line at start or through the
//! admin port while running. Counted faults hit the next N matching ARM requests.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultConfig {
    /// Real milliseconds added before every ARM response.
    pub latency_ms: u64,
    /// The next N matching ARM requests get 429 with `Retry-After: retry_after_secs`.
    pub throttle: u32,
    pub retry_after_secs: u32,
    /// The next N matching ARM requests get `server_error_status` (500 or 503).
    pub server_errors: u32,
    pub server_error_status: u16,
    /// The next N matching ARM requests lose their connection without an answer.
    pub drop_connections: u32,
    /// The next N pool operations started will end Failed.
    pub fail_operations: u32,
    /// The next N matching ARM requests are refused as if the token had expired.
    pub expire_tokens: u32,
    /// Leave `Location`, `Azure-AsyncOperation`, `Retry-After` out of CORS's exposed headers.
    pub withhold_lro_headers: bool,
    /// The log origin answers without CORS headers (as a storage account without CORS rules).
    pub refuse_log_cors: bool,
    /// Actions refused to every caller, as if their role lacked them (a custom role without
    /// `Microsoft.Insights/eventtypes/values/read`, say). Not counted: they stay until cleared.
    pub deny_actions: Vec<String>,
    /// api-versions answered as if this cloud did not have them (`NoRegisteredProviderFound` for
    /// a provider's type), as a sovereign cloud may lack a preview. Not counted.
    pub refuse_api_versions: Vec<String>,
    /// Only requests whose `METHOD /path?query` contains this are hit (empty: all).
    pub matching: String,
    /// ARM's read throttling (issue 22): a token bucket of this many reads per subscription and
    /// principal (0: off), refilled at `read_refill_per_sec`; an empty bucket answers 429 with
    /// `Retry-After`, and `x-ms-ratelimit-remaining-subscription-reads` says what is left. ARM's
    /// numbers are 250 and 25. Not counted: it stays until cleared.
    pub read_bucket: u32,
    pub read_refill_per_sec: u32,
}

/// What to do to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Injected {
    Throttle { retry_after_secs: u32 },
    ServerError { status: u16 },
    ExpiredToken,
}

#[derive(Default)]
pub struct Faults {
    config: Mutex<FaultConfig>,
}

fn take(counter: &mut u32) -> bool {
    if *counter == 0 {
        return false;
    }
    *counter = counter.saturating_sub(1);
    true
}

impl Faults {
    pub fn get(&self) -> FaultConfig {
        self.config.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set(&self, config: FaultConfig) {
        *self.config.lock().unwrap_or_else(|p| p.into_inner()) = config;
    }

    /// The fault for this request, if any, counting it down.
    pub fn take(&self, method: &str, path_and_query: &str) -> Option<Injected> {
        let mut c = self.config.lock().unwrap_or_else(|p| p.into_inner());
        if !c.matching.is_empty() && !format!("{method} {path_and_query}").contains(&c.matching) {
            return None;
        }
        if take(&mut c.throttle) {
            return Some(Injected::Throttle { retry_after_secs: c.retry_after_secs.max(1) });
        }
        if take(&mut c.server_errors) {
            let status = if c.server_error_status == 0 { 503 } else { c.server_error_status };
            return Some(Injected::ServerError { status });
        }
        if take(&mut c.expire_tokens) {
            return Some(Injected::ExpiredToken);
        }
        None
    }

    /// Whether this request's connection is to be dropped (checked before any other fault).
    pub fn take_drop(&self, method_and_path: &str) -> bool {
        let mut c = self.config.lock().unwrap_or_else(|p| p.into_inner());
        (c.matching.is_empty() || method_and_path.contains(&c.matching)) && take(&mut c.drop_connections)
    }

    /// Whether the next pool operation should end Failed (counts it down).
    pub fn take_failed_operation(&self) -> bool {
        take(&mut self.config.lock().unwrap_or_else(|p| p.into_inner()).fail_operations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_hit_the_next_n_matching_requests_in_order() {
        let f = Faults::default();
        f.set(FaultConfig { throttle: 1, retry_after_secs: 3, server_errors: 1, matching: "PATCH".into(), ..Default::default() });
        assert_eq!(f.take("GET", "/subscriptions"), None, "not matching");
        assert_eq!(f.take("PATCH", "/x"), Some(Injected::Throttle { retry_after_secs: 3 }));
        assert_eq!(f.take("PATCH", "/x"), Some(Injected::ServerError { status: 503 }));
        assert_eq!(f.take("PATCH", "/x"), None);
    }

    #[test]
    fn failed_operations_are_counted_too() {
        let f = Faults::default();
        f.set(FaultConfig { fail_operations: 1, ..Default::default() });
        assert!(f.take_failed_operation());
        assert!(!f.take_failed_operation());
    }
}
