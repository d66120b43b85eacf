//! The emulated tenant: resources, role assignments, runs and operations. Plain data (serialisable,
//! so a data dir can keep it across restarts); the ARM modules turn it into Microsoft's JSON shapes
//! and `sim` moves it through time.

pub mod activity;
pub mod demo;
pub mod persist;
pub mod roles;
pub mod rules;
pub mod script;

use serde::{Deserialize, Serialize};

pub use roles::Role;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
    pub state: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceGroup {
    pub subscription: String,
    pub name: String,
    pub location: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sku {
    Basic,
    Standard,
    Premium,
}

impl Sku {
    pub fn as_str(self) -> &'static str {
        match self {
            Sku::Basic => "Basic",
            Sku::Standard => "Standard",
            Sku::Premium => "Premium",
        }
    }
}

pub type Tags = Vec<(String, String)>;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Registry {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub sku: Sku,
    pub created: String,
    pub tags: Tags,
    #[serde(default)]
    pub system_data: Option<SystemData>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    Create,
    Update,
    Delete,
}

/// An ARM error carried by a failed operation or run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpError {
    pub code: String,
    pub message: String,
}

/// What a pool is in the middle of; applied by `sim` when `done_at_ms` comes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingOp {
    pub operation: String,
    pub kind: OpKind,
    pub done_at_ms: u64,
    /// The count an update sets once done.
    pub new_count: Option<i32>,
    /// Set when the operation will end Failed (NSG blocks egress, injected fault).
    pub failure: Option<OpError>,
}

/// One side of ARM's `systemData`: who (a person's sign-in name, or an application's id) and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: String,
    /// `User` or `Application` (and `ManagedIdentity`, `Key` on Azure).
    pub by_type: String,
    pub at_ms: u64,
}

impl Stamp {
    pub fn of(who: &activity::Who, at_ms: u64) -> Stamp {
        // A person's token has a name; a service principal's has none (`Who::service_principal`).
        let by_type = match (who.managed, who.name.is_some()) {
            (true, _) => "ManagedIdentity",
            (false, true) => "User",
            (false, false) => "Application",
        };
        Stamp { by: who.caller().to_string(), by_type: by_type.into(), at_ms }
    }
}

/// ARM's `systemData` on a tracked resource: who created it and who changed it last, as every
/// recorded agent pool, task and run carries (the portal shows it in the pool's header).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemData {
    pub created: Stamp,
    pub last_modified: Stamp,
}

impl SystemData {
    pub fn new(who: &activity::Who, at_ms: u64) -> SystemData {
        let stamp = Stamp::of(who, at_ms);
        SystemData { created: stamp.clone(), last_modified: stamp }
    }

    pub fn touch(&mut self, who: &activity::Who, at_ms: u64) {
        self.last_modified = Stamp::of(who, at_ms);
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AgentPool {
    pub subscription: String,
    pub resource_group: String,
    pub registry: String,
    pub name: String,
    pub location: String,
    pub tier: String,
    pub count: i32,
    pub os: String,
    pub subnet: Option<String>,
    pub provisioning_state: String,
    /// Tags an earlier emulator kept on a pool (persisted data dirs, or `/seed-pool-tags`). Azure
    /// keeps none on agent pools: writes never add any, and a write that sends tags clears them.
    pub tags: Tags,
    #[serde(default)]
    pub pending: Option<PendingOp>,
    #[serde(default)]
    pub system_data: Option<SystemData>,
}

/// An async operation's status resource (`Azure-AsyncOperation`), kept after it ends.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Operation {
    pub id: String,
    pub subscription: String,
    pub location: String,
    pub resource_id: String,
    pub kind: OpKind,
    /// InProgress | Succeeded | Failed | Canceled
    pub status: String,
    pub start_ms: u64,
    pub end_ms: Option<u64>,
    pub error: Option<OpError>,
    /// The api-version of the request that started it: its status links carry the same one.
    #[serde(default)]
    pub api_version: String,
    /// Who started it and how, for the Activity Log event its end writes.
    #[serde(default)]
    pub activity: Option<activity::Context>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct VirtualNetwork {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub address_prefixes: Vec<String>,
    pub subnets: Vec<Subnet>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Subnet {
    pub name: String,
    pub address_prefix: String,
    /// Resource id of the network security group attached, if any.
    pub nsg: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkSecurityGroup {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    /// Custom rules; the default rules are the same for every NSG (`sim::nsg::default_rules`).
    pub rules: Vec<SecurityRule>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityRule {
    pub name: String,
    pub description: Option<String>,
    /// Tcp | Udp | Icmp | Esp | Ah | *
    pub protocol: String,
    pub source_port_range: String,
    /// One of `destination_port_range` / `destination_port_ranges` is used, as in ARM.
    pub destination_port_range: Option<String>,
    pub destination_port_ranges: Vec<String>,
    /// One of `source_address_prefix` / `source_address_prefixes` is used, as in ARM.
    pub source_address_prefix: String,
    #[serde(default)]
    pub source_address_prefixes: Vec<String>,
    pub destination_address_prefix: Option<String>,
    pub destination_address_prefixes: Vec<String>,
    /// Allow | Deny
    pub access: String,
    pub priority: u32,
    /// Inbound | Outbound
    pub direction: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ImageRef {
    pub registry: String,
    pub repository: String,
    pub tag: String,
    pub digest: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Run {
    pub subscription: String,
    pub resource_group: String,
    pub registry: String,
    pub run_id: String,
    /// Queued | Started | Running | Succeeded | Failed | Canceled | Error | Timeout
    pub status: String,
    /// QuickBuild | QuickRun | AutoBuild | AutoRun
    pub run_type: String,
    pub agent_pool_name: Option<String>,
    pub task_name: Option<String>,
    pub create_ms: u64,
    pub start_ms: Option<u64>,
    pub finish_ms: Option<u64>,
    pub last_updated_ms: u64,
    /// How long it runs once started (simulated).
    pub duration_ms: u64,
    /// Whether it will end Failed rather than Succeeded.
    pub will_fail: bool,
    pub output_images: Vec<ImageRef>,
    pub platform_os: String,
    pub is_archive_enabled: bool,
    pub source_location: Option<String>,
    pub docker_file: Option<String>,
    pub error_message: Option<String>,
    /// The `agentConfiguration.cpu` asked for (2 when not given, as recorded runs show).
    #[serde(default)]
    pub cpu: Option<u32>,
    /// Who scheduled it: a run's `systemData` has only this `lastModified…` side.
    #[serde(default)]
    pub scheduled_by: Option<Stamp>,
    /// Both sides, once someone patched the run (recorded after `az acr task update-run`).
    #[serde(default)]
    pub system_data: Option<SystemData>,
    /// The timer trigger that started it, and the occurrence it was for.
    #[serde(default)]
    pub timer: Option<TimerFire>,
    /// What its steps printed, for a run whose steps the emulator plays as the Azure CLI would
    /// (`sim::cli`): fixed when it starts, each line with when it shows (ms after the start).
    #[serde(default)]
    pub script: Option<Vec<(u64, String)>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimerFire {
    pub name: String,
    pub occurrence_ms: u64,
}

impl Run {
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "Succeeded" | "Failed" | "Canceled" | "Error" | "Timeout")
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    pub subscription: String,
    pub resource_group: String,
    pub registry: String,
    pub name: String,
    pub location: String,
    pub tags: Tags,
    pub created_ms: u64,
    /// `properties` as the client sent them (without read-only fields), so what was written
    /// reads back unchanged.
    pub properties: serde_json::Value,
    pub identity: Option<serde_json::Value>,
    #[serde(default)]
    pub system_data: Option<SystemData>,
    /// Whether a run of it has completed: Docker steps show `baseImageDependencies` from then on.
    #[serde(default)]
    pub has_run: bool,
}

impl Task {
    pub fn id(&self) -> String {
        format!("{}/tasks/{}", registry_id(&self.subscription, &self.resource_group, &self.registry), self.name)
    }

    /// The object id of its system-assigned identity, if it has one: derived from the task's id
    /// and its creation time, so it reads back the same while the task lives, differs between
    /// registries, and a task deleted and made again under the same name has a new identity (as
    /// on Azure, where the old identity's role assignments do not carry over).
    pub fn principal_id(&self) -> Option<String> {
        let kind = self.identity.as_ref()?.get("type")?.as_str()?;
        kind.contains("SystemAssigned").then(|| crate::ids::stable_guid(&format!("principal:{}:{}", self.id().to_ascii_lowercase(), self.created_ms)))
    }

    /// The application (client) id of that identity: what the Activity Log names as its caller.
    pub fn client_id(&self) -> Option<String> {
        self.principal_id().map(|_| crate::ids::stable_guid(&format!("client:{}:{}", self.id().to_ascii_lowercase(), self.created_ms)))
    }

    pub fn agent_pool_name(&self) -> Option<&str> {
        self.properties.get("agentPoolName").and_then(|v| v.as_str())
    }
}

/// A task run (`registries/{r}/taskRuns/{name}`): a run request kept as a resource, with the
/// run it made.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TaskRun {
    pub subscription: String,
    pub resource_group: String,
    pub registry: String,
    pub name: String,
    pub location: String,
    /// The `runRequest` as sent.
    pub run_request: serde_json::Value,
    /// The run it made (its `runResult`).
    pub run_id: Option<String>,
    pub system_data: Option<SystemData>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RoleAssignment {
    pub principal: String,
    pub subscription: String,
    pub role: Role,
    /// Where it applies; `None` is the whole subscription (the demo's people).
    #[serde(default)]
    pub scope: Option<String>,
    /// The assignment's GUID name; the demo's own are named from what they say.
    #[serde(default)]
    pub name: Option<String>,
    /// User | ServicePrincipal | Group, as the writer said.
    #[serde(default)]
    pub principal_type: Option<String>,
    #[serde(default)]
    pub created_ms: u64,
    /// The object id of who made it.
    #[serde(default)]
    pub created_by: Option<String>,
}

impl RoleAssignment {
    pub fn at_subscription(principal: &str, subscription: &str, role: Role) -> RoleAssignment {
        RoleAssignment { principal: principal.into(), subscription: subscription.into(), role, ..RoleAssignment::default() }
    }

    pub fn scope(&self) -> String {
        self.scope.clone().unwrap_or_else(|| format!("/subscriptions/{}", self.subscription))
    }

    pub fn name(&self) -> String {
        self.name.clone().unwrap_or_else(|| crate::ids::stable_guid(&format!("assignment:{}:{}:{:?}", self.scope(), self.principal, self.role)))
    }
}

/// What the simulation needs of the emulator's settings (kept out of saved state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SimSettings {
    /// How long a pool operation takes.
    pub lro_ms: u64,
    /// How long a run takes once started.
    pub run_ms: u64,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings { lro_ms: 20_000, run_ms: 45_000 }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub subscriptions: Vec<Subscription>,
    pub resource_groups: Vec<ResourceGroup>,
    pub registries: Vec<Registry>,
    pub pools: Vec<AgentPool>,
    pub assignments: Vec<RoleAssignment>,
    #[serde(default)]
    pub vnets: Vec<VirtualNetwork>,
    #[serde(default)]
    pub nsgs: Vec<NetworkSecurityGroup>,
    #[serde(default)]
    pub runs: Vec<Run>,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub task_runs: Vec<TaskRun>,
    #[serde(default)]
    pub operations: Vec<Operation>,
    /// Number of the last run made (run ids are `ca1`, `ca2`, …).
    #[serde(default)]
    pub run_counter: u64,
    /// Simulated time `sim::advance` last brought the state to.
    #[serde(default)]
    pub advanced_to_ms: u64,
    /// Simulated time of the last save, so time never runs backwards after a restart.
    #[serde(default)]
    pub saved_at_ms: u64,
    /// Regions where this emulator also offers agent pools (tests replaying Microsoft's examples,
    /// which use `WESTUS`); empty in the demo.
    #[serde(default)]
    pub extra_pool_regions: Vec<String>,
    /// The Activity Log, oldest first.
    #[serde(default)]
    pub events: Vec<activity::Event>,
    #[serde(skip)]
    pub sim: SimSettings,
    /// Whether tasks' timer triggers fire (`--no-timers` stops them, for tests that need the
    /// demo's counts to stay put whatever the hour).
    #[serde(skip)]
    pub timers_off: bool,
}

/// ARM names are case-insensitive.
pub fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// A registry named by its path segments.
#[derive(Clone, Copy, Debug)]
pub struct RegistryKey<'a> {
    pub sub: &'a str,
    pub rg: &'a str,
    pub name: &'a str,
}

impl RegistryKey<'_> {
    pub fn matches(&self, sub: &str, rg: &str, registry: &str) -> bool {
        same(self.sub, sub) && same(self.rg, rg) && same(self.name, registry)
    }
}

impl State {
    /// The principal's strongest role on the whole subscription, if any.
    pub fn role_of(&self, principal: &str, subscription: &str) -> Option<Role> {
        let sub_scope = format!("/subscriptions/{subscription}");
        self.assignments
            .iter()
            .filter(|a| a.principal == principal && same(&a.subscription, subscription) && same(&a.scope(), &sub_scope))
            .map(|a| a.role)
            .min_by_key(|r| *r as u8)
    }

    /// Whether the principal holds any role anywhere in the subscription (it then sees it listed).
    pub fn has_access(&self, principal: &str, subscription: &str) -> bool {
        self.assignments.iter().any(|a| a.principal == principal && same(&a.subscription, subscription))
    }

    /// The roles that apply to the principal at `scope`: assigned there or above.
    pub fn roles_at<'a>(&'a self, principal: &'a str, scope: &'a str) -> impl Iterator<Item = Role> + 'a {
        self.assignments.iter().filter(move |a| a.principal == principal && roles::within(scope, &a.scope())).map(|a| a.role)
    }

    /// Whether an assignment at or above `scope` allows the principal `action` there.
    pub fn allowed(&self, principal: &str, scope: &str, action: &str, read: bool) -> bool {
        self.roles_at(principal, scope).any(|r| r.allows(action, read))
    }

    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| same(&s.id, id))
    }

    pub fn resource_group(&self, sub: &str, name: &str) -> Option<&ResourceGroup> {
        self.resource_groups.iter().find(|g| same(&g.subscription, sub) && same(&g.name, name))
    }

    pub fn registry(&self, sub: &str, rg: &str, name: &str) -> Option<&Registry> {
        self.registries.iter().find(|r| {
            same(&r.subscription, sub) && same(&r.resource_group, rg) && same(&r.name, name)
        })
    }

    pub fn pools_of<'a>(&'a self, reg: &'a Registry) -> impl Iterator<Item = &'a AgentPool> + 'a {
        let key = RegistryKey { sub: &reg.subscription, rg: &reg.resource_group, name: &reg.name };
        self.pools.iter().filter(move |p| key.matches(&p.subscription, &p.resource_group, &p.registry))
    }

    pub fn pool_index(&self, key: RegistryKey, name: &str) -> Option<usize> {
        self.pools
            .iter()
            .position(|p| key.matches(&p.subscription, &p.resource_group, &p.registry) && same(&p.name, name))
    }

    pub fn runs_of<'a>(&'a self, key: RegistryKey<'a>) -> impl Iterator<Item = &'a Run> + 'a {
        self.runs.iter().filter(move |r| key.matches(&r.subscription, &r.resource_group, &r.registry))
    }

    pub fn tasks_of<'a>(&'a self, key: RegistryKey<'a>) -> impl Iterator<Item = &'a Task> + 'a {
        self.tasks.iter().filter(move |t| key.matches(&t.subscription, &t.resource_group, &t.registry))
    }

    pub fn nsg_by_id(&self, id: &str) -> Option<&NetworkSecurityGroup> {
        self.nsgs.iter().find(|n| same(&nsg_id(n), id))
    }

    /// The subnet a resource id names, with its virtual network.
    pub fn subnet_by_id(&self, id: &str) -> Option<(&VirtualNetwork, &Subnet)> {
        let parts: Vec<&str> = id.trim_end_matches('/').split('/').collect();
        let [_, s, sub, g, rg, p, ns, v, vnet, sn, subnet] = parts.as_slice() else { return None };
        if !(same(s, "subscriptions") && same(g, "resourceGroups") && same(p, "providers")
            && same(ns, "Microsoft.Network") && same(v, "virtualNetworks") && same(sn, "subnets"))
        {
            return None;
        }
        let vn = self.vnets.iter().find(|n| same(&n.subscription, sub) && same(&n.resource_group, rg) && same(&n.name, vnet))?;
        let sn = vn.subnets.iter().find(|x| same(&x.name, subnet))?;
        Some((vn, sn))
    }

    /// Queued runs waiting for this pool: what `listQueueStatus` counts.
    pub fn queued_on(&self, pool: &AgentPool) -> usize {
        let key = RegistryKey { sub: &pool.subscription, rg: &pool.resource_group, name: &pool.registry };
        self.runs_of(key)
            .filter(|r| r.status == "Queued" && r.agent_pool_name.as_deref().is_some_and(|n| same(n, &pool.name)))
            .count()
    }
}

pub fn registry_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}")
}

pub fn pool_id(p: &AgentPool) -> String {
    format!("{}/agentPools/{}", registry_id(&p.subscription, &p.resource_group, &p.registry), p.name)
}

pub fn nsg_id(n: &NetworkSecurityGroup) -> String {
    format!("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/networkSecurityGroups/{}", n.subscription, n.resource_group, n.name)
}

pub fn vnet_id(v: &VirtualNetwork) -> String {
    format!("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}", v.subscription, v.resource_group, v.name)
}
