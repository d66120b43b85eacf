//! The demo tenant (SPEC E8): two subscriptions; Premium registries in agent-pool regions with pools
//! of every standard tier (and one, in Sweden Central, with none yet); a Basic registry; a Premium
//! registry where agent pools are not offered;
//! virtual networks with a subnet whose NSG lets pools out, one whose NSG blocks Storage, and one
//! without an NSG; runs running and queued.

use crate::store::*;
use crate::authority::users;

pub mod history;
pub mod hostile;
pub mod ids;
pub mod schedule;
pub mod week;
pub mod world;

pub use ids::{subnet_id, CONTOSO_SUB, FABRIKAM_SUB};

fn registry(sub: &str, rg: &str, name: &str, location: &str, sku: Sku, created: &str) -> Registry {
    Registry {
        subscription: sub.into(),
        resource_group: rg.into(),
        name: name.into(),
        location: location.into(),
        sku,
        created: created.into(),
        tags: vec![("team".into(), "platform".into())],
        system_data: Some(SystemData::new(&activity::Who::user(&users::OWNER), crate::clock::parse_rfc3339_ms(created).unwrap_or(0))),
    }
}

fn pool(reg: &Registry, name: &str, tier: &str, count: i32, subnet: Option<String>) -> AgentPool {
    AgentPool {
        subscription: reg.subscription.clone(),
        resource_group: reg.resource_group.clone(),
        registry: reg.name.clone(),
        name: name.into(),
        location: reg.location.clone(),
        tier: tier.into(),
        count,
        os: "Linux".into(),
        subnet,
        provisioning_state: "Succeeded".into(),
        tags: Vec::new(),
        pending: None,
        system_data: None,
    }
}


/// An outbound rule, as `az network nsg rule create` would make it.
pub fn outbound(name: &str, priority: u32, access: &str, dest: &str, port: &str) -> SecurityRule {
    SecurityRule {
        name: name.into(),
        description: None,
        protocol: "Tcp".into(),
        source_port_range: "*".into(),
        destination_port_range: Some(port.into()),
        destination_port_ranges: Vec::new(),
        source_address_prefix: "VirtualNetwork".into(),
        destination_address_prefix: Some(dest.into()),
        destination_address_prefixes: Vec::new(),
        source_address_prefixes: Vec::new(),
        access: access.into(),
        priority,
        direction: "Outbound".into(),
    }
}

fn nsg(sub: &str, rg: &str, name: &str, location: &str, rules: Vec<SecurityRule>) -> NetworkSecurityGroup {
    NetworkSecurityGroup { subscription: sub.into(), resource_group: rg.into(), name: name.into(), location: location.into(), rules }
}

/// A demo run of `reg`, `age_ms` old at `now_ms`.
#[allow(clippy::too_many_arguments)]
fn run(reg: &Registry, n: u64, pool: Option<&str>, status: &str, now_ms: u64, age_ms: u64, duration_ms: u64) -> Run {
    let create_ms = now_ms.saturating_sub(age_ms);
    let started = matches!(status, "Running" | "Succeeded" | "Failed");
    let finished = matches!(status, "Succeeded" | "Failed");
    Run {
        subscription: reg.subscription.clone(),
        resource_group: reg.resource_group.clone(),
        registry: reg.name.clone(),
        run_id: format!("ca{n}"),
        status: status.into(),
        run_type: "QuickBuild".into(),
        agent_pool_name: pool.map(String::from),
        task_name: None,
        create_ms,
        start_ms: started.then_some(create_ms + 2_000),
        finish_ms: finished.then_some(create_ms + 2_000 + duration_ms),
        last_updated_ms: create_ms,
        duration_ms,
        will_fail: status == "Failed",
        output_images: vec![ImageRef {
            registry: format!("{}.azurecr.io", reg.name),
            repository: "web".into(),
            tag: format!("build-{n}"),
            digest: format!("sha256:{:064x}", n * 7919),
        }],
        platform_os: "Linux".into(),
        is_archive_enabled: false,
        source_location: Some("https://github.com/Azure-Samples/acr-build-helloworld-node.git".into()),
        docker_file: Some("Dockerfile".into()),
        error_message: (status == "Failed").then(|| "The command 'npm test' returned a non-zero code: 1".into()),
        cpu: None,
        scheduled_by: None,
        system_data: None,
        timer: None,
        script: None,
    }
}

/// The demo data, with `hostile`'s strings added when asked.
pub fn seed(now_ms: u64, hostile: bool) -> State {
    let mut state = state(now_ms);
    if hostile {
        hostile::add(&mut state, now_ms);
    }
    state
}

pub fn state(now_ms: u64) -> State {
    let builds = registry(CONTOSO_SUB, "rg-builds", "contosobuilds", "eastus", Sku::Premium, "2025-03-04T09:12:44.1537861Z");
    let basic = registry(CONTOSO_SUB, "rg-builds", "contosobasic", "eastus", Sku::Basic, "2025-05-20T14:02:10.0000000Z");
    let uk = registry(CONTOSO_SUB, "rg-uk", "contosouk", "uksouth", Sku::Premium, "2025-06-11T08:45:00.0000000Z");
    let research = registry(FABRIKAM_SUB, "rg-research", "fabrikamresearch", "westus2", Sku::Premium, "2025-01-15T17:30:05.0000000Z");
    // In a region agent pools reached later: the portal learns it from the provider registration.
    let nordic = registry(FABRIKAM_SUB, "rg-nordic", "fabrikamnordic", "swedencentral", Sku::Premium, "2026-09-14T10:20:00.0000000Z");

    let pools = vec![
        pool(&builds, "build-s2", "S2", 2, None),
        pool(&builds, "nightly-s1", "S1", 0, None),
        // At 0 instances: the demo leaves half the default quota free, so a pool can be created.
        pool(&builds, "vnet-s3", "S3", 0, Some(subnet_id(CONTOSO_SUB, "rg-network", "vnet-builds", "snet-pools"))),
        pool(&research, "train-s1", "S1", 1, None),
    ];

    let min = 60_000;
    let runs = vec![
        run(&builds, 1, Some("build-s2"), "Succeeded", now_ms, 50 * min, 4 * min),
        run(&builds, 2, Some("build-s2"), "Failed", now_ms, 40 * min, 3 * min),
        run(&builds, 3, Some("build-s2"), "Running", now_ms, 2 * min, 15 * min),
        run(&builds, 4, Some("build-s2"), "Running", now_ms, min, 12 * min),
        run(&builds, 5, Some("build-s2"), "Queued", now_ms, 30_000, 5 * min),
        run(&builds, 6, Some("nightly-s1"), "Queued", now_ms, 20 * min, 5 * min),
        run(&builds, 7, Some("nightly-s1"), "Queued", now_ms, 10 * min, 5 * min),
        run(&builds, 8, None, "Succeeded", now_ms, 90 * min, 2 * min),
    ];

    let nsgs = vec![
        // Lets pools out: explicit allows for what agent pools need, before a deny-internet rule.
        nsg(CONTOSO_SUB, "rg-network", "nsg-pools", "eastus", vec![
            outbound("AllowAzureKeyVault", 100, "Allow", "AzureKeyVault", "443"),
            outbound("AllowStorage", 110, "Allow", "Storage", "443"),
            outbound("AllowEventHub", 120, "Allow", "EventHub", "443"),
            outbound("AllowAzureActiveDirectory", 130, "Allow", "AzureActiveDirectory", "443"),
            outbound("AllowAzureMonitor", 140, "Allow", "AzureMonitor", "443"),
            outbound("AllowAzureMonitorDiagnostics", 150, "Allow", "AzureMonitor", "12000"),
            outbound("DenyInternet", 4000, "Deny", "Internet", "*"),
        ]),
        // Blocks Storage before anything allows it: a pool here ends Failed.
        nsg(CONTOSO_SUB, "rg-network", "nsg-locked", "eastus", vec![
            outbound("DenyStorageOutbound", 200, "Deny", "Storage", "443"),
        ]),
        nsg(FABRIKAM_SUB, "rg-research", "nsg-research", "westus2", Vec::new()),
    ];
    let nsg_ref = |rg: &str, name: &str, sub: &str| {
        Some(format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}"))
    };
    let vnets = vec![
        VirtualNetwork {
            subscription: CONTOSO_SUB.into(),
            resource_group: "rg-network".into(),
            name: "vnet-builds".into(),
            location: "eastus".into(),
            address_prefixes: vec!["10.20.0.0/16".into()],
            subnets: vec![
                Subnet { name: "snet-pools".into(), address_prefix: "10.20.1.0/24".into(), nsg: nsg_ref("rg-network", "nsg-pools", CONTOSO_SUB) },
                Subnet { name: "snet-locked".into(), address_prefix: "10.20.2.0/24".into(), nsg: nsg_ref("rg-network", "nsg-locked", CONTOSO_SUB) },
                Subnet { name: "snet-open".into(), address_prefix: "10.20.3.0/24".into(), nsg: None },
            ],
        },
        VirtualNetwork {
            subscription: CONTOSO_SUB.into(),
            resource_group: "rg-uk".into(),
            name: "vnet-uk".into(),
            location: "uksouth".into(),
            address_prefixes: vec!["10.30.0.0/16".into()],
            subnets: vec![Subnet { name: "default".into(), address_prefix: "10.30.0.0/24".into(), nsg: None }],
        },
        VirtualNetwork {
            subscription: FABRIKAM_SUB.into(),
            resource_group: "rg-research".into(),
            name: "vnet-research".into(),
            location: "westus2".into(),
            address_prefixes: vec!["10.40.0.0/16".into()],
            subnets: vec![Subnet { name: "snet-train".into(), address_prefix: "10.40.1.0/24".into(), nsg: nsg_ref("rg-research", "nsg-research", FABRIKAM_SUB) }],
        },
    ];

    let assign = RoleAssignment::at_subscription;
    let mut state = State {
        subscriptions: vec![
            Subscription { id: CONTOSO_SUB.into(), display_name: "Contoso Platform (demo)".into(), state: "Enabled".into() },
            Subscription { id: FABRIKAM_SUB.into(), display_name: "Fabrikam Research (demo)".into(), state: "Enabled".into() },
        ],
        resource_groups: vec![
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-builds".into(), location: "eastus".into() },
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-uk".into(), location: "uksouth".into() },
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-network".into(), location: "eastus".into() },
            ResourceGroup { subscription: FABRIKAM_SUB.into(), name: "rg-research".into(), location: "westus2".into() },
            ResourceGroup { subscription: FABRIKAM_SUB.into(), name: "rg-nordic".into(), location: "swedencentral".into() },
        ],
        registries: vec![builds, basic, uk, research, nordic],
        pools,
        assignments: vec![
            assign(users::OWNER.oid, CONTOSO_SUB, Role::Owner),
            assign(users::OWNER.oid, FABRIKAM_SUB, Role::Owner),
            assign(users::READER.oid, CONTOSO_SUB, Role::Reader),
            assign(users::SERVICE_PRINCIPAL.oid, CONTOSO_SUB, Role::Contributor),
            assign(users::SERVICE_PRINCIPAL.oid, FABRIKAM_SUB, Role::Contributor),
        ],
        vnets,
        nsgs,
        run_counter: runs.len() as u64,
        runs,
        tasks: Vec::new(),
        task_runs: Vec::new(),
        operations: Vec::new(),
        saved_at_ms: 0,
        // The demo is as of now: its past (a week of runs and timer firings) is written, not replayed.
        advanced_to_ms: now_ms,
        extra_pool_regions: Vec::new(),
        events: Vec::new(),
        sim: Default::default(),
        timers_off: false,
    };
    // A week of build-s2's past, so the insights have something to show at once. It ends before
    // ca1 (50 minutes ago) so the demo's own runs find the instances as they left them. Only for
    // a clock that has a week behind it (tests start some at 0).
    // build-s2's schedule, made six days ago: its instances follow it, so its week's runs do too.
    schedule::add(&mut state, now_ms);
    let week = 7 * 24 * 60 * min;
    if now_ms > week + 2 * 60 * min {
        let plan = history::Plan { pool: "build-s2".into(), runs: 500, days: 7, median_run_seconds: 240, seed: 12 };
        let builds = state.registries[0].clone();
        let changes = schedule::changes(now_ms);
        let instances = |t: u64| schedule::instances(now_ms, t);
        history::seed_following(&mut state, &builds, &plan, now_ms - 55 * min, Some((&instances, &changes))).expect("build-s2 has instances");
    }
    week::seed(&mut state, now_ms);
    state
}

#[cfg(test)]
mod tests {
    use super::week::*;
    use crate::authority::users;

    #[test]
    fn the_week_ends_where_the_demo_pools_are() {
        let now = 30 * DAY;
        let state = super::state(now);
        // The last count each pool's successful writes set is the count it has.
        for p in &state.pools {
            let id = crate::store::pool_id(p);
            let last = changes(&state.tasks, now)
                .into_iter()
                .filter(|c| matches!(c.outcome, Outcome::Operation(_)) && id.ends_with(&c.child) && c.sub == p.subscription)
                .filter_map(|c| c.body["properties"]["count"].as_i64())
                .last();
            assert_eq!(last, Some(i64::from(p.count)), "{}", p.name);
        }
        let correlations: std::collections::BTreeSet<&str> = state.events.iter().map(|e| e.context.correlation_id.as_str()).collect();
        assert_eq!(correlations.len(), changes(&state.tasks, now).len());
        assert!(state.events.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "oldest first");
        let failed: Vec<_> = state.events.iter().filter(|e| e.status == "Failed").collect();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].error.as_ref().map(|e| e.0.as_str()), Some("QuotaExceeded"));
        assert!(super::state(DAY).events.len() < state.events.len(), "a young clock holds only what fits");
    }

    #[test]
    fn pools_carry_who_made_them_and_who_changed_them_last() {
        let now = 30 * DAY;
        let state = super::state(now);
        let of = |name: &str| state.pools.iter().find(|p| p.name == name).and_then(|p| p.system_data.clone()).expect(name);
        let robot = users::SERVICE_PRINCIPAL.client_id;
        let nightly = of("nightly-s1");
        assert_eq!((nightly.created.by.as_str(), nightly.created.by_type.as_str()), (users::OWNER.username, "User"));
        assert_eq!((nightly.last_modified.by.as_str(), nightly.last_modified.by_type.as_str()), (robot, "Application"));
        assert_eq!(nightly.last_modified.at_ms, now - 27 * HOUR);
        let vnet = of("vnet-s3");
        assert_eq!((vnet.created.by.as_str(), vnet.last_modified.by.as_str()), (users::OWNER.username, users::OWNER.username));
        assert_eq!(of("build-s2").created.by, robot);
    }
}
