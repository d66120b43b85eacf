//! Where agent pools exist. ARM keeps the list in the provider's registration for a subscription
//! (`GET /subscriptions/{s}/providers/Microsoft.ContainerRegistry`, the `registries/agentPools`
//! resource type's `locations`), and it grows: Azure named Australia East, France Central and
//! Sweden Central in 2026 (NOTES.md §11), which no list of ours had. The portal reads it once a
//! session; the built-in list is only the fallback when that read fails, and the page says so.

/// The fallback: Learn's list (tasks-agent-pools.md, NOTES §1.7), as the portal shipped it. Kept
/// as it was on purpose: the registration, not a list we update, is what decides.
pub const BUILT_IN: [&str; 13] = [
    "westus2", "southcentralus", "eastus2", "eastus", "centralus", "westeurope", "northeurope",
    "canadacentral", "eastasia", "switzerlandnorth", "usgovarizona", "usgovtexas", "usgovvirginia",
];

/// ARM spells a location many ways ("East US 2", "eastus2", "EASTUS2"): compare the short form.
pub fn normalize(location: &str) -> String {
    location.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase()
}

/// The agent-pool regions of one subscription, and where the list came from.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Regions {
    /// From the provider registration (normalized).
    Registered(Vec<String>),
    /// The registration could not be read (`why`): the built-in list stands in.
    BuiltIn { why: String },
}

impl Regions {
    pub fn registered<S: AsRef<str>>(locations: &[S]) -> Regions {
        let mut list: Vec<String> = locations.iter().map(|l| normalize(l.as_ref())).filter(|l| !l.is_empty()).collect();
        list.sort();
        list.dedup();
        Regions::Registered(list)
    }

    pub fn supports(&self, location: &str) -> bool {
        let loc = normalize(location);
        match self {
            Regions::Registered(list) => list.contains(&loc),
            Regions::BuiltIn { .. } => BUILT_IN.contains(&loc.as_str()),
        }
    }

    /// What the page says when it had to fall back.
    pub fn fallback_note(&self) -> Option<String> {
        match self {
            Regions::Registered(_) => None,
            Regions::BuiltIn { why } => Some(format!(
                "Which regions offer agent pools could not be read from Azure ({why}): the portal's built-in list is used, and may be out of date."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registration_decides_in_any_spelling() {
        let r = Regions::registered(&["East US 2", "Sweden Central", "eastus2"]);
        assert_eq!(r, Regions::Registered(vec!["eastus2".into(), "swedencentral".into()]));
        assert!(r.supports("EASTUS2") && r.supports("swedencentral"));
        assert!(!r.supports("eastus"), "a region the registration lacks is not offered, whatever the built-in list says");
        assert_eq!(r.fallback_note(), None);
    }

    #[test]
    fn the_built_in_list_stands_in_and_says_so() {
        let r = Regions::BuiltIn { why: "AuthorizationFailed".into() };
        assert!(r.supports("East US 2") && r.supports("usgovvirginia"));
        assert!(!r.supports("uksouth") && !r.supports("westus") && !r.supports(""));
        assert!(!r.supports("swedencentral"), "only the registration knows the newer regions");
        assert!(r.fallback_note().unwrap().contains("AuthorizationFailed"));
    }
}
