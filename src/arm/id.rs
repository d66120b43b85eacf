//! ARM resource ids for the resources the portal shows. The portal's URLs *are* these ids
//! (SPEC F13), so parsing is strict: a crafted link cannot smuggle another host or path into a call.

use crate::domain::names;

const PROVIDER: &str = "Microsoft.ContainerRegistry";

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RegistryId {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AgentPoolId {
    pub registry: RegistryId,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RunId {
    pub registry: RegistryId,
    pub run_id: String,
}

/// A resource the portal has a page for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ResourceId {
    Subscription(String),
    Registry(RegistryId),
    AgentPool(AgentPoolId),
    Run(RunId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    /// The path does not have the shape of a resource id we show.
    Shape,
    /// A segment is not a valid name of its kind.
    Name { kind: &'static str, value: String },
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Shape => write!(f, "This address is not the id of a subscription, registry, agent pool or run."),
            IdError::Name { kind, value } => write!(f, "'{value}' is not a valid {kind} name."),
        }
    }
}

fn check(ok: bool, kind: &'static str, value: &str) -> Result<String, IdError> {
    if ok {
        Ok(value.to_string())
    } else {
        Err(IdError::Name { kind, value: value.to_string() })
    }
}

impl ResourceId {
    /// Parses `/subscriptions/…[/resourceGroups/…/providers/Microsoft.ContainerRegistry/registries/…[/agentPools/…|/runs/…]]`.
    /// Keywords match case-insensitively, as ARM's do; a trailing slash is allowed.
    pub fn parse(path: &str) -> Result<ResourceId, IdError> {
        let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
        if path.is_empty() || !path.starts_with('/') || segments.iter().any(|s| s.is_empty()) {
            return Err(IdError::Shape);
        }
        let kw = |i: usize, word: &str| segments.get(i).is_some_and(|s| s.eq_ignore_ascii_case(word));
        if !kw(0, "subscriptions") || segments.len() < 2 {
            return Err(IdError::Shape);
        }
        let sub = check(names::is_subscription_id(segments[1]), "subscription id", segments[1])?;
        if segments.len() == 2 {
            return Ok(ResourceId::Subscription(sub));
        }
        if segments.len() < 8
            || !kw(2, "resourceGroups")
            || !kw(4, "providers")
            || !kw(5, PROVIDER)
            || !kw(6, "registries")
        {
            return Err(IdError::Shape);
        }
        let registry = RegistryId {
            subscription: sub,
            resource_group: check(names::is_resource_group_name(segments[3]), "resource group", segments[3])?,
            name: check(names::is_registry_name(segments[7]), "registry", segments[7])?,
        };
        match segments.len() {
            8 => Ok(ResourceId::Registry(registry)),
            10 if kw(8, "agentPools") => Ok(ResourceId::AgentPool(AgentPoolId {
                name: check(names::is_agent_pool_name(segments[9]), "agent pool", segments[9])?,
                registry,
            })),
            10 if kw(8, "runs") => Ok(ResourceId::Run(RunId {
                run_id: check(names::is_run_id(segments[9]), "run id", segments[9])?,
                registry,
            })),
            _ => Err(IdError::Shape),
        }
    }

    /// The canonical id (ARM's casing), which is also the portal's URL path.
    pub fn path(&self) -> String {
        match self {
            ResourceId::Subscription(s) => subscription_path(s),
            ResourceId::Registry(r) => r.path(),
            ResourceId::AgentPool(p) => p.path(),
            ResourceId::Run(r) => r.path(),
        }
    }
}

pub fn subscription_path(subscription: &str) -> String {
    format!("/subscriptions/{subscription}")
}

impl RegistryId {
    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{PROVIDER}/registries/{}",
            self.subscription, self.resource_group, self.name
        )
    }

    pub fn pool(&self, name: &str) -> AgentPoolId {
        AgentPoolId { registry: self.clone(), name: name.to_string() }
    }
}

impl AgentPoolId {
    pub fn path(&self) -> String {
        format!("{}/agentPools/{}", self.registry.path(), self.name)
    }
}

impl RunId {
    pub fn path(&self) -> String {
        format!("{}/runs/{}", self.registry.path(), self.run_id)
    }
}

/// A subnet, as pasted by a user or read from a pool: strictly
/// `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Network/virtualNetworks/{v}/subnets/{n}`
/// (the CLI's help says `Microsoft.ClassicNetwork`: that is wrong, NOTES §1.7).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SubnetId {
    pub subscription: String,
    pub resource_group: String,
    pub vnet: String,
    pub name: String,
}

/// Virtual network and subnet names: 1–80 of letters, digits, `_ - .`, starting with a letter or
/// digit, not ending in `.` or `-`.
fn is_network_name(n: &str) -> bool {
    (1..=80).contains(&n.len())
        && n.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && !n.ends_with('.')
        && !n.ends_with('-')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
}

impl SubnetId {
    pub fn parse(id: &str) -> Result<SubnetId, IdError> {
        let id = id.trim();
        let s: Vec<&str> = id.trim_end_matches('/').split('/').collect();
        let kw = |i: usize, w: &str| s.get(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
        if s.len() != 11 || !s[0].is_empty() || !kw(1, "subscriptions") || !kw(3, "resourceGroups") || !kw(5, "providers")
            || !kw(6, "Microsoft.Network") || !kw(7, "virtualNetworks") || !kw(9, "subnets")
        {
            return Err(IdError::Shape);
        }
        Ok(SubnetId {
            subscription: check(names::is_subscription_id(s[2]), "subscription id", s[2])?,
            resource_group: check(names::is_resource_group_name(s[4]), "resource group", s[4])?,
            vnet: check(is_network_name(s[8]), "virtual network", s[8])?,
            name: check(is_network_name(s[10]), "subnet", s[10])?,
        })
    }

    pub fn path(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/virtualNetworks/{}/subnets/{}",
            self.subscription, self.resource_group, self.vnet, self.name
        )
    }
}

/// A network security group id, as a subnet refers to it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NsgId {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
}

impl NsgId {
    pub fn parse(id: &str) -> Result<NsgId, IdError> {
        let s: Vec<&str> = id.trim().trim_end_matches('/').split('/').collect();
        let kw = |i: usize, w: &str| s.get(i).is_some_and(|x| x.eq_ignore_ascii_case(w));
        if s.len() != 9 || !s[0].is_empty() || !kw(1, "subscriptions") || !kw(3, "resourceGroups") || !kw(5, "providers")
            || !kw(6, "Microsoft.Network") || !kw(7, "networkSecurityGroups")
        {
            return Err(IdError::Shape);
        }
        Ok(NsgId {
            subscription: check(names::is_subscription_id(s[2]), "subscription id", s[2])?,
            resource_group: check(names::is_resource_group_name(s[4]), "resource group", s[4])?,
            name: check(is_network_name(s[8]), "network security group", s[8])?,
        })
    }

    pub fn path(&self) -> String {
        format!("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Network/networkSecurityGroups/{}", self.subscription, self.resource_group, self.name)
    }
}

/// A subnet id, shown as `vnet/subnet`.
pub fn subnet_short_name(subnet_id: &str) -> String {
    let parts: Vec<&str> = subnet_id.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        [.., vn, vnet, sn, subnet] if vn.eq_ignore_ascii_case("virtualNetworks") && sn.eq_ignore_ascii_case("subnets") => {
            format!("{vnet}/{subnet}")
        }
        _ => subnet_id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-builds/providers/Microsoft.ContainerRegistry/registries/contosobuilds/agentPools/build-s2";

    #[test]
    fn a_pool_id_round_trips() {
        let id = ResourceId::parse(POOL).unwrap();
        let ResourceId::AgentPool(pool) = &id else { panic!("not a pool: {id:?}") };
        assert_eq!(pool.name, "build-s2");
        assert_eq!(pool.registry.resource_group, "rg-builds");
        assert_eq!(id.path(), POOL);
    }

    #[test]
    fn keywords_are_case_insensitive_and_the_path_is_canonical() {
        let lower = POOL.to_ascii_lowercase().replace("agentpools", "AGENTPOOLS");
        assert_eq!(ResourceId::parse(&lower).unwrap().path(), POOL.replace("rg-builds", "rg-builds"));
        assert_eq!(ResourceId::parse(&format!("{POOL}/")).unwrap().path(), POOL);
    }

    #[test]
    fn every_level_parses() {
        let reg = POOL.rsplit_once("/agentPools").unwrap().0;
        assert!(matches!(ResourceId::parse(reg), Ok(ResourceId::Registry(_))));
        assert!(matches!(ResourceId::parse("/subscriptions/abc"), Ok(ResourceId::Subscription(s)) if s == "abc"));
        let run = format!("{reg}/runs/ca12");
        assert_eq!(ResourceId::parse(&run).unwrap().path(), run);
    }

    #[test]
    fn malformed_ids_are_refused() {
        for bad in [
            "", "/", "/subscriptions", "/subscriptions//x", "/tenants/x",
            "/subscriptions/s/resourceGroups/g",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v",
            &format!("{POOL}/extra"),
        ] {
            assert_eq!(ResourceId::parse(bad), Err(IdError::Shape), "{bad}");
        }
    }

    #[test]
    fn names_that_break_the_spec_rules_are_refused() {
        let bad_pool = POOL.replace("build-s2", "b");
        assert!(matches!(ResourceId::parse(&bad_pool), Err(IdError::Name { kind: "agent pool", .. })));
        let smuggled = "/subscriptions/evil.example.com:443@x/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/abcde";
        assert!(matches!(ResourceId::parse(smuggled), Err(IdError::Name { kind: "subscription id", .. })));
        let encoded = POOL.replace("rg-builds", "rg%2F..%2F");
        assert!(ResourceId::parse(&encoded).is_err());
    }

    #[test]
    fn subnet_ids_parse_strictly() {
        let id = "/subscriptions/1f0e/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-pools";
        let s = SubnetId::parse(&format!("  {}  ", id.to_lowercase().replace("vnet-builds", "vnet-builds"))).unwrap();
        assert_eq!((s.vnet.as_str(), s.name.as_str()), ("vnet-builds", "snet-pools"));
        assert_eq!(SubnetId::parse(id).unwrap().path(), id);
        assert_eq!(SubnetId::parse(&id.replace("Microsoft.Network", "Microsoft.ClassicNetwork")), Err(IdError::Shape));
        assert!(SubnetId::parse(&id.replace("snet-pools", "snet pools")).is_err());
        assert!(SubnetId::parse("snet-pools").is_err());
        let nsg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/nsg-1";
        assert_eq!(NsgId::parse(nsg).unwrap().path(), nsg);
        assert!(NsgId::parse(id).is_err());
    }

    #[test]
    fn subnet_ids_shorten_to_vnet_and_subnet() {
        let id = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/snet-b";
        assert_eq!(subnet_short_name(id), "vnet-a/snet-b");
        assert_eq!(subnet_short_name("weird"), "weird");
    }
}
