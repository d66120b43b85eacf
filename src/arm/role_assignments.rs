//! Role assignments (Microsoft.Authorization 2022-04-01): a schedule's task identities get
//! Container Registry Tasks Contributor on the registry, and the schedule panel checks for them.

use serde::{Deserialize, Serialize};

use super::Extra;

pub const API_VERSION: &str = "2022-04-01";

/// Container Registry Tasks Contributor: the least built-in role that allows
/// `Microsoft.ContainerRegistry/registries/agentpools/write` (tests/azure-spec/NOTES.md §12).
pub const TASKS_CONTRIBUTOR: &str = "fb382eab-e894-4461-af04-94435c366c3f";
pub const TASKS_CONTRIBUTOR_NAME: &str = "Container Registry Tasks Contributor";

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub properties: AssignmentProperties,
}

#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentProperties {
    pub role_definition_id: String,
    pub principal_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl RoleAssignment {
    /// The role's GUID, whatever scope prefixes its definition id.
    pub fn role(&self) -> &str {
        self.properties.role_definition_id.rsplit('/').next().unwrap_or("")
    }

    /// A role that lets a task's identity scale the pools of the registry at `scope`: Tasks
    /// Contributor, Contributor or Owner, at that scope or above it.
    pub fn lets_scale(&self, registry_scope: &str) -> bool {
        const ENOUGH: [&str; 3] = [TASKS_CONTRIBUTOR, "b24988ac-6180-42a0-ab88-20f7382dd24c", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"];
        let within = self.properties.scope.as_deref().is_none_or(|s| {
            let (r, s) = (registry_scope.to_ascii_lowercase(), s.trim_end_matches('/').to_ascii_lowercase());
            r == s || r.starts_with(&format!("{s}/"))
        });
        within && ENOUGH.iter().any(|g| g.eq_ignore_ascii_case(self.role()))
    }
}

/// The body of a PUT that gives `principal` (a task's identity) Tasks Contributor.
pub fn tasks_contributor(subscription: &str, principal: &str) -> RoleAssignment {
    RoleAssignment {
        id: None,
        name: None,
        properties: AssignmentProperties {
            role_definition_id: format!("/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{TASKS_CONTRIBUTOR}"),
            principal_id: principal.to_string(),
            principal_type: Some("ServicePrincipal".into()),
            scope: None,
            extra: Extra::new(),
        },
    }
}

/// A GUID for an assignment, derived from what it says (scope, principal, role): writing it again
/// after a failure is the same PUT, never a second assignment. FNV-1a, 128 bits, shaped as v4.
pub fn assignment_name(scope: &str, principal: &str, role: &str) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in format!("{}|{}|{}", scope.to_ascii_lowercase(), principal.to_ascii_lowercase(), role.to_ascii_lowercase()).bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    let mut b = h.to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x: String = b.iter().map(|v| format!("{v:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &x[0..8], &x[8..12], &x[12..16], &x[16..20], &x[20..32])
}

#[cfg(target_arch = "wasm32")]
mod calls {
    use gloo_net::http::Method;

    use super::*;
    use crate::arm::client::ArmClient;
    use crate::arm::ArmError;

    /// The principal's assignments at, above and below `scope`.
    pub async fn list_for(client: &ArmClient, scope: &str, principal: &str) -> Result<Vec<RoleAssignment>, ArmError> {
        let filter: String = js_sys::encode_uri_component(&format!("principalId eq '{principal}'")).into();
        client.list_all(&format!("{scope}/providers/Microsoft.Authorization/roleAssignments?api-version={API_VERSION}&$filter={filter}")).await
    }

    pub async fn create(client: &ArmClient, scope: &str, name: &str, body: &RoleAssignment) -> Result<RoleAssignment, ArmError> {
        client.write(Method::PUT, &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version={API_VERSION}"), body, true).await?.json()
    }

    /// By the assignment's id (its scope and name).
    pub async fn delete(client: &ArmClient, id: &str) -> Result<(), ArmError> {
        client.call(Method::DELETE, &format!("{id}?api-version={API_VERSION}"), true).await.map(|_| ())
    }
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;

#[cfg(test)]
mod tests {
    use super::*;

    const REG: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";

    fn assignment(role: &str, scope: &str) -> RoleAssignment {
        serde_json::from_value(serde_json::json!({ "properties": { "roleDefinitionId": format!("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{role}"), "principalId": "p", "scope": scope } })).unwrap()
    }

    #[test]
    fn tasks_contributor_at_the_registry_or_above_lets_the_identity_scale() {
        assert!(assignment(TASKS_CONTRIBUTOR, REG).lets_scale(REG));
        assert!(assignment(TASKS_CONTRIBUTOR, "/subscriptions/s").lets_scale(REG));
        assert!(!assignment(TASKS_CONTRIBUTOR, &REG.replace("/r", "/other")).lets_scale(REG), "another registry");
        assert!(!assignment("7f951dda-4ed3-4680-a7ca-43fe172d538d", REG).lets_scale(REG), "AcrPull");
    }

    #[test]
    fn assignment_names_are_guids_fixed_by_what_they_say() {
        let a = assignment_name(REG, "p1", TASKS_CONTRIBUTOR);
        assert_eq!(a, assignment_name(&REG.to_uppercase(), "P1", TASKS_CONTRIBUTOR));
        assert_ne!(a, assignment_name(REG, "p2", TASKS_CONTRIBUTOR));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
    }
}
