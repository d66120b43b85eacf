//! Pause and resume (SPEC F7): pausing scales a pool to zero and writes down, in the pool's own
//! tags, the count to come back to, who paused it and why; resuming restores the count and removes
//! them. Tags keep this with the pool, visible to anyone and to `az`, with no storage of ours.

use std::collections::BTreeMap;

pub const COUNT: &str = "poolportal-paused-count";
pub const BY: &str = "poolportal-paused-by";
pub const REASON: &str = "poolportal-paused-reason";
pub const AT: &str = "poolportal-paused-at";

/// Azure tag values are at most 256 characters.
pub const MAX_TAG_VALUE: usize = 256;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paused {
    pub count: i32,
    pub by: String,
    pub reason: String,
    pub at: String,
}

pub fn paused(tags: &BTreeMap<String, String>) -> Option<Paused> {
    let count = tags.get(COUNT)?.parse().ok()?;
    Some(Paused {
        count,
        by: tags.get(BY).cloned().unwrap_or_default(),
        reason: tags.get(REASON).cloned().unwrap_or_default(),
        at: tags.get(AT).cloned().unwrap_or_default(),
    })
}

/// Problems with a pause reason; empty if it can be saved.
pub fn reason_problems(reason: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if reason.trim().is_empty() {
        problems.push("Say why, so colleagues know when it can be resumed.".into());
    }
    let len = reason.chars().count();
    if len > MAX_TAG_VALUE {
        problems.push(format!("At most {MAX_TAG_VALUE} characters (now {len})."));
    }
    problems
}

/// The tags after pausing a pool of `count` instances.
pub fn pause_tags(tags: &BTreeMap<String, String>, count: i32, by: &str, reason: &str, at: &str) -> BTreeMap<String, String> {
    let mut t = tags.clone();
    let clip = |s: &str| s.chars().take(MAX_TAG_VALUE).collect::<String>();
    t.insert(COUNT.into(), count.to_string());
    t.insert(BY.into(), clip(by));
    t.insert(REASON.into(), clip(reason.trim()));
    t.insert(AT.into(), at.to_string());
    t
}

/// The tags after resuming: the pause record removed, everything else kept.
pub fn resume_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter().filter(|(k, _)| ![COUNT, BY, REASON, AT].contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_records_and_resume_removes_only_its_own_tags() {
        let mut tags = BTreeMap::new();
        tags.insert("team".to_string(), "web".to_string());
        let p = pause_tags(&tags, 3, "Olivia Owner", "  nightly freeze ", "2026-11-28T09:00:00Z");
        assert_eq!(paused(&p), Some(Paused { count: 3, by: "Olivia Owner".into(), reason: "nightly freeze".into(), at: "2026-11-28T09:00:00Z".into() }));
        assert_eq!(resume_tags(&p), tags);
        assert_eq!(paused(&tags), None);
    }

    #[test]
    fn reasons_are_required_and_fit_a_tag() {
        assert!(!reason_problems(" ").is_empty());
        assert!(reason_problems("holiday").is_empty());
        assert!(reason_problems(&"x".repeat(257))[0].contains("256"));
        let p = pause_tags(&BTreeMap::new(), 1, "a", &"y".repeat(300), "t");
        assert_eq!(p[REASON].len(), 256);
    }

    #[test]
    fn a_count_tag_that_is_not_a_number_is_not_a_pause() {
        let mut t = BTreeMap::new();
        t.insert(COUNT.to_string(), "many".to_string());
        assert_eq!(paused(&t), None);
    }
}
