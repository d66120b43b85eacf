//! One ARM request after authentication, as every resource module sees it.

use axum::body::Bytes;
use axum::http::Method;
use axum::response::Response;

use crate::arm::pipeline::auth::Caller;
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::versions::{ApiVersions, Owner};

/// Actions on a resource, which end a path without naming a type.
const ACTIONS: [&str; 4] = ["listQueueStatus", "cancel", "listLogSasUrl", "listDetails"];
use crate::Emulator;

pub type ArmResult = Result<Response, ArmError>;

/// One request, authenticated, with its path split into segments.
pub struct Call<'a> {
    pub emu: &'a Emulator,
    pub caller: Caller,
    pub method: Method,
    /// The path as sent (its casing is kept in nextLinks).
    pub path: String,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub body: Bytes,
    /// The Activity Log's view of this request, if it is a write the log records.
    pub activity: Option<crate::store::activity::Context>,
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// ARM refuses a request without one of the versions the resource type supports: with its
    /// own error for its own endpoints, and as an unregistered provider type for a provider's.
    pub fn require_api_version(&self, supported: &ApiVersions) -> Result<(), ArmError> {
        // A cloud that lacks a version (the fault switch): refused as a missing one would be.
        let refused = self.param("api-version").is_some_and(|v| self.emu.faults.get().refuse_api_versions.iter().any(|r| r == v));
        let error = match supported.check(self.param("api-version")) {
            Ok(()) if !refused => return Ok(()),
            Ok(()) => ArmError::new(axum::http::StatusCode::BAD_REQUEST, "InvalidApiVersionParameter", format!("The api-version '{}' is invalid.", self.param("api-version").unwrap_or_default())),
            Err(e) => e,
        };
        match (&supported.owner, self.param("api-version"), self.provider_type()) {
            (Owner::Provider(_), Some(given), Some((namespace, type_path))) if !given.is_empty() => {
                Err(supported.unregistered(given, &namespace, &type_path, &self.location()))
            }
            _ => Err(error),
        }
    }

    /// The provider namespace and resource type a path names: (`Microsoft.ContainerRegistry`,
    /// `registries/agentPools`) for a pool, its list or an action on it. `None` for ARM's own paths.
    pub fn provider_type(&self) -> Option<(String, String)> {
        let i = self.segments.iter().rposition(|s| s.eq_ignore_ascii_case("providers"))?;
        let namespace = self.segments.get(i + 1)?.clone();
        if !namespace.contains('.') {
            return None;
        }
        let rest = &self.segments[i + 2..];
        let mut types: Vec<&str> = rest.iter().step_by(2).map(String::as_str).collect();
        // A path of odd length ends in a collection (a type) or in an action on a resource.
        let action = rest.last().is_some_and(|last| ACTIONS.iter().any(|a| last.eq_ignore_ascii_case(a)));
        if rest.len() % 2 == 1 && rest.len() > 1 && action {
            types.pop();
        }
        Some((namespace, types.join("/")))
    }

    /// Where the request points: its resource group's region, a `locations/{l}` segment, or (for a
    /// subscription-wide list) `global` (inferred: ARM names some location in this error).
    fn location(&self) -> String {
        let at = |name: &str| self.segments.iter().position(|s| s.eq_ignore_ascii_case(name)).and_then(|i| self.segments.get(i + 1));
        if let Some(l) = at("locations") {
            return l.to_ascii_lowercase();
        }
        match (self.segments.get(1), at("resourceGroups")) {
            (Some(sub), Some(rg)) => self.emu.state().resource_group(sub, rg).map_or_else(|| "global".into(), |g| g.location.clone()),
            _ => "global".into(),
        }
    }
}
