//! The emulated tenant's resources and role assignments. Plain data: the ARM modules turn it into
//! the JSON shapes of Microsoft's spec.

pub mod demo;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Owner,
    Contributor,
    Reader,
}

impl Role {
    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Contributor)
    }
}

#[derive(Clone, Debug)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
    pub state: String,
}

#[derive(Clone, Debug)]
pub struct ResourceGroup {
    pub subscription: String,
    pub name: String,
    pub location: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug)]
pub struct Registry {
    pub subscription: String,
    pub resource_group: String,
    pub name: String,
    pub location: String,
    pub sku: Sku,
    pub created: String,
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
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
    pub tags: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct RoleAssignment {
    pub principal: String,
    pub subscription: String,
    pub role: Role,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    pub subscriptions: Vec<Subscription>,
    pub resource_groups: Vec<ResourceGroup>,
    pub registries: Vec<Registry>,
    pub pools: Vec<AgentPool>,
    pub assignments: Vec<RoleAssignment>,
}

/// ARM names are case-insensitive.
pub fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl State {
    pub fn role_of(&self, principal: &str, subscription: &str) -> Option<Role> {
        self.assignments
            .iter()
            .filter(|a| a.principal == principal && same(&a.subscription, subscription))
            .map(|a| a.role)
            .min_by_key(|r| *r as u8)
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
        self.pools.iter().filter(move |p| {
            same(&p.subscription, &reg.subscription)
                && same(&p.resource_group, &reg.resource_group)
                && same(&p.registry, &reg.name)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authority::users;

    #[test]
    fn roles_come_from_assignments_and_owner_wins() {
        let state = demo::state();
        let sub = &state.subscriptions[0].id;
        assert_eq!(state.role_of(users::OWNER.oid, sub), Some(Role::Owner));
        assert_eq!(state.role_of(users::READER.oid, sub), Some(Role::Reader));
        assert_eq!(state.role_of(users::NO_ACCESS.oid, sub), None);
        assert!(!Role::Reader.can_write() && Role::Contributor.can_write());
    }

    #[test]
    fn lookups_ignore_case_like_arm() {
        let state = demo::state();
        let r = &state.registries[0];
        let found = state.registry(&r.subscription.to_uppercase(), &r.resource_group.to_uppercase(), &r.name.to_uppercase());
        assert_eq!(found.map(|f| &f.name), Some(&r.name));
    }
}
