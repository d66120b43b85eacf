//! What the portal remembers between visits: only the default registry (like
//! `az configure --defaults acr=`). Never tokens: those stay in msal's sessionStorage cache.

const DEFAULT_REGISTRY: &str = "poolportal.defaultRegistry";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The default registry's id path, if one was chosen and still parses as a registry id.
pub fn default_registry() -> Option<crate::arm::id::RegistryId> {
    let path = storage()?.get_item(DEFAULT_REGISTRY).ok().flatten()?;
    match crate::arm::id::ResourceId::parse(&path) {
        Ok(crate::arm::id::ResourceId::Registry(r)) => Some(r),
        _ => None,
    }
}

pub fn set_default_registry(id: &crate::arm::id::RegistryId) {
    if let Some(s) = storage() {
        let _ = s.set_item(DEFAULT_REGISTRY, &id.path());
    }
}
