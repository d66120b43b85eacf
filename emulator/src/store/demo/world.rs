//! A large tenant for the fleet benchmarks (admin `POST /seed-world`): `subscriptions` ×
//! `registries`, a share of them Premium in agent-pool regions with pools of every standard tier,
//! some Failed, some with runs waiting. Deterministic: the same numbers make the same world.

use serde::Deserialize;

use crate::store::*;
use crate::authority::users;
use crate::store::rules;

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorldSize {
    pub subscriptions: usize,
    /// Registries in each subscription.
    pub registries: usize,
    /// Of every ten registries, how many are Premium in an agent-pool region.
    #[serde(default = "default_premium")]
    pub premium_per_ten: usize,
    /// Pools in each of those.
    #[serde(default = "default_pools")]
    pub pools: usize,
}

fn default_premium() -> usize {
    3
}

fn default_pools() -> usize {
    5
}

/// Regions the other registries sit in: some offer agent pools (but the registry is not
/// Premium), some do not.
const OTHER_REGIONS: [&str; 4] = ["eastus", "uksouth", "westus", "northeurope"];

pub fn subscription_id(i: usize) -> String {
    format!("00000000-b3c4-4000-8000-{i:012}")
}

/// Adds the world to `state` (the demo stays as it was). Subscriptions already there are left
/// as they are: seeding twice adds nothing the second time.
pub fn seed(state: &mut State, size: &WorldSize, now_ms: u64) {
    let standard = ["S1", "S2", "S3"];
    for i in 0..size.subscriptions {
        let sub = subscription_id(i);
        if state.subscription(&sub).is_some() {
            continue;
        }
        state.subscriptions.push(Subscription { id: sub.clone(), display_name: format!("Bench {i:02}"), state: "Enabled".into() });
        for principal in [users::OWNER.oid, users::SERVICE_PRINCIPAL.oid] {
            state.assignments.push(RoleAssignment::at_subscription(principal, &sub, Role::Owner));
        }
        let rg = format!("rg-bench-{i:02}");
        state.resource_groups.push(ResourceGroup { subscription: sub.clone(), name: rg.clone(), location: "eastus".into() });
        for j in 0..size.registries {
            let premium = j % 10 < size.premium_per_ten;
            let location = if premium { rules::REGIONS[(i + j) % 10] } else { OTHER_REGIONS[j % OTHER_REGIONS.len()] };
            let registry = Registry {
                subscription: sub.clone(),
                resource_group: rg.clone(),
                name: format!("bench{i:02}reg{j:03}"),
                location: location.into(),
                sku: if premium { Sku::Premium } else if j % 2 == 0 { Sku::Standard } else { Sku::Basic },
                created: "2025-01-01T00:00:00.0000000Z".into(),
                tags: vec![("fleet".into(), "bench".into())],
                system_data: None,
            };
            if premium {
                for k in 0..size.pools {
                    let n = (i * size.registries + j) * size.pools + k;
                    // Within the default quota: S1 ×1, S2 ×1, S3 ×0 and so on (at most 6 vCPU).
                    let tier = standard[k % 3];
                    let count = if tier == "S3" { 0 } else { (n % 2) as i32 };
                    let failed = n % 47 == 0;
                    let name = format!("pool-{k}");
                    state.pools.push(AgentPool {
                        subscription: sub.clone(),
                        resource_group: rg.clone(),
                        registry: registry.name.clone(),
                        name: name.clone(),
                        location: location.into(),
                        tier: tier.into(),
                        count,
                        os: "Linux".into(),
                        subnet: None,
                        provisioning_state: if failed { "Failed".into() } else { "Succeeded".into() },
                        tags: Vec::new(),
                        pending: None,
                        system_data: None,
                    });
                    // Runs wait on some pools with no instances.
                    if count == 0 && n % 5 == 0 {
                        for q in 0..2u64 {
                            state.run_counter += 1;
                            state.runs.push(Run {
                                subscription: sub.clone(),
                                resource_group: rg.clone(),
                                registry: registry.name.clone(),
                                run_id: format!("cb{}", state.run_counter),
                                status: "Queued".into(),
                                run_type: "QuickBuild".into(),
                                agent_pool_name: Some(name.clone()),
                                task_name: None,
                                create_ms: now_ms.saturating_sub((q + 1) * 60_000),
                                start_ms: None,
                                finish_ms: None,
                                last_updated_ms: now_ms,
                                duration_ms: 60_000,
                                will_fail: false,
                                output_images: Vec::new(),
                                platform_os: "Linux".into(),
                                is_archive_enabled: false,
                                source_location: None,
                                docker_file: Some("Dockerfile".into()),
                                error_message: None,
                                cpu: None,
        scheduled_by: None,
                                system_data: None,
                                timer: None,
                                script: None,
                            });
                        }
                    }
                }
            }
            state.registries.push(registry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_world_has_the_numbers_the_issue_asks_for() {
        let mut state = State::default();
        seed(&mut state, &WorldSize { subscriptions: 50, registries: 40, premium_per_ten: 3, pools: 5 }, 1_000_000_000);
        assert_eq!(state.subscriptions.len(), 50);
        assert_eq!(state.registries.len(), 2000);
        let premium_in_regions = state.registries.iter().filter(|r| r.sku == Sku::Premium && rules::region_supported(&r.location)).count();
        assert_eq!(premium_in_regions, 600);
        assert_eq!(state.pools.len(), 3000);
        seed(&mut state, &WorldSize { subscriptions: 50, registries: 40, premium_per_ten: 3, pools: 5 }, 1_000_000_000);
        assert_eq!(state.registries.len(), 2000, "seeding twice adds nothing");
        assert!(state.pools.iter().any(|p| p.provisioning_state == "Failed"));
        assert!(state.runs.iter().all(|r| r.status == "Queued") && !state.runs.is_empty());
        // Every pool fits its registry's default quota.
        for r in &state.registries {
            let (std_used, _) = rules::usage(state.pools_of(r).map(|p| (p.tier.as_str(), p.count)));
            assert!(std_used <= u64::from(rules::STANDARD_QUOTA));
        }
    }
}
