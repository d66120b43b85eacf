//! How Azure judges a subnet for an agent pool: the pool's VMs must reach five service tags over
//! TCP 443 (and AzureMonitor over 12000). NSG rules are evaluated outbound in priority order,
//! default rules included; the first rule that matches decides.

use crate::store::{NetworkSecurityGroup, SecurityRule};

/// (service tag, port) pairs an agent pool needs to reach (seed + Learn).
pub const REQUIRED: [(&str, u16); 6] = [
    ("AzureKeyVault", 443),
    ("Storage", 443),
    ("EventHub", 443),
    ("AzureActiveDirectory", 443),
    ("AzureMonitor", 443),
    ("AzureMonitor", 12000),
];

/// The outbound default rules every NSG has (NetworkSecurityGroupGet.json).
pub fn default_rules() -> Vec<SecurityRule> {
    let rule = |name: &str, description: &str, dest: &str, access: &str, priority: u32, direction: &str, source: &str| SecurityRule {
        name: name.into(),
        description: Some(description.into()),
        protocol: "*".into(),
        source_port_range: "*".into(),
        destination_port_range: Some("*".into()),
        destination_port_ranges: Vec::new(),
        source_address_prefix: source.into(),
        destination_address_prefix: Some(dest.into()),
        destination_address_prefixes: Vec::new(),
        source_address_prefixes: Vec::new(),
        access: access.into(),
        priority,
        direction: direction.into(),
    };
    vec![
        rule("AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "VirtualNetwork", "Allow", 65000, "Inbound", "VirtualNetwork"),
        rule("AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "*", "Allow", 65001, "Inbound", "AzureLoadBalancer"),
        rule("DenyAllInBound", "Deny all inbound traffic", "*", "Deny", 65500, "Inbound", "*"),
        rule("AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "VirtualNetwork", "Allow", 65000, "Outbound", "VirtualNetwork"),
        rule("AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "Internet", "Allow", 65001, "Outbound", "*"),
        rule("DenyAllOutBound", "Deny all outbound traffic", "*", "Deny", 65500, "Outbound", "*"),
    ]
}

fn port_matches(range: &str, port: u16) -> bool {
    let range = range.trim();
    if range == "*" {
        return true;
    }
    match range.split_once('-') {
        Some((lo, hi)) => matches!((lo.trim().parse::<u16>(), hi.trim().parse::<u16>()), (Ok(lo), Ok(hi)) if lo <= port && port <= hi),
        None => range.parse::<u16>() == Ok(port),
    }
}

/// Service tags are public Azure addresses: reached by the tag itself, its regional form
/// (`Storage.EastUS`), `Internet`, or anything.
fn destination_matches(prefix: &str, tag: &str) -> bool {
    let p = prefix.trim();
    p == "*"
        || p == "0.0.0.0/0"
        || p.eq_ignore_ascii_case("Internet")
        || p.eq_ignore_ascii_case(tag)
        || p.to_ascii_lowercase().starts_with(&format!("{}.", tag.to_ascii_lowercase()))
}

/// The pool's own addresses: `*`, `VirtualNetwork`, or a CIDR (taken to cover the subnet).
fn source_matches(prefix: &str) -> bool {
    let p = prefix.trim();
    p == "*" || p.eq_ignore_ascii_case("VirtualNetwork") || p.contains('/')
}

fn rule_matches(rule: &SecurityRule, tag: &str, port: u16) -> bool {
    let ports: Vec<&str> = rule.destination_port_range.iter().map(String::as_str).chain(rule.destination_port_ranges.iter().map(String::as_str)).collect();
    let dests: Vec<&str> = rule.destination_address_prefix.iter().map(String::as_str).chain(rule.destination_address_prefixes.iter().map(String::as_str)).collect();
    rule.direction.eq_ignore_ascii_case("Outbound")
        && (rule.protocol == "*" || rule.protocol.eq_ignore_ascii_case("Tcp"))
        && std::iter::once(&rule.source_address_prefix).chain(&rule.source_address_prefixes).filter(|p| !p.is_empty()).any(|p| source_matches(p))
        && ports.iter().any(|r| port_matches(r, port))
        && dests.iter().any(|d| destination_matches(d, tag))
}

/// A required destination the NSG refuses, and the rule that refuses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    pub tag: &'static str,
    pub port: u16,
    pub rule: String,
    pub priority: u32,
}

pub fn blocked(nsg: &NetworkSecurityGroup) -> Vec<Blocked> {
    let mut rules: Vec<SecurityRule> = nsg.rules.iter().cloned().chain(default_rules()).collect();
    rules.sort_by_key(|r| r.priority);
    REQUIRED
        .iter()
        .filter_map(|&(tag, port)| {
            let first = rules.iter().find(|r| rule_matches(r, tag, port))?;
            (!first.access.eq_ignore_ascii_case("Allow")).then(|| Blocked { tag, port, rule: first.name.clone(), priority: first.priority })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::demo::outbound;

    fn nsg(rules: Vec<SecurityRule>) -> NetworkSecurityGroup {
        NetworkSecurityGroup { subscription: "s".into(), resource_group: "g".into(), name: "n".into(), location: "eastus".into(), rules }
    }

    #[test]
    fn the_default_rules_let_pools_out() {
        assert!(blocked(&nsg(Vec::new())).is_empty());
    }

    #[test]
    fn a_deny_before_any_allow_blocks_and_is_named() {
        let b = blocked(&nsg(vec![outbound("DenyStorage", 200, "Deny", "Storage", "443")]));
        assert_eq!(b, vec![Blocked { tag: "Storage", port: 443, rule: "DenyStorage".into(), priority: 200 }]);
    }

    #[test]
    fn priority_decides_not_order_of_listing() {
        let rules = vec![outbound("DenyAll", 300, "Deny", "*", "*"), outbound("AllowStorage", 100, "Allow", "Storage", "443")];
        let b = blocked(&nsg(rules));
        assert!(b.iter().all(|x| x.tag != "Storage"), "Storage allowed at 100 before the deny at 300");
        assert_eq!(b.len(), 5);
        assert!(b.iter().all(|x| x.rule == "DenyAll"));
    }

    #[test]
    fn port_ranges_lists_wildcards_and_regional_tags_match() {
        assert!(port_matches("400-500", 443) && !port_matches("444-500", 443) && port_matches("*", 12000));
        let mut rule = outbound("DenyMonitor", 100, "Deny", "AzureMonitor.EastUS", "1-1000");
        rule.destination_port_ranges = vec!["12000".into()];
        let b = blocked(&nsg(vec![rule]));
        assert_eq!(b.iter().map(|x| x.port).collect::<Vec<_>>(), vec![443, 12000]);
        // A UDP-only deny does not touch TCP traffic.
        let mut udp = outbound("DenyUdp", 100, "Deny", "*", "*");
        udp.protocol = "Udp".into();
        assert!(blocked(&nsg(vec![udp])).is_empty());
        // Denying the internet blocks service tags unless they are allowed first.
        assert_eq!(blocked(&nsg(vec![outbound("NoInternet", 100, "Deny", "Internet", "*")])).len(), 6);
    }
}
