//! When a live view refreshes (SPEC F9: "live without waste"): quickly while something is moving,
//! slowly when idle, never while the tab is hidden, at once when it comes back, backing off on
//! errors and honouring a 429's Retry-After. Pure: the hook that runs it only asks this.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Runs queued or an operation in flight: things change by the second.
    pub busy_ms: u32,
    pub idle_ms: u32,
    /// Ceiling of the back-off after errors.
    pub max_backoff_ms: u32,
}

pub const DEFAULT: Schedule = Schedule { busy_ms: 5_000, idle_ms: 30_000, max_backoff_ms: 300_000 };

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Situation {
    pub visible: bool,
    pub paused: bool,
    /// Something is changing: queued or running runs, an operation in flight.
    pub busy: bool,
    /// Failed refreshes in a row.
    pub failures: u32,
    /// Seconds a 429 asked us to wait, if the last refresh was throttled.
    pub retry_after_secs: Option<u32>,
}

/// Milliseconds until the next refresh, or `None`: do not schedule one (hidden or paused; a
/// refresh happens when that changes).
pub fn next_delay_ms(s: &Schedule, now: &Situation) -> Option<u32> {
    if !now.visible || now.paused {
        return None;
    }
    let base = if now.busy { s.busy_ms } else { s.idle_ms };
    let backoff = if now.failures == 0 { base } else { base.saturating_mul(1u32 << now.failures.min(16)).min(s.max_backoff_ms) };
    let throttled = now.retry_after_secs.map_or(0, |secs| secs.saturating_mul(1000));
    Some(backoff.max(throttled))
}

/// While ARM cannot be reached: how long before asking again, after `attempts` that failed.
/// Soon at first (a blip), then backing off to half a minute, never giving up.
pub fn reconnect_delay_ms(attempts: u32) -> u32 {
    (2_000u32 << attempts.min(4)).min(30_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(visible: bool, busy: bool, failures: u32, retry_after_secs: Option<u32>) -> Situation {
        Situation { visible, paused: false, busy, failures, retry_after_secs }
    }

    #[test]
    fn faster_while_busy_slower_when_idle() {
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 0, None)), Some(5_000));
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, false, 0, None)), Some(30_000));
    }

    #[test]
    fn nothing_while_hidden_or_paused() {
        assert_eq!(next_delay_ms(&DEFAULT, &at(false, true, 0, None)), None);
        let mut paused = at(true, true, 0, None);
        paused.paused = true;
        assert_eq!(next_delay_ms(&DEFAULT, &paused), None);
    }

    #[test]
    fn errors_back_off_exponentially_to_a_ceiling() {
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 1, None)), Some(10_000));
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 3, None)), Some(40_000));
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 30, None)), Some(300_000));
    }

    #[test]
    fn a_429_waits_at_least_its_retry_after() {
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 1, Some(60))), Some(60_000));
        assert_eq!(next_delay_ms(&DEFAULT, &at(true, true, 1, Some(2))), Some(10_000), "and never less than the back-off");
    }

    #[test]
    fn reconnecting_backs_off_to_half_a_minute() {
        let delays: Vec<u32> = (0..7).map(reconnect_delay_ms).collect();
        assert_eq!(delays, [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
        assert_eq!(reconnect_delay_ms(u32::MAX), 30_000);
    }
}
