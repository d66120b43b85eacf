//! ARM's error body: `{"error": {"code", "message"}}` with the matching status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug, Clone)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// The field the error is about (`properties.count`), as ARM's `target`.
    pub target: Option<String>,
    /// `WWW-Authenticate`, sent with 401s as ARM does.
    pub www_authenticate: Option<String>,
    /// `Retry-After`, sent with 429s.
    pub retry_after: Option<u32>,
    /// Written as a bare `{code, message}`, as some providers answer (the Activity Log), not
    /// wrapped in `error`.
    pub flat: bool,
}

impl ArmError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ArmError { status, code: code.into(), message: message.into(), target: None, www_authenticate: None, retry_after: None, flat: false }
    }

    /// A 400 about one field of the request.
    pub fn bad_field(code: &str, target: &str, message: impl Into<String>) -> Self {
        ArmError { target: Some(target.into()), ..Self::new(StatusCode::BAD_REQUEST, code, message) }
    }

    pub fn conflict(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    /// What ARM says when a nested resource's parent is missing (PUT under a missing registry).
    pub fn parent_not_found(parent_type: &str, name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ParentResourceNotFound",
            format!("Failed to perform 'write' on resource(s) of type '{parent_type}/*', because the parent resource '{name}' could not be found."),
        )
    }

    pub fn not_found_resource(type_path: &str, resource_group: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            format!(
                "The Resource '{type_path}' under resource group '{resource_group}' was not found. \
                 For more details please go to https://aka.ms/ARMResourceNotFoundFix"
            ),
        )
    }

    pub fn subscription_not_found(sub: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "SubscriptionNotFound", format!("The subscription '{sub}' could not be found."))
    }

    pub fn resource_group_not_found(rg: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceGroupNotFound", format!("Resource group '{rg}' could not be found."))
    }

    /// ARM's 403, naming the action and scope the caller lacks.
    pub fn authorization_failed(oid: &str, action: &str, scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!(
                "The client '{oid}' with object id '{oid}' does not have authorization to perform action \
                 '{action}' over scope '{scope}' or the scope is invalid. If access was recently granted, \
                 please refresh your credentials."
            ),
        )
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let body = if self.flat {
            // The Activity Log's own errors, as recorded: `{"Code": …, "Message": …}`.
            json!({"Code": self.code, "Message": self.message})
        } else {
            let mut error = json!({"code": self.code, "message": self.message});
            if let Some(target) = &self.target {
                error["target"] = json!(target);
            }
            json!({ "error": error })
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(v) = self.www_authenticate.and_then(|v| HeaderValue::from_str(&v).ok()) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
