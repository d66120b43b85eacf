//! Which registries can host agent pools (SPEC F3): Premium SKU, in an agent-pool region.

use super::region;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ineligible {
    /// Agent pools need a Premium registry.
    NotPremium { sku: String },
    /// The registry's region has no agent pools.
    Region { location: String },
}

impl Ineligible {
    pub fn reason(&self) -> String {
        match self {
            Ineligible::NotPremium { sku } => {
                format!("{sku} SKU: agent pools need a Premium registry.")
            }
            Ineligible::Region { location } => {
                format!("Region {location} does not offer agent pools.")
            }
        }
    }
}

pub fn check(sku: &str, location: &str) -> Result<(), Ineligible> {
    if !sku.eq_ignore_ascii_case("Premium") {
        return Err(Ineligible::NotPremium { sku: sku.to_string() });
    }
    if !region::supports_agent_pools(location) {
        return Err(Ineligible::Region { location: location.to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premium_in_a_pool_region_is_eligible() {
        assert_eq!(check("Premium", "eastus"), Ok(()));
    }

    #[test]
    fn the_sku_is_checked_before_the_region() {
        assert_eq!(check("Basic", "uksouth"), Err(Ineligible::NotPremium { sku: "Basic".into() }));
        assert_eq!(
            check("Premium", "uksouth").unwrap_err().reason(),
            "Region uksouth does not offer agent pools."
        );
    }
}
