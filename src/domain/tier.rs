//! The agent-pool tiers (seed: "3 standard tiers … and 1 isolated tier"). The spec types `tier` as
//! a free string (its examples even say `DS3_v3`), so unknown tiers are carried, not rejected.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierKind {
    Standard,
    Isolated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tier {
    pub name: &'static str,
    pub vcpu: u32,
    pub memory_gb: u32,
    pub kind: TierKind,
}

pub const TIERS: [Tier; 4] = [
    Tier { name: "S1", vcpu: 2, memory_gb: 3, kind: TierKind::Standard },
    Tier { name: "S2", vcpu: 4, memory_gb: 8, kind: TierKind::Standard },
    Tier { name: "S3", vcpu: 8, memory_gb: 16, kind: TierKind::Standard },
    Tier { name: "I6", vcpu: 64, memory_gb: 216, kind: TierKind::Isolated },
];

impl Tier {
    /// The tier named by ARM's string, whatever its case (the CLI upper-cases it).
    pub fn lookup(name: &str) -> Option<Tier> {
        TIERS.iter().copied().find(|t| t.name.eq_ignore_ascii_case(name.trim()))
    }

    /// "S2 · 4 vCPU, 8 GB" for lists.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            TierKind::Standard => "",
            TierKind::Isolated => ", isolated",
        };
        format!("{} · {} vCPU, {} GB{}", self.name, self.vcpu, self.memory_gb, kind)
    }
}

/// How to show any tier string: known tiers with their size, others as given.
pub fn describe(name: &str) -> String {
    Tier::lookup(name).map_or_else(|| format!("{name} (unknown tier)"), |t| t.describe())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_match_the_seed() {
        let s2 = Tier::lookup("s2").unwrap();
        assert_eq!((s2.vcpu, s2.memory_gb, s2.kind), (4, 8, TierKind::Standard));
        let i6 = Tier::lookup("I6").unwrap();
        assert_eq!((i6.vcpu, i6.memory_gb, i6.kind), (64, 216, TierKind::Isolated));
    }

    #[test]
    fn unknown_tiers_are_described_not_dropped() {
        assert_eq!(Tier::lookup("DS3_v3"), None);
        assert_eq!(describe("DS3_v3"), "DS3_v3 (unknown tier)");
        assert_eq!(describe("S1"), "S1 · 2 vCPU, 3 GB");
        assert_eq!(describe("i6"), "I6 · 64 vCPU, 216 GB, isolated");
    }
}
