//! The demo tenant (SPEC E8): two subscriptions; Premium registries in agent-pool regions with pools
//! of every standard tier; a Basic registry; a Premium registry where agent pools are not offered.

use super::*;
use crate::authority::users;

pub const CONTOSO_SUB: &str = "1f0e2d3c-4b5a-4697-8877-665544332211";
pub const FABRIKAM_SUB: &str = "2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b";

fn registry(sub: &str, rg: &str, name: &str, location: &str, sku: Sku, created: &str) -> Registry {
    Registry {
        subscription: sub.into(),
        resource_group: rg.into(),
        name: name.into(),
        location: location.into(),
        sku,
        created: created.into(),
        tags: vec![("team".into(), "platform".into())],
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
    }
}

fn subnet_id(sub: &str, rg: &str, vnet: &str, subnet: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{subnet}")
}

pub fn state() -> State {
    let builds = registry(CONTOSO_SUB, "rg-builds", "contosobuilds", "eastus", Sku::Premium, "2025-03-04T09:12:44.1537861Z");
    let basic = registry(CONTOSO_SUB, "rg-builds", "contosobasic", "eastus", Sku::Basic, "2025-05-20T14:02:10.0000000Z");
    let uk = registry(CONTOSO_SUB, "rg-uk", "contosouk", "uksouth", Sku::Premium, "2025-06-11T08:45:00.0000000Z");
    let research = registry(FABRIKAM_SUB, "rg-research", "fabrikamresearch", "westus2", Sku::Premium, "2025-01-15T17:30:05.0000000Z");

    let pools = vec![
        pool(&builds, "build-s2", "S2", 2, None),
        pool(&builds, "nightly-s1", "S1", 0, None),
        pool(&builds, "vnet-s3", "S3", 1, Some(subnet_id(CONTOSO_SUB, "rg-network", "vnet-builds", "snet-pools"))),
        pool(&research, "train-s1", "S1", 1, None),
    ];

    let assign = |principal: &str, subscription: &str, role| RoleAssignment {
        principal: principal.into(),
        subscription: subscription.into(),
        role,
    };
    State {
        subscriptions: vec![
            Subscription { id: CONTOSO_SUB.into(), display_name: "Contoso Platform (demo)".into(), state: "Enabled".into() },
            Subscription { id: FABRIKAM_SUB.into(), display_name: "Fabrikam Research (demo)".into(), state: "Enabled".into() },
        ],
        resource_groups: vec![
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-builds".into(), location: "eastus".into() },
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-uk".into(), location: "uksouth".into() },
            ResourceGroup { subscription: CONTOSO_SUB.into(), name: "rg-network".into(), location: "eastus".into() },
            ResourceGroup { subscription: FABRIKAM_SUB.into(), name: "rg-research".into(), location: "westus2".into() },
        ],
        registries: vec![builds, basic, uk, research],
        pools,
        assignments: vec![
            assign(users::OWNER.oid, CONTOSO_SUB, Role::Owner),
            assign(users::OWNER.oid, FABRIKAM_SUB, Role::Owner),
            assign(users::READER.oid, CONTOSO_SUB, Role::Reader),
            assign(users::SERVICE_PRINCIPAL.oid, CONTOSO_SUB, Role::Contributor),
            assign(users::SERVICE_PRINCIPAL.oid, FABRIKAM_SUB, Role::Contributor),
        ],
    }
}
