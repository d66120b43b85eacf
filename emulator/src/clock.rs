//! Simulated time. Long-running operations and runs advance on this clock, which can run faster
//! than the wall clock so tests need not wait minutes; tokens keep real time.

use std::sync::Mutex;
use std::time::Instant;

pub struct Clock {
    inner: Mutex<Anchor>,
}

struct Anchor {
    real: Instant,
    sim_ms: u64,
    speed: f64,
}

fn wall_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

impl Clock {
    /// Starts at the wall clock (or `not_before`, so a restored state never sees time go back).
    pub fn new(speed: f64, not_before_ms: u64) -> Clock {
        Clock { inner: Mutex::new(Anchor { real: Instant::now(), sim_ms: wall_ms().max(not_before_ms), speed: speed.max(0.0) }) }
    }

    /// Simulated milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> u64 {
        let a = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        a.sim_ms + (a.real.elapsed().as_millis() as f64 * a.speed) as u64
    }

    pub fn speed(&self) -> f64 {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).speed
    }

    /// Changes the speed from now on, without a jump in simulated time.
    pub fn set_speed(&self, speed: f64) {
        let now = self.now_ms();
        let mut a = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        *a = Anchor { real: Instant::now(), sim_ms: now, speed: speed.max(0.0) };
    }

    /// Places simulated time at `ms`, even in the past: only for a fresh emulator that replays a
    /// recording made on that date (a state with history would see time run backwards).
    pub fn set_ms(&self, ms: u64) {
        let mut a = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let speed = a.speed;
        *a = Anchor { real: Instant::now(), sim_ms: ms, speed };
    }

    /// Jumps simulated time forward (tests: "ten minutes later").
    pub fn advance_ms(&self, ms: u64) {
        let now = self.now_ms();
        let mut a = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let speed = a.speed;
        *a = Anchor { real: Instant::now(), sim_ms: now + ms, speed };
    }
}

/// Whole seconds since the epoch as RFC 3339 (token times in ARM's error messages, SAS expiry).
pub fn rfc3339(secs: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs as i64)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// RFC 3339 with milliseconds, as ARM writes times.
pub fn rfc3339_ms(ms: u64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.format(&f).unwrap_or_default()
}

/// RFC 3339 with seven fractional digits and an explicit offset, as ARM writes `systemData`
/// times (`2026-03-24T00:08:57.4864244+00:00` in recorded answers).
pub fn rfc3339_ticks(ms: u64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:7]+00:00");
    t.format(&f).unwrap_or_default()
}

/// Parses the RFC 3339 times a `$filter` may hold.
pub fn parse_rfc3339_ms(s: &str) -> Option<u64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    u64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_faster_clock_runs_ahead_and_never_goes_back() {
        let c = Clock::new(1000.0, 0);
        let a = c.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(c.now_ms() >= a + 4000);
        c.set_speed(0.0);
        let frozen = c.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(c.now_ms(), frozen);
        c.advance_ms(60_000);
        assert_eq!(c.now_ms(), frozen + 60_000);
    }

    #[test]
    fn restored_state_keeps_time_monotonic() {
        let far = wall_ms() + 86_400_000;
        assert!(Clock::new(0.0, far).now_ms() >= far);
    }

    #[test]
    fn times_round_trip_through_rfc3339() {
        let ms = 1_700_000_000_123;
        assert_eq!(rfc3339_ms(ms), "2023-11-14T22:13:20.123Z");
        assert_eq!(parse_rfc3339_ms(&rfc3339_ms(ms)), Some(ms));
        assert_eq!(rfc3339_ticks(ms), "2023-11-14T22:13:20.1230000+00:00");
        assert_eq!(parse_rfc3339_ms(&rfc3339_ticks(ms)), Some(ms));
    }
}
