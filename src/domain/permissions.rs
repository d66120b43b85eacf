//! What the signed-in user may do, from ARM's permissions API
//! (`…/providers/Microsoft.Authorization/permissions`): `actions` and `notActions` with `*`
//! wildcards, case-insensitive. Used to disable write controls with a reason; the service's 403
//! stays authoritative.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permission {
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
}

/// Glob match where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.to_ascii_lowercase().chars().collect(), text.to_ascii_lowercase().chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

pub fn allows(permissions: &[Permission], action: &str) -> bool {
    permissions.iter().any(|p| p.actions.iter().any(|a| glob(a, action)) && !p.not_actions.iter().any(|n| glob(n, action)))
}

pub const POOL_WRITE: &str = "Microsoft.ContainerRegistry/registries/agentpools/write";
pub const POOL_DELETE: &str = "Microsoft.ContainerRegistry/registries/agentpools/delete";
pub const SCHEDULE_RUN: &str = "Microsoft.ContainerRegistry/registries/scheduleRun/action";
/// A schedule's rules are tasks; their identities get roles only from someone who may assign them.
pub const TASK_WRITE: &str = "Microsoft.ContainerRegistry/registries/tasks/write";
pub const ASSIGN_ROLES: &str = "Microsoft.Authorization/roleAssignments/write";

/// What the user may do on a registry's pools, in one word for the read-only notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// May change pools.
    Write,
    /// Reads only; `reader`: exactly the Reader role's `*/read`.
    ReadOnly { reader: bool },
}

pub fn access(permissions: &[Permission]) -> Access {
    if allows(permissions, POOL_WRITE) {
        return Access::Write;
    }
    let reader = permissions.iter().all(|p| p.actions.iter().all(|a| a == "*/read")) && !permissions.is_empty();
    Access::ReadOnly { reader }
}

/// The read-only notice: the role they have, the role needed, and whom to ask.
pub fn read_only_notice(access: Access, registry: &str) -> Option<String> {
    let Access::ReadOnly { reader } = access else { return None };
    let have = if reader { "the Reader role".to_string() } else { "a role that can read but not change agent pools".to_string() };
    Some(format!(
        "Read-only: you have {have} on {registry}. Scaling, pausing, creating and deleting pools and starting runs need the Contributor or Owner role on the registry, its resource group or its subscription. Ask an Owner of {registry} or your subscription's administrator to assign it."
    ))
}

/// The tooltip for a control the user may not use.
pub fn needs(action: &str) -> String {
    format!("Needs the Contributor or Owner role on this registry ({action}).")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_is_told_their_role_the_one_needed_and_whom_to_ask() {
        let reader = [p(&["*/read"], &[])];
        assert_eq!(access(&reader), Access::ReadOnly { reader: true });
        let notice = read_only_notice(access(&reader), "contosobuilds").unwrap();
        assert!(notice.starts_with("Read-only: you have the Reader role on contosobuilds."), "{notice}");
        assert!(notice.contains("Contributor or Owner") && notice.contains("Ask an Owner of contosobuilds"), "{notice}");
        let custom = [p(&["Microsoft.ContainerRegistry/registries/read", "Microsoft.ContainerRegistry/registries/agentpools/read"], &[])];
        assert_eq!(access(&custom), Access::ReadOnly { reader: false });
        assert!(read_only_notice(access(&custom), "r").unwrap().contains("a role that can read but not change"));
        assert_eq!(access(&[p(&["*"], &[])]), Access::Write);
        assert_eq!(read_only_notice(Access::Write, "r"), None);
        // A contributor whose writes to pools are taken away is read-only here.
        assert_eq!(access(&[p(&["*"], &["Microsoft.ContainerRegistry/registries/agentpools/write"])]), Access::ReadOnly { reader: false });
    }

    fn p(actions: &[&str], not: &[&str]) -> Permission {
        Permission { actions: actions.iter().map(|s| s.to_string()).collect(), not_actions: not.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn owner_reader_and_contributor_like_roles() {
        assert!(allows(&[p(&["*"], &[])], POOL_WRITE));
        assert!(!allows(&[p(&["*/read"], &[])], POOL_WRITE));
        assert!(allows(&[p(&["*/read"], &[])], "Microsoft.ContainerRegistry/registries/agentpools/read"));
        let contributor = p(&["*"], &["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"]);
        assert!(allows(&[contributor.clone()], POOL_DELETE));
        assert!(!allows(&[contributor], "Microsoft.Authorization/roleAssignments/write"));
    }

    #[test]
    fn globs_are_case_insensitive_and_anchored() {
        assert!(glob("Microsoft.ContainerRegistry/*", "microsoft.containerregistry/registries/agentpools/write"));
        assert!(!glob("Microsoft.ContainerRegistry/*/read", "Microsoft.ContainerRegistry/registries/write"));
        assert!(glob("*/read", "a/b/read") && !glob("read", "a/read"));
        assert!(!allows(&[], POOL_WRITE));
    }
}
