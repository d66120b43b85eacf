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

/// What one poll saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seen {
    State(String),
    NotFound,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Wait,
    Succeeded,
    Failed(String),
}

pub fn judge(kind: Kind, seen: &Seen) -> Step {
    match (kind, seen) {
        (Kind::Delete, Seen::NotFound) => Step::Succeeded,
        (_, Seen::NotFound) => Step::Failed("The agent pool no longer exists.".into()),
        (_, Seen::State(s)) if s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled") => {
            Step::Failed(format!("The operation ended {s}."))
        }
        // A delete is done only when the pool is gone; `Succeeded` may be read before it starts.
        (Kind::Delete, Seen::State(_)) => Step::Wait,
        (_, Seen::State(s)) if s.eq_ignore_ascii_case("Succeeded") => Step::Succeeded,
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

/// Operations longer than this are reported as stuck rather than polled forever.
pub const GIVE_UP_AFTER_MS: f64 = 60.0 * 60.0 * 1000.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_and_updates_end_on_a_terminal_state() {
        assert_eq!(judge(Kind::Create, &Seen::State("Creating".into())), Step::Wait);
        assert_eq!(judge(Kind::Create, &Seen::State("Succeeded".into())), Step::Succeeded);
        assert_eq!(judge(Kind::Update, &Seen::State("failed".into())), Step::Failed("The operation ended failed.".into()));
        assert!(matches!(judge(Kind::Update, &Seen::NotFound), Step::Failed(_)));
    }

    #[test]
    fn a_delete_ends_at_404_not_at_succeeded() {
        assert_eq!(judge(Kind::Delete, &Seen::State("Succeeded".into())), Step::Wait);
        assert_eq!(judge(Kind::Delete, &Seen::State("Deleting".into())), Step::Wait);
        assert_eq!(judge(Kind::Delete, &Seen::NotFound), Step::Succeeded);
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
