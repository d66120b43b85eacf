//! The `az` command equivalent to what a form will do (SPEC F14), updated as the user types.

/// Quotes a value for a POSIX shell when it needs it.
pub fn quote(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

/// Where a second command sets a new pool's tags: its resource id and the agent-pool api-version.
pub struct TagTarget<'a> {
    pub id: &'a str,
    pub api_version: &'a str,
}

/// The create, and when there are tags a second command for them: `az acr agentpool create` has
/// no `--tags`.
pub fn create_pool(registry: &str, name: &str, tier: &str, count: i64, subnet: Option<&str>, tags: &[(String, String)], pool: TagTarget) -> String {
    let mut cmd = format!("az acr agentpool create -r {} -n {} --tier {} --count {count}", quote(registry), quote(name), quote(tier));
    if let Some(s) = subnet.filter(|s| !s.is_empty()) {
        cmd.push_str(&format!(" --subnet-id {}", quote(s)));
    }
    if !tags.is_empty() {
        cmd.push('\n');
        cmd.push_str(&tag_resource(pool.id, tags, pool.api_version));
    }
    cmd
}

pub fn scale_pool(registry: &str, name: &str, count: i64) -> String {
    format!("az acr agentpool update -r {} -n {} --count {count}", quote(registry), quote(name))
}

pub fn delete_pool(registry: &str, name: &str) -> String {
    format!("az acr agentpool delete -r {} -n {} --yes", quote(registry), quote(name))
}

/// `az acr build --agent-pool …`: a quick build on the pool.
pub fn quick_build(registry: &str, pool: &str, images: &[String], docker_file: &str, context: &str) -> String {
    let tags: String = images.iter().map(|i| format!(" -t {}", quote(i))).collect();
    format!("az acr build -r {} --agent-pool {}{tags} -f {} {}", quote(registry), quote(pool), quote(docker_file), quote(context))
}

/// `az acr task create --agent-pool …`: a task whose runs go to the pool, with no triggers, as
/// the portal makes it (the CLI adds a commit and a base-image trigger unless told not to).
pub fn create_task(registry: &str, name: &str, pool: &str, image: &str, docker_file: &str, context: &str) -> String {
    format!(
        "az acr task create -r {} -n {} --agent-pool {} -t {} -f {} -c {} --commit-trigger-enabled false --base-image-trigger-enabled false",
        quote(registry), quote(name), quote(pool), quote(image), quote(docker_file), quote(context)
    )
}

/// `az acr task run`: the run goes to the task's pool (no `--agent-pool`).
pub fn run_task(registry: &str, name: &str) -> String {
    format!("az acr task run -r {} -n {}", quote(registry), quote(name))
}

/// `az resource tag` sets a resource's tags (all of them: it replaces). The api-version is
/// named: for a child resource such as an agent pool the CLI would otherwise take its parent's
/// newest stable version, which (for registries) has no agent pools.
pub fn tag_resource(id: &str, tags: &[(String, String)], api_version: &str) -> String {
    let pairs: Vec<String> = tags.iter().map(|(k, v)| quote(&format!("{k}={v}"))).collect();
    format!("az resource tag --ids {} --tags {} --api-version {}", quote(id), pairs.join(" "), quote(api_version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_read_like_the_docs() {
        let pool = || TagTarget { id: "/x/agentPools/p", api_version: "2019-06-01-preview" };
        assert_eq!(create_pool("myreg", "mypool", "S2", 1, None, &[], pool()), "az acr agentpool create -r myreg -n mypool --tier S2 --count 1");
        let subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/n";
        assert!(create_pool("r", "p", "S1", 0, Some(subnet), &[], pool()).ends_with(&format!("--subnet-id {subnet}")));
        let tagged = create_pool("r", "p", "S1", 1, None, &[("team".into(), "web".into())], pool());
        assert_eq!(
            tagged.lines().collect::<Vec<_>>(),
            ["az acr agentpool create -r r -n p --tier S1 --count 1", "az resource tag --ids /x/agentPools/p --tags team=web --api-version 2019-06-01-preview"]
        );
        assert_eq!(scale_pool("r", "p", 0), "az acr agentpool update -r r -n p --count 0");
        assert_eq!(delete_pool("r", "p"), "az acr agentpool delete -r r -n p --yes");
    }

    #[test]
    fn work_commands_follow_the_seed() {
        assert_eq!(
            quick_build("r", "p", &["myimage:mytag".into()], "Dockerfile", "https://github.com/Azure-Samples/acr-build-helloworld-node.git"),
            "az acr build -r r --agent-pool p -t myimage:mytag -f Dockerfile https://github.com/Azure-Samples/acr-build-helloworld-node.git"
        );
        assert_eq!(quick_build("r", "p", &["web:{{.Run.ID}}".into()], "D", "https://x"), "az acr build -r r --agent-pool p -t 'web:{{.Run.ID}}' -f D https://x");
        assert_eq!(create_task("r", "mytask", "p", "img:t", "Dockerfile", "https://x"), "az acr task create -r r -n mytask --agent-pool p -t img:t -f Dockerfile -c https://x --commit-trigger-enabled false --base-image-trigger-enabled false");
        assert_eq!(run_task("r", "mytask"), "az acr task run -r r -n mytask");
    }

    #[test]
    fn anything_a_shell_would_interpret_is_quoted() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(tag_resource("/x", &[("team".into(), "web ops".into())], "2019-06-01-preview"), "az resource tag --ids /x --tags 'team=web ops' --api-version 2019-06-01-preview");
    }
}
