//! `GET /subscriptions/{s}/providers/Microsoft.Insights/eventtypes/management/values`
//! (ActivityLogs_List, api-version 2015-04-01; NOTES.md §8.2), and which ARM writes it records.
//!
//! The `$filter` is the spec's "very restricted" grammar: a start time, an optional end time and
//! at most one scope (`resourceGroupName`, `resourceUri`, `resourceProvider`, `correlationId`).
//! The real `az monitor activity-log list` also sends what the spec does not list, and Azure takes
//! it, so we do too: unquoted times without a zone, `resourceId eq` for `resourceUri eq`, and
//! `caller eq` / `status eq`. Anything else is refused with the provider's flat error.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::arm::pipeline::access::{check_scope, Access};
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::pipeline::error::ArmError;
use crate::arm::pipeline::paging;
use crate::arm::pipeline::versions;
use crate::clock::{parse_rfc3339_ms, rfc3339_ms};
use crate::store::activity::{self, Context, Event};
pub use crate::store::activity::context;
use crate::store::same;
use crate::Emulator;

pub const READ: &str = "Microsoft.Insights/eventtypes/values/read";

/// Writes the events of a request that was answered with `result` (started at `at_ms`).
pub fn record(emu: &Emulator, context: &Context, at_ms: u64, result: &Result<Response, ArmError>) {
    let mut state = emu.state();
    activity::started(&mut state.events, context, at_ms);
    match result {
        Ok(response) => {
            // A create or an update is followed by `Azure-AsyncOperation`, a delete by `Location`.
            let h = response.headers();
            let goes_on = h.contains_key("azure-asyncoperation") || h.contains_key(axum::http::header::LOCATION);
            activity::answered(&mut state.events, context, at_ms, response.status().as_u16(), goes_on, None);
        }
        Err(e) => activity::answered(&mut state.events, context, at_ms, e.status.as_u16(), false, Some((e.code.clone(), e.message.clone()))),
    }
}

/// How far back the Activity Log can be read.
pub const RETENTION_MS: u64 = 90 * 24 * 3_600_000;

fn bad_request(message: String) -> ArmError {
    ArmError { flat: true, ..ArmError::new(StatusCode::BAD_REQUEST, "BadRequest", message) }
}

const GRAMMAR: &str = "eventTimestamp ge '<start>' [and eventTimestamp le '<end>'] [and resourceGroupName|resourceUri|resourceProvider|correlationId eq '<value>']";

/// What one scope clause names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    ResourceGroup(String),
    Resource(String),
    Provider(String),
    Correlation(String),
}

#[derive(Debug, PartialEq, Eq)]
pub struct Filter {
    pub from_ms: u64,
    pub to_ms: u64,
    pub scope: Option<Scope>,
    pub caller: Option<String>,
    pub status: Option<String>,
}

/// Splits on ` and ` outside quotes (a value may hold the word).
fn clauses(filter: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let words: Vec<&str> = filter.split(' ').collect();
    for w in words {
        if !quoted && w.eq_ignore_ascii_case("and") {
            out.push(String::new());
            continue;
        }
        let last = out.last_mut().expect("one at least");
        if !last.is_empty() {
            last.push(' ');
        }
        last.push_str(w);
        quoted ^= w.matches('\'').count() % 2 == 1;
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// `'it''s'` → `it's`; a bare token is taken as it is.
fn value(raw: &str) -> Option<String> {
    let raw = raw.trim();
    match raw.strip_prefix('\'') {
        Some(rest) => rest.strip_suffix('\'').filter(|v| !v.replace("''", "").contains('\'')).map(|v| v.replace("''", "'")),
        None => (!raw.is_empty() && !raw.contains(' ')).then(|| raw.to_string()),
    }
}

/// RFC 3339, or the zone-less ISO time Python's `isoformat()` writes (taken as UTC).
fn time_ms(v: &str) -> Option<u64> {
    parse_rfc3339_ms(v).or_else(|| parse_rfc3339_ms(&format!("{v}Z")))
}

impl Filter {
    pub fn parse(filter: Option<&str>, now_ms: u64) -> Result<Filter, ArmError> {
        let Some(text) = filter.map(str::trim).filter(|f| !f.is_empty()) else {
            return Err(bad_request(format!("The $filter query parameter is required: {GRAMMAR}.")));
        };
        let invalid = |why: &str| bad_request(format!("The $filter '{text}' is not valid: {why}. No other syntax is allowed than {GRAMMAR}."));
        let (mut from, mut to, mut scope, mut caller, mut status) = (None, None, None, None, None);
        for clause in clauses(text) {
            let mut parts = clause.splitn(3, ' ');
            let (field, op, raw) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let v = value(raw).ok_or_else(|| invalid(&format!("'{clause}' has no value")))?;
            let twice = || invalid(&format!("'{field}' is given twice"));
            match (field.to_ascii_lowercase().as_str(), op.to_ascii_lowercase().as_str()) {
                ("eventtimestamp", "ge") => {
                    if from.is_some() { return Err(twice()); }
                    from = Some(time_ms(&v).ok_or_else(|| invalid(&format!("'{v}' is not a date and time")))?);
                }
                ("eventtimestamp", "le") => {
                    if to.is_some() { return Err(twice()); }
                    to = Some(time_ms(&v).ok_or_else(|| invalid(&format!("'{v}' is not a date and time")))?);
                }
                (name @ ("resourcegroupname" | "resourceuri" | "resourceid" | "resourceprovider" | "correlationid"), "eq") => {
                    if scope.is_some() { return Err(twice()); }
                    scope = Some(match name {
                        "resourcegroupname" => Scope::ResourceGroup(v),
                        "resourceprovider" => Scope::Provider(v),
                        "correlationid" => Scope::Correlation(v),
                        _ => Scope::Resource(v),
                    });
                }
                ("caller", "eq") => {
                    if caller.is_some() { return Err(twice()); }
                    caller = Some(v);
                }
                ("status", "eq") => {
                    if status.is_some() { return Err(twice()); }
                    status = Some(v);
                }
                _ => return Err(invalid(&format!("'{clause}' is not one of the allowed conditions"))),
            }
        }
        let from = from.ok_or_else(|| invalid("it needs the start, eventTimestamp ge '<start>'"))?;
        let to = to.unwrap_or(now_ms);
        if from > to {
            return Err(invalid("the start is after the end"));
        }
        // Recorded (az monitor activity-log list, 2019): the log keeps 90 days.
        if from < now_ms.saturating_sub(RETENTION_MS) {
            return Err(bad_request("The start time cannot be more than 90 days in the past.".into()));
        }
        Ok(Filter { from_ms: from, to_ms: to, scope, caller, status })
    }

    pub fn matches(&self, e: &Event) -> bool {
        let c = &e.context;
        let scoped = match &self.scope {
            None => true,
            Some(Scope::ResourceGroup(g)) => same(&c.resource_group, g),
            Some(Scope::Resource(id)) => same(c.resource_id.trim_end_matches('/'), id.trim_end_matches('/')),
            Some(Scope::Provider(p)) => same(&c.resource_provider, p),
            Some(Scope::Correlation(id)) => same(&c.correlation_id, id),
        };
        (self.from_ms..=self.to_ms).contains(&e.at_ms)
            && scoped
            && self.caller.as_deref().is_none_or(|x| same(c.who.caller(), x))
            && self.status.as_deref().is_none_or(|x| same(&e.status, x))
    }
}

/// The fields `$select` may name: every field of an event (the spec's list, plus what
/// `Get-AzLog` selects in recorded sessions: `Caller`, `Category`, `ResourceUri`), in any case.
const SELECTABLE: &[&str] = &[
    "authorization", "caller", "category", "channels", "claims", "correlationId", "description", "eventDataId", "eventName", "eventTimestamp",
    "httpRequest", "id", "level", "operationId", "operationName", "properties", "resourceGroupName", "resourceProviderName", "resourceId",
    "resourceType", "status", "submissionTimestamp", "subStatus", "subscriptionId", "tenantId",
];

fn select(param: Option<&str>) -> Result<Option<Vec<&'static str>>, ArmError> {
    let Some(text) = param.filter(|s| !s.trim().is_empty()) else { return Ok(None) };
    let mut fields = Vec::new();
    for name in text.split(',').map(str::trim) {
        // `ResourceUri` is the older name of `resourceId`.
        let name = if name.eq_ignore_ascii_case("resourceUri") { "resourceId" } else { name };
        let field = SELECTABLE.iter().find(|f| f.eq_ignore_ascii_case(name)).ok_or_else(|| {
            bad_request(format!("The $select field '{name}' is not valid: choose from {}.", SELECTABLE.join(", ")))
        })?;
        fields.push(*field);
    }
    Ok(Some(fields))
}

fn localizable(value: &str, localized: &str) -> Value {
    json!({ "value": value, "localizedValue": localized })
}

/// .NET ticks (100 ns since 0001-01-01), as the event ids carry them.
fn ticks(ms: u64) -> u64 {
    (ms + 62_135_596_800_000) * 10_000
}

fn claims(e: &Event, issuer: &str) -> Value {
    let who = &e.context.who;
    let secs = e.at_ms / 1000;
    let mut c = json!({
        "aud": Emulator::ARM_RESOURCE,
        "iss": issuer,
        "iat": secs.saturating_sub(60).to_string(),
        "nbf": secs.saturating_sub(60).to_string(),
        "exp": (secs + 3540).to_string(),
        "appid": who.appid,
        "http://schemas.microsoft.com/identity/claims/objectidentifier": who.oid,
        "http://schemas.microsoft.com/identity/claims/tenantid": crate::authority::users::TENANT_ID,
    });
    match (&who.upn, &who.name) {
        (Some(upn), name) => {
            c["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"] = json!(upn);
            c["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"] = json!(upn);
            c["http://schemas.microsoft.com/identity/claims/scope"] = json!("user_impersonation");
            if let Some(name) = name {
                c["name"] = json!(name);
            }
        }
        (None, Some(name)) => c["name"] = json!(name),
        (None, None) => c["idtyp"] = json!("app"),
    }
    c
}

pub fn to_json(e: &Event, issuer: &str) -> Value {
    let c = &e.context;
    let mut properties = json!({
        "eventCategory": "Administrative",
        "entity": c.resource_id,
        "message": c.operation_name,
        "hierarchy": format!("{}/{}", crate::authority::users::TENANT_ID, c.subscription),
    });
    if let Some(body) = &c.request_body {
        properties["requestbody"] = json!(body);
    }
    let sub_status = match e.http_status {
        Some(code) => {
            let name = activity::status_name(code);
            properties["statusCode"] = json!(name);
            localizable(name, &format!("{name} (HTTP Status Code: {code})"))
        }
        None => localizable("", ""),
    };
    if let Some((code, message)) = &e.error {
        let status = json!({ "status": "Failed", "error": { "code": code, "message": message } });
        properties["statusMessage"] = json!(status.to_string());
    }
    json!({
        "authorization": { "action": c.operation_name, "scope": c.resource_id },
        "caller": c.who.caller(),
        "channels": "Operation",
        "claims": claims(e, issuer),
        "correlationId": c.correlation_id,
        "description": "",
        "eventDataId": e.event_data_id,
        "eventName": localizable(&e.event_name, if e.event_name == "BeginRequest" { "Begin request" } else { "End request" }),
        "category": localizable("Administrative", "Administrative"),
        "httpRequest": { "clientRequestId": c.correlation_id, "clientIpAddress": "127.0.0.1", "method": c.method },
        "id": format!("{}/events/{}/ticks/{}", c.resource_id, e.event_data_id, ticks(e.at_ms)),
        "level": e.level,
        "resourceGroupName": c.resource_group,
        "resourceProviderName": localizable(&c.resource_provider, &c.resource_provider),
        "resourceId": c.resource_id,
        "resourceType": localizable(&c.resource_type, &c.resource_type),
        "operationId": c.operation_id,
        "operationName": localizable(&c.operation_name, &c.operation_name),
        "properties": properties,
        "status": localizable(&e.status, &e.status),
        "subStatus": sub_status,
        "eventTimestamp": rfc3339_ms(e.at_ms),
        "submissionTimestamp": rfc3339_ms(e.at_ms + 9_000),
        "subscriptionId": c.subscription,
        "tenantId": crate::authority::users::TENANT_ID,
    })
}

fn only(mut event: Value, fields: &[&str]) -> Value {
    let Some(all) = event.as_object_mut() else { return event };
    let kept: Map<String, Value> = fields.iter().filter_map(|f| all.remove(*f).map(|v| (f.to_string(), v))).collect();
    Value::Object(kept)
}

/// The subscription's events that match, newest first, a page at a time.
pub fn list(call: &Call, sub: &str) -> ArmResult {
    call.require_api_version(&versions::ACTIVITY_LOG)?;
    let state = call.emu.state();
    check_scope(call, &state, sub, None, READ, Access::Read)?;
    let filter = Filter::parse(call.param("$filter"), call.emu.clock.now_ms())?;
    let fields = select(call.param("$select"))?;
    let mut events: Vec<&Event> = state.events.iter().filter(|e| same(&e.context.subscription, sub) && filter.matches(e)).collect();
    // Newest first; events of one moment keep the order they were written in, reversed.
    events.reverse();
    events.sort_by(|a, b| b.at_ms.cmp(&a.at_ms));
    let issuer = call.emu.issuer();
    let body = paging::page_map(call, events, call.emu.settings.page_size, |e| {
        let full = to_json(e, &issuer);
        match &fields {
            Some(f) => only(full, f),
            None => full,
        }
    });
    Ok(Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_764_000_000_000;

    #[test]
    fn the_spec_patterns_parse() {
        let f = Filter::parse(Some("eventTimestamp ge '2025-11-24T16:00:00Z' and eventTimestamp le '2025-11-24T17:00:00.1234567Z' and resourceUri eq '/subscriptions/s/x'"), T0).unwrap();
        assert_eq!((f.from_ms, f.to_ms), (T0, T0 + 3_600_123));
        assert_eq!(f.scope, Some(Scope::Resource("/subscriptions/s/x".into())));
        let f = Filter::parse(Some("eventTimestamp ge '2025-11-24T16:00:00Z' and resourceGroupName eq 'rg-builds'"), T0 + 5).unwrap();
        assert_eq!((f.to_ms, f.scope), (T0 + 5, Some(Scope::ResourceGroup("rg-builds".into()))));
        for scope in ["resourceProvider eq 'Microsoft.ContainerRegistry'", "correlationId eq 'abc'"] {
            assert!(Filter::parse(Some(&format!("eventTimestamp ge '2025-11-24T16:00:00Z' and {scope}")), T0).is_ok(), "{scope}");
        }
    }

    #[test]
    fn what_the_az_cli_sends_parses() {
        // `az monitor activity-log list --resource-id … --caller … --status …`
        let f = Filter::parse(
            Some("eventTimestamp ge 2025-11-24T16:00:00.000000 and eventTimestamp le 2025-11-24T17:00:00 and resourceId eq '/subscriptions/s/x' and caller eq 'a@b' and status eq 'Failed'"),
            T0,
        )
        .unwrap();
        assert_eq!((f.from_ms, f.to_ms), (T0, T0 + 3_600_000));
        assert_eq!((f.caller.as_deref(), f.status.as_deref()), (Some("a@b"), Some("Failed")));
    }

    #[test]
    fn anything_else_is_refused_with_a_flat_error() {
        for bad in [
            None,
            Some("resourceGroupName eq 'g'"),
            Some("eventTimestamp ge 'yesterday'"),
            Some("eventTimestamp ge '2025-11-24T16:00:00Z' and level eq 'Error'"),
            Some("eventTimestamp ge '2025-11-24T16:00:00Z' or resourceGroupName eq 'g'"),
            Some("eventTimestamp ge '2025-11-24T16:00:00Z' and resourceGroupName eq 'a' and resourceUri eq 'b'"),
            Some("eventTimestamp ge '2025-11-24T17:00:00Z' and eventTimestamp le '2025-11-24T16:00:00Z'"),
        ] {
            let e = Filter::parse(bad, T0).unwrap_err();
            assert!(e.flat && e.code == "BadRequest" && e.status == StatusCode::BAD_REQUEST, "{bad:?}");
        }
    }

    #[test]
    fn quoted_values_may_hold_and_and_quotes() {
        let f = Filter::parse(Some("eventTimestamp ge '2025-11-24T16:00:00Z' and resourceGroupName eq 'rock and roll''s'"), T0).unwrap();
        assert_eq!(f.scope, Some(Scope::ResourceGroup("rock and roll's".into())));
    }

    #[test]
    fn select_takes_the_listed_fields_only() {
        assert_eq!(select(Some("eventName , id,claims")).unwrap(), Some(vec!["eventName", "id", "claims"]));
        assert_eq!(select(Some("Caller,Category,ResourceUri")).unwrap(), Some(vec!["caller", "category", "resourceId"]));
        let e = select(Some("nonsense")).unwrap_err();
        assert!(e.flat && e.message.contains("'nonsense'"), "{}", e.message);
    }
}
