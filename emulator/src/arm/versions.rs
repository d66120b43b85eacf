//! The api-versions the emulator accepts, one table for every resource type it serves. ARM checks
//! the version before anything else and refuses an unknown one with the list of supported
//! versions; so do we. The lists cover what current Microsoft SDKs and the Azure CLI send (found
//! by running them against the emulator), plus the versions whose shapes `azure-spec/` holds.
//! The README's table is checked against this one (a test below).

use axum::http::StatusCode;

use super::error::ArmError;

/// The versions ARM accepts for one resource type.
pub struct ApiVersions {
    /// As the README's table names it.
    pub resource_type: &'static str,
    pub versions: &'static [&'static str],
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

    /// The newest version, for links the emulator makes (operation status, nextLink).
    pub fn newest(&self) -> &'static str {
        self.versions.iter().max().copied().unwrap_or_default()
    }
}

pub const METADATA: ApiVersions = ApiVersions {
    resource_type: "metadata/endpoints",
    versions: &["2019-05-01", "2020-06-01", "2022-09-01"],
};

pub const SUBSCRIPTIONS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Resources/subscriptions",
    versions: &["2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01", "2020-01-01", "2021-01-01", "2022-12-01"],
};

/// Resource groups and the generic resources list: the versions `azure-mgmt-resource` ships.
pub const RESOURCES: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Resources/resourceGroups, resources",
    versions: &[
        "2016-02-01", "2016-09-01", "2017-05-10", "2018-02-01", "2018-05-01", "2019-03-01", "2019-05-01",
        "2019-05-10", "2019-07-01", "2019-08-01", "2019-10-01", "2020-06-01", "2020-10-01", "2021-01-01",
        "2021-04-01", "2022-09-01", "2024-07-01", "2024-11-01", "2025-03-01", "2025-04-01",
    ],
};

pub const REGISTRIES: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries",
    versions: &[
        "2019-05-01", "2021-09-01", "2022-12-01", "2023-01-01-preview", "2023-07-01", "2023-11-01-preview",
        "2024-11-01-preview", "2025-04-01", "2025-11-01", "2026-09-01-preview",
    ],
};

/// Agent pools and their operation status resources. Only the preview versions have agent pools.
pub const AGENT_POOLS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries/agentPools",
    versions: &["2019-06-01-preview", "2025-03-01-preview"],
};

/// Runs, scheduleRun, tasks (ACR Tasks' own api-versions).
pub const TASKS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.ContainerRegistry/registries/{runs,scheduleRun,tasks}",
    versions: &["2018-09-01", "2019-04-01", "2019-06-01-preview", "2025-03-01-preview"],
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
};

pub const PERMISSIONS: ApiVersions = ApiVersions {
    resource_type: "Microsoft.Authorization/permissions",
    versions: &["2015-07-01", "2018-01-01-preview", "2022-04-01"],
};

/// Every table, in the README's order.
pub const ALL: &[&ApiVersions] = &[&METADATA, &SUBSCRIPTIONS, &RESOURCES, &REGISTRIES, &AGENT_POOLS, &TASKS, &NETWORK, &PERMISSIONS];

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
    fn versions_are_dates_in_order_without_repeats() {
        for table in ALL {
            let mut sorted = table.versions.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted, table.versions, "{}", table.resource_type);
            assert!(table.versions.iter().all(|v| v.len() >= 10 && v[..10].chars().all(|c| c.is_ascii_digit() || c == '-')));
        }
    }

    /// The README's table, row for row.
    pub fn readme_rows() -> String {
        ALL.iter().map(|t| format!("| {} | {} |", t.resource_type, t.versions.join(", "))).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn the_readme_lists_the_same_versions() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).expect("README");
        let rows = readme_rows();
        assert!(readme.contains(&rows), "README.md's api-version table should read:\n{rows}");
    }
}
