//! The scope of a `{scope}/providers/Microsoft.Authorization/…` path, and ARM's checks there.

use crate::arm::pipeline::access::{self, Access};
use crate::arm::pipeline::call::Call;
use crate::arm::pipeline::error::ArmError;
use crate::store::State;

/// The scope a `…/providers/Microsoft.Authorization/…` path is under, as its segments name it.
pub struct Scope {
    /// `/subscriptions/s/resourceGroups/g/providers/…`, as sent (empty for the root).
    pub path: String,
    pub sub: Option<String>,
    rg: Option<String>,
    /// What lies below the group (`/providers/Microsoft.ContainerRegistry/registries/r`).
    resource: String,
}

impl Scope {
    pub fn of(segments: &[String]) -> Scope {
        let lower = |i: usize| segments.get(i).map(|s| s.to_ascii_lowercase());
        let sub = (lower(0).as_deref() == Some("subscriptions")).then(|| segments.get(1).cloned()).flatten();
        let rg = (lower(2).as_deref() == Some("resourcegroups")).then(|| segments.get(3).cloned()).flatten();
        let resource: String = segments.iter().skip(4).map(|s| format!("/{s}")).collect();
        let path: String = segments.iter().map(|s| format!("/{s}")).collect();
        Scope { path, sub, rg, resource }
    }

    /// ARM's checks at this scope: the subscription and group exist and the caller may act here.
    pub fn check(&self, call: &Call, state: &State, action: &str, access: Access) -> Result<(), ArmError> {
        match &self.sub {
            Some(sub) => access::check_at(call, state, sub, self.rg.as_deref(), &self.resource, action, access),
            // The root: readable by anyone signed in (the built-in roles are public).
            None if access == Access::Read => Ok(()),
            None => Err(ArmError::authorization_failed(&call.caller.oid, action, "/")),
        }
    }
}

