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

/// `az tag update … --operation merge`: one tag written on a resource (a registry's pause record),
/// the others left as they are.
pub fn merge_tag(resource_id: &str, name: &str, value: &str) -> String {
    format!("az tag update --resource-id {} --operation merge --tags {}", quote(resource_id), quote(&format!("{name}={value}")))
}

/// `az acr task create` of a schedule rule's task: its YAML in a file (`task_yaml`), its UTC
/// cron, a system-assigned identity, no other trigger; no `--agent-pool` (the shared pool runs it).
pub fn create_schedule_task(registry: &str, name: &str, cron: &str) -> String {
    format!(
        "az acr task create -r {} -n {} -f {}.yaml --context /dev/null --schedule {} --assign-identity {} --commit-trigger-enabled false --base-image-trigger-enabled false",
        quote(registry), quote(name), quote(name), quote(cron), quote("[system]")
    )
}

/// The tags that make a task a rule of `pool`'s schedule, written after `az acr task create`
/// (which has no `--tags`): pool, rule and zone, as the portal writes them.
pub fn tag_schedule_task(task_id: &str, pool: &str, rule: &str, zone: &str) -> String {
    format!(
        "az tag update --resource-id {} --operation merge --tags {} {} {}",
        quote(task_id), quote(&format!("poolportal-pool={pool}")), quote(&format!("poolportal-rule={rule}")), quote(&format!("poolportal-zone={zone}"))
    )
}

/// The hand-over command: what an administrator runs to let a task's identity scale the pools.
pub fn assign_tasks_contributor(principal: &str, scope: &str) -> String {
    format!(
        "az role assignment create --assignee-object-id {} --assignee-principal-type ServicePrincipal --role {} --scope {}",
        quote(principal), quote("Container Registry Tasks Contributor"), quote(scope)
    )
}

pub fn delete_task(registry: &str, name: &str) -> String {
    format!("az acr task delete -r {} -n {} --yes", quote(registry), quote(name))
}

pub fn delete_role_assignment(id: &str) -> String {
    format!("az role assignment delete --ids {}", quote(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_commands_quote_what_a_shell_would_expand() {
        assert_eq!(
            create_schedule_task("contosobuilds", "poolportal-build-s2-weekdays-0700-to-2", "0 7 * * 1-5"),
            "az acr task create -r contosobuilds -n poolportal-build-s2-weekdays-0700-to-2 -f poolportal-build-s2-weekdays-0700-to-2.yaml --context /dev/null --schedule '0 7 * * 1-5' --assign-identity '[system]' --commit-trigger-enabled false --base-image-trigger-enabled false"
        );
        assert_eq!(
            assign_tasks_contributor("p1", "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r"),
            "az role assignment create --assignee-object-id p1 --assignee-principal-type ServicePrincipal --role 'Container Registry Tasks Contributor' --scope /subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r"
        );
        assert_eq!(
            tag_schedule_task("/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/tasks/t", "build-s2", "mon-fri 07:00 2", "Europe/London"),
            "az tag update --resource-id /subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/tasks/t --operation merge --tags poolportal-pool=build-s2 'poolportal-rule=mon-fri 07:00 2' poolportal-zone=Europe/London"
        );
    }

    #[test]
    fn commands_read_like_the_docs() {
        assert_eq!(create_pool("myreg", "mypool", "S2", 1, None), "az acr agentpool create -r myreg -n mypool --tier S2 --count 1");
        let subnet = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/n";
        assert!(create_pool("r", "p", "S1", 0, Some(subnet)).ends_with(&format!("--subnet-id {subnet}")));
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
        assert_eq!(merge_tag("/x", "poolportal-paused-p", r#"{"count":2}"#), r#"az tag update --resource-id /x --operation merge --tags 'poolportal-paused-p={"count":2}'"#);
    }
}
