//! Where agent pools exist. The seed lists eight preview regions; Microsoft Learn's page
//! (tasks-agent-pools.md, NOTES §1.7) adds five more. We follow Learn, the newer source; the
//! service's own `LocationNotAvailableForResourceType` error stays the final word.

pub const AGENT_POOL_REGIONS: [&str; 13] = [
    "westus2", "southcentralus", "eastus2", "eastus", "centralus", "westeurope", "northeurope",
    "canadacentral", "eastasia", "switzerlandnorth", "usgovarizona", "usgovtexas", "usgovvirginia",
];

/// ARM spells a location many ways ("East US 2", "eastus2", "EASTUS2"): compare the short form.
pub fn normalize(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

pub fn supports_agent_pools(location: &str) -> bool {
    let loc = normalize(location);
    AGENT_POOL_REGIONS.contains(&loc.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_spelling_of_a_supported_region_is_accepted() {
        assert!(supports_agent_pools("East US 2"));
        assert!(supports_agent_pools("EASTUS"));
        assert!(supports_agent_pools("usgovvirginia"));
    }

    #[test]
    fn other_regions_are_not() {
        assert!(!supports_agent_pools("uksouth"));
        assert!(!supports_agent_pools("westus"));
        assert!(!supports_agent_pools(""));
    }
}
