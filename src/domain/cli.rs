//! The `az` command equivalent to what a form will do (SPEC F14), updated as the user types.

/// Quotes a value for a POSIX shell when it needs it.
pub fn quote(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

pub fn create_pool(registry: &str, name: &str, tier: &str, count: i64, subnet: Option<&str>) -> String {
    let mut cmd = format!("az acr agentpool create -r {} -n {} --tier {} --count {count}", quote(registry), quote(name), quote(tier));
    if let Some(s) = subnet.filter(|s| !s.is_empty()) {
        cmd.push_str(&format!(" --subnet-id {}", quote(s)));
    }
    cmd
}

pub fn scale_pool(registry: &str, name: &str, count: i64) -> String {
    format!("az acr agentpool update -r {} -n {} --count {count}", quote(registry), quote(name))
}

pub fn delete_pool(registry: &str, name: &str) -> String {
    format!("az acr agentpool delete -r {} -n {} --yes", quote(registry), quote(name))
}

/// Tags are not an `az acr agentpool` option: `az resource tag` sets them on any resource.
pub fn tag_resource(id: &str, tags: &[(String, String)]) -> String {
    let pairs: Vec<String> = tags.iter().map(|(k, v)| quote(&format!("{k}={v}"))).collect();
    format!("az resource tag --ids {} --tags {}", quote(id), pairs.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_like_the_docs() {
        assert_eq!(create_pool("myreg", "mypool", "S2", 1, None), "az acr agentpool create -r myreg -n mypool --tier S2 --count 1");
        let subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/n";
        assert!(create_pool("r", "p", "S1", 0, Some(subnet)).ends_with(&format!("--subnet-id {subnet}")));
        assert_eq!(scale_pool("r", "p", 0), "az acr agentpool update -r r -n p --count 0");
        assert_eq!(delete_pool("r", "p"), "az acr agentpool delete -r r -n p --yes");
    }

    #[test]
    fn anything_a_shell_would_interpret_is_quoted() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(tag_resource("/x", &[("team".into(), "web ops".into())]), "az resource tag --ids /x --tags 'team=web ops'");
    }
}
