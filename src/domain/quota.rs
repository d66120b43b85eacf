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

#[cfg(test)]
mod tests {
    use super::*;

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
