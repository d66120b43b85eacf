//! The service's rules for agent pools (seed + Learn, NOTES §1.7): where they exist, their tiers,
//! and the default vCPU quota per registry.

/// Regions with agent pools: Learn's list, plus what real Azure named in 2026 when it refused
/// another region (`LocationNotAvailableForResourceType`, NOTES.md §11): Australia East, France
/// Central, Sweden Central. The provider registration lists them (`providers`), which is where
/// the portal reads them.
pub const REGIONS: [&str; 16] = [
    "westus2", "southcentralus", "eastus2", "eastus", "centralus", "westeurope", "northeurope",
    "canadacentral", "eastasia", "switzerlandnorth", "australiaeast", "francecentral", "swedencentral",
    "usgovarizona", "usgovtexas", "usgovvirginia",
];

/// Every region a demo resource lives in or may be made in, as providers list them.
pub const ALL_REGIONS: [&str; 15] = [
    "East US", "East US 2", "West US", "West US 2", "Central US", "South Central US", "UK South", "West Europe", "North Europe",
    "Canada Central", "East Asia", "Switzerland North", "Australia East", "France Central", "Sweden Central",
];

/// Display names of the government regions, which the public cloud's lists leave out.
const GOVERNMENT: [&str; 3] = ["USGov Arizona", "USGov Texas", "USGov Virginia"];

/// `eastus2` → `East US 2` where known.
pub fn display_name(region: &str) -> String {
    ALL_REGIONS
        .iter()
        .chain(GOVERNMENT.iter())
        .find(|d| normalize_location(d) == normalize_location(region))
        .map_or_else(|| region.to_string(), |d| d.to_string())
}

pub fn normalize_location(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

pub fn region_supported(location: &str) -> bool {
    REGIONS.contains(&normalize_location(location).as_str())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TierInfo {
    pub name: &'static str,
    pub vcpu: u32,
    pub isolated: bool,
}

pub const TIERS: [TierInfo; 4] = [
    TierInfo { name: "S1", vcpu: 2, isolated: false },
    TierInfo { name: "S2", vcpu: 4, isolated: false },
    TierInfo { name: "S3", vcpu: 8, isolated: false },
    TierInfo { name: "I6", vcpu: 64, isolated: true },
];

pub fn tier(name: &str) -> Option<TierInfo> {
    TIERS.iter().copied().find(|t| t.name.eq_ignore_ascii_case(name))
}

pub const STANDARD_QUOTA: u32 = 16;
pub const ISOLATED_QUOTA: u32 = 0;

/// (standard, isolated) vCPU held by pools given as (tier, count), in u64 so no count overflows.
pub fn usage<'a>(pools: impl IntoIterator<Item = (&'a str, i32)>) -> (u64, u64) {
    pools.into_iter().fold((0, 0), |(s, i), (t, count)| {
        let held = |info: TierInfo| u64::from(info.vcpu) * count.max(0) as u64;
        match tier(t) {
            Some(info) if info.isolated => (s, i + held(info)),
            Some(info) => (s + held(info), i),
            None => (s, i),
        }
    })
}

/// Why a pool of `tier` at `count` would not fit the registry's vCPU quota, with the other pools
/// as they are (a pool being scaled holds the larger of its counts until the update ends).
pub fn quota_error(state: &super::State, registry: &super::Registry, except: Option<&str>, tier_name: &str, count: i32) -> Option<String> {
    let others = state
        .pools_of(registry)
        .filter(|p| except.is_none_or(|n| !super::same(&p.name, n)))
        .map(|p| (p.tier.as_str(), p.count.max(p.pending.as_ref().and_then(|o| o.new_count).unwrap_or(0))));
    let (std_used, iso_used) = usage(others);
    let info = tier(tier_name)?;
    let wanted = u64::from(info.vcpu) * count.max(0) as u64;
    let (used, limit, kind) = if info.isolated { (iso_used, ISOLATED_QUOTA, "isolated") } else { (std_used, STANDARD_QUOTA, "standard") };
    (used + wanted > u64::from(limit)).then(|| {
        format!(
            "Operation could not be completed as it results in exceeding approved {kind} vCPU quota for registry '{}'. \
             Current usage: {used}, additional required: {wanted}, limit: {limit}. To request more, open a support ticket: \
             https://aka.ms/acr/support/create-ticket",
            registry.name
        )
    })
}

/// Why a pool cannot take a write now: another operation on it has not ended.
pub fn busy_error(pool: &super::AgentPool) -> Option<String> {
    pool.pending.as_ref().map(|_| format!("The agent pool '{}' is {}; wait for that operation to finish.", pool.name, pool.provisioning_state.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_and_tiers() {
        assert!(region_supported("East US 2") && region_supported("Sweden Central") && !region_supported("uksouth"));
        assert!(REGIONS.iter().all(|r| display_name(r) != *r), "every agent-pool region has its display name");
        assert_eq!(tier("s3").map(|t| t.vcpu), Some(8));
        assert_eq!(usage([("S2", 2), ("I6", 1), ("X", 9)]), (8, 64));
    }
}
