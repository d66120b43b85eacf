//! The one kind of task step the emulator runs rather than pretends to build: the Azure CLI as
//! a scheduled-scaling task runs it (`cmd: az login --identity`, then `cmd: az acr agentpool
//! update … --count N`, through ACR Tasks' `az` image alias). This is a simulation of the CLI,
//! not the CLI: the update goes through the emulator's own rules as the task's managed identity
//! (its role assignments, the registry's quota, a pool busy with another operation), leaves the
//! Activity Log and `systemData` naming that identity, and the run's log says what the CLI would
//! print. Any other step runs as a simulated build.

use base64::Engine;
use serde_json::json;

use crate::store::activity::{self, Context, Who};
use crate::store::script::{arm_error, Log};
use crate::store::{pool_id, registry_id, rules, same, OpKind, Operation, PendingOp, State, SystemData, Task};

const POOL_WRITE: &str = "Microsoft.ContainerRegistry/registries/agentPools/write";
const REGISTRY_READ: &str = "Microsoft.ContainerRegistry/registries/read";
/// The api-version the CLI's agent-pool commands use (recorded 2026-03-24).
const CLI_API_VERSION: &str = "2025-03-01-preview";
/// A step that fails ends the run this long after it started.
const FAIL_MS: u64 = 2_000;

/// What a recognised script asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scale {
    /// Whether `az login --identity` came first.
    pub login: bool,
    pub subscription: Option<String>,
    pub resource_group: Option<String>,
    pub registry: String,
    pub pool: String,
    pub count: Option<i64>,
}

/// The `cmd:` lines of a task's encoded YAML, in order.
fn commands(task: &Task) -> Option<Vec<String>> {
    let step = task.properties.get("step")?;
    if step.get("type")?.as_str()? != "EncodedTask" {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(step.get("encodedTaskContent")?.as_str()?).ok()?;
    let yaml = String::from_utf8(bytes).ok()?;
    let cmds: Vec<String> = yaml
        .lines()
        .filter_map(|l| l.trim().trim_start_matches('-').trim().strip_prefix("cmd:"))
        .map(|c| c.trim().trim_matches(|q| q == '"' || q == '\'').to_string())
        .collect();
    Some(cmds)
}

fn flag(words: &[&str], names: &[&str]) -> Option<String> {
    words.windows(2).find(|w| names.contains(&w[0])).map(|w| w[1].to_string())
}

/// The scaling script, if the task's steps are exactly that; `None` for any other task.
pub fn plan(task: &Task) -> Option<Scale> {
    let cmds = commands(task)?;
    let (login, update) = match cmds.as_slice() {
        [login, update] if login.starts_with("az login") => (login.split_whitespace().any(|w| w == "--identity"), update),
        [update] => (false, update),
        _ => return None,
    };
    let words: Vec<&str> = update.split_whitespace().collect();
    if !words.starts_with(&["az", "acr", "agentpool", "update"]) {
        return None;
    }
    let own = |v: String| if v == "$RegistryName" || v == "{{.Run.RegistryName}}" { task.registry.clone() } else { v };
    Some(Scale {
        login,
        subscription: flag(&words, &["--subscription"]),
        resource_group: flag(&words, &["-g", "--resource-group"]),
        registry: flag(&words, &["-r", "--registry"]).map(own)?,
        pool: flag(&words, &["-n", "--name"])?,
        count: flag(&words, &["--count"]).and_then(|c| c.parse().ok()),
    })
}

/// How long a scaling run takes when it works: the update, then the CLI's wait for it to end.
pub fn duration_ms(lro_ms: u64) -> u64 {
    lro_ms + 2_000
}

/// Plays the script of run `i`, which has just started at `at`: performs the update as the
/// task's identity, writes what the CLI prints, and sets how the run ends.
pub fn start(state: &mut State, i: usize, at: u64) {
    let run = &state.runs[i];
    let Some(task) = run.task_name.as_ref().and_then(|n| {
        state.tasks.iter().find(|t| same(&t.subscription, &run.subscription) && same(&t.resource_group, &run.resource_group) && same(&t.registry, &run.registry) && same(&t.name, n))
    }) else {
        return;
    };
    let Some(plan) = plan(task) else { return };
    let task = task.clone();
    let mut log = Log::new(at);
    let outcome = play(state, &task, &plan, at, &mut log);
    let run = &mut state.runs[i];
    match outcome {
        Ok(done_ms) => run.duration_ms = done_ms + 1_000,
        Err((step, reason)) => {
            run.duration_ms = FAIL_MS;
            run.will_fail = true;
            log.at(FAIL_MS / 2, format!("Failed to run step ID: acb_step_{step}: exit status 1"));
            run.error_message = Some(reason);
        }
    }
    run.script = Some(log.lines);
}

/// The two steps; `Ok(when the update ended)` or `Err((failed step, reason))`.
fn play(state: &mut State, task: &Task, plan: &Scale, at: u64, log: &mut Log) -> Result<u64, (u8, String)> {
    let fail = |log: &mut Log, step: u8, printed: String, reason: String| {
        log.print(FAIL_MS / 2, &printed);
        Err((step, reason))
    };
    if !plan.login {
        let m = "Please run 'az login' to setup account.";
        return fail(log, 0, format!("ERROR: {m}"), format!("az acr agentpool update: {m}"));
    }
    let (Some(principal), Some(client)) = (task.principal_id(), task.client_id()) else {
        let m = "ManagedIdentityCredential authentication unavailable. No identity has been assigned to this resource.";
        return fail(log, 0, format!("ERROR: {m}"), format!("az login --identity: {m}"));
    };
    let visible: Vec<(String, String)> =
        state.subscriptions.iter().filter(|s| state.has_access(&principal, &s.id)).map(|s| (s.id.clone(), s.display_name.clone())).collect();
    if visible.is_empty() {
        let m = "No access was configured for the VM, hence no subscriptions were found. If this is expected, use '--allow-no-subscriptions' to have tenant level access.";
        return fail(log, 0, format!("ERROR: {m}"), format!("az login --identity: {m}"));
    }
    log.logged_in(&visible);

    let update = |reason: &str| format!("az acr agentpool update: {reason}");
    let sub = match &plan.subscription {
        Some(s) if !visible.iter().any(|(id, _)| same(id, s)) => {
            let m = format!("Subscription '{s}' not found. Check the spelling and casing and try again.");
            return fail(log, 1, format!("ERROR: {m}"), update(&m));
        }
        Some(s) => s.clone(),
        None => visible[0].0.clone(),
    };
    let denied = |action: &str, scope: &str| {
        let m = format!(
            "The client '{client}' with object id '{principal}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, please refresh your credentials."
        );
        (arm_error("AuthorizationFailed", &m), update(&format!("(AuthorizationFailed) {m}")))
    };
    // The CLI reads the registry first (by its group if given, else from the subscription's list).
    let registry = state.registries.iter().find(|r| same(&r.subscription, &sub) && same(&r.name, &plan.registry) && plan.resource_group.as_deref().is_none_or(|g| same(g, &r.resource_group))).cloned();
    let reg_scope = |rg: &str| registry_id(&sub, rg, &plan.registry);
    let registry = match (registry, &plan.resource_group) {
        (Some(r), _) if state.allowed(&principal, &reg_scope(&r.resource_group), REGISTRY_READ, true) => r,
        (_, Some(rg)) if !state.allowed(&principal, &reg_scope(rg), REGISTRY_READ, true) => {
            let (printed, reason) = denied(REGISTRY_READ, &reg_scope(rg));
            return fail(log, 1, printed, reason);
        }
        (_, Some(rg)) => {
            let m = format!("The Resource 'Microsoft.ContainerRegistry/registries/{}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", plan.registry);
            return fail(log, 1, arm_error("ResourceNotFound", &m), update(&format!("(ResourceNotFound) {m}")));
        }
        (_, None) => {
            let m = format!("The resource with name '{}' and type 'Microsoft.ContainerRegistry/registries' could not be found in subscription '{sub}'.", plan.registry);
            return fail(log, 1, format!("ERROR: {m}"), update(&m));
        }
    };
    let scope = format!("{}/agentPools/{}", registry_id(&registry.subscription, &registry.resource_group, &registry.name), plan.pool);
    if !state.allowed(&principal, &scope, POOL_WRITE, false) {
        let (printed, reason) = denied(POOL_WRITE, &scope);
        return fail(log, 1, printed, reason);
    }
    let key = crate::store::RegistryKey { sub: &registry.subscription, rg: &registry.resource_group, name: &registry.name };
    let Some(p) = state.pool_index(key, &plan.pool) else {
        let m = format!("The Resource 'Microsoft.ContainerRegistry/registries/{}/agentPools/{}' under resource group '{}' was not found.", registry.name, plan.pool, registry.resource_group);
        return fail(log, 1, arm_error("ResourceNotFound", &m), update(&format!("(ResourceNotFound) {m}")));
    };
    let count = match plan.count {
        Some(c) if c >= 0 => c as i32,
        _ => {
            let m = "argument --count: invalid int value";
            return fail(log, 1, format!("ERROR: {m}"), update(m));
        }
    };
    let refusal = rules::busy_error(&state.pools[p]).map(|m| ("AnotherOperationInProgress", m)).or_else(|| {
        let tier = state.pools[p].tier.clone();
        rules::quota_error(state, &registry, Some(&plan.pool), &tier, count).map(|m| ("QuotaExceeded", m))
    });
    if let Some((code, m)) = refusal {
        return fail(log, 1, arm_error(code, &m), update(&format!("({code}) {m}")));
    }
    let who = Who::managed_identity(&principal, &client);
    scale(state, p, count, &who, at);
    let lro = state.sim.lro_ms;
    log.scaled(lro, &state.pools[p], count);
    Ok(lro)
}

/// The update itself, as a PATCH by `who` would start it: the operation, its Activity Log
/// events and the pool's `systemData`.
fn scale(state: &mut State, p: usize, count: i32, who: &Who, at: u64) {
    let pool = &state.pools[p];
    let operation = crate::ids::new_guid();
    let context = Context {
        correlation_id: crate::ids::new_guid(),
        operation_id: crate::ids::new_guid(),
        operation_name: POOL_WRITE.into(),
        resource_id: pool_id(pool),
        subscription: pool.subscription.clone(),
        resource_group: pool.resource_group.clone(),
        resource_provider: "Microsoft.ContainerRegistry".into(),
        resource_type: "Microsoft.ContainerRegistry/registries/agentPools".into(),
        who: who.clone(),
        method: "PATCH".into(),
        request_body: Some(json!({ "properties": { "count": count } }).to_string()),
    };
    activity::started(&mut state.events, &context, at);
    activity::answered(&mut state.events, &context, at, 201, true, None);
    state.operations.push(Operation {
        id: operation.clone(),
        subscription: pool.subscription.clone(),
        location: pool.location.clone(),
        resource_id: pool_id(pool),
        kind: OpKind::Update,
        status: "InProgress".into(),
        start_ms: at,
        end_ms: None,
        error: None,
        api_version: CLI_API_VERSION.into(),
        activity: Some(context),
    });
    let lro = state.sim.lro_ms;
    let pool = &mut state.pools[p];
    pool.provisioning_state = "Updating".into();
    pool.pending = Some(PendingOp { operation, kind: OpKind::Update, done_at_ms: at + lro, new_count: Some(count), failure: None });
    match &mut pool.system_data {
        Some(s) => s.touch(who, at),
        none => *none = Some(SystemData::new(who, at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(yaml: &str) -> Task {
        let encoded = base64::engine::general_purpose::STANDARD.encode(yaml);
        Task {
            subscription: "s".into(),
            resource_group: "g".into(),
            registry: "reg".into(),
            name: "t".into(),
            location: "eastus".into(),
            tags: Vec::new(),
            created_ms: 0,
            properties: json!({ "step": { "type": "EncodedTask", "encodedTaskContent": encoded } }),
            identity: Some(json!({ "type": "SystemAssigned" })),
            system_data: None,
            has_run: false,
        }
    }

    #[test]
    fn the_scaling_script_is_recognised_and_nothing_else() {
        let t = task("version: v1.1.0\nsteps:\n  - cmd: az login --identity\n  - cmd: az acr agentpool update -g g -r $RegistryName -n build-s2 --count 4\n");
        assert_eq!(plan(&t), Some(Scale { login: true, subscription: None, resource_group: Some("g".into()), registry: "reg".into(), pool: "build-s2".into(), count: Some(4) }));
        assert_eq!(plan(&task("steps:\n  - cmd: az acr agentpool update -r reg -n p --count 0\n")).map(|s| s.login), Some(false));
        assert_eq!(plan(&task("steps:\n  - build: -t app .\n")), None);
        assert_eq!(plan(&task("steps:\n  - cmd: az login --identity\n  - cmd: az acr list\n")), None);
    }
}
