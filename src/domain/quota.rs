//! The default vCPU quota per registry (seed, "Preview Limitations"): 16 across standard pools, 0
//! for isolated ones. ARM has no quota API for pools and a support ticket can raise it, so these
//! are shown as *default* quota and the service's error remains authoritative.

use super::tier::{Tier, TierKind};

pub const DEFAULT_STANDARD_VCPU: u32 = 16;
pub const DEFAULT_ISOLATED_VCPU: u32 = 0;

/// vCPU a pool holds: instances × the tier's vCPU (0 for an unknown tier: we cannot know).
pub fn pool_vcpu(tier: &str, count: i32) -> u32 {
    Tier::lookup(tier).map_or(0, |t| t.vcpu * count.max(0) as u32)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub standard: u32,
    pub isolated: u32,
}

/// vCPU in use by kind over a registry's pools, given as (tier, count).
pub fn usage<'a>(pools: impl IntoIterator<Item = (&'a str, i32)>) -> Usage {
    pools.into_iter().fold(Usage::default(), |mut u, (tier, count)| {
        match Tier::lookup(tier).map(|t| t.kind) {
            Some(TierKind::Standard) => u.standard += pool_vcpu(tier, count),
            Some(TierKind::Isolated) => u.isolated += pool_vcpu(tier, count),
            None => {}
        }
        u
    })
}

/// The default quota for a tier's kind.
pub fn limit_for(tier: &Tier) -> u32 {
    match tier.kind {
        TierKind::Standard => DEFAULT_STANDARD_VCPU,
        TierKind::Isolated => DEFAULT_ISOLATED_VCPU,
    }
}

fn used_for(tier: &Tier, others: Usage) -> u32 {
    match tier.kind {
        TierKind::Standard => others.standard,
        TierKind::Isolated => others.isolated,
    }
}

/// The most instances of `tier` that fit the default quota next to what `others` hold.
pub fn max_count(tier: &Tier, others: Usage) -> u32 {
    limit_for(tier).saturating_sub(used_for(tier, others)) / tier.vcpu
}

/// vCPU of the default quota left after `count` instances of `tier` join `others` (negative: over).
pub fn left_after(tier: &Tier, count: u32, others: Usage) -> i64 {
    limit_for(tier) as i64 - used_for(tier, others) as i64 - (tier.vcpu * count) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_count_and_what_is_left() {
        let s2 = Tier::lookup("S2").unwrap();
        let others = Usage { standard: 8, isolated: 0 };
        assert_eq!(max_count(&s2, others), 2);
        assert_eq!(left_after(&s2, 2, others), 0);
        assert_eq!(left_after(&s2, 3, others), -4);
        let s3 = Tier::lookup("S3").unwrap();
        assert_eq!(max_count(&s3, Usage { standard: 9, isolated: 0 }), 0, "7 vCPU left is not one S3");
        let i6 = Tier::lookup("I6").unwrap();
        assert_eq!(max_count(&i6, Usage::default()), 0, "isolated quota is 0 by default");
        assert_eq!(max_count(&s2, Usage { standard: 40, isolated: 0 }), 0, "already over: nothing, not a panic");
    }

    #[test]
    fn usage_adds_instances_times_vcpu_by_kind() {
        let u = usage([("S2", 2), ("S1", 0), ("S3", 1), ("I6", 1), ("DS3_v3", 4)]);
        assert_eq!(u, Usage { standard: 16, isolated: 64 });
    }

    #[test]
    fn a_negative_count_holds_nothing() {
        assert_eq!(pool_vcpu("S3", -1), 0);
    }
}
