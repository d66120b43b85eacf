//! Pre-flight before creating a pool (SPEC F5): what would make the service refuse it now, or make
//! it fail twenty minutes later. Each check passes, warns or fails with a line that says why.
//! A failure blocks submit; a warning blocks it until the user explicitly overrides it (the
//! default quota may have been raised by ticket; an NSG may be about to change).

use super::eligibility::{self, Ineligible};
use super::nsg::Verdict;
use super::quota::{self, Usage};
use super::region::Regions;
use super::tier::Tier;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Pass,
    /// Likely to fail, but the user may know better: submit needs an explicit override.
    Warn,
    /// Cannot work: submit is blocked.
    Fail,
    /// Will fail as things stand (an NSG that blocks what the agents need), shown as a failure;
    /// submit needs an override that says exactly that, since the rules may be about to change.
    Risk,
    /// Still being looked up.
    Pending,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub title: &'static str,
    pub level: Level,
    pub detail: String,
}

/// What is known of the chosen subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetState {
    /// No subnet: the pool uses Azure's own network.
    None,
    Loading,
    /// Not found, or not a subnet id, with why.
    Missing(String),
    Found {
        /// The virtual network's region, which must be the registry's (`None`: not readable, as
        /// for a pasted subnet in another subscription).
        location: Option<String>,
        nsg: NsgState,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NsgState {
    /// No NSG on the subnet: nothing blocks (route tables are not checked).
    None,
    Loading,
    Unreadable(String),
    Evaluated { name: String, verdicts: Vec<Verdict> },
}

pub struct Inputs<'a> {
    /// The name typed, and what is wrong with it (empty when it is fine).
    pub name: &'a str,
    pub name_problems: &'a [String],
    pub sku: &'a str,
    pub location: &'a str,
    /// The subscription's agent-pool regions (`None` while they are read).
    pub regions: Option<&'a Regions>,
    pub tier: Option<Tier>,
    pub count: u32,
    /// vCPU held by the registry's other pools.
    pub others: Usage,
    pub subnet: &'a SubnetState,
}

fn check(title: &'static str, level: Level, detail: impl Into<String>) -> Check {
    Check { title, level, detail: detail.into() }
}

pub fn checks(i: &Inputs) -> Vec<Check> {
    let mut out = Vec::new();
    // The name first: pre-flight must not be all green while the name cannot be sent.
    out.push(match (i.name.is_empty(), i.name_problems.first()) {
        (true, _) => check("Name", Level::Pending, "Type a name for the pool."),
        (false, Some(problem)) => check("Name", Level::Fail, problem.clone()),
        (false, None) => check("Name", Level::Pass, format!("{} is free in this registry.", i.name)),
    });
    let any_region = Regions::BuiltIn { why: String::new() };
    match eligibility::check(i.sku, i.location, i.regions.unwrap_or(&any_region)) {
        Err(Ineligible::NotPremium { sku }) => out.push(check("Premium registry", Level::Fail, format!("The registry is {sku}; agent pools need Premium."))),
        _ => out.push(check("Premium registry", Level::Pass, "The registry is Premium.")),
    }
    let source = |r: &Regions| if matches!(r, Regions::Registered(_)) { "Azure's registration" } else { "the built-in list (Azure's could not be read)" };
    match i.regions {
        None => out.push(check("Region", Level::Pending, "Reading which regions offer agent pools…")),
        Some(r) if r.supports(i.location) => out.push(check("Region", Level::Pass, format!("{} offers agent pools ({}).", i.location, source(r)))),
        Some(r) => out.push(check("Region", Level::Fail, format!("{} does not offer agent pools ({}).", i.location, source(r)))),
    }
    match &i.tier {
        None => out.push(check("vCPU quota", Level::Pending, "Choose a tier.")),
        Some(tier) => {
            let left = quota::left_after(tier, i.count, i.others);
            let limit = quota::limit_for(tier);
            let kind = if tier.kind == super::tier::TierKind::Isolated { "isolated" } else { "standard" };
            if left >= 0 {
                out.push(check("vCPU quota", Level::Pass, format!("{left} of {limit} {kind} vCPU left after this pool (default quota).")))
            } else {
                out.push(check(
                    "vCPU quota",
                    Level::Warn,
                    format!(
                        "This pool needs {} {kind} vCPU; {} of the default {limit} are free. Lower the count, or ask for more quota with a support ticket.",
                        tier.vcpu * i.count,
                        (left + (tier.vcpu * i.count) as i64).max(0)
                    ),
                ))
            }
        }
    }
    match i.subnet {
        SubnetState::None => out.push(check("Subnet", Level::Pass, "No subnet: the pool runs in an Azure-managed network.")),
        SubnetState::Loading => out.push(check("Subnet", Level::Pending, "Looking up the subnet…")),
        SubnetState::Missing(why) => out.push(check("Subnet", Level::Fail, why.clone())),
        SubnetState::Found { location, nsg } => {
            match location {
                Some(l) if super::region::normalize(l) != super::region::normalize(i.location) => {
                    out.push(check("Subnet", Level::Fail, format!("The virtual network is in {l}, the registry in {}: they must match.", i.location)))
                }
                Some(_) => out.push(check("Subnet", Level::Pass, "The subnet exists in the registry's region.")),
                None => out.push(check("Subnet", Level::Warn, format!("The subnet exists; its region could not be read (it must be {}).", i.location))),
            }
            out.push(match nsg {
                NsgState::None => check("Network security group", Level::Pass, "No NSG on the subnet: outbound traffic is not filtered."),
                NsgState::Loading => check("Network security group", Level::Pending, "Reading the NSG's rules…"),
                NsgState::Unreadable(why) => check("Network security group", Level::Warn, format!("The NSG could not be read ({why}): its rules are not checked.")),
                NsgState::Evaluated { name, verdicts } => {
                    let blocked: Vec<String> = verdicts
                        .iter()
                        .filter(|v| !v.allowed)
                        .map(|v| format!("{} TCP {} (rule {})", v.tag, v.port, v.rule.as_ref().map_or("none", |r| r.name.as_str())))
                        .collect();
                    if blocked.is_empty() {
                        check("Network security group", Level::Pass, format!("{name} lets the pool reach every required Azure service."))
                    } else {
                        check("Network security group", Level::Risk, format!("{name} blocks {}: the pool would end Failed.", blocked.join(", ")))
                    }
                }
            });
        }
    }
    out
}

/// No check fails outright (warnings may still need an override).
pub fn no_failures(checks: &[Check]) -> bool {
    !checks.iter().any(|c| c.level == Level::Fail)
}

pub fn has_warnings(checks: &[Check]) -> bool {
    checks.iter().any(|c| matches!(c.level, Level::Warn | Level::Risk))
}

/// What the override says the user accepts: exactly what the checks warn of.
pub fn override_label(checks: &[Check]) -> String {
    let mut accepted = Vec::new();
    if checks.iter().any(|c| c.level == Level::Risk) {
        accepted.push("the pool will end Failed unless the network security group's rules change before it is provisioned");
    }
    if checks.iter().any(|c| c.level == Level::Warn && c.title == "vCPU quota") {
        accepted.push("the service refuses it unless this registry's vCPU quota was raised");
    }
    if checks.iter().any(|c| c.level == Level::Warn && c.title != "vCPU quota") {
        accepted.push("what the warnings above say may happen");
    }
    format!("Create anyway: I understand {}.", accepted.join("; and "))
}

/// The first field that keeps the form from being sent, as (its element id, what to fix), in
/// the order the form shows them: where the submit hint sends the user.
pub fn first_blocking(checks: &[Check], count_ok: bool, warnings_overridden: bool) -> Option<(&'static str, String)> {
    let field = |title: &str| match title {
        "Name" => "pool-name",
        "vCPU quota" => "pool-count",
        "Subnet" | "Network security group" => "pool-subnet",
        _ => "pool-name",
    };
    if let Some(c) = checks.iter().find(|c| c.title == "Name" && c.level != Level::Pass) {
        return Some((field(c.title), format!("Name: {}", c.detail)));
    }
    if !count_ok {
        return Some(("pool-count", "Instances: give a whole number from 0 to 100.".into()));
    }
    if let Some(c) = checks.iter().find(|c| c.level == Level::Fail) {
        return Some((field(c.title), format!("{}: {}", c.title, c.detail)));
    }
    if !warnings_overridden {
        if let Some(c) = checks.iter().find(|c| matches!(c.level, Level::Warn | Level::Risk)) {
            return Some(("create-anyway", format!("{}: {} Fix it, or tick Create anyway.", c.title, c.detail)));
        }
    }
    None
}

/// Whether the form may be submitted: nothing pending, nothing failing, warnings overridden.
pub fn can_submit(checks: &[Check], warnings_overridden: bool) -> bool {
    !any_pending(checks) && no_failures(checks) && (warnings_overridden || !has_warnings(checks))
}

pub fn any_pending(checks: &[Check]) -> bool {
    checks.iter().any(|c| c.level == Level::Pending)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::nsg::{evaluate, Rule};

    static EAST: std::sync::LazyLock<Regions> = std::sync::LazyLock::new(|| Regions::registered(&["East US", "Sweden Central"]));

    fn inputs<'a>(tier: &str, count: u32, subnet: &'a SubnetState) -> Inputs<'a> {
        Inputs { name: "burst-s2", name_problems: &[], sku: "Premium", location: "eastus", regions: Some(&EAST), tier: Tier::lookup(tier), count, others: Usage { standard: 8, isolated: 0 }, subnet }
    }

    #[test]
    fn the_region_is_judged_by_the_registration_once_it_is_read() {
        let mut i = inputs("S1", 1, &SubnetState::None);
        i.regions = None;
        assert_eq!(checks(&i).iter().find(|x| x.title == "Region").unwrap().level, Level::Pending);
        i.location = "swedencentral";
        i.regions = Some(&EAST);
        assert_eq!(checks(&i).iter().find(|x| x.title == "Region").unwrap().level, Level::Pass);
        i.location = "uksouth";
        let region = checks(&i).into_iter().find(|x| x.title == "Region").unwrap();
        assert_eq!((region.level, region.detail.as_str()), (Level::Fail, "uksouth does not offer agent pools (Azure's registration)."));
    }

    #[test]
    fn a_fitting_pool_without_subnet_passes() {
        let c = checks(&inputs("S2", 2, &SubnetState::None));
        assert!(can_submit(&c, false), "{c:?}");
        assert!(c.iter().any(|x| x.detail == "0 of 16 standard vCPU left after this pool (default quota)."));
    }

    #[test]
    fn over_quota_warns_with_the_numbers_and_needs_an_override() {
        let c = checks(&inputs("S2", 3, &SubnetState::None));
        assert!(!can_submit(&c, false));
        assert!(can_submit(&c, true), "the quota may have been raised by ticket");
        let q = c.iter().find(|x| x.title == "vCPU quota").unwrap();
        assert_eq!(q.detail, "This pool needs 12 standard vCPU; 8 of the default 16 are free. Lower the count, or ask for more quota with a support ticket.");
    }

    #[test]
    fn a_blocking_nsg_names_what_and_which_rule() {
        let deny = Rule {
            name: "DenyStorageOutbound".into(), priority: 200, direction: "Outbound".into(), access: "Deny".into(), protocol: "Tcp".into(),
            source_prefixes: vec!["VirtualNetwork".into()], destination_prefixes: vec!["Storage".into()], destination_ports: vec!["443".into()], is_default: false,
        };
        let subnet = SubnetState::Found { location: Some("East US".into()), nsg: NsgState::Evaluated { name: "nsg-locked".into(), verdicts: evaluate(&[deny]) } };
        let c = checks(&inputs("S1", 1, &subnet));
        let nsg = c.iter().find(|x| x.title == "Network security group").unwrap();
        assert_eq!(nsg.level, Level::Risk, "a failure in red, that an override can still send");
        assert!(!can_submit(&c, false));
        assert!(can_submit(&c, true));
        assert_eq!(override_label(&c), "Create anyway: I understand the pool will end Failed unless the network security group's rules change before it is provisioned.");
        assert_eq!(first_blocking(&c, true, false).map(|(f, _)| f), Some("create-anyway"));
        assert!(nsg.detail.starts_with("nsg-locked blocks Storage TCP 443 (rule DenyStorageOutbound)"), "{}", nsg.detail);
    }

    #[test]
    fn the_name_is_a_check_and_the_first_thing_to_fix() {
        let problems = vec!["Use 3 to 20 characters (now 2).".to_string()];
        let mut i = inputs("S1", 1, &SubnetState::None);
        i.name = "ab";
        i.name_problems = &problems;
        let c = checks(&i);
        assert_eq!(c[0], Check { title: "Name", level: Level::Fail, detail: "Use 3 to 20 characters (now 2).".into() });
        assert!(!can_submit(&c, true));
        assert_eq!(first_blocking(&c, true, true), Some(("pool-name", "Name: Use 3 to 20 characters (now 2).".into())));
        i.name = "";
        i.name_problems = &[];
        assert_eq!(checks(&i)[0].level, Level::Pending);
        // A bad count comes after the name, before the checks below it.
        let ok = checks(&inputs("S1", 1, &SubnetState::None));
        assert_eq!(first_blocking(&ok, false, false).map(|(f, _)| f), Some("pool-count"));
        assert_eq!(first_blocking(&ok, true, false), None);
        assert_eq!(checks(&inputs("S1", 1, &SubnetState::None))[0].detail, "burst-s2 is free in this registry.");
        let over = checks(&inputs("S2", 3, &SubnetState::None));
        assert_eq!(override_label(&over), "Create anyway: I understand the service refuses it unless this registry's vCPU quota was raised.");
    }

    #[test]
    fn a_full_quota_says_none_is_free() {
        let mut full = inputs("S2", 2, &SubnetState::None);
        full.others = Usage { standard: 16, isolated: 0 };
        let c = checks(&full);
        assert!(c.iter().any(|x| x.detail.starts_with("This pool needs 8 standard vCPU; 0 of the default 16 are free.")), "{c:?}");
    }

    #[test]
    fn lookups_in_flight_hold_the_form_and_regions_must_match() {
        assert!(any_pending(&checks(&inputs("S1", 1, &SubnetState::Loading))));
        let far = SubnetState::Found { location: Some("westus2".into()), nsg: NsgState::None };
        let c = checks(&inputs("S1", 1, &far));
        assert_eq!(c.iter().find(|x| x.title == "Subnet").unwrap().level, Level::Fail);
        assert!(!can_submit(&c, true), "a failure cannot be overridden");
        let mut basic = inputs("S1", 1, &SubnetState::None);
        basic.sku = "Basic";
        assert!(!can_submit(&checks(&basic), true));
        assert!(!can_submit(&checks(&inputs("S1", 1, &SubnetState::Loading)), true), "not while a lookup is pending");
    }
}
