//! What the authority's endpoints share: which tenants it answers for, and Entra's OAuth error body.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::users;

/// Entra accepts a tenant id or the multi-tenant aliases in the authority path.
pub fn known_tenant(tenant: &str) -> bool {
    tenant == users::TENANT_ID || tenant == "organizations" || tenant == "common"
}

/// Entra-style OAuth error body.
pub fn oauth_error(status: StatusCode, error: &str, code: u32, description: &str) -> Response {
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {description}"),
        "error_codes": [code],
        "timestamp": time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        "trace_id": crate::ids::new_guid(),
        "correlation_id": crate::ids::new_guid(),
    });
    (status, Json(body)).into_response()
}
