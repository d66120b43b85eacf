//! One ARM request after authentication, as every resource module sees it.

use axum::body::Bytes;
use axum::http::Method;
use axum::response::Response;

use super::auth::Caller;
use super::error::ArmError;
use super::versions::ApiVersions;
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
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// ARM refuses a request without one of the versions the resource type supports.
    pub fn require_api_version(&self, supported: &ApiVersions) -> Result<(), ArmError> {
        supported.check(self.param("api-version"))
    }
}
