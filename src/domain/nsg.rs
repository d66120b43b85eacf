//! VNet readiness (SPEC F10): can an agent pool in this subnet reach what it needs? Outbound TCP
//! 443 to AzureKeyVault, Storage, EventHub, AzureActiveDirectory, AzureMonitor, and 12000 to
//! AzureMonitor, judged against the NSG's rules in priority order, default rules included. For
//! each blocked destination, the `az` command that would let it through.

/// A security rule, reduced to what decides outbound traffic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    pub priority: u32,
    /// Inbound | Outbound
    pub direction: String,
    /// Allow | Deny
    pub access: String,
    /// Tcp | Udp | Icmp | Esp | Ah | *
    pub protocol: String,
    pub source_prefixes: Vec<String>,
    pub destination_prefixes: Vec<String>,
    /// "443", "400-500", "*"
    pub destination_ports: Vec<String>,
    /// One of the rules every NSG has (AllowInternetOutBound, DenyAllOutBound, …).
    pub is_default: bool,
}

/// What an agent pool must reach (seed table + Learn: 12000 for diagnostics).
pub const REQUIRED: [(&str, u16); 6] = [
    ("AzureKeyVault", 443),
    ("Storage", 443),
    ("EventHub", 443),
    ("AzureActiveDirectory", 443),
    ("AzureMonitor", 443),
    ("AzureMonitor", 12000),
];

pub fn port_matches(range: &str, port: u16) -> bool {
    let range = range.trim();
    if range == "*" {
        return true;
    }
    match range.split_once('-') {
        Some((lo, hi)) => matches!((lo.trim().parse::<u16>(), hi.trim().parse::<u16>()), (Ok(lo), Ok(hi)) if lo <= port && port <= hi),
        None => range.parse::<u16>() == Ok(port),
    }
}

/// Service tags are public Azure endpoints: matched by the tag, its regional form
/// (`Storage.EastUS`), `Internet`, `*` or `0.0.0.0/0`. Private CIDRs and other tags do not match.
pub fn destination_matches(prefix: &str, tag: &str) -> bool {
    let p = prefix.trim();
    let lower = p.to_ascii_lowercase();
    p == "*" || p == "0.0.0.0/0" || lower == "internet" || lower == tag.to_ascii_lowercase() || lower.starts_with(&format!("{}.", tag.to_ascii_lowercase()))
}

/// The pool's VMs are in the subnet: `*`, `VirtualNetwork` or an address range match them (we
/// cannot tell which range covers the subnet without its addresses, so any CIDR is taken to).
fn source_matches(prefix: &str) -> bool {
    let p = prefix.trim();
    p == "*" || p.eq_ignore_ascii_case("VirtualNetwork") || p.contains('/') || p.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn matches(rule: &Rule, tag: &str, port: u16) -> bool {
    rule.direction.eq_ignore_ascii_case("Outbound")
        && (rule.protocol == "*" || rule.protocol.eq_ignore_ascii_case("Tcp"))
        && rule.source_prefixes.iter().any(|s| source_matches(s))
        && rule.destination_ports.iter().any(|r| port_matches(r, port))
        && rule.destination_prefixes.iter().any(|d| destination_matches(d, tag))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub tag: &'static str,
    pub port: u16,
    pub allowed: bool,
    /// The rule that decided, if any matched (every NSG's DenyAllOutBound always does).
    pub rule: Option<Rule>,
}

/// The outbound rules every NSG has (ARM lists them as `defaultSecurityRules`).
pub fn default_outbound_rules() -> Vec<Rule> {
    let d = |name: &str, priority, access: &str, dest: &str, source: &str| Rule {
        name: name.into(),
        priority,
        direction: "Outbound".into(),
        access: access.into(),
        protocol: "*".into(),
        source_prefixes: vec![source.into()],
        destination_prefixes: vec![dest.into()],
        destination_ports: vec!["*".into()],
        is_default: true,
    };
    vec![
        d("AllowVnetOutBound", 65000, "Allow", "VirtualNetwork", "VirtualNetwork"),
        d("AllowInternetOutBound", 65001, "Allow", "Internet", "*"),
        d("DenyAllOutBound", 65500, "Deny", "*", "*"),
    ]
}

/// Each required destination with the rule that decides it. If the rules given lack the default
/// ones (a partial listing), Azure's defaults are assumed, as every NSG has them.
pub fn evaluate(rules: &[Rule]) -> Vec<Verdict> {
    let defaults = if rules.iter().any(|r| r.is_default) { Vec::new() } else { default_outbound_rules() };
    let mut sorted: Vec<&Rule> = rules.iter().chain(defaults.iter()).collect();
    // Lower number first; custom rules (100–4096) always come before default ones (65000+).
    sorted.sort_by_key(|r| (r.priority, r.is_default));
    REQUIRED
        .iter()
        .map(|&(tag, port)| {
            let rule = sorted.iter().find(|r| matches(r, tag, port)).map(|r| (*r).clone());
            let allowed = rule.as_ref().is_some_and(|r| r.access.eq_ignore_ascii_case("Allow"));
            Verdict { tag, port, allowed, rule }
        })
        .collect()
}

fn taken(rules: &[Rule]) -> Vec<u32> {
    rules.iter().filter(|r| !r.is_default && r.direction.eq_ignore_ascii_case("Outbound")).map(|r| r.priority).collect()
}

/// The free priority closest below `blocking` (custom rules use 100–4096), so a new allow rule
/// wins over it; `None` if every number above it is taken (or it is at 100).
fn free_priority_before(blocking: u32, rules: &[Rule]) -> Option<u32> {
    let taken = taken(rules);
    (100..blocking.min(4097)).rev().find(|p| !taken.contains(p))
}

/// A free priority after every custom rule, to move a blocking rule out of the way.
fn free_priority_last(rules: &[Rule]) -> Option<u32> {
    let taken = taken(rules);
    (100..=4096).rev().find(|p| !taken.contains(p))
}

/// `az` commands that let the blocked destinations through: per tag one allow rule with a
/// priority that wins over every rule blocking that tag (AzureMonitor's two ports share it). When
/// a blocking rule leaves no room before it, one command first moves that rule to the end.
pub fn fix_commands(resource_group: &str, nsg: &str, rules: &[Rule], verdicts: &[Verdict]) -> Vec<String> {
    use super::cli::quote;
    let (g, n) = (quote(resource_group), quote(nsg));
    let mut commands = Vec::new();
    let mut planned: Vec<Rule> = rules.to_vec();
    let mut tags: Vec<&str> = verdicts.iter().filter(|v| !v.allowed).map(|v| v.tag).collect();
    tags.dedup();
    for tag in tags {
        let blocked: Vec<&Verdict> = verdicts.iter().filter(|v| v.tag == tag && !v.allowed).collect();
        let ports: Vec<String> = blocked.iter().map(|v| v.port.to_string()).collect();
        // The allow must beat the strongest (lowest-numbered) rule blocking any of the ports.
        // (at its planned priority: an earlier step may have moved it)
        let planned_priority = |r: &Rule, planned: &[Rule]| planned.iter().find(|p| p.name == r.name && p.is_default == r.is_default).map_or(r.priority, |p| p.priority);
        let blocking = blocked.iter().filter_map(|v| v.rule.as_ref()).min_by_key(|r| planned_priority(r, &planned)).cloned();
        let mut limit = blocking.as_ref().map_or(65500, |r| planned_priority(r, &planned));
        if free_priority_before(limit, &planned).is_none() {
            if let (Some(rule), Some(to)) = (blocking.as_ref().filter(|r| !r.is_default), free_priority_last(&planned)) {
                if let Some(moved) = planned.iter_mut().find(|r| r.name == rule.name && !r.is_default) {
                    commands.push(format!("az network nsg rule update -g {g} --nsg-name {n} -n {} --priority {to}", quote(&rule.name)));
                    moved.priority = to;
                    limit = to;
                }
            }
        }
        let Some(priority) = free_priority_before(limit, &planned) else {
            commands.push(format!("# No priority is free before the rule blocking {tag}: review the NSG's rules by hand."));
            continue;
        };
        let name = format!("Allow{tag}Outbound");
        commands.push(format!(
            "az network nsg rule create -g {g} --nsg-name {n} -n {name} --priority {priority} \
             --direction Outbound --access Allow --protocol Tcp --source-address-prefixes VirtualNetwork \
             --destination-address-prefixes {tag} --destination-port-ranges {}",
            ports.join(" ")
        ));
        planned.push(Rule {
            name,
            priority,
            direction: "Outbound".into(),
            access: "Allow".into(),
            protocol: "Tcp".into(),
            source_prefixes: vec!["VirtualNetwork".into()],
            destination_prefixes: vec![tag.into()],
            destination_ports: ports,
            is_default: false,
        });
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str, priority: u32, access: &str, dest: &str, port: &str) -> Rule {
        Rule {
            name: name.into(),
            priority,
            direction: "Outbound".into(),
            access: access.into(),
            protocol: "Tcp".into(),
            source_prefixes: vec!["VirtualNetwork".into()],
            destination_prefixes: vec![dest.into()],
            destination_ports: vec![port.into()],
            is_default: false,
        }
    }

    fn defaults() -> Vec<Rule> {
        default_outbound_rules()
    }

    #[test]
    fn missing_default_rules_are_assumed() {
        assert!(evaluate(&[]).iter().all(|v| v.allowed));
        let only_custom = [rule("DenyStorage", 200, "Deny", "Storage", "443")];
        assert_eq!(blocked(&only_custom), vec![("Storage", 443, "DenyStorage".into())]);
    }

    fn blocked(rules: &[Rule]) -> Vec<(&'static str, u16, String)> {
        evaluate(rules).into_iter().filter(|v| !v.allowed).map(|v| (v.tag, v.port, v.rule.map(|r| r.name).unwrap_or_default())).collect()
    }

    #[test]
    fn default_rules_let_everything_out_through_allow_internet() {
        let v = evaluate(&defaults());
        assert!(v.iter().all(|x| x.allowed));
        assert_eq!(v[0].rule.as_ref().unwrap().name, "AllowInternetOutBound");
    }

    #[test]
    fn priority_order_decides() {
        let mut rules = defaults();
        rules.push(rule("DenyAll", 300, "Deny", "*", "*"));
        rules.push(rule("AllowStorage", 200, "Allow", "Storage", "443"));
        let b = blocked(&rules);
        assert!(!b.iter().any(|(t, _, _)| *t == "Storage"), "allowed at 200 before the deny at 300");
        assert_eq!(b.len(), 5);
        assert!(b.iter().all(|(_, _, r)| r == "DenyAll"));
    }

    #[test]
    fn service_tags_port_ranges_and_wildcards() {
        let mut rules = defaults();
        rules.push(rule("DenyMonitorRegion", 100, "Deny", "AzureMonitor.EastUS", "10000-13000"));
        assert_eq!(blocked(&rules), vec![("AzureMonitor", 12000, "DenyMonitorRegion".into())]);
        let mut rules = defaults();
        rules.push(rule("DenyInternet", 100, "Deny", "Internet", "*"));
        assert_eq!(blocked(&rules).len(), 6, "service tags are internet destinations");
        let mut rules = defaults();
        rules.push(rule("DenyPrivate", 100, "Deny", "10.0.0.0/8", "*"));
        assert!(blocked(&rules).is_empty(), "a private range is not a service tag");
        let mut udp = rule("DenyUdp", 100, "Deny", "*", "*");
        udp.protocol = "Udp".into();
        let mut rules = defaults();
        rules.push(udp);
        assert!(blocked(&rules).is_empty());
        assert!(port_matches("440-450", 443) && !port_matches("444-450", 443) && !port_matches("x", 443));
    }

    #[test]
    fn fixes_get_a_priority_that_beats_the_blocking_rule() {
        let mut rules = defaults();
        rules.push(rule("DenyStorageOutbound", 200, "Deny", "Storage", "443"));
        rules.push(rule("Other", 199, "Allow", "Sql", "1433"));
        let cmds = fix_commands("rg-network", "nsg-locked", &rules, &evaluate(&rules));
        assert_eq!(cmds.len(), 1);
        assert!(cmds[0].starts_with("az network nsg rule create -g rg-network --nsg-name nsg-locked -n AllowStorageOutbound --priority 198 "), "{}", cmds[0]);
        assert!(cmds[0].ends_with("--destination-address-prefixes Storage --destination-port-ranges 443"));
        let mut fixed = rules.clone();
        fixed.push(rule("AllowStorageOutbound", 198, "Allow", "Storage", "443"));
        assert!(evaluate(&fixed).iter().all(|v| v.allowed), "the fix works");
    }

    #[test]
    fn a_deny_at_the_top_is_moved_once_then_allows_go_before_it() {
        let mut rules = defaults();
        rules.push(rule("DenyAllOut", 100, "Deny", "*", "*"));
        let cmds = fix_commands("g", "n", &rules, &evaluate(&rules));
        assert_eq!(cmds.iter().filter(|c| c.contains("rule update")).count(), 1, "{cmds:#?}");
        assert_eq!(cmds[0], "az network nsg rule update -g g --nsg-name n -n DenyAllOut --priority 4096");
        assert_eq!(cmds.iter().filter(|c| c.contains("rule create")).count(), 5, "AzureMonitor's two ports share one rule");
        // Applying them lets everything through, and the deny still closes the rest.
        let mut fixed = rules.clone();
        fixed.iter_mut().find(|r| r.name == "DenyAllOut").unwrap().priority = 4096;
        for c in cmds.iter().filter(|c| c.contains("rule create")) {
            let tag = c.split("--destination-address-prefixes ").nth(1).unwrap().split(' ').next().unwrap();
            let priority: u32 = c.split("--priority ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
            let ports: Vec<String> = c.split("--destination-port-ranges ").nth(1).unwrap().split(' ').map(String::from).collect();
            let mut r = rule("x", priority, "Allow", tag, "1");
            r.destination_ports = ports;
            fixed.push(r);
        }
        assert!(evaluate(&fixed).iter().all(|v| v.allowed));
    }

    #[test]
    fn the_allow_beats_the_strongest_rule_blocking_any_port_of_the_tag() {
        let mut rules = defaults();
        rules.push(rule("DenyMonitor443", 300, "Deny", "AzureMonitor", "443"));
        rules.push(rule("DenyMonitorDiag", 200, "Deny", "AzureMonitor", "12000"));
        let cmds = fix_commands("g", "n", &rules, &evaluate(&rules));
        assert_eq!(cmds.len(), 1);
        assert!(cmds[0].contains("--priority 199") && cmds[0].ends_with("--destination-port-ranges 443 12000"), "{}", cmds[0]);
    }

    #[test]
    fn names_from_the_server_are_quoted_for_the_shell() {
        let mut rules = defaults();
        rules.push(rule("DenyStorage", 200, "Deny", "Storage", "443"));
        let cmds = fix_commands("rg (prod)", "nsg;rm -rf", &rules, &evaluate(&rules));
        assert!(cmds[0].contains("-g 'rg (prod)' --nsg-name 'nsg;rm -rf'"), "{}", cmds[0]);
    }
}
