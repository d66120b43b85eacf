//! The ARM slice, on its own origin. Paths are matched case-insensitively, as ARM does, and every
//! response carries ARM's request-id headers and CORS for a browser SPA.

// The request pipeline, then one folder per resource provider, as ARM's URLs name them.
pub mod pipeline;
pub mod resources;
pub mod resource_graph;
pub mod container_registry;
pub mod network;
pub mod authorization;
pub mod insights;

use container_registry::{agent_pools, operations, registries, runs, schedule, task_runs, tasks};
use insights::activity_log;
use network::{security_rules, virtual_networks};
use pipeline::{auth, call, error};
use resources::{generic, metadata, providers, resource_groups, subscriptions, tags};
use resource_graph::query;
use authorization::permissions;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::faults::Injected;
use crate::Emulator;
use call::{ArmResult, Call};
use error::ArmError;

fn method_not_allowed(call: &Call) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The requested method '{}' is not allowed on '{}'.", call.method, call.path),
    )
}

/// Routes by the shape of the resource id (segments compared case-insensitively, as ARM does).
fn route(call: &Call) -> ArmResult {
    let lower: Vec<String> = call.segments.iter().map(|x| x.to_ascii_lowercase()).collect();
    let s: Vec<&str> = lower.iter().map(String::as_str).collect();
    let seg = |i: usize| call.segments[i].as_str();
    let m = &call.method;
    let (get, put, patch, delete, post) = (m == Method::GET, m == Method::PUT, m == Method::PATCH, m == Method::DELETE, m == Method::POST);
    // Role assignments and definitions live under any scope.
    if let Some(result) = authorization::route(call, &s) {
        return result;
    }
    match s.as_slice() {
        ["subscriptions"] if get => subscriptions::list(call),
        ["providers", "microsoft.resourcegraph", "resources"] if post => query::resources(call),
        ["providers", "microsoft.resourcegraph", "resources"] => Err(method_not_allowed(call)),
        ["subscriptions", _] if get => subscriptions::get(call, seg(1)),
        ["subscriptions", _, "resources"] if get => generic::list(call, seg(1), None),
        ["subscriptions", _, "providers", "microsoft.insights", "eventtypes", "management", "values"] if get => activity_log::list(call, seg(1)),
        ["subscriptions", _, "providers", _] if get => providers::get(call, seg(1), seg(3)),
        ["subscriptions", _, "resourcegroups"] if get => resource_groups::list(call, seg(1)),
        ["subscriptions", _, "resourcegroups", _] if get => resource_groups::get(call, seg(1), seg(3)),
        ["subscriptions", _, "resourcegroups", _] if m == Method::HEAD => resource_groups::exists(call, seg(1), seg(3)),
        ["subscriptions", _, "resourcegroups", _, "resources"] if get => generic::list(call, seg(1), Some(seg(3))),
        ["subscriptions", _, "providers", "microsoft.containerregistry", "registries"] if get => registries::list(call, seg(1), None),
        ["subscriptions", _, "providers", "microsoft.network", "virtualnetworks"] if get => virtual_networks::list_vnets(call, seg(1), None),
        ["subscriptions", _, "providers", "microsoft.network", "locations", _, "operations", _] if get => security_rules::operation(call, seg(1), seg(7)),
        ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.network", rest @ ..] => {
            let nsg = || security_rules::NsgRef { sub: seg(1), rg: seg(3), name: seg(7) };
            match rest {
                ["virtualnetworks"] if get => virtual_networks::list_vnets(call, seg(1), Some(seg(3))),
                ["virtualnetworks", _] if get => virtual_networks::get_vnet(call, seg(1), seg(3), seg(7)),
                ["virtualnetworks", _, "subnets"] if get => virtual_networks::list_subnets(call, seg(1), seg(3), seg(7)),
                ["virtualnetworks", _, "subnets", _] if get => virtual_networks::get_subnet(call, seg(1), seg(3), seg(7), seg(9)),
                ["networksecuritygroups", _] if get => virtual_networks::get_nsg(call, seg(1), seg(3), seg(7)),
                ["networksecuritygroups", _, "securityrules"] if get => security_rules::list(call, &nsg()),
                ["networksecuritygroups", _, "securityrules", _] if get => security_rules::get(call, &nsg(), seg(9)),
                ["networksecuritygroups", _, "securityrules", _] if put => security_rules::put(call, &nsg(), seg(9)),
                ["virtualnetworks", ..] | ["networksecuritygroups", ..] => Err(method_not_allowed(call)),
                _ => Err(unknown_path(call)),
            }
        }
        ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.containerregistry", "registries"] if get => {
            registries::list(call, seg(1), Some(seg(3)))
        }
        ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.containerregistry", "registries", _, rest @ ..] => {
            let r = pipeline::access::RegistryRef { sub: seg(1), rg: seg(3), name: seg(7) };
            let child = |i: usize| call.segments[8 + i].as_str();
            match rest {
                [] if get => registries::get(call, &r),
                ["agentpools"] if get => agent_pools::list(call, &r),
                ["agentpools", _] if get => agent_pools::get(call, &r, child(1)),
                ["agentpools", _] if put => agent_pools::put(call, &r, child(1)),
                ["agentpools", _] if patch => agent_pools::patch(call, &r, child(1)),
                ["agentpools", _] if delete => agent_pools::delete(call, &r, child(1)),
                ["agentpools", _, "listqueuestatus"] if post => agent_pools::queue_status(call, &r, child(1)),
                ["agentpools", _, "operationstatuses", _] if get => operations::status(call, &r, child(1), child(3)),
                ["agentpoolsoperationresults", _, "status"] if get => operations::result(call, &r, child(1)),
                ["schedulerun"] if post => schedule::schedule(call, &r),
                ["runs"] if get => runs::list(call, &r),
                ["runs", _] if get => runs::get(call, &r, child(1)),
                ["runs", _] if patch => runs::patch(call, &r, child(1)),
                ["runs", _, "cancel"] if post => runs::cancel(call, &r, child(1)),
                ["runs", _, "listlogsasurl"] if post => runs::log_link(call, &r, child(1)),
                ["tasks"] if get => tasks::list(call, &r),
                ["tasks", _] if get => tasks::get(call, &r, child(1)),
                ["tasks", _] if put => tasks::put(call, &r, child(1)),
                ["tasks", _] if patch => tasks::patch(call, &r, child(1)),
                ["tasks", _] if delete => tasks::delete(call, &r, child(1)),
                ["tasks", _, "listdetails"] if post => tasks::details(call, &r, child(1)),
                ["taskruns"] if get => task_runs::list(call, &r),
                ["taskruns", _] if get => task_runs::get(call, &r, child(1)),
                ["taskruns", _] if delete => task_runs::delete(call, &r, child(1)),
                ["providers", "microsoft.authorization", "permissions"] if get => permissions::on_registry(call, &r),
                ["providers", "microsoft.resources", "tags", "default"] if get => tags::get(call, &r, None),
                ["providers", "microsoft.resources", "tags", "default"] if put => tags::write(call, &r, None, false),
                ["providers", "microsoft.resources", "tags", "default"] if patch => tags::write(call, &r, None, true),
                ["tasks", _, "providers", "microsoft.resources", "tags", "default"] if get => tags::get(call, &r, Some(child(1))),
                ["tasks", _, "providers", "microsoft.resources", "tags", "default"] if put => tags::write(call, &r, Some(child(1)), false),
                ["tasks", _, "providers", "microsoft.resources", "tags", "default"] if patch => tags::write(call, &r, Some(child(1)), true),
                ["providers", "microsoft.resources", "tags", "default"] | ["tasks", _, "providers", "microsoft.resources", "tags", "default"] => Err(method_not_allowed(call)),
                [] | ["agentpools"] | ["agentpools", _] | ["agentpools", _, "listqueuestatus"] | ["agentpools", _, "operationstatuses", _]
                | ["agentpoolsoperationresults", _, "status"] | ["schedulerun"] | ["runs"]
                | ["runs", _] | ["runs", _, "cancel" | "listlogsasurl"] | ["tasks"] | ["tasks", _] | ["tasks", _, "listdetails"] | ["taskruns"] | ["taskruns", _] => {
                    Err(method_not_allowed(call))
                }
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
    let path_and_query = uri.path_and_query().map_or("/".to_string(), |p| p.to_string());
    if method == Method::GET && metadata::is_metadata_path(uri.path()) {
        let api_version = uri.query().and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "api-version").map(|(_, v)| v.into_owned()));
        return metadata::endpoints(&emu, api_version.as_deref());
    }
    if uri.path().starts_with("/v1.0/") || uri.path().starts_with("/beta/") {
        return graph_not_served();
    }
    let fault = emu.faults.take(method.as_str(), &path_and_query);
    let caller = match (fault, auth::authenticate(&emu, &headers)) {
        (_, Err(e)) => return e.into_response(),
        (Some(Injected::ExpiredToken), Ok(_)) => return auth::expired(&emu).into_response(),
        (Some(Injected::Throttle { retry_after_secs }), Ok(_)) => return throttled(retry_after_secs).into_response(),
        (Some(Injected::ServerError { status }), Ok(_)) => return server_error(status).into_response(),
        (_, Ok(c)) => c,
    };
    let path = uri.path().to_string();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let query = uri
        .query()
        .map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    // Time passes before the request is looked at, so it sees the service as it is now.
    drop(emu.current());
    let writes = !matches!(method, Method::GET | Method::HEAD);
    // The middleware made sure there is one: the response and the Activity Log carry the same.
    let correlation = headers.get("x-ms-correlation-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let activity = activity_log::context(&method, &segments, caller.who(), &correlation, &body);
    let at_ms = emu.clock.now_ms();
    let call = Call { emu: &emu, caller, method, path, segments, query, body, activity };
    let result = route(&call);
    if let Some(context) = &call.activity {
        activity_log::record(&emu, context, at_ms, &result);
    }
    let response = result.unwrap_or_else(IntoResponse::into_response);
    // A refused write changes nothing but the Activity Log, which must survive a restart too.
    if writes && (response.status().is_success() || call.activity.is_some()) {
        emu.persist(&mut emu.state());
    }
    response
}

/// Microsoft Graph's paths on the ARM origin (the cloud's metadata points Graph here): its own
/// 404, so a client that looks a principal up there (`az role assignment list --assignee`)
/// goes on with the object id it was given. The emulator keeps no directory objects.
fn graph_not_served() -> Response {
    let body = serde_json::json!({ "error": { "code": "Request_ResourceNotFound", "message": "The emulator does not serve Microsoft Graph's directory objects." } });
    (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
}

fn throttled(retry_after_secs: u32) -> ArmError {
    let mut e = ArmError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "TooManyRequests",
        format!("The request is being throttled as the limit has been reached for operation type. Retry after {retry_after_secs} seconds."),
    );
    e.retry_after = Some(retry_after_secs);
    e
}

fn server_error(status: u16) -> ArmError {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let (code, message) = match status {
        StatusCode::SERVICE_UNAVAILABLE => ("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
        _ => ("InternalServerError", "An internal server error occurred. Please try again later."),
    };
    let mut e = ArmError::new(status, code, message);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        e.retry_after = Some(1);
    }
    e
}

const EXPOSED: &str = "Location, Azure-AsyncOperation, Retry-After, Date, x-ms-request-id, x-ms-correlation-request-id, \
    x-ms-ratelimit-remaining-subscription-reads, x-ms-ratelimit-remaining-subscription-writes, \
    x-ms-ratelimit-remaining-subscription-deletes";
/// What a browser may read when the LRO headers are withheld (fault switch).
const EXPOSED_WITHOUT_LRO: &str = "x-ms-request-id, x-ms-correlation-request-id";

/// The subscription a request is counted against (`/subscriptions/{id}/…`), or the tenant.
fn bucket_scope(path: &str) -> String {
    let mut parts = path.split('/').filter(|s| !s.is_empty());
    match (parts.next(), parts.next()) {
        (Some(s), Some(id)) if s.eq_ignore_ascii_case("subscriptions") => id.to_ascii_lowercase(),
        _ => "tenant".into(),
    }
}

/// Who is asking, for the bucket: the token's `oid`, read without checking the token (the
/// pipeline checks it next; a forged one only spends a bucket of its own).
fn principal_of(headers: &HeaderMap) -> String {
    use base64::Engine;
    let token = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    token
        .split('.')
        .nth(1)
        .and_then(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok())
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|c| c.get("oid").and_then(|o| o.as_str()).map(String::from))
        .unwrap_or_default()
}

/// Request ids and CORS on every response; preflights answered before authentication, as a
/// browser sends them without the token.
async fn arm_headers(State(emu): State<Arc<Emulator>>, mut request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let latency = emu.faults.get().latency_ms;
    if latency > 0 && request.method() != Method::OPTIONS {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let origin = request.headers().get(header::ORIGIN).cloned();
    let correlation = request
        .headers()
        .get("x-ms-correlation-request-id")
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_str(&crate::ids::new_guid()).expect("guid"));
    // The handler sees the id the response will carry (the Activity Log's `correlationId`).
    request.headers_mut().insert(HeaderName::from_static("x-ms-correlation-request-id"), correlation.clone());
    let kind = match *request.method() {
        Method::GET | Method::HEAD => "reads",
        Method::DELETE => "deletes",
        _ => "writes",
    };
    let has_token = request.headers().contains_key(header::AUTHORIZATION);
    // ARM's read bucket, when switched on: per subscription (or the tenant) and principal.
    let faults = emu.faults.get();
    let bucket = (kind == "reads" && has_token && faults.read_bucket > 0 && request.method() != Method::OPTIONS).then(|| {
        let key = (bucket_scope(request.uri().path()), principal_of(request.headers()));
        emu.rate.take_read(key, faults.read_bucket, faults.read_refill_per_sec, std::time::Instant::now())
    });
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else if let Some(Err(retry_after_secs)) = bucket {
        throttled(retry_after_secs).into_response()
    } else {
        next.run(request).await
    };
    let throttled = response.status() == StatusCode::TOO_MANY_REQUESTS;
    // The service's clock is the simulated one: run times and `Date` agree, however fast time runs.
    let date = httpdate(emu.clock.now_ms());
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&date) {
        h.insert(header::DATE, v);
    }
    h.insert(HeaderName::from_static("x-ms-request-id"), HeaderValue::from_str(&crate::ids::new_guid()).expect("guid"));
    h.insert(HeaderName::from_static("x-ms-correlation-request-id"), correlation);
    if let Some(Ok(left)) = bucket {
        h.insert(HeaderName::from_static("x-ms-ratelimit-remaining-subscription-reads"), HeaderValue::from(if throttled { 0 } else { left }));
    } else if has_token {
        let remaining = emu.rate.remaining(kind);
        let name = HeaderName::from_bytes(format!("x-ms-ratelimit-remaining-subscription-{kind}").as_bytes()).expect("header name");
        h.insert(name, HeaderValue::from(if throttled { 0 } else { remaining }));
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
        let exposed = if emu.faults.get().withhold_lro_headers { EXPOSED_WITHOUT_LRO } else { EXPOSED };
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(exposed));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("3600"));
    }
    response
}

/// `Sat, 28 Nov 2026 09:42:00 GMT`.
fn httpdate(ms: u64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp((ms / 1000) as i64).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let f = time::macros::format_description!("[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT");
    t.format(&f).unwrap_or_default()
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    let router = Router::new()
        .fallback(dispatch)
        .layer(axum::middleware::from_fn_with_state(emulator.clone(), arm_headers))
        .with_state(emulator.clone());
    crate::log::layer(router, emulator, "arm")
}
