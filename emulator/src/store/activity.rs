//! The Activity Log (Microsoft.Insights, api-version 2015-04-01): what every ARM write leaves
//! behind, as Azure records it. One operation is a few events sharing a `correlationId`:
//! `Started` (BeginRequest, with the request body), then `Accepted` for a long-running one, then
//! `Succeeded` or `Failed` (EndRequest, the error in `properties.statusMessage`).

use serde::{Deserialize, Serialize};

use crate::authority::users;

/// Azure keeps the Activity Log for 90 days.
pub const RETENTION_MS: u64 = 90 * 24 * 3_600_000;

/// Who made a request, as the token said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Who {
    pub oid: String,
    /// The `name` claim (a person's display name); service principals have none.
    pub name: Option<String>,
    pub upn: Option<String>,
    pub appid: String,
    /// A managed identity (a task's), not an app registration's service principal.
    #[serde(default)]
    pub managed: bool,
}

impl Who {
    /// What the log calls `caller`: the user's UPN, or the app id of a service principal.
    pub fn caller(&self) -> &str {
        self.upn.as_deref().unwrap_or(&self.appid)
    }

    pub fn user(u: &users::User) -> Who {
        Who { oid: u.oid.into(), name: Some(u.name.into()), upn: Some(u.username.into()), appid: users::PORTAL_CLIENT_ID.into(), managed: false }
    }

    /// A task's system-assigned identity, as its token names it.
    pub fn managed_identity(principal: &str, client_id: &str) -> Who {
        Who { oid: principal.into(), name: None, upn: None, appid: client_id.into(), managed: true }
    }

    pub fn service_principal() -> Who {
        let sp = &users::SERVICE_PRINCIPAL;
        Who { oid: sp.oid.into(), name: None, upn: None, appid: sp.client_id.into(), managed: false }
    }
}

/// One operation's facts, shared by its events (and kept by a long-running operation until it
/// ends, so its last event carries the same correlation and caller).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    pub correlation_id: String,
    pub operation_id: String,
    /// `Microsoft.ContainerRegistry/registries/agentPools/write`
    pub operation_name: String,
    pub resource_id: String,
    pub subscription: String,
    pub resource_group: String,
    pub resource_provider: String,
    pub resource_type: String,
    pub who: Who,
    pub method: String,
    /// The JSON the client sent, if any (Azure keeps it on the Started event).
    pub request_body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub event_data_id: String,
    pub context: Context,
    /// BeginRequest | EndRequest
    pub event_name: String,
    /// Started | Accepted | Succeeded | Failed
    pub status: String,
    /// The HTTP status that ended this step (201, 202, 400…), none for Started.
    pub http_status: Option<u16>,
    /// Informational | Error
    pub level: String,
    pub at_ms: u64,
    /// `{"error":{"code","message"}}` of a failure.
    pub error: Option<(String, String)>,
}

/// Request bodies are cut where Azure cuts them.
const MAX_BODY: usize = 4096;

fn push(log: &mut Vec<Event>, context: &Context, event_name: &str, status: &str, http_status: Option<u16>, at_ms: u64, error: Option<(String, String)>) {
    let level = if error.is_some() { "Error" } else { "Informational" };
    log.push(Event {
        event_data_id: crate::ids::new_guid(),
        context: context.clone(),
        event_name: event_name.into(),
        status: status.into(),
        http_status,
        level: level.into(),
        at_ms,
        error,
    });
    let oldest = at_ms.saturating_sub(RETENTION_MS);
    if log.first().is_some_and(|e| e.at_ms < oldest) {
        log.retain(|e| e.at_ms >= oldest);
    }
}

pub fn started(log: &mut Vec<Event>, context: &Context, at_ms: u64) {
    let mut context = context.clone();
    context.request_body = context.request_body.map(|b| b.chars().take(MAX_BODY).collect());
    push(log, &context, "BeginRequest", "Started", None, at_ms, None);
}

/// The answer to the request: `Accepted` when work goes on (an `Azure-AsyncOperation`), or the end.
pub fn answered(log: &mut Vec<Event>, context: &Context, at_ms: u64, http_status: u16, goes_on: bool, error: Option<(String, String)>) {
    let status = match (&error, goes_on) {
        (Some(_), _) => "Failed",
        (None, true) => "Accepted",
        (None, false) => "Succeeded",
    };
    push(log, &without_body(context), "EndRequest", status, Some(http_status), at_ms, error);
}

/// A long-running operation ended.
pub fn ended(log: &mut Vec<Event>, context: &Context, at_ms: u64, error: Option<(String, String)>) {
    let (status, http) = if error.is_some() { ("Failed", 400) } else { ("Succeeded", 200) };
    push(log, &without_body(context), "EndRequest", status, Some(http), at_ms, error);
}

fn without_body(context: &Context) -> Context {
    Context { request_body: None, ..context.clone() }
}

/// The status text ARM pairs with a code (`subStatus`, `properties.statusCode`).
pub fn status_name(http: u16) -> &'static str {
    match http {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "NoContent",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        _ => "InternalServerError",
    }
}

const REGISTRY_TYPE: &str = "Microsoft.ContainerRegistry/registries";

/// The Activity Log's view of a write, if it is one the log records: pools (write, delete), runs
/// scheduled, updated and cancelled, tasks (write, delete). Reads and list actions are not logged.
pub fn context(method: &axum::http::Method, segments: &[String], who: Who, correlation: &str, body: &[u8]) -> Option<Context> {
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let s: Vec<&str> = lower.iter().map(String::as_str).collect();
    let [_, sub, _, rg, _, _, _, registry, rest @ ..] = segments else { return None };
    if !matches!(s.as_slice(), ["subscriptions", _, "resourcegroups", _, "providers", "microsoft.containerregistry", "registries", _, ..]) {
        return None;
    }
    let write = matches!(*method, axum::http::Method::PUT | axum::http::Method::PATCH);
    let delete = *method == axum::http::Method::DELETE;
    let post = *method == axum::http::Method::POST;
    let (child, kind, verb) = match (&s[8..], rest) {
        (["agentpools", _], [_, name]) if write || delete => (format!("/agentPools/{name}"), "agentPools", if delete { "delete" } else { "write" }),
        (["schedulerun"], _) if post => (String::new(), "", "scheduleRun/action"),
        (["runs", _], [_, id]) if *method == axum::http::Method::PATCH => (format!("/runs/{id}"), "runs", "write"),
        (["runs", _, "cancel"], [_, id, _]) if post => (format!("/runs/{id}"), "runs", "cancel/action"),
        (["tasks", _], [_, name]) if write || delete => (format!("/tasks/{name}"), "tasks", if delete { "delete" } else { "write" }),
        _ => return None,
    };
    let resource_type = if kind.is_empty() { REGISTRY_TYPE.to_string() } else { format!("{REGISTRY_TYPE}/{kind}") };
    let body = std::str::from_utf8(body).ok().filter(|b| !b.trim().is_empty()).map(String::from);
    Some(Context {
        correlation_id: correlation.to_string(),
        operation_id: crate::ids::new_guid(),
        operation_name: format!("{resource_type}/{verb}"),
        resource_id: format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/{REGISTRY_TYPE}/{registry}{child}"),
        subscription: sub.clone(),
        resource_group: rg.clone(),
        resource_provider: "Microsoft.ContainerRegistry".into(),
        resource_type,
        who,
        method: method.to_string(),
        request_body: body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            correlation_id: "c1".into(),
            operation_id: "o1".into(),
            operation_name: "Microsoft.ContainerRegistry/registries/agentPools/write".into(),
            resource_id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/agentPools/p".into(),
            subscription: "s".into(),
            resource_group: "g".into(),
            resource_provider: "Microsoft.ContainerRegistry".into(),
            resource_type: "Microsoft.ContainerRegistry/registries/agentPools".into(),
            who: Who::service_principal(),
            method: "PATCH".into(),
            request_body: Some("x".repeat(5000)),
        }
    }

    #[test]
    fn a_long_running_operation_is_started_accepted_then_ended_and_only_started_keeps_the_body() {
        let mut log = Vec::new();
        started(&mut log, &context(), 10);
        answered(&mut log, &context(), 10, 200, true, None);
        ended(&mut log, &context(), 30, Some(("X".into(), "blocked".into())));
        let steps: Vec<(&str, Option<u16>, &str)> = log.iter().map(|e| (e.status.as_str(), e.http_status, e.level.as_str())).collect();
        assert_eq!(steps, vec![("Started", None, "Informational"), ("Accepted", Some(200), "Informational"), ("Failed", Some(400), "Error")]);
        assert_eq!(log[0].context.request_body.as_ref().map(String::len), Some(MAX_BODY));
        assert!(log[1..].iter().all(|e| e.context.request_body.is_none()));
        assert_eq!(log[0].context.who.caller(), users::SERVICE_PRINCIPAL.client_id);
        assert_eq!(Who::user(&users::OWNER).caller(), "olivia@contoso.test");
    }

    #[test]
    fn events_older_than_ninety_days_are_dropped() {
        let mut log = Vec::new();
        started(&mut log, &context(), 1);
        started(&mut log, &context(), RETENTION_MS + 2);
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].at_ms, RETENTION_MS + 2);
    }
}
