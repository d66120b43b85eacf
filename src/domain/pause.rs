//! Pause and resume (SPEC F7): pausing scales a pool to zero and writes down the count to come
//! back to, who paused it, when and why; resuming restores the count and removes the record.
//!
//! Where the record lives: Azure keeps no tags on agent pools (recorded, NOTES.md §11), so it is
//! one tag on the pool's **registry**, `poolportal-paused-<pool>`, whose value is a small JSON
//! object within the 256 characters a tag value may hold. Anyone who can read the registry sees
//! it, in the portal and with `az acr show -n <registry> --query tags`. Writing it needs
//! `Microsoft.Resources/tags/write` on the registry (Tag Contributor, Contributor or Owner);
//! without it the pool is still paused, and the portal says the reason was not kept.
//!
//! Pools paused by earlier versions of the portal kept the record in their own tags
//! (`poolportal-paused-count`, …); those are still read.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The registry tag of one pool's record: `poolportal-paused-<pool>` (pool names are 3–20
/// letters, digits and hyphens, all allowed in a tag name; lower-cased, as ARM ignores case).
pub const RECORD_PREFIX: &str = "poolportal-paused-";

/// The old record, in the pool's own tags.
pub const COUNT: &str = "poolportal-paused-count";
pub const BY: &str = "poolportal-paused-by";
pub const REASON: &str = "poolportal-paused-reason";
pub const AT: &str = "poolportal-paused-at";

/// Azure tag values are at most 256 characters.
pub const MAX_TAG_VALUE: usize = 256;

/// Where a pause record was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// One tag on the registry.
    Registry,
    /// The pool's own tags (portal versions before agent pools were known to keep none).
    PoolTags,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paused {
    pub count: i32,
    pub by: String,
    pub reason: String,
    pub at: String,
    pub kept: Kept,
}

/// The record as the tag value holds it.
#[derive(Serialize, Deserialize)]
struct Record {
    count: i32,
    by: String,
    at: String,
    why: String,
}

pub fn record_tag(pool: &str) -> String {
    format!("{RECORD_PREFIX}{}", pool.to_ascii_lowercase())
}

/// The tag value for a pause of `count` instances; `why` is shortened (never the rest) to fit.
pub fn encode(count: i32, by: &str, at: &str, why: &str) -> String {
    let mut why: String = why.trim().to_string();
    loop {
        let text = serde_json::to_string(&Record { count, by: by.chars().take(48).collect(), at: at.to_string(), why: why.clone() }).unwrap_or_default();
        if text.chars().count() <= MAX_TAG_VALUE || why.is_empty() {
            return text;
        }
        why.pop();
    }
}

fn decode(value: &str) -> Option<Paused> {
    let r: Record = serde_json::from_str(value).ok()?;
    Some(Paused { count: r.count, by: r.by, reason: r.why, at: r.at, kept: Kept::Registry })
}

/// A pool's record in its registry's tags, the tag's name compared without case.
pub fn in_registry(registry_tags: &BTreeMap<String, String>, pool: &str) -> Option<Paused> {
    let name = record_tag(pool);
    registry_tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(&name)).and_then(|(_, v)| decode(v))
}

/// The old record in a pool's own tags.
pub fn paused(tags: &BTreeMap<String, String>) -> Option<Paused> {
    let count = tags.get(COUNT)?.parse().ok()?;
    Some(Paused {
        count,
        by: tags.get(BY).cloned().unwrap_or_default(),
        reason: tags.get(REASON).cloned().unwrap_or_default(),
        at: tags.get(AT).cloned().unwrap_or_default(),
        kept: Kept::PoolTags,
    })
}

/// How much later than its record a pool may have been changed by the pause itself: the record
/// is written once the scale to 0 is accepted, so the pool's `lastModifiedAt` is just before it.
const RECORD_SLACK_MS: u64 = 60_000;

/// A pool's pause record, wherever it is kept; only for a pool at 0 instances that nobody changed
/// since the record was written (`last_modified_ms`, from its `systemData`): a pool scaled up and
/// down again by other means is not paused by this record any more, whatever the tag still says.
pub fn find(registry_tags: Option<&BTreeMap<String, String>>, pool_tags: Option<&BTreeMap<String, String>>, pool: &str, count: i32, last_modified_ms: Option<u64>) -> Option<Paused> {
    if count != 0 {
        return None;
    }
    let current = |p: &Paused| match (super::time::parse_rfc3339_ms(&p.at), last_modified_ms) {
        (Some(at), Some(changed)) => changed <= at + RECORD_SLACK_MS,
        _ => true,
    };
    registry_tags.and_then(|t| in_registry(t, pool)).filter(current).or_else(|| pool_tags.and_then(paused))
}

/// Problems with a pause reason; empty if it can be saved.
pub fn reason_problems(reason: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if reason.trim().is_empty() {
        problems.push("Say why, so colleagues know when it can be resumed.".into());
    }
    let len = reason.chars().count();
    if len > MAX_REASON {
        problems.push(format!("At most {MAX_REASON} characters (now {len})."));
    }
    problems
}

/// What is left of a tag value for the reason, beside the count, who and when.
pub const MAX_REASON: usize = 140;

/// The pool's own tags after resuming: the old record removed, everything else kept.
pub fn resume_tags(tags: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    tags.iter().filter(|(k, _)| ![COUNT, BY, REASON, AT].contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(pool: &str, value: String) -> BTreeMap<String, String> {
        BTreeMap::from([("team".to_string(), "web".to_string()), (record_tag(pool), value)])
    }

    #[test]
    fn a_record_in_the_registry_reads_back_for_its_pool_only() {
        let tags = registry("Nightly-S1", encode(3, "olivia@contoso.test", "2026-12-03T14:00:00Z", "  nightly freeze "));
        assert!(tags.contains_key("poolportal-paused-nightly-s1"));
        let p = find(Some(&tags), None, "nightly-s1", 0, None).unwrap();
        assert_eq!(p, Paused { count: 3, by: "olivia@contoso.test".into(), reason: "nightly freeze".into(), at: "2026-12-03T14:00:00Z".into(), kept: Kept::Registry });
        assert_eq!(find(Some(&tags), None, "build-s2", 0, None), None, "another pool's record is not this one's");
        assert_eq!(find(Some(&tags), None, "nightly-s1", 2, None), None, "a pool with instances is not paused");
    }

    #[test]
    fn a_record_older_than_the_pools_last_change_is_stale() {
        let tags = registry("p", encode(3, "o", "2026-12-03T14:00:00.000Z", "freeze"));
        let at = super::super::time::parse_rfc3339_ms("2026-12-03T14:00:00.000Z").unwrap();
        assert!(find(Some(&tags), None, "p", 0, Some(at - 500)).is_some(), "the pause's own change, just before its record");
        assert!(find(Some(&tags), None, "p", 0, Some(at + 3_600_000)).is_none(), "scaled up and down elsewhere an hour later");
    }

    #[test]
    fn every_record_fits_a_tag_value() {
        let long = "é".repeat(400);
        let value = encode(12, &"a".repeat(200), "2026-12-03T14:00:00.000Z", &long);
        assert!(value.chars().count() <= MAX_TAG_VALUE, "{}", value.chars().count());
        let p = in_registry(&registry("p", value), "p").unwrap();
        assert_eq!(p.count, 12);
        assert!(p.reason.starts_with("ééé") && p.reason.chars().count() >= MAX_REASON, "the reason the form allows is kept whole");
        let quotes = encode(1, "o", "t", &"\"\\".repeat(100));
        assert!(quotes.chars().count() <= MAX_TAG_VALUE && in_registry(&registry("p", quotes), "p").is_some());
    }

    #[test]
    fn the_old_record_in_pool_tags_is_still_read_and_removed_on_resume() {
        let mut tags = BTreeMap::new();
        tags.insert("team".to_string(), "web".to_string());
        let mut old = tags.clone();
        old.extend([(COUNT.to_string(), "2".to_string()), (BY.to_string(), "Olivia Owner".to_string()), (REASON.to_string(), "holiday".to_string())]);
        let p = find(Some(&BTreeMap::new()), Some(&old), "p", 0, None).unwrap();
        assert_eq!((p.count, p.by.as_str(), p.kept), (2, "Olivia Owner", Kept::PoolTags));
        assert_eq!(resume_tags(&old), tags);
        assert_eq!(find(None, Some(&tags), "p", 0, None), None);
    }

    #[test]
    fn reasons_are_required_and_fit_beside_the_rest() {
        assert!(!reason_problems(" ").is_empty());
        assert!(reason_problems("holiday").is_empty());
        assert!(reason_problems(&"x".repeat(141))[0].contains("140"));
    }

    #[test]
    fn a_value_that_is_not_a_record_is_not_a_pause() {
        let mut t = BTreeMap::new();
        t.insert(COUNT.to_string(), "many".to_string());
        assert_eq!(paused(&t), None);
        assert_eq!(in_registry(&registry("p", "paused".into()), "p"), None);
    }
}
