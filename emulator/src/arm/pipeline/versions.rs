//! The api-versions the emulator accepts, one table for every resource type it serves. ARM checks
//! the version before anything else and refuses an unknown one with the list of supported
//! versions; so do we. The lists cover what current Microsoft SDKs and the Azure CLI send (found
//! by running them against the emulator), plus the versions whose shapes `azure-spec/` holds.
//! docs/emulator.md's table is checked against this one (a test below).

use axum::http::StatusCode;

use crate::arm::pipeline::error::ArmError;
use crate::store::rules;

/// Who answers for a resource type, which decides ARM's error for a version it lacks.
pub enum Owner {
    /// ARM itself (metadata, subscriptions, groups, the generic list): `InvalidApiVersionParameter`.
    Arm,
    /// A resource provider, registered in these regions (none: not a regional type):
    /// `NoRegisteredProviderFound`, naming the type, the location and what is supported.
    Provider(&'static [&'static str]),
}

/// The versions ARM accepts for one resource type.
pub struct ApiVersions {
    /// As docs/emulator.md's table names it.
    pub resource_type: &'static str,
    pub versions: &'static [&'static str],
    pub owner: Owner,
}

impl ApiVersions {
    /// ARM's answer to a missing or unsupported `api-version`.
    pub fn check(&self, given: Option<&str>) -> Result<(), ArmError> {
        match given {
            None | Some("") => Err(ArmError::new(
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )),
            Some(v) if self.versions.contains(&v) => Ok(()),
            // ARM's own wording for its own endpoints; a provider's type is refused by `unregistered`.
            Some(v) => Err(ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidApiVersionParameter",
                format!(
                    "The api-version '{v}' is invalid. The supported versions are '{}'.",
                    self.versions.join(",")
                ),
            )),
        }
    }

    /// ARM's answer when a provider's type lacks the version asked for (`type_path` as
    /// `registries/agentPools` in `namespace`, `location` where the request points). A type
    /// that is not regional is "not found" for that version (as Azure Government answered
    /// Resource Graph's 2024-04-01, NOTES.md §8.1).
    pub fn unregistered(&self, given: &str, namespace: &str, type_path: &str, location: &str) -> ArmError {
        let regions: Vec<String> = match self.owner {
            Owner::Provider(regions) => regions.iter().map(|r| crate::store::rules::normalize_location(r)).collect(),
            Owner::Arm => Vec::new(),
        };
        if regions.is_empty() {
            return ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidResourceType",
                format!(
                    "The resource type '{type_path}' could not be found in the namespace '{namespace}' for api version '{given}'. \
                     The supported api-versions are '{}'.",
                    self.versions.join(",")
                ),
            );
        }
        ArmError::new(
            StatusCode::BAD_REQUEST,
            "NoRegisteredProviderFound",
            format!(
                "No registered resource provider found for location '{location}' and API version '{given}' for type '{type_path}'. \
                 The supported api-versions are '{}'. The supported locations are '{}'.",
                self.versions.join(", "),
                regions.join(", ")
            ),
        )
    }
}

pub const METADATA: ApiVersions = ApiVersions {
    resource_type: "metadata/endpoints",
    versions: &["1.0", "2015-01-01", "2019-05-01", "2019-10-01", "2020-06-01", "2022-09-01"],
    owner: Owner::Arm,
};

pub const SUBSCRIPTIONS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Resources/subscriptions",
    versions: &["2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"],
    owner: Owner::Arm,
};

/// Resource groups and the generic resources list: the versions `azure-mgmt-resource` ships.
pub const RESOURCES: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Resources/resourceGroups, resources",
    versions: &[
        "2016-02-01", "2016-09-01", "2017-05-10", "2018-02-01", "2018-05-01", "2019-03-01", "2019-05-01",
        "2019-05-10", "2019-07-01", "2019-08-01", "2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01",
        "2021-04-01", "2022-09-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01",
    ],
    owner: Owner::Arm,
};

pub const REGISTRIES: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries",
    versions: &[
        "2019-05-01", "2021-09-01", "2022-12-01", "2023-01-01-preview", "2023-07-01", "2023-11-01-preview",
        "2024-11-01-preview", "2025-04-01", "2025-11-01", "2026-01-01-preview", "2026-09-01-preview",
    ],
    owner: Owner::Provider(&rules::ALL_REGIONS),
};

/// Agent pools and their operation status resources. Only the preview versions have agent pools.
pub const AGENT_POOLS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries/agentPools",
    versions: &["2019-06-01-preview", "2025-03-01-preview"],
    owner: Owner::Provider(&rules::REGIONS),
};

/// Runs, scheduleRun, tasks (ACR Tasks' own api-versions).
pub const TASKS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries/{runs,scheduleRun,tasks}",
    versions: &["2018-09-01", "2019-04-01", "2019-06-01-preview", "2025-03-01-preview"],
    owner: Owner::Provider(&rules::ALL_REGIONS),
};

/// The CLI sends 2022-01-01 (NSGs and their rules), 2024-07-01 (subnets) and 2025-07-01
/// (virtual networks); azure-mgmt-network sends 2026-03-01.
pub const NETWORK: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Network (virtualNetworks, subnets, networkSecurityGroups)",
    versions: &[
        "2022-01-01", "2023-04-01", "2023-05-01", "2023-06-01", "2023-09-01", "2023-11-01", "2024-01-01",
        "2024-03-01", "2024-05-01", "2024-07-01", "2024-10-01", "2025-01-01", "2025-03-01", "2025-07-01",
        "2025-09-01", "2026-01-01", "2026-03-01",
    ],
    owner: Owner::Provider(&rules::ALL_REGIONS),
};

/// Azure Resource Graph's `resources` query: the versions with 2024-04-01's request and answer
/// (2022-10-01 is what Azure Government still takes). Before 2021-03-01 the default result
/// format was a table, which the emulator does not write.
pub const RESOURCE_GRAPH: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ResourceGraph/resources",
    versions: &["2021-03-01", "2022-10-01", "2024-04-01"],
    owner: Owner::Provider(&[]),
};

/// Tags as a resource of their own (`{scope}/providers/Microsoft.Resources/tags/default`).
pub const TAGS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Resources/tags",
    versions: &["2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01", "2021-04-01", "2022-09-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01"],
    owner: Owner::Arm,
};

pub const PERMISSIONS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Authorization/permissions",
    versions: &["2015-07-01", "2018-01-01-preview", "2022-04-01"],
    owner: Owner::Provider(&[]),
};

/// Role assignments: 2022-04-01 is what `az role assignment` sends (recorded 2026-03-24).
pub const ROLE_ASSIGNMENTS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Authorization/roleAssignments",
    versions: &["2015-07-01", "2018-01-01-preview", "2018-09-01-preview", "2020-04-01-preview", "2020-10-01-preview", "2022-04-01"],
    owner: Owner::Provider(&[]),
};

/// Role definitions: the CLI reads them at 2022-05-01-preview (recorded 2026-03-24).
pub const ROLE_DEFINITIONS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Authorization/roleDefinitions",
    versions: &["2015-07-01", "2018-01-01-preview", "2022-04-01", "2022-05-01-preview"],
    owner: Owner::Provider(&[]),
};

/// The Activity Log's management events: 2015-04-01 is the only version (NOTES.md §8.2), and
/// the one `az monitor activity-log list` sends.
pub const ACTIVITY_LOG: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Insights/eventtypes/management/values",
    versions: &["2015-04-01"],
    owner: Owner::Provider(&[]),
};

/// Every table, in docs/emulator.md's order.
pub const ALL: &[&ApiVersions] = &[&METADATA, &SUBSCRIPTIONS, &RESOURCES, &TAGS, &RESOURCE_GRAPH, &REGISTRIES, &AGENT_POOLS, &TASKS, &NETWORK, &PERMISSIONS, &ROLE_ASSIGNMENTS, &ROLE_DEFINITIONS, &ACTIVITY_LOG];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_versions_are_refused_with_the_supported_list() {
        let e = AGENT_POOLS.check(Some("2019-05-01")).unwrap_err();
        assert_eq!(e.code, "InvalidApiVersionParameter");
        assert!(e.message.contains("'2019-06-01-preview,2025-03-01-preview'"), "{}", e.message);
        assert_eq!(AGENT_POOLS.check(None).unwrap_err().code, "MissingApiVersionParameter");
        assert!(NETWORK.check(Some("2026-03-01")).is_ok());
    }

    #[test]
    fn versions_are_in_order_without_repeats() {
        for table in ALL {
            let mut sorted = table.versions.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, table.versions, "{}", table.resource_type);
            // Dates, but for the metadata endpoint's oldest version.
            let dated = |v: &&str| v.len() >= 10 && v[..10].chars().all(|c| c.is_ascii_digit() || c == '-');
            assert!(table.versions.iter().all(|v| dated(v) || *v == "1.0"), "{}", table.resource_type);
        }
    }

    const HEADER: &str = "| resource type | api-versions |\n|---|---|\n";

    /// docs/emulator.md's table, row for row.
    fn readme_table() -> String {
        let rows: Vec<String> = ALL.iter().map(|t| format!("| {} | {} |", t.resource_type, t.versions.join(", "))).collect();
        format!("{HEADER}{}\n", rows.join("\n"))
    }

    #[test]
    fn the_docs_list_the_same_versions() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/emulator.md")).expect("docs/emulator.md");
        // The whole table: from its header to the blank line after it.
        let start = readme.find(HEADER).expect("docs/emulator.md has the api-version table");
        let end = readme[start..].find("\n\n").map_or(readme.len(), |e| start + e + 1);
        assert_eq!(&readme[start..end], readme_table(), "docs/emulator.md's api-version table should read:\n{}", readme_table());
    }
}
