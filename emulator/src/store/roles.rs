//! Azure's built-in roles that the emulator knows, with their ids and permissions as Learn's
//! built-in roles reference lists them (role-based-access-control/built-in-roles), and what an
//! assignment of one allows: an action matches a role's `actions` (with `*` wildcards, case
//! ignored) and none of its `notActions`, at the assignment's scope and everything below it.

use serde::{Deserialize, Serialize};

/// The order is the old emulator's (a subscription's Owner wins over its Reader), then the roles
/// scheduled scaling needs. Kept as a name in saved state, so variants may be added, never renamed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Owner,
    Contributor,
    #[default]
    Reader,
    UserAccessAdministrator,
    RbacAdministrator,
    /// Container Registry Tasks Contributor: the least built-in role with
    /// `registries/agentpools/write` (NOTES.md §12), which a schedule's task identities get.
    TasksContributor,
    AcrPull,
    AcrPush,
    /// Container Registry Repository Contributor (data actions only; recorded in the ABAC test).
    RepositoryContributor,
}

pub struct Definition {
    pub role: Role,
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub actions: &'static [&'static str],
    pub not_actions: &'static [&'static str],
    pub data_actions: &'static [&'static str],
}

const TASKS_CONTRIBUTOR_ACTIONS: [&str; 24] = [
    "Microsoft.ContainerRegistry/registries/agentpools/read",
    "Microsoft.ContainerRegistry/registries/agentpools/write",
    "Microsoft.ContainerRegistry/registries/agentpools/delete",
    "Microsoft.ContainerRegistry/registries/agentpools/listQueueStatus/action",
    "Microsoft.ContainerRegistry/registries/agentpools/operationResults/status/read",
    "Microsoft.ContainerRegistry/registries/agentpools/operationStatuses/read",
    "Microsoft.ContainerRegistry/registries/tasks/read",
    "Microsoft.ContainerRegistry/registries/tasks/write",
    "Microsoft.ContainerRegistry/registries/tasks/delete",
    "Microsoft.ContainerRegistry/registries/tasks/listDetails/action",
    "Microsoft.ContainerRegistry/registries/scheduleRun/action",
    "Microsoft.ContainerRegistry/registries/listBuildSourceUploadUrl/action",
    "Microsoft.ContainerRegistry/registries/runs/read",
    "Microsoft.ContainerRegistry/registries/runs/write",
    "Microsoft.ContainerRegistry/registries/runs/listLogSasUrl/action",
    "Microsoft.ContainerRegistry/registries/runs/cancel/action",
    "Microsoft.ContainerRegistry/registries/taskruns/read",
    "Microsoft.ContainerRegistry/registries/taskruns/write",
    "Microsoft.ContainerRegistry/registries/taskruns/delete",
    "Microsoft.ContainerRegistry/registries/taskruns/listDetails/action",
    "Microsoft.ContainerRegistry/registries/taskruns/operationStatuses/read",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.ContainerRegistry/registries/read",
];

pub const DEFINITIONS: [Definition; 9] = [
    Definition {
        role: Role::Owner,
        id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        name: "Owner",
        description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
        actions: &["*"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::Contributor,
        id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        name: "Contributor",
        description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
        actions: &["*"],
        not_actions: &["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"],
        data_actions: &[],
    },
    Definition {
        role: Role::Reader,
        id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        name: "Reader",
        description: "View all resources, but does not allow you to make any changes.",
        actions: &["*/read"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::UserAccessAdministrator,
        id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        name: "User Access Administrator",
        description: "Lets you manage user access to Azure resources.",
        actions: &["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::RbacAdministrator,
        id: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        name: "Role Based Access Control Administrator",
        description: "Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.",
        actions: &["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::TasksContributor,
        id: "fb382eab-e894-4461-af04-94435c366c3f",
        name: "Container Registry Tasks Contributor",
        description: "Provides permissions to configure, read, list, trigger, or cancel Container Registry Tasks, Task Runs, Task Logs, Quick Runs, Quick Builds, and Task Agent Pools. Permissions granted for Tasks management can be used for full registry data plane permissions including reading/writing/deleting container images in registries. Permissions granted for Tasks management can also be used to run customer authored build directives and run scripts to build software artifacts.",
        actions: &TASKS_CONTRIBUTOR_ACTIONS,
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::AcrPull,
        id: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        name: "AcrPull",
        description: "acr pull",
        actions: &["Microsoft.ContainerRegistry/registries/pull/read"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::AcrPush,
        id: "8311e382-0749-4cb8-b61a-304f252e45ec",
        name: "AcrPush",
        description: "acr push",
        actions: &["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"],
        not_actions: &[],
        data_actions: &[],
    },
    Definition {
        role: Role::RepositoryContributor,
        id: "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
        name: "Container Registry Repository Contributor",
        description: "Allows for read, write, and delete access to Azure Container Registry repositories, but excluding catalog listing.",
        actions: &[],
        not_actions: &[],
        data_actions: &[
            "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
            "Microsoft.ContainerRegistry/registries/repositories/content/read",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/write",
            "Microsoft.ContainerRegistry/registries/repositories/content/write",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/delete",
            "Microsoft.ContainerRegistry/registries/repositories/content/delete",
        ],
    },
];

/// `*` matches any run of characters, `/` included, as in role definitions; case is ignored.
pub fn pattern_matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (pattern.to_ascii_lowercase(), action.to_ascii_lowercase());
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == a;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !a.starts_with(first) || a.len() < first.len() + last.len() || !a.ends_with(last) {
        return false;
    }
    let mut rest = &a[first.len()..a.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    true
}

impl Role {
    pub fn definition(self) -> &'static Definition {
        DEFINITIONS.iter().find(|d| d.role == self).expect("every role has its definition")
    }

    /// By the GUID at the end of a role definition id, whatever scope prefixes it.
    pub fn by_definition_id(id: &str) -> Option<Role> {
        let guid = id.trim_end_matches('/').rsplit('/').next()?;
        DEFINITIONS.iter().find(|d| d.id.eq_ignore_ascii_case(guid)).map(|d| d.role)
    }

    pub fn by_name(name: &str) -> Option<Role> {
        DEFINITIONS.iter().find(|d| d.name.eq_ignore_ascii_case(name)).map(|d| d.role)
    }

    /// Whether the role allows `action`. `read` says the caller only reads: the emulator's older
    /// checks name some reads by a label rather than a `…/read` action, which `*/read` covers.
    pub fn allows(self, action: &str, read: bool) -> bool {
        let d = self.definition();
        let granted = d.actions.iter().any(|p| pattern_matches(p, action)) || (read && d.actions.contains(&"*/read"));
        granted && !d.not_actions.iter().any(|p| pattern_matches(p, action))
    }

    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Contributor)
    }
}

/// Whether `scope` is `outer` or lies below it (segment by segment, case ignored).
pub fn within(scope: &str, outer: &str) -> bool {
    let (s, o) = (scope.trim_end_matches('/').to_ascii_lowercase(), outer.trim_end_matches('/').to_ascii_lowercase());
    s == o || s.starts_with(&format!("{o}/")) || o.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL_WRITE: &str = "Microsoft.ContainerRegistry/registries/agentPools/write";

    #[test]
    fn wildcards_and_not_actions_decide() {
        assert!(pattern_matches("*", POOL_WRITE));
        assert!(pattern_matches("*/read", "Microsoft.ContainerRegistry/registries/read"));
        assert!(!pattern_matches("*/read", POOL_WRITE));
        assert!(pattern_matches("Microsoft.Authorization/*/Write", "microsoft.authorization/roleAssignments/write"));
        assert!(Role::Owner.allows("Microsoft.Authorization/roleAssignments/write", false));
        assert!(!Role::Contributor.allows("Microsoft.Authorization/roleAssignments/write", false));
        assert!(Role::Contributor.allows(POOL_WRITE, false));
        assert!(Role::TasksContributor.allows(POOL_WRITE, false), "agentpools/write, whatever the case");
        assert!(!Role::TasksContributor.allows("Microsoft.ContainerRegistry/registries/write", false));
        assert!(!Role::Reader.allows(POOL_WRITE, false));
        assert!(Role::RbacAdministrator.allows("Microsoft.Authorization/roleAssignments/write", false));
        assert!(!Role::AcrPull.allows(POOL_WRITE, false));
    }

    #[test]
    fn roles_are_found_by_id_under_any_scope_and_by_name() {
        let id = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/FB382EAB-e894-4461-af04-94435c366c3f";
        assert_eq!(Role::by_definition_id(id), Some(Role::TasksContributor));
        assert_eq!(Role::by_name("container registry tasks contributor"), Some(Role::TasksContributor));
        assert!(within("/subscriptions/S/resourceGroups/g/providers/x/registries/r", "/subscriptions/s"));
        assert!(!within("/subscriptions/s2", "/subscriptions/s"));
    }
}
