//! The demo directory: one tenant, the portal's app registration, a few people and a service
//! principal. Their roles live with the resources (`store`), as on Azure.

pub const TENANT_ID: &str = "8b1d5c3e-4f6a-4d2b-9c7e-2a1f0e3d4c5b";

/// The client id of the Pool Portal app registration in the demo tenant.
pub const PORTAL_CLIENT_ID: &str = "7f3e2d1c-0b9a-4e8d-a7c6-5b4a3f2e1d0c";

pub struct User {
    pub oid: &'static str,
    pub name: &'static str,
    pub username: &'static str,
    /// What the user may do, for the sign-in page and the banner.
    pub summary: &'static str,
}

pub const OWNER: User = User {
    oid: "0a1b2c3d-0001-4000-8000-00000000a001",
    name: "Olivia Owner",
    username: "olivia@contoso.test",
    summary: "Owner of both demo subscriptions",
};

pub const READER: User = User {
    oid: "0a1b2c3d-0002-4000-8000-00000000a002",
    name: "Rhea Reader",
    username: "rhea@contoso.test",
    summary: "Reader on Contoso Platform only",
};

pub const NO_ACCESS: User = User {
    oid: "0a1b2c3d-0003-4000-8000-00000000a003",
    name: "Nadia Newcomer",
    username: "nadia@contoso.test",
    summary: "No role on any subscription",
};

pub const USERS: &[User] = &[OWNER, READER, NO_ACCESS];

pub fn user(oid: &str) -> Option<&'static User> {
    USERS.iter().find(|u| u.oid == oid)
}

pub struct ServicePrincipal {
    pub client_id: &'static str,
    pub secret: &'static str,
    pub oid: &'static str,
    pub name: &'static str,
}

/// For scripts: get a token with the client-credentials grant, as from Entra ID.
pub const SERVICE_PRINCIPAL: ServicePrincipal = ServicePrincipal {
    client_id: "5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170",
    secret: "pool-portal-demo-secret",
    oid: "0a1b2c3d-0004-4000-8000-00000000a004",
    name: "pool-portal-automation",
};
