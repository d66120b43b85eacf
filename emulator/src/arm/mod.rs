//! The ARM slice, on its own origin. Paths are matched case-insensitively, as ARM does, and every
//! response carries ARM's request-id headers and CORS for a browser SPA.

pub mod agent_pools;
pub mod auth;
pub mod error;
pub mod paging;
pub mod registries;
pub mod subscriptions;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::Emulator;
use error::ArmError;

pub type ArmResult = Result<Response, ArmError>;

/// One request, authenticated, with its path split into segments.
pub struct Call<'a> {
    pub emu: &'a Emulator,
    pub caller: auth::Caller,
    pub method: Method,
    /// The path as sent (its casing is kept in nextLinks).
    pub path: String,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    #[allow(dead_code)]
    pub body: Bytes,
}

impl Call<'_> {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// ARM refuses a request without one of the versions the resource type supports.
    pub fn require_api_version(&self, supported: &[&str]) -> Result<(), ArmError> {
        match self.param("api-version") {
            None | Some("") => Err(ArmError::new(
                StatusCode::BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )),
            Some(v) if supported.contains(&v) => Ok(()),
            Some(v) => Err(ArmError::new(
                StatusCode::BAD_REQUEST,
                "InvalidApiVersionParameter",
                format!("The api-version '{v}' is invalid. The supported versions are '{}'.", supported.join(",")),
            )),
        }
    }
}

pub fn rfc3339(secs: u64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs as i64)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

fn method_not_allowed(call: &Call) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The requested method '{}' is not allowed on '{}'.", call.method, call.path),
    )
}

/// Routes by the shape of the resource id.
fn route(call: &Call) -> ArmResult {
    let s: Vec<String> = call.segments.iter().map(|x| x.to_ascii_lowercase()).collect();
    let s: Vec<&str> = s.iter().map(String::as_str).collect();
    let get = call.method == Method::GET;
    match s.as_slice() {
        ["subscriptions"] if get => subscriptions::list(call),
        ["subscriptions", _] if get => subscriptions::get(call, &call.segments[1]),
        ["subscriptions", _, "providers", "microsoft.containerregistry", "registries"] if get => {
            registries::list(call, &call.segments[1], None)
        }
        ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.containerregistry", "registries"] if get => {
            registries::list(call, &call.segments[1], Some(&call.segments[3]))
        }
        ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.containerregistry", "registries", _, rest @ ..] => {
            let reg = registries::RegistryRef {
                sub: &call.segments[1],
                rg: &call.segments[3],
                name: &call.segments[7],
            };
            match rest {
                [] if get => registries::get(call, &reg),
                ["agentpools"] if get => agent_pools::list(call, &reg),
                ["agentpools", _] if get => agent_pools::get(call, &reg, &call.segments[9]),
                [] | ["agentpools"] | ["agentpools", _] => Err(method_not_allowed(call)),
                _ => Err(unknown_path(call)),
            }
        }
        _ => Err(unknown_path(call)),
    }
}

fn unknown_path(call: &Call) -> ArmError {
    ArmError::new(
        StatusCode::NOT_FOUND,
        "InvalidResourceType",
        format!("The resource type could not be found for the path '{}'.", call.path),
    )
}

async fn dispatch(
    State(emu): State<Arc<Emulator>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let caller = match auth::authenticate(&emu, &headers) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let path = uri.path().to_string();
    let segments = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let query = uri
        .query()
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let call = Call { emu: &emu, caller, method, path, segments, query, body };
    route(&call).unwrap_or_else(IntoResponse::into_response)
}

const EXPOSED: &str = "Location, Azure-AsyncOperation, Retry-After, x-ms-request-id, x-ms-correlation-request-id, \
    x-ms-ratelimit-remaining-subscription-reads, x-ms-ratelimit-remaining-subscription-writes, \
    x-ms-ratelimit-remaining-subscription-deletes";

/// Request ids and CORS on every response; preflights answered before authentication, as a
/// browser sends them without the token.
async fn arm_headers(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    let correlation = request
        .headers()
        .get("x-ms-correlation-request-id")
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_str(&crate::new_guid()).expect("guid"));
    let is_read = request.method() == Method::GET;
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else {
        next.run(request).await
    };
    let h = response.headers_mut();
    h.insert(HeaderName::from_static("x-ms-request-id"), HeaderValue::from_str(&crate::new_guid()).expect("guid"));
    h.insert(HeaderName::from_static("x-ms-correlation-request-id"), correlation);
    if is_read {
        h.insert(HeaderName::from_static("x-ms-ratelimit-remaining-subscription-reads"), HeaderValue::from_static("11999"));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Some(origin) = origin {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, PUT, PATCH, DELETE, POST, OPTIONS"));
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization, Content-Type, Accept, Accept-Language, x-ms-client-request-id, x-ms-correlation-request-id, x-ms-return-client-request-id"),
        );
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("3600"));
    }
    response
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    let router = Router::new()
        .fallback(dispatch)
        .layer(axum::middleware::from_fn(arm_headers))
        .with_state(emulator.clone());
    crate::log::layer(router, emulator, "arm")
}
