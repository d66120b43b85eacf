//! Who changed what, from Activity Log events (issue 13): the events of one operation grouped
//! into one change, told in words ("Scale 2 → 0", "Pause: holiday"), with who did it and how it
//! ended. Pure: the events come from `arm::activity`, the words go to the views.
//!
//! Scaling and tagging are both a PATCH of the pool; what changed is read from the request body
//! the Started event keeps. The count before a scale is not in any event: it is the count the
//! previous successful write in the window set, and unknown before the first.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::log_event::Event;
use super::time::parse_rfc3339_ms;
use crate::domain::pause;

pub use crate::domain::time::Span;


/// The activity view's query: its window, and the operation to point at (`op`, a correlation id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub span: Span,
    pub op: Option<String>,
}

impl Query {
    pub fn from_query(search: &str) -> Query {
        let mut q = Query::default();
        for (k, v) in search.trim_start_matches('?').split('&').filter_map(|p| p.split_once('=')) {
            match k {
                "window" => q.span = Span::ALL.into_iter().find(|s| s.key() == v).unwrap_or_default(),
                // Correlation ids are GUIDs: anything else is not one of ours.
                "op" if !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_hexdigit() || c == '-') => q.op = Some(v.to_ascii_lowercase()),
                _ => {}
            }
        }
        q
    }

    /// `?window=24h&op=…`, leaving out what is the default.
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        if self.span != Span::default() {
            parts.push(format!("window={}", self.span.key()));
        }
        if let Some(op) = &self.op {
            parts.push(format!("op={op}"));
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// Who made a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Who {
    /// A person's name, or a service principal's app id.
    pub label: String,
    /// The sign-in name under the person's name.
    pub detail: Option<String>,
    pub app: bool,
    /// An app's object id (`objectidentifier`): a task's managed identity is known by it.
    pub object_id: Option<String>,
}

const UPN: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";

const NAME: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

const OBJECT_ID: &str = "http://schemas.microsoft.com/identity/claims/objectidentifier";

/// From the claims (`caller` cannot be selected), falling back on `caller` when it came. A
/// service principal says so (`idtyp: app`); a person without a sign-in name (a guest) is still
/// a person, named as the claims name them.
pub fn who(e: &Event) -> Who {
    if e.claim("idtyp") == Some("app") {
        let label = e.claim("appid").map(String::from).or_else(|| e.caller.clone()).unwrap_or_else(|| "unknown app".into());
        let object_id = e.claim(OBJECT_ID).or_else(|| e.claim("oid")).map(String::from);
        return Who { label, detail: None, app: true, object_id };
    }
    let upn = e.claim(UPN).or_else(|| e.claim("upn")).or_else(|| e.claim(NAME));
    match (e.claim("name"), upn) {
        (Some(name), Some(upn)) if name != upn => Who { label: name.into(), detail: Some(upn.into()), app: false, object_id: None },
        (Some(name), _) => Who { label: name.into(), detail: None, app: false, object_id: None },
        (None, Some(upn)) => Who { label: upn.into(), detail: None, app: false, object_id: None },
        (None, None) => Who { label: e.caller.clone().unwrap_or_else(|| "unknown caller".into()), detail: None, app: false, object_id: None },
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Started or accepted, not ended (yet, or not in the window).
    Running,
    Succeeded,
    Failed { code: Option<String>, message: Option<String> },
}

/// What a change did, in the portal's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum What {
    Create { tier: Option<String>, count: Option<i64>, subnet: bool },
    Scale { from: Option<i64>, to: i64 },
    Pause { reason: String },
    Resume { to: Option<i64> },
    Tags { added: Vec<String>, removed: Vec<String> },
    /// Tags written where what they replaced is not known (before the window).
    TagsSet { tags: Vec<String> },
    /// A PUT on a pool that was there: its count and tags replaced.
    Replace { count: Option<i64> },
    Delete,
    QuickBuild { pool: Option<String> },
    TaskRun { task: Option<String>, pool: Option<String> },
    CancelRun,
    SaveTask { pool: Option<String> },
    DeleteTask,
    /// A write whose body the log did not keep (or that said nothing we read).
    Updated,
    /// An operation the portal has no words for: its name.
    Other(String),
}

impl What {
    pub fn text(&self) -> String {
        let on = |pool: &Option<String>| pool.as_ref().map(|p| format!(" on {p}")).unwrap_or_default();
        match self {
            What::Create { tier, count, subnet } => {
                let size = match (tier, count) {
                    (Some(t), Some(c)) => format!(" {t} × {c}"),
                    (Some(t), None) => format!(" {t}"),
                    _ => String::new(),
                };
                format!("Create{size}{}", if *subnet { " in a subnet" } else { "" })
            }
            What::Scale { from: Some(f), to } => format!("Scale {f} → {to}"),
            What::Scale { from: None, to } => format!("Scale to {to}"),
            What::Pause { reason } if reason.is_empty() => "Pause".into(),
            What::Pause { reason } => format!("Pause: {reason}"),
            What::Resume { to: Some(n) } => format!("Resume ({n} instance{})", if *n == 1 { "" } else { "s" }),
            What::Resume { to: None } => "Resume".into(),
            What::Tags { added, removed } => {
                let mut parts: Vec<String> = added.iter().map(|t| format!("+{t}")).collect();
                parts.extend(removed.iter().map(|t| format!("−{t}")));
                if parts.is_empty() { "Tags (no change)".into() } else { format!("Tags {}", parts.join(", ")) }
            }
            What::TagsSet { tags } if tags.is_empty() => "Tags cleared".into(),
            What::TagsSet { tags } => format!("Tags set to {}", tags.join(", ")),
            What::Replace { count: Some(c) } => format!("Update (count {c}, tags replaced)"),
            What::Replace { count: None } => "Update (tags replaced)".into(),
            What::Delete => "Delete".into(),
            What::QuickBuild { pool } => format!("Quick build{}", on(pool)),
            What::TaskRun { task, pool } => format!("Run task {}{}", task.as_deref().unwrap_or("?"), on(pool)),
            What::CancelRun => "Cancel run".into(),
            What::SaveTask { pool } => format!("Save task{}", pool.as_ref().map(|p| format!(" (pool {p})")).unwrap_or_default()),
            What::DeleteTask => "Delete task".into(),
            What::Updated => "Updated".into(),
            What::Other(op) => op.clone(),
        }
    }
}

/// One operation: its events grouped by correlation id (and operation and resource, since a
/// command-line tool may send several requests under one correlation id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub correlation_id: String,
    pub operation: String,
    pub resource_id: String,
    pub method: Option<String>,
    pub started_ms: u64,
    pub ended_ms: u64,
    /// The service answered 201 Created: a PUT that made the resource, not one that replaced it.
    pub created: bool,
    pub who: Who,
    pub what: What,
    pub outcome: Outcome,
}

impl Change {
    /// What the change was done to, within its registry: "pool build-s2", "run ca12".
    pub fn target(&self) -> String {
        let parts: Vec<&str> = self.resource_id.trim_end_matches('/').split('/').collect();
        let lower = |i: usize| parts.get(i).map(|s| s.to_ascii_lowercase()).unwrap_or_default();
        let n = parts.len();
        match lower(n.saturating_sub(2)).as_str() {
            "agentpools" => format!("pool {}", parts[n - 1]),
            "runs" => format!("run {}", parts[n - 1]),
            "tasks" => format!("task {}", parts[n - 1]),
            "registries" => format!("registry {}", parts[n - 1]),
            _ => self.resource_id.clone(),
        }
    }
}

fn status_of(e: &Event) -> String {
    e.status.as_ref().and_then(|s| s.value.clone()).unwrap_or_default()
}

/// `{"status":"Failed","error":{"code","message"}}`, `{"error":{…}}` or `{"code","message"}`.
fn error_of(e: &Event) -> (Option<String>, Option<String>) {
    let parsed: Option<Value> = e.property("statusMessage").and_then(|m| serde_json::from_str(m).ok());
    let error = parsed.as_ref().map(|v| v.get("error").unwrap_or(v));
    let field = |k: &str| error.and_then(|x| x.get(k)).and_then(Value::as_str).map(String::from);
    let code = field("code").or_else(|| e.property("statusCode").map(String::from));
    let message = field("message").or_else(|| e.sub_status.as_ref().and_then(|s| s.localized_value.clone()).filter(|s| !s.is_empty()));
    // Terminal escapes in a message are noise on a page (and shown as text anyway).
    (code.map(|c| crate::domain::ansi::strip(&c)), message.map(|m| crate::domain::ansi::strip(&m)))
}

struct Group<'a> {
    events: Vec<&'a Event>,
}

/// Changes, newest first, from events in any order.
pub fn group(events: &[Event]) -> Vec<Change> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for e in events {
        let key = format!(
            "{}|{}|{}",
            e.correlation_id.as_deref().or(e.event_data_id.as_deref()).unwrap_or_default(),
            e.operation_name.as_ref().and_then(|o| o.value.as_deref()).unwrap_or_default(),
            e.resource_id.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase();
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(Group { events: Vec::new() });
            groups.len() - 1
        });
        groups[i].events.push(e);
    }
    let mut changes: Vec<(Change, Option<Value>)> = groups.iter().filter_map(summarise).collect();
    // Oldest first to carry the count and tags forward, then newest first to show.
    changes.sort_by_key(|(c, _)| c.started_ms);
    describe(&mut changes);
    let mut out: Vec<Change> = changes.into_iter().map(|(c, _)| c).collect();
    out.reverse();
    out
}

fn summarise(g: &Group) -> Option<(Change, Option<Value>)> {
    let time = |e: &&Event| e.event_timestamp.as_deref().and_then(parse_rfc3339_ms);
    let started_ms = g.events.iter().filter_map(time).min()?;
    let ended_ms = g.events.iter().filter_map(time).max().unwrap_or(started_ms);
    let first = g.events[0];
    let failed = g.events.iter().find(|e| status_of(e).eq_ignore_ascii_case("Failed"));
    let outcome = match failed {
        Some(f) => {
            let (code, message) = error_of(f);
            Outcome::Failed { code, message }
        }
        None if g.events.iter().any(|e| status_of(e).eq_ignore_ascii_case("Succeeded")) => Outcome::Succeeded,
        None => Outcome::Running,
    };
    let body = g.events.iter().find_map(|e| e.property("requestbody")).and_then(|b| serde_json::from_str::<Value>(b).ok());
    let method = g.events.iter().find_map(|e| e.http_request.as_ref().and_then(|h| h.method.clone()));
    let created = g.events.iter().any(|e| {
        e.property("statusCode") == Some("Created") || e.sub_status.as_ref().and_then(|s| s.value.as_deref()) == Some("Created")
    });
    // The claims of the request's own event (the Started one) say who asked.
    let asker = g.events.iter().find(|e| status_of(e).eq_ignore_ascii_case("Started")).unwrap_or(&first);
    let change = Change {
        correlation_id: first.correlation_id.clone().unwrap_or_default(),
        operation: first.operation_name.as_ref().and_then(|o| o.value.clone()).unwrap_or_default(),
        resource_id: first.resource_id.clone().unwrap_or_default(),
        method,
        started_ms,
        ended_ms,
        created,
        who: who(asker),
        what: What::Updated,
        outcome,
    };
    Some((change, body))
}

/// What the portal knows of one pool from the changes before.
#[derive(Default)]
struct Known {
    count: Option<i64>,
    tags: Option<BTreeMap<String, String>>,
}

fn tags_of(v: &Value) -> Option<BTreeMap<String, String>> {
    v.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
}

fn leaf(id: &str) -> Option<String> {
    id.trim_end_matches('/').rsplit('/').next().filter(|s| !s.is_empty()).map(String::from)
}

fn describe(changes: &mut [(Change, Option<Value>)]) {
    let mut known: HashMap<String, Known> = HashMap::new();
    for (change, body) in changes.iter_mut() {
        let op = change.operation.to_ascii_lowercase();
        let state = known.entry(change.resource_id.to_ascii_lowercase()).or_default();
        let count = body.as_ref().and_then(|b| b.pointer("/properties/count")).and_then(Value::as_i64);
        let tags = body.as_ref().and_then(|b| b.get("tags")).and_then(tags_of);
        let method = change.method.as_deref().unwrap_or_default().to_ascii_uppercase();
        change.what = if op.ends_with("/agentpools/write") {
            match (method.as_str(), body) {
                ("PUT", Some(b)) if change.created || change.outcome != Outcome::Succeeded => What::Create {
                    tier: b.pointer("/properties/tier").and_then(Value::as_str).map(String::from),
                    count,
                    subnet: b.pointer("/properties/virtualNetworkSubnetResourceId").and_then(Value::as_str).is_some_and(|s| !s.is_empty()),
                },
                ("PUT", Some(_)) => What::Replace { count },
                (_, Some(_)) => pool_patch(state, count, tags.as_ref()),
                _ => What::Updated,
            }
        } else if op.ends_with("/agentpools/delete") {
            What::Delete
        } else if op.ends_with("/schedulerun/action") {
            let b = body.as_ref();
            let pool = b.and_then(|b| b.get("agentPoolName")).and_then(Value::as_str).map(String::from);
            match b.and_then(|b| b.get("type")).and_then(Value::as_str) {
                Some("TaskRunRequest") => What::TaskRun { task: b.and_then(|b| b.get("taskId")).and_then(Value::as_str).and_then(leaf), pool },
                _ => What::QuickBuild { pool },
            }
        } else if op.ends_with("/runs/cancel/action") {
            What::CancelRun
        } else if op.ends_with("/tasks/write") {
            What::SaveTask { pool: body.as_ref().and_then(|b| b.pointer("/properties/agentPoolName")).and_then(Value::as_str).map(String::from) }
        } else if op.ends_with("/tasks/delete") {
            What::DeleteTask
        } else if change.operation.is_empty() {
            What::Updated
        } else {
            What::Other(change.operation.clone())
        };
        // Only what happened moves what is known.
        if change.outcome == Outcome::Succeeded {
            if method == "PUT" {
                state.tags = Some(tags.clone().unwrap_or_default());
            } else if tags.is_some() {
                state.tags = tags;
            }
            if count.is_some() {
                state.count = count;
            }
        }
    }
}

fn pool_patch(state: &Known, count: Option<i64>, tags: Option<&BTreeMap<String, String>>) -> What {
    let paused = tags.and_then(pause::paused);
    match (count, tags) {
        (Some(0), Some(_)) if paused.is_some() => What::Pause { reason: paused.map(|p| p.reason).unwrap_or_default() },
        (Some(n), Some(t)) if n > 0 && !t.contains_key(pause::COUNT) && was_paused(state) => What::Resume { to: Some(n) },
        (Some(n), _) => What::Scale { from: state.count, to: n },
        (None, Some(t)) => match &state.tags {
            None => What::TagsSet { tags: t.iter().map(|(k, v)| format!("{k}={v}")).collect() },
            Some(before) => What::Tags {
                added: t.iter().filter(|(k, v)| before.get(*k) != Some(v)).map(|(k, v)| format!("{k}={v}")).collect(),
                removed: before.keys().filter(|k| !t.contains_key(*k)).cloned().collect(),
            },
        },
        (None, None) => What::Updated,
    }
}

/// Whether the pool was paused before: its known tags hold a pause record; with its tags not
/// known, a count of 0 (or not known either) is taken as paused.
fn was_paused(state: &Known) -> bool {
    match &state.tags {
        Some(tags) => tags.contains_key(pause::COUNT),
        None => state.count.is_none_or(|c| c == 0),
    }
}

/// The count a pool had before its newest successful scale to 0 ("Scale 3 → 0"): what Resume
/// offers when no pause record was kept.
pub fn count_before_zero(changes: &[Change]) -> Option<i64> {
    changes
        .iter()
        .filter(|c| c.outcome == Outcome::Succeeded)
        .max_by_key(|c| c.ended_ms)
        .and_then(|c| match c.what {
            What::Scale { from: Some(n), to: 0 } if n > 0 => Some(n),
            _ => None,
        })
}

pub use super::time::ago;

/// Whether an event belongs to a registry or something in it (the registry view reads its
/// resource group and keeps these; ids compare without case, as ARM's do).
pub fn under(resource_id: &str, registry_id: &str) -> bool {
    let (id, reg) = (resource_id.to_ascii_lowercase(), registry_id.to_ascii_lowercase());
    let reg = reg.trim_end_matches('/');
    id == reg || id.starts_with(&format!("{reg}/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::format_rfc3339_ms;
    const HOUR: u64 = 3_600_000;
    const DAY: u64 = 24 * HOUR;
    use serde_json::json;

    const POOL: &str = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/agentPools/p";
    const WRITE: &str = "Microsoft.ContainerRegistry/registries/agentPools/write";
    const OLIVIA: &str = "olivia@contoso.test";

    fn event(correlation: &str, op: &str, status: &str, at_ms: u64, method: &str, body: Option<Value>, user: Option<&str>) -> Event {
        let mut properties = json!({ "statusCode": "OK" });
        if let Some(b) = body {
            properties["requestbody"] = json!(b.to_string());
        }
        let claims = match user {
            Some(upn) => json!({ UPN: upn, "name": "Olivia Owner", "appid": "portal" }),
            None => json!({ "appid": "5e4d3c2b-app", "idtyp": "app", OBJECT_ID: "0b1e-identity" }),
        };
        serde_json::from_value(json!({
            "correlationId": correlation,
            "eventDataId": format!("{correlation}-{status}"),
            "eventTimestamp": format_rfc3339_ms(at_ms),
            "operationName": { "value": op },
            "status": { "value": status },
            "resourceId": POOL,
            "claims": claims,
            "properties": properties,
            "httpRequest": { "method": method },
        }))
        .unwrap()
    }

    /// Started, Accepted, Succeeded of one write, `at` minutes in.
    fn write(c: &str, at: u64, method: &str, body: Value, user: Option<&str>) -> Vec<Event> {
        let t = at * 60_000;
        ["Started", "Accepted", "Succeeded"].iter().enumerate().map(|(i, s)| event(c, WRITE, s, t + i as u64 * 1000, method, (i == 0).then(|| body.clone()), user)).collect()
    }

    /// A PUT that made the pool: its Accepted event says 201 Created.
    fn created(c: &str, at: u64, body: Value, user: Option<&str>) -> Vec<Event> {
        let mut events = write(c, at, "PUT", body, user);
        events[1].properties = Some(serde_json::from_value(json!({ "statusCode": "Created" })).unwrap());
        events
    }

    fn texts(changes: &[Change]) -> Vec<String> {
        changes.iter().map(|c| c.what.text()).collect()
    }

    #[test]
    fn events_of_one_operation_are_one_change_with_its_end() {
        let mut events = created("c1", 1, json!({ "properties": { "tier": "S2", "count": 1 } }), None);
        events.reverse();
        let changes = group(&events);
        assert_eq!(changes.len(), 1);
        let c = &changes[0];
        assert_eq!((c.started_ms, c.ended_ms, c.outcome.clone()), (60_000, 62_000, Outcome::Succeeded));
        assert_eq!(c.what, What::Create { tier: Some("S2".into()), count: Some(1), subnet: false });
        assert_eq!(c.who, Who { label: "5e4d3c2b-app".into(), detail: None, app: true, object_id: Some("0b1e-identity".into()) });
        assert_eq!(c.target(), "pool p");
    }

    #[test]
    fn scales_pauses_resumes_and_tags_are_told_apart_with_the_count_before() {
        // A pause as earlier portal versions wrote it, in the pool's own tags.
        let paused = BTreeMap::from([(pause::COUNT, "2"), (pause::BY, "Olivia Owner"), (pause::REASON, "holiday"), (pause::AT, "t")]);
        let mut events = Vec::new();
        events.extend(created("c1", 1, json!({ "properties": { "tier": "S1", "count": 1 } }), Some(OLIVIA)));
        events.extend(write("c2", 2, "PATCH", json!({ "properties": { "count": 2 } }), Some(OLIVIA)));
        events.extend(write("c3", 3, "PATCH", json!({ "properties": { "count": 0 }, "tags": paused }), Some(OLIVIA)));
        events.extend(write("c4", 4, "PATCH", json!({ "properties": { "count": 2 }, "tags": {} }), Some(OLIVIA)));
        events.extend(write("c5", 5, "PATCH", json!({ "tags": { "team": "web" } }), None));
        events.extend(write("c6", 6, "PATCH", json!({ "tags": { "team": "api", "cost": "x" } }), None));
        events.extend(write("c7", 7, "PATCH", json!({ "tags": {} }), None));
        events.extend(write("c8", 8, "PATCH", json!({ "properties": { "count": 0 } }), None));
        let changes = group(&events);
        assert_eq!(
            texts(&changes),
            ["Scale 2 → 0", "Tags −cost, −team", "Tags +cost=x, +team=api", "Tags +team=web", "Resume (2 instances)", "Pause: holiday", "Scale 1 → 2", "Create S1 × 1"]
        );
        assert_eq!(changes[7].who, Who { label: "Olivia Owner".into(), detail: Some(OLIVIA.into()), app: false, object_id: None });
    }

    #[test]
    fn resume_finds_the_count_before_the_last_scale_to_zero() {
        let mut events = created("c1", 1, json!({ "properties": { "tier": "S1", "count": 1 } }), None);
        events.extend(write("c2", 2, "PATCH", json!({ "properties": { "count": 3 } }), None));
        events.extend(write("c3", 3, "PATCH", json!({ "properties": { "count": 0 } }), None));
        assert_eq!(count_before_zero(&group(&events)), Some(3));
        events.extend(write("c4", 4, "PATCH", json!({ "properties": { "count": 2 } }), None));
        assert_eq!(count_before_zero(&group(&events)), None, "scaled up since");
    }

    #[test]
    fn without_what_came_before_a_scale_says_only_where_it_went() {
        let changes = group(&write("c1", 1, "PATCH", json!({ "properties": { "count": 3 } }), None));
        assert_eq!(texts(&changes), ["Scale to 3"]);
        let tags = group(&[write("c2", 1, "PATCH", json!({ "tags": { "a": "1" } }), None), write("c3", 2, "PATCH", json!({ "tags": {} }), None)].concat());
        assert_eq!(texts(&tags), ["Tags −a", "Tags set to a=1"]);
        assert_eq!(texts(&group(&write("c4", 1, "PATCH", json!({ "tags": {} }), None))), ["Tags cleared"]);
        // A write whose Started event is outside the window (or whose body was not kept).
        let late: Vec<Event> = write("c2", 1, "PATCH", json!({}), None).into_iter().skip(1).collect();
        assert_eq!(texts(&group(&late)), ["Updated"]);
    }

    #[test]
    fn a_failed_write_carries_its_error_and_moves_nothing() {
        let mut events = created("c1", 1, json!({ "properties": { "tier": "S1", "count": 1 } }), None);
        let mut refused = event("c2", WRITE, "Started", 120_000, "PATCH", Some(json!({ "properties": { "count": 9 } })), None);
        refused.correlation_id = Some("c2".into());
        let mut failed = event("c2", WRITE, "Failed", 120_500, "PATCH", None, None);
        failed.properties = Some(serde_json::from_value(json!({ "statusCode": "BadRequest", "statusMessage": "{\"status\":\"Failed\",\"error\":{\"code\":\"QuotaExceeded\",\"message\":\"too many\"}}" })).unwrap());
        events.extend([refused, failed]);
        events.extend(write("c3", 3, "PATCH", json!({ "properties": { "count": 0 } }), None));
        let changes = group(&events);
        assert_eq!(texts(&changes), ["Scale 1 → 0", "Scale 1 → 9", "Create S1 × 1"]);
        assert_eq!(changes[1].outcome, Outcome::Failed { code: Some("QuotaExceeded".into()), message: Some("too many".into()) });
        assert_eq!(count_before_zero(&changes), Some(1), "the refused 9 is not what it had");
    }

    #[test]
    fn a_put_on_a_pool_that_was_there_is_an_update_and_counts_and_tags_sent_together_are_not_a_resume() {
        let mut events = created("c1", 1, json!({ "properties": { "tier": "S1", "count": 0 } }), None);
        events.extend(write("c2", 2, "PUT", json!({ "properties": { "tier": "S1", "count": 2 }, "tags": { "team": "web" } }), None));
        events.extend(write("c3", 3, "PATCH", json!({ "properties": { "count": 3 }, "tags": { "team": "api" } }), None));
        assert_eq!(texts(&group(&events)), ["Scale 2 → 3", "Update (count 2, tags replaced)", "Create S1 × 0"]);
    }

    #[test]
    fn an_operation_still_going_is_running_and_not_what_resume_offers() {
        let events: Vec<Event> = write("c1", 1, "PATCH", json!({ "properties": { "count": 0 } }), None).into_iter().take(2).collect();
        let changes = group(&events);
        assert_eq!(changes[0].outcome, Outcome::Running);
        assert_eq!(count_before_zero(&changes), None);
    }

    #[test]
    fn runs_and_tasks_read_as_what_they_did() {
        let run = event("c1", "Microsoft.ContainerRegistry/registries/scheduleRun/action", "Started", 0, "POST", Some(json!({ "type": "DockerBuildRequest", "agentPoolName": "build-s2" })), None);
        let task_run = event("c2", "Microsoft.ContainerRegistry/registries/scheduleRun/action", "Started", 1, "POST", Some(json!({ "type": "TaskRunRequest", "taskId": "/subscriptions/s/…/tasks/nightly" })), None);
        let cancel = event("c3", "Microsoft.ContainerRegistry/registries/runs/cancel/action", "Started", 2, "POST", None, None);
        let task = event("c4", "Microsoft.ContainerRegistry/registries/tasks/write", "Started", 3, "PUT", Some(json!({ "properties": { "agentPoolName": "build-s2" } })), None);
        let other = event("c5", "Microsoft.Network/networkSecurityGroups/securityRules/write", "Started", 4, "PUT", None, None);
        let changes = group(&[run, task_run, cancel, task, other]);
        assert_eq!(
            texts(&changes),
            ["Microsoft.Network/networkSecurityGroups/securityRules/write", "Save task (pool build-s2)", "Cancel run", "Run task nightly", "Quick build on build-s2"]
        );
    }

    #[test]
    fn who_falls_back_on_caller_and_says_unknown_last() {
        let guest: Event = serde_json::from_value(json!({ "claims": { "name": "Gus Guest", "appid": "portal" } })).unwrap();
        assert_eq!(who(&guest), Who { label: "Gus Guest".into(), detail: None, app: false, object_id: None }, "no upn is not an app");
        let mut e = Event { caller: Some("someone@x".into()), ..Event::default() };
        assert_eq!(who(&e).label, "someone@x");
        e.caller = None;
        assert_eq!(who(&e).label, "unknown caller");
    }

    #[test]
    fn windows_and_the_pointed_operation_round_trip_through_the_url() {
        assert_eq!(Query::from_query(""), Query::default());
        let q = Query::from_query("?window=30d&op=ABC-123");
        assert_eq!((q.span, q.op.as_deref()), (Span::Month, Some("abc-123")));
        assert_eq!(Query::from_query(&q.to_query()), q);
        assert_eq!(Query::from_query("?window=1y&op=<script>").to_query(), "");
    }

    #[test]
    fn times_read_as_people_say_them() {
        assert_eq!(ago(100_000, 90_000), "just now");
        assert_eq!(ago(10 * 60_000, 0), "10 min ago");
        assert_eq!(ago(3 * HOUR + 5, 0), "3 h ago");
        assert_eq!(ago(DAY + HOUR, 0), "1 day ago");
        assert_eq!(ago(5 * DAY, 0), "5 days ago");
    }

    #[test]
    fn a_registry_holds_its_children_and_not_its_namesakes() {
        let reg = "/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r";
        assert!(under(&format!("{reg}/agentPools/p").to_uppercase(), reg));
        assert!(under(reg, reg));
        assert!(!under(&format!("{reg}2/agentPools/p"), reg));
    }
}
