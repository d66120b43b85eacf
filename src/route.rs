//! Which page a URL path shows. Every page's URL is the ARM id of what it shows (SPEC F13).

use crate::arm::id::{AgentPoolId, IdError, RegistryId, ResourceId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Every agent pool the user can see, across subscriptions (`/pools`; its filters are in the
    /// query string, which `domain::fleet` reads).
    Fleet,
    Resource(ResourceId),
    /// The create form of a registry's pools: `{registry id}/createAgentPool`, an action on the
    /// registry as ARM names actions (`…/listQueueStatus`), so it cannot be mistaken for a pool.
    CreatePool(RegistryId),
    /// A pool's history and sizing advisor: `{pool id}/insights` (its window and target in the
    /// query, which `domain::insights` reads).
    Insights(AgentPoolId),
    /// Every run on a pool, paged, and the forms that start runs: `{pool id}/runs`.
    PoolRuns(AgentPoolId),
    /// Who changed a pool, and when (the Activity Log): `{pool id}/activity`.
    PoolActivity(AgentPoolId),
    /// A pool's weekly schedule, run by ACR timer tasks: `{pool id}/schedule`.
    PoolSchedule(AgentPoolId),
    /// Who changed a registry's pools, runs and tasks: `{registry id}/activity`.
    RegistryActivity(RegistryId),
    /// A path that is not a resource id we know, with the reason.
    Invalid(String),
}

pub const CREATE_POOL: &str = "createAgentPool";

pub const INSIGHTS: &str = "insights";

pub fn insights_path(pool: &AgentPoolId) -> String {
    format!("{}/{INSIGHTS}", pool.path())
}

pub const RUNS: &str = "runs";

pub fn runs_path(pool: &AgentPoolId) -> String {
    format!("{}/{RUNS}", pool.path())
}

pub const SCHEDULE: &str = "schedule";

pub fn schedule_path(pool: &AgentPoolId) -> String {
    format!("{}/{SCHEDULE}", pool.path())
}

pub const ACTIVITY: &str = "activity";

/// The activity view of a pool or a registry (given by its id path).
pub fn activity_path(resource: &str) -> String {
    format!("{resource}/{ACTIVITY}")
}

/// `path` without a trailing `/{suffix}` (any case), if it ends so.
fn strip_suffix_ci<'a>(path: &'a str, suffix: &str) -> Option<&'a str> {
    let tail = format!("/{suffix}");
    let cut = path.len().checked_sub(tail.len()).filter(|&c| c > 0)?;
    path.get(cut..).filter(|t| t.eq_ignore_ascii_case(&tail)).map(|_| &path[..cut])
}

/// The fleet's path.
pub const FLEET: &str = "/pools";

pub fn create_pool_path(registry: &RegistryId) -> String {
    format!("{}/{CREATE_POOL}", registry.path())
}

impl Route {
    pub fn from_path(path: &str) -> Route {
        if path.is_empty() || path == "/" || path == "/index.html" {
            return Route::Home;
        }
        if path.trim_end_matches('/').eq_ignore_ascii_case(FLEET) {
            return Route::Fleet;
        }
        let trimmed = path.trim_end_matches('/');
        // An action or view hanging off a resource, unless the whole path is itself a resource
        // (a registry may be named `createAgentPool`, a pool `insights`).
        let whole = ResourceId::parse(path);
        if let Some(registry) = strip_suffix_ci(trimmed, CREATE_POOL) {
            match ResourceId::parse(registry) {
                Ok(ResourceId::Registry(r)) => return Route::CreatePool(r),
                Ok(_) if whole.is_err() => return Route::Invalid("Agent pools are created in a registry.".into()),
                _ => {}
            }
        }
        if let Some(pool) = strip_suffix_ci(trimmed, INSIGHTS) {
            match ResourceId::parse(pool) {
                Ok(ResourceId::AgentPool(p)) => return Route::Insights(p),
                Ok(_) if whole.is_err() => return Route::Invalid("Insights are shown for an agent pool.".into()),
                _ => {}
            }
        }
        if let Some(pool) = strip_suffix_ci(trimmed, RUNS) {
            // `{registry}/runs` is a list ARM has, but not a page here; a pool's runs are.
            if let Ok(ResourceId::AgentPool(p)) = ResourceId::parse(pool) {
                return Route::PoolRuns(p);
            }
        }
        if let Some(pool) = strip_suffix_ci(trimmed, SCHEDULE) {
            if let Ok(ResourceId::AgentPool(p)) = ResourceId::parse(pool) {
                return Route::PoolSchedule(p);
            }
        }
        if let Some(resource) = strip_suffix_ci(trimmed, ACTIVITY) {
            match ResourceId::parse(resource) {
                Ok(ResourceId::AgentPool(p)) => return Route::PoolActivity(p),
                Ok(ResourceId::Registry(r)) => return Route::RegistryActivity(r),
                Ok(_) if whole.is_err() => return Route::Invalid("Activity is shown for a registry or an agent pool.".into()),
                _ => {}
            }
        }
        match whole {
            Ok(id) => Route::Resource(id),
            Err(e @ (IdError::Shape | IdError::Name { .. })) => Route::Invalid(e.to_string()),
        }
    }

    /// The document title: what a tab, the history list and a screen reader name the page by.
    /// Most specific first, so tabs of sibling pools tell apart.
    pub fn title(&self) -> String {
        let what = match self {
            Route::Home => "Subscriptions".to_string(),
            Route::Fleet => "All agent pools".to_string(),
            Route::Resource(ResourceId::Subscription(id)) => format!("Registries in subscription {id}"),
            Route::Resource(ResourceId::Registry(r)) => format!("{} · agent pools", r.name),
            Route::Resource(ResourceId::AgentPool(p)) => format!("{} · agent pool in {}", p.name, p.registry.name),
            Route::Resource(ResourceId::Run(r)) => format!("Run {} · {}", r.run_id, r.registry.name),
            Route::CreatePool(r) => format!("Create agent pool · {}", r.name),
            Route::Insights(p) => format!("{} · insights · agent pool in {}", p.name, p.registry.name),
            Route::PoolActivity(p) => format!("{} · activity · agent pool in {}", p.name, p.registry.name),
            Route::PoolRuns(p) => format!("{} · runs · agent pool in {}", p.name, p.registry.name),
            Route::PoolSchedule(p) => format!("{} · schedule · agent pool in {}", p.name, p.registry.name),
            Route::RegistryActivity(r) => format!("{} · activity", r.name),
            Route::Invalid(_) => "Link not found".to_string(),
        };
        format!("{what} · Pool Portal")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_home_and_ids_are_resources() {
        assert_eq!(Route::from_path("/"), Route::Home);
        assert_eq!(Route::from_path("/pools"), Route::Fleet);
        assert_eq!(Route::from_path("/Pools/"), Route::Fleet);
        assert!(matches!(Route::from_path("/subscriptions/abc"), Route::Resource(ResourceId::Subscription(_))));
    }

    #[test]
    fn the_create_form_hangs_off_its_registry() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        let Route::CreatePool(r) = Route::from_path(&format!("{reg}/createagentpool/")) else { panic!() };
        assert_eq!(create_pool_path(&r), format!("{reg}/createAgentPool"));
        assert!(matches!(Route::from_path(&format!("{reg}/agentPools/p1p/createAgentPool")), Route::Invalid(_)));
        // A registry named `createAgentPool` (letters only: a valid name) is a registry.
        let named = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/createAgentPool";
        assert!(matches!(Route::from_path(named), Route::Resource(ResourceId::Registry(_))));
        assert!(matches!(Route::from_path("/createAgentPool"), Route::Invalid(_)));
    }

    #[test]
    fn insights_hang_off_their_pool() {
        let pool = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde/agentPools/p1p";
        let Route::Insights(p) = Route::from_path(&format!("{pool}/Insights/")) else { panic!() };
        assert_eq!(insights_path(&p), format!("{pool}/insights"));
        assert!(matches!(Route::from_path("/subscriptions/s/insights"), Route::Invalid(_)));
        assert!(matches!(Route::from_path("/insights"), Route::Invalid(_)));
        // A pool named `insights` is a pool; its insights are one step further.
        let Route::Resource(ResourceId::AgentPool(named)) = Route::from_path(&format!("{pool}/../insights").replace("p1p/../", "")) else { panic!() };
        assert_eq!(named.name, "insights");
        let Route::Insights(of) = Route::from_path(&format!("{}/insights", named.path())) else { panic!() };
        assert_eq!(of.name, "insights");
    }

    #[test]
    fn a_pools_runs_hang_off_it_and_a_run_stays_a_run() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        let Route::PoolRuns(p) = Route::from_path(&format!("{reg}/agentPools/p1p/runs/")) else { panic!() };
        assert_eq!(runs_path(&p), format!("{reg}/agentPools/p1p/runs"));
        assert!(matches!(Route::from_path(&format!("{reg}/runs/ca1")), Route::Resource(ResourceId::Run(_))));
        // A pool named `runs` is a pool.
        let Route::Resource(ResourceId::AgentPool(named)) = Route::from_path(&format!("{reg}/agentPools/runs")) else { panic!() };
        assert_eq!(named.name, "runs");
    }

    #[test]
    fn a_pools_schedule_hangs_off_it() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        let Route::PoolSchedule(p) = Route::from_path(&format!("{reg}/agentPools/p1p/Schedule/")) else { panic!() };
        assert_eq!(schedule_path(&p), format!("{reg}/agentPools/p1p/schedule"));
        assert_eq!(Route::PoolSchedule(p).title(), "p1p · schedule · agent pool in abcde · Pool Portal");
        assert!(matches!(Route::from_path(&format!("{reg}/agentPools/schedule")), Route::Resource(ResourceId::AgentPool(_))));
    }

    #[test]
    fn activity_hangs_off_a_pool_or_a_registry() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        let Route::PoolActivity(p) = Route::from_path(&format!("{reg}/agentPools/p1p/Activity/")) else { panic!() };
        assert_eq!(activity_path(&p.path()), format!("{reg}/agentPools/p1p/activity"));
        let Route::RegistryActivity(r) = Route::from_path(&format!("{reg}/activity")) else { panic!() };
        assert_eq!(r.name, "abcde");
        assert!(matches!(Route::from_path("/subscriptions/s/activity"), Route::Invalid(_)));
        // A pool named `activity` is a pool.
        assert!(matches!(Route::from_path(&format!("{reg}/agentPools/activity")), Route::Resource(ResourceId::AgentPool(_))));
    }

    #[test]
    fn every_page_has_its_own_title() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        let titles: Vec<String> = ["/", "/pools", "/subscriptions/s", reg, &format!("{reg}/agentPools/p1p"), &format!("{reg}/runs/ca12"), &format!("{reg}/createAgentPool"), "/nope", &format!("{reg}/agentPools/p1p/insights"), &format!("{reg}/agentPools/p1p/activity"), &format!("{reg}/activity")]
            .iter()
            .map(|p| Route::from_path(p).title())
            .collect();
        assert_eq!(titles[4], "p1p · agent pool in abcde · Pool Portal");
        assert_eq!(titles[5], "Run ca12 · abcde · Pool Portal");
        assert_eq!(titles[7], "Link not found · Pool Portal");
        let distinct: std::collections::BTreeSet<&String> = titles.iter().collect();
        assert_eq!(distinct.len(), titles.len(), "{titles:?}");
    }

    #[test]
    fn anything_else_is_invalid_with_a_reason() {
        let Route::Invalid(reason) = Route::from_path("/nope") else { panic!() };
        assert!(reason.contains("not the id"), "{reason}");
    }
}
