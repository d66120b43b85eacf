//! Following a pool's long-running operation. The 2019 spec declares no LRO headers and ARM may
//! not expose them to a browser, so the pool itself is polled: its `provisioningState` until it is
//! terminal, or 404 after a delete (which counts as done, as the CLI does). `Azure-AsyncOperation`,
//! when readable, is only used to learn why an operation failed.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub enum Kind {
    Create,
    Update,
    Delete,
}

/// What one poll saw: the pool's state and count, or that it is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    State { state: String, count: i32 },
    NotFound,
}

/// After a create, ARM may briefly answer 404 (the resource is not readable yet): wait this long
/// before calling a missing pool a failure.
pub const CREATE_GRACE_MS: f64 = 60_000.0;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Wait,
    Succeeded,
    Failed(String),
}

/// Whether the operation is over. `target` is the count an update asked for: Microsoft's own
/// examples answer a PATCH with `Succeeded` before anything changed, so an update is done only
/// once the count is there too.
pub fn judge(kind: Kind, seen: &Seen, target: Option<i32>, elapsed_ms: f64) -> Step {
    match (kind, seen) {
        (Kind::Delete, Seen::NotFound) => Step::Succeeded,
        (Kind::Create, Seen::NotFound) if elapsed_ms < CREATE_GRACE_MS => Step::Wait,
        (_, Seen::NotFound) => Step::Failed("The agent pool no longer exists.".into()),
        (_, Seen::State { state, .. }) if state.eq_ignore_ascii_case("Failed") || state.eq_ignore_ascii_case("Canceled") => {
            Step::Failed(format!("The operation ended {state}."))
        }
        // A delete is done only when the pool is gone; `Succeeded` may be read before it starts.
        (Kind::Delete, Seen::State { .. }) => Step::Wait,
        (_, Seen::State { state, count }) if state.eq_ignore_ascii_case("Succeeded") => match target {
            Some(t) if t != *count => Step::Wait,
            _ => Step::Succeeded,
        },
        _ => Step::Wait,
    }
}

/// Milliseconds before the next poll: the server's `Retry-After` if it gave one (kept between 1 s
/// and 60 s), otherwise 2 s growing to 15 s.
pub fn delay_ms(retry_after_secs: Option<u32>, polls_so_far: u32) -> u32 {
    match retry_after_secs {
        Some(s) => s.clamp(1, 60) * 1000,
        None => (2000 + polls_so_far.min(13) * 1000).min(15_000),
    }
}

/// Whether a failed poll means polling cannot succeed (a 4xx other than 404 and 429).
pub fn gives_up_on(status: u16) -> bool {
    (400..500).contains(&status) && status != 404 && status != 429
}

/// Operations longer than this are reported as stuck rather than polled forever.
pub const GIVE_UP_AFTER_MS: f64 = 60.0 * 60.0 * 1000.0;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(state: &str, count: i32) -> Seen {
        Seen::State { state: state.into(), count }
    }

    #[test]
    fn creates_and_updates_end_on_a_terminal_state() {
        assert_eq!(judge(Kind::Create, &at("Creating", 1), None, 0.0), Step::Wait);
        assert_eq!(judge(Kind::Create, &at("Succeeded", 1), None, 0.0), Step::Succeeded);
        assert_eq!(judge(Kind::Update, &at("failed", 1), Some(2), 0.0), Step::Failed("The operation ended failed.".into()));
        assert!(matches!(judge(Kind::Update, &Seen::NotFound, None, 0.0), Step::Failed(_)));
    }

    #[test]
    fn an_update_is_done_when_the_count_is_there_too() {
        assert_eq!(judge(Kind::Update, &at("Succeeded", 2), Some(0), 0.0), Step::Wait, "Succeeded, count not yet changed");
        assert_eq!(judge(Kind::Update, &at("Succeeded", 0), Some(0), 0.0), Step::Succeeded);
        assert_eq!(judge(Kind::Update, &at("Succeeded", 2), None, 0.0), Step::Succeeded, "a tags-only update");
    }

    #[test]
    fn a_create_may_be_unreadable_for_a_while() {
        assert_eq!(judge(Kind::Create, &Seen::NotFound, None, 5_000.0), Step::Wait);
        assert!(matches!(judge(Kind::Create, &Seen::NotFound, None, CREATE_GRACE_MS + 1.0), Step::Failed(_)));
    }

    #[test]
    fn a_delete_ends_at_404_not_at_succeeded() {
        assert_eq!(judge(Kind::Delete, &at("Succeeded", 1), None, 0.0), Step::Wait);
        assert_eq!(judge(Kind::Delete, &at("Deleting", 1), None, 0.0), Step::Wait);
        assert_eq!(judge(Kind::Delete, &Seen::NotFound, None, 0.0), Step::Succeeded);
    }

    #[test]
    fn client_errors_end_the_polling_but_throttling_and_outages_do_not() {
        assert!(gives_up_on(403) && gives_up_on(400) && gives_up_on(401));
        assert!(!gives_up_on(404) && !gives_up_on(429) && !gives_up_on(503) && !gives_up_on(0));
    }

    #[test]
    fn polling_honours_retry_after_within_bounds() {
        assert_eq!(delay_ms(Some(10), 0), 10_000);
        assert_eq!(delay_ms(Some(0), 0), 1_000);
        assert_eq!(delay_ms(Some(600), 0), 60_000);
        assert_eq!(delay_ms(None, 0), 2_000);
        assert_eq!(delay_ms(None, 50), 15_000);
    }
}
