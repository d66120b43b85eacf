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

/// The lowest free priority number above which a new allow rule would beat `blocking`; `None` when
/// the blocking rule is already at the top (100) or every number above it is taken.
fn free_priority_before(blocking: u32, rules: &[Rule]) -> Option<u32> {
    let taken: Vec<u32> = rules.iter().filter(|r| !r.is_default && r.direction.eq_ignore_ascii_case("Outbound")).map(|r| r.priority).collect();
    (100..blocking.min(4097)).rev().find(|p| !taken.contains(p))
}

/// `az` commands that let the blocked destinations through: an allow rule with a priority that
/// wins over the blocking rule, one per tag (both AzureMonitor ports in one rule).
pub fn fix_commands(resource_group: &str, nsg: &str, rules: &[Rule], verdicts: &[Verdict]) -> Vec<String> {
    let mut commands = Vec::new();
    let mut planned: Vec<Rule> = rules.to_vec();
    let mut done: Vec<&str> = Vec::new();
    for v in verdicts.iter().filter(|v| !v.allowed) {
        if done.contains(&v.tag) {
            continue;
        }
        done.push(v.tag);
        let ports: Vec<String> = verdicts.iter().filter(|x| x.tag == v.tag && !x.allowed).map(|x| x.port.to_string()).collect();
        let blocking = v.rule.as_ref().map_or(65500, |r| r.priority);
        match free_priority_before(blocking, &planned) {
            Some(priority) => {
                let name = format!("Allow{}Outbound", v.tag);
                commands.push(format!(
                    "az network nsg rule create -g {resource_group} --nsg-name {nsg} -n {name} --priority {priority} \
                     --direction Outbound --access Allow --protocol Tcp --source-address-prefixes VirtualNetwork \
                     --destination-address-prefixes {} --destination-port-ranges {}",
                    v.tag,
                    ports.join(" ")
                ));
                planned.push(Rule {
                    name,
                    priority,
                    direction: "Outbound".into(),
                    access: "Allow".into(),
                    protocol: "Tcp".into(),
                    source_prefixes: vec!["VirtualNetwork".into()],
                    destination_prefixes: vec![v.tag.into()],
                    destination_ports: ports,
                    is_default: false,
                });
            }
            None => {
                let rule = v.rule.as_ref().map_or("DenyAllOutBound", |r| r.name.as_str());
                commands.push(format!(
                    "az network nsg rule update -g {resource_group} --nsg-name {nsg} -n {rule} --access Allow  # no free priority before it: change or remove this rule"
                ));
            }
        }
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
    fn one_rule_per_tag_and_a_rule_at_the_top_must_change() {
        let mut rules = defaults();
        rules.push(rule("DenyAllOut", 100, "Deny", "*", "*"));
        let cmds = fix_commands("g", "n", &rules, &evaluate(&rules));
        assert_eq!(cmds.len(), 5, "AzureMonitor's two ports share one command");
        assert!(cmds.iter().all(|c| c.contains("rule update -g g --nsg-name n -n DenyAllOut --access Allow")));
        let mut rules = defaults();
        rules.push(rule("DenyAllOut", 4000, "Deny", "*", "*"));
        let cmds = fix_commands("g", "n", &rules, &evaluate(&rules));
        let monitor = cmds.iter().find(|c| c.contains("AzureMonitor")).unwrap();
        assert!(monitor.ends_with("--destination-port-ranges 443 12000"), "{monitor}");
        let priorities: Vec<&str> = cmds.iter().map(|c| c.split("--priority ").nth(1).unwrap().split(' ').next().unwrap()).collect();
        let mut unique = priorities.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), priorities.len(), "each new rule gets its own priority");
    }
}
