//! Which registries can host agent pools (SPEC F3): Premium SKU, in a region the subscription's
//! provider registration lists for agent pools.

use super::region::Regions;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ineligible {
    /// Agent pools need a Premium registry.
    NotPremium { sku: String },
    /// The registry's region has no agent pools (`registered`: Azure's registration says so, not
    /// the built-in list).
    Region { location: String, registered: bool },
}

impl Ineligible {
    pub fn reason(&self) -> String {
        match self {
            Ineligible::NotPremium { sku } => format!("{sku} SKU: agent pools need a Premium registry."),
            Ineligible::Region { location, registered: true } => {
                format!("Region {location} does not offer agent pools: Microsoft.ContainerRegistry's registration for this subscription does not list it.")
            }
            Ineligible::Region { location, registered: false } => {
                format!("Region {location} does not offer agent pools, as far as the built-in list knows.")
            }
        }
    }
}

pub fn check(sku: &str, location: &str, regions: &Regions) -> Result<(), Ineligible> {
    if !sku.eq_ignore_ascii_case("Premium") {
        return Err(Ineligible::NotPremium { sku: sku.to_string() });
    }
    if !regions.supports(location) {
        return Err(Ineligible::Region { location: location.to_string(), registered: matches!(regions, Regions::Registered(_)) });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn premium_in_a_registered_region_is_eligible() {
        let regions = Regions::registered(&["Sweden Central"]);
        assert_eq!(check("Premium", "swedencentral", &regions), Ok(()));
    }

    #[test]
    fn the_sku_is_checked_before_the_region_and_the_reason_names_the_source() {
        let regions = Regions::registered(&["eastus"]);
        assert_eq!(check("Basic", "uksouth", &regions), Err(Ineligible::NotPremium { sku: "Basic".into() }));
        let why = check("Premium", "uksouth", &regions).unwrap_err().reason();
        assert!(why.starts_with("Region uksouth does not offer agent pools") && why.contains("registration"), "{why}");
        let why = check("Premium", "uksouth", &Regions::BuiltIn { why: "x".into() }).unwrap_err().reason();
        assert!(why.contains("built-in list"), "{why}");
    }
}
