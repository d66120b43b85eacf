//! ARM's checks before a provider sees a request: the subscription exists, the caller holds a
//! role there that allows the action (Reader: reads only), the resource group exists.

use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::call::Call;
use crate::store::{Registry, State};

/// Whether an action needs more than read access.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

pub fn check_scope(call: &Call, state: &State, sub: &str, rg: Option<&str>, action: &str, access: Access) -> Result<(), ArmError> {
    check_at(call, state, sub, rg, "", action, access)
}

/// As `check_scope`, for a resource below the group (`/providers/…/registries/r`): a role
/// assigned on the resource itself counts there, as on Azure.
pub fn check_at(call: &Call, state: &State, sub: &str, rg: Option<&str>, resource: &str, action: &str, access: Access) -> Result<(), ArmError> {
    let s = state.subscription(sub).ok_or_else(|| ArmError::subscription_not_found(sub))?;
    let scope = match rg {
        Some(rg) => format!("/subscriptions/{}/resourceGroups/{rg}{resource}", s.id),
        None => format!("/subscriptions/{}", s.id),
    };
    let denied = call.emu.faults.get().deny_actions.iter().any(|a| a.eq_ignore_ascii_case(action));
    if denied || !state.allowed(&call.caller.oid, &scope, action, access == Access::Read) {
        return Err(ArmError::authorization_failed(&call.caller.oid, action, &scope));
    }
    if let Some(rg) = rg {
        state.resource_group(sub, rg).ok_or_else(|| ArmError::resource_group_not_found(rg))?;
    }
    Ok(())
}

/// A registry named in a path; not yet known to exist.
#[derive(Clone, Copy)]
pub struct RegistryRef<'a> {
    pub sub: &'a str,
    pub rg: &'a str,
    pub name: &'a str,
}

impl<'a> RegistryRef<'a> {
    pub fn key(&self) -> crate::store::RegistryKey<'a> {
        crate::store::RegistryKey { sub: self.sub, rg: self.rg, name: self.name }
    }
}

/// The registry after the scope checks; a missing one is ARM's 404 (or, for writes to a child
/// resource, `ParentResourceNotFound`).
pub fn registry<'s>(call: &Call, state: &'s State, r: &RegistryRef, action: &str, access: Access) -> Result<&'s Registry, ArmError> {
    check_at(call, state, r.sub, Some(r.rg), &format!("/providers/Microsoft.ContainerRegistry/registries/{}", r.name), action, access)?;
    state.registry(r.sub, r.rg, r.name).ok_or_else(|| match access {
        Access::Read => ArmError::not_found_resource(&format!("Microsoft.ContainerRegistry/registries/{}", r.name), r.rg),
        Access::Write => ArmError::parent_not_found("Microsoft.ContainerRegistry/registries", r.name),
    })
}
