//! Name rules from the spec's path parameters (NOTES §1.1).

/// Problems with an agent-pool name (3–20 characters, letters, digits and hyphens); empty if valid.
pub fn agent_pool_name_problems(name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let len = name.chars().count();
    if !(3..=20).contains(&len) {
        problems.push(format!("Use 3 to 20 characters (now {len})."));
    }
    let bad: String = name.chars().filter(|c| !(c.is_ascii_alphanumeric() || *c == '-')).collect();
    if !bad.is_empty() {
        let mut shown: Vec<char> = bad.chars().collect();
        shown.dedup();
        let shown: String = shown.into_iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(" ");
        problems.push(format!("Only letters, digits and hyphens are allowed (not {shown})."));
    }
    problems
}

/// Who did something, as the portal names them: a person by their sign-in name; an application or
/// a managed identity by the start of its id ("App 5e4d…"), the whole id kept for hover and copy.
/// Their display names are in Microsoft Graph, whose service principals need Application.Read.All,
/// a permission only an administrator can grant: the portal does not ask for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub label: String,
    /// The whole id, when the label shortens it.
    pub id: Option<String>,
}

/// `kind`: ARM's `createdByType` (User | Application | ManagedIdentity | Key).
pub fn principal(by: &str, kind: &str) -> Principal {
    let short = |what: &str| Principal { label: format!("{what} {}…", by.chars().take(4).collect::<String>()), id: Some(by.to_string()) };
    match kind {
        k if k.eq_ignore_ascii_case("Application") => short("App"),
        k if k.eq_ignore_ascii_case("ManagedIdentity") => short("Managed identity"),
        k if k.eq_ignore_ascii_case("Key") => Principal { label: "an access key".into(), id: Some(by.to_string()) },
        _ => Principal { label: by.to_string(), id: None },
    }
}

/// Registry names: 5–50 letters or digits.
pub fn is_registry_name(name: &str) -> bool {
    (5..=50).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric())
}

pub fn is_agent_pool_name(name: &str) -> bool {
    agent_pool_name_problems(name).is_empty()
}

/// Resource group names: 1–90 of letters, digits, `_ - . ( )`, not ending in a period.
pub fn is_resource_group_name(name: &str) -> bool {
    (1..=90).contains(&name.chars().count())
        && !name.ends_with('.')
        && name.chars().all(|c| c.is_alphanumeric() || "_-.()".contains(c))
}

/// Subscription ids are GUIDs; accept any id made of hex-ish words and hyphens, as ARM ids go.
pub fn is_subscription_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Task names: 5–50 letters, digits, hyphens or underscores (spec's taskName).
pub fn task_name_problems(name: &str) -> Vec<String> {
    let mut p = Vec::new();
    let len = name.chars().count();
    if !(5..=50).contains(&len) {
        p.push(format!("Use 5 to 50 characters (now {len})."));
    }
    if name.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')) {
        p.push("Only letters, digits, hyphens and underscores.".into());
    }
    p
}

/// Image names as `az acr build -t` takes them: `repository[:tag]`, lower-case repository,
/// `{{.Run.ID}}` allowed in the tag.
pub fn image_name_problems(image: &str) -> Option<String> {
    let (repo, tag) = image.split_once(':').unwrap_or((image, ""));
    let repo_ok = !repo.is_empty() && repo.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._/-".contains(c));
    let tag_ok = tag.len() <= 128 && tag.replace("{{.Run.ID}}", "x").chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    match (repo_ok, tag_ok) {
        (true, true) => None,
        (false, _) => Some(format!("'{image}': the repository must be lower-case letters, digits, '.', '_', '/' or '-'.")),
        (_, false) => Some(format!("'{image}': the tag may use letters, digits, '.', '_', '-' and {{{{.Run.ID}}}}.")),
    }
}

/// A source a build can fetch: an https Git or archive URL.
pub fn is_source_url(url: &str) -> bool {
    url.strip_prefix("https://").is_some_and(|rest| !rest.is_empty() && !rest.contains(char::is_whitespace))
}

/// Run ids are short service-made names such as `cab1` or `ca12`.
pub fn is_run_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applications_are_named_by_a_short_id_and_people_by_name() {
        let app = principal("5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170", "Application");
        assert_eq!(app, Principal { label: "App 5e4d…".into(), id: Some("5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170".into()) });
        assert_eq!(principal("0a1b2c3d-x", "ManagedIdentity").label, "Managed identity 0a1b…");
        assert_eq!(principal("ana@contoso.com", "User"), Principal { label: "ana@contoso.com".into(), id: None });
        assert_eq!(principal("ana@contoso.com", "").label, "ana@contoso.com");
    }

    #[test]
    fn pool_names_follow_the_spec_pattern() {
        assert!(is_agent_pool_name("myagentpool"));
        assert!(is_agent_pool_name("a-1"));
        assert!(!is_agent_pool_name("ab"));
        assert!(!is_agent_pool_name("abcdefghijklmnopqrstu"));
        assert!(!is_agent_pool_name("under_score"));
    }

    #[test]
    fn pool_name_problems_say_what_is_wrong() {
        assert_eq!(agent_pool_name_problems("a_b c"), vec![
            "Only letters, digits and hyphens are allowed (not '_' ' ').".to_string()
        ]);
        assert_eq!(agent_pool_name_problems("x"), vec!["Use 3 to 20 characters (now 1).".to_string()]);
    }

    #[test]
    fn task_image_and_source_rules() {
        assert!(task_name_problems("nightly_build-1").is_empty());
        assert_eq!(task_name_problems("abc").len(), 1);
        assert_eq!(image_name_problems("web:{{.Run.ID}}"), None);
        assert_eq!(image_name_problems("team/web:v1.2"), None);
        assert!(image_name_problems("Web:v1").is_some());
        assert!(image_name_problems("web:v 1").is_some());
        assert!(is_source_url("https://github.com/Azure-Samples/acr-build-helloworld-node.git"));
        assert!(!is_source_url("http://x") && !is_source_url("https://"));
    }

    #[test]
    fn registry_and_group_names() {
        assert!(is_registry_name("contosobuilds"));
        assert!(!is_registry_name("abcd"));
        assert!(!is_registry_name("has-hyphen"));
        assert!(is_resource_group_name("rg.prod_(1)"));
        assert!(!is_resource_group_name("rg."));
        assert!(!is_resource_group_name("rg/x"));
    }
}
