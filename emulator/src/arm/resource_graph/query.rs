//! Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources` (2024-04-01, and the
//! older versions with the same request and answer). One query over the `resources` table of
//! every subscription the caller can read (narrowed to the body's `subscriptions`), written in the
//! emulator's subset of Kusto (`kql`), paged by a `$skipToken` in the body. NOTES.md §8.
//!
//! The table holds registries, virtual networks and network security groups, with `type`
//! lower-cased as ARG writes it. Agent pools are not in it: whether ARG indexes them is not
//! documented, so nothing here lets a client come to rely on it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::arm::pipeline::body::Body;
use crate::arm::pipeline::call::{ArmResult, Call};
use crate::arm::resource_graph::kql::{self, QueryError};
use crate::arm::network::virtual_networks;
use crate::arm::container_registry::registries;
use crate::arm::pipeline::versions;
use crate::authority::users::TENANT_ID;
use crate::store::{nsg_id, same, vnet_id, State};

/// The columns of ARG's `resources` table.
const COLUMNS: [&str; 16] = [
    "id", "name", "type", "tenantId", "kind", "location", "resourceGroup", "subscriptionId", "managedBy", "sku", "plan",
    "properties", "tags", "identity", "zones", "extendedLocation",
];

/// The columns holding objects (Kusto's `dynamic`), which dotted paths read into.
const DYNAMIC: [&str; 7] = ["sku", "plan", "properties", "tags", "identity", "zones", "extendedLocation"];

/// The most rows a page may hold (`options.$top`).
const MAX_TOP: usize = 1000;

/// ARG's error: `BadRequest` with the reasons in `details`.
fn refused(details: &[(&str, String)]) -> Response {
    refused_with(details.iter().map(|(code, message)| json!({ "code": code, "message": message })).collect())
}

fn refused_with(details: Vec<Value>) -> Response {
    let now = time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
    let body = json!({ "error": {
        "code": "BadRequest",
        "message": format!("Please provide below info when asking for support: timestamp = {now}, correlationId = {}.", crate::ids::new_guid()),
        "details": details,
    }});
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

const INVALID_QUERY: &str = "Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.";

fn query_refused(e: QueryError) -> Response {
    let invalid = ("InvalidQuery", INVALID_QUERY.to_string());
    match e {
        // Recorded: the parser's failure names the line, the character in it, the token found
        // and the one expected.
        QueryError::Syntax(s) => refused_with(vec![
            json!({ "code": "InvalidQuery", "message": INVALID_QUERY }),
            json!({ "code": "ParserFailure", "message": s.message, "line": s.line, "characterPositionInLine": s.column, "token": s.token, "expectedToken": s.expected }),
        ]),
        QueryError::Invalid(why) => refused(&[invalid, ("ParserFailure", why)]),
        QueryError::Outside(what) => refused(&[
            invalid,
            ("UnsupportedByEmulator", format!("The query uses {what}, which is outside the Pool Portal emulator's subset of the Resource Graph query language (docs/emulator.md).")),
        ]),
    }
}

/// Where a resource lives: the columns every row has.
struct Place<'a> {
    id: Value,
    name: &'a str,
    /// Lower-cased, as ARG writes it.
    kind: &'a str,
    location: &'a str,
    resource_group: &'a str,
    subscription: &'a str,
}

/// A row: every column null, then where the resource lives, then its own columns (`extra`).
fn row(at: Place, extra: Vec<(&str, Value)>) -> Map<String, Value> {
    let mut m: Map<String, Value> = COLUMNS.iter().map(|c| (c.to_string(), Value::Null)).collect();
    let common = [
        ("id", at.id),
        ("name", json!(at.name)),
        ("type", json!(at.kind)),
        ("tenantId", json!(TENANT_ID)),
        ("kind", json!("")),
        ("location", json!(at.location)),
        ("resourceGroup", json!(at.resource_group)),
        ("subscriptionId", json!(at.subscription)),
        ("managedBy", json!("")),
    ];
    for (k, v) in common.into_iter().chain(extra) {
        m.insert(k.to_string(), v);
    }
    m
}

fn tags(t: &[(String, String)]) -> Value {
    Value::Object(t.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
}

/// The `resources` rows of these subscriptions.
fn rows(state: &State, subs: &[String]) -> Vec<Map<String, Value>> {
    let ours = |s: &str| subs.iter().any(|x| same(x, s));
    let mut out = Vec::new();
    for r in state.registries.iter().filter(|r| ours(&r.subscription)) {
        let arm = registries::to_json(r);
        out.push(row(
            Place { id: arm["id"].clone(), name: &r.name, kind: "microsoft.containerregistry/registries", location: &r.location, resource_group: &r.resource_group, subscription: &r.subscription },
            vec![
                ("sku", arm["sku"].clone()),
                ("properties", arm["properties"].clone()),
                ("tags", tags(&r.tags)),
            ],
        ));
    }
    // Agent pools are tracked resources too (issue 22): every pool's tier, count, state and subnet
    // in the same few pages as the registries. Unverified on Azure (docs/emulator.md).
    for p in state.pools.iter().filter(|p| ours(&p.subscription)) {
        let arm = crate::arm::container_registry::agent_pools::to_json(p);
        out.push(row(
            Place { id: arm["id"].clone(), name: &p.name, kind: "microsoft.containerregistry/registries/agentpools", location: &p.location, resource_group: &p.resource_group, subscription: &p.subscription },
            vec![
                ("properties", arm["properties"].clone()),
                ("tags", json!({})),
            ],
        ));
    }
    // ACR tasks are tracked resources (location, tags, identity); a schedule's rules are tasks,
    // and the fleet finds them here in one query. Unverified on Azure (docs/emulator.md).
    for t in state.tasks.iter().filter(|t| ours(&t.subscription)) {
        let arm = crate::arm::container_registry::tasks::to_json(t);
        out.push(row(
            Place { id: arm["id"].clone(), name: &t.name, kind: "microsoft.containerregistry/registries/tasks", location: &t.location, resource_group: &t.resource_group, subscription: &t.subscription },
            vec![
                ("properties", arm["properties"].clone()),
                ("identity", arm.get("identity").cloned().unwrap_or(Value::Null)),
                ("tags", arm.get("tags").cloned().unwrap_or_else(|| json!({}))),
            ],
        ));
    }
    for v in state.vnets.iter().filter(|v| ours(&v.subscription)) {
        out.push(row(
            Place { id: json!(vnet_id(v)), name: &v.name, kind: "microsoft.network/virtualnetworks", location: &v.location, resource_group: &v.resource_group, subscription: &v.subscription },
            vec![
                ("properties", virtual_networks::vnet_json(v)["properties"].clone()),
                ("tags", json!({})),
            ],
        ));
    }
    for n in state.nsgs.iter().filter(|n| ours(&n.subscription)) {
        out.push(row(
            Place { id: json!(nsg_id(n)), name: &n.name, kind: "microsoft.network/networksecuritygroups", location: &n.location, resource_group: &n.resource_group, subscription: &n.subscription },
            vec![
                ("tags", json!({})),
            ],
        ));
    }
    // A stable order, so that pages neither overlap nor skip (ARG pages by id).
    out.sort_by(|a, b| a["id"].as_str().unwrap_or("").to_lowercase().cmp(&b["id"].as_str().unwrap_or("").to_lowercase()));
    out
}

/// Ties a `$skipToken` to the query and scope it continues.
fn fingerprint(query: &str, subs: &[String]) -> String {
    let digest = Sha256::digest(format!("{query}\n{}", subs.join(",")).as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A `$skipToken` in Azure's own form (base64 of `{"$id", "MaxRows", "RowsToSkip",
/// "KustoClusterUrl"}`, as recorded), with the emulator's fingerprint of the query and scope.
fn skip_token(offset: usize, rows: usize, print: &str) -> String {
    let token = json!({ "$id": "1", "MaxRows": rows, "RowsToSkip": offset, "KustoClusterUrl": "https://arg-emulator.arg.core.windows.net", "QueryFingerprint": print });
    base64::engine::general_purpose::STANDARD.encode(token.to_string())
}

/// Where a token continues and how many rows a page holds. Azure's tokens carry no
/// fingerprint and are taken as they are; one of ours must belong to this query and scope.
fn read_skip_token(token: &str, print: &str) -> Option<(usize, usize)> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(token).ok()?;
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    if v.get("QueryFingerprint").is_some_and(|f| f != print) {
        return None;
    }
    Some((v["RowsToSkip"].as_u64()? as usize, v["MaxRows"].as_u64()? as usize))
}

/// Facets over the query's result: counts by a column's values.
fn facets(body: &Body, table: &kql::Table) -> Result<Vec<Value>, Response> {
    let Some(list) = body.array("facets").map_err(|e| e.into_response())? else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for f in list {
        let expression = f.get("expression").and_then(Value::as_str).unwrap_or("").to_string();
        let options = f.get("options").cloned().unwrap_or(Value::Null);
        let error = |details: Vec<(&str, String)>| {
            json!({ "expression": expression, "resultType": "FacetError",
                "errors": details.into_iter().map(|(c, m)| json!({ "code": c, "message": m })).collect::<Vec<_>>() })
        };
        if options.get("filter").is_some() || options.get("sortBy").is_some_and(|s| s != "count") {
            out.push(error(vec![("UnsupportedByEmulator", "A facet's filter and sortBy are outside the emulator's subset.".into())]));
            continue;
        }
        // The column the expression names, as the result calls it (`a.b` projected is `a_b`).
        let path: Vec<String> = expression.split('.').map(|s| s.trim().to_string()).collect();
        let flat = path.join("_");
        let (column, path) = if table.columns.contains(&flat) {
            (flat.clone(), vec![flat])
        } else if table.columns.contains(&path[0]) {
            (flat, path)
        } else {
            out.push(error(vec![
                ("NoValidColumns", "No valid columns in facet expression.".into()),
                ("InvalidColumnNames", format!("Invalid column names: [{expression}].")),
            ]));
            continue;
        };
        let mut counts: Vec<(Value, u64)> = Vec::new();
        for r in &table.rows {
            let v = path[1..].iter().fold(r.get(&path[0]), |v, k| v.and_then(|v| v.get(k))).cloned().unwrap_or(Value::Null);
            match counts.iter_mut().find(|(x, _)| *x == v) {
                Some((_, n)) => *n += 1,
                None => counts.push((v, 1)),
            }
        }
        let ascending = options.get("sortOrder").and_then(Value::as_str) == Some("asc");
        counts.sort_by(|a, b| {
            let by_count = if ascending { a.1.cmp(&b.1) } else { b.1.cmp(&a.1) };
            by_count.then_with(|| a.0.to_string().cmp(&b.0.to_string()))
        });
        let total = counts.len();
        let top = options.get("$top").and_then(Value::as_u64).map_or(10, |t| t as usize);
        let data: Vec<Value> = counts.into_iter().take(top).map(|(v, n)| json!({ "count": n, column.clone(): v })).collect();
        out.push(json!({ "expression": expression, "resultType": "FacetResult", "totalRecords": total, "count": data.len(), "data": data }));
    }
    Ok(out)
}

/// `POST /providers/Microsoft.ResourceGraph/resources`.
pub fn resources(call: &Call) -> ArmResult {
    call.require_api_version(&versions::RESOURCE_GRAPH)?;
    let body = Body::parse(&call.body)?;
    let Some(query) = body.string("query")?.map(String::from) else {
        return Ok(refused(&[("InvalidRequestContent", "The query is required.".into())]));
    };
    if body.array("managementGroups")?.is_some_and(|m| !m.is_empty()) {
        return Ok(refused(&[("UnsupportedByEmulator", "Management groups are outside the emulator: query by subscriptions.".into())]));
    }
    if body.string("options.resultFormat")?.is_some_and(|f| !f.eq_ignore_ascii_case("objectArray")) {
        return Ok(refused(&[("UnsupportedByEmulator", "Only resultFormat objectArray is served by the emulator.".into())]));
    }
    let asked: Option<Vec<String>> = body.array("subscriptions")?.map(|a| a.iter().filter_map(|v| v.as_str().map(String::from)).collect());
    let state = call.emu.state();
    // The caller's subscriptions, narrowed to the ones asked for (ARG drops the rest).
    let readable: Vec<String> = state.subscriptions.iter().filter(|s| state.has_access(&call.caller.oid, &s.id)).map(|s| s.id.clone()).collect();
    let scope: Vec<String> = match &asked {
        Some(a) if !a.is_empty() => readable.into_iter().filter(|s| a.iter().any(|x| same(x, s))).collect(),
        _ => readable,
    };
    if scope.is_empty() {
        let given = asked.unwrap_or_default().join(",");
        return Ok(refused(&[("NoValidSubscriptionsInQueryRequest", format!("There must be at least one subscription that is eligible to contain resources. Given: '{given}'."))]));
    }
    let ops = match kql::parse(&query) {
        Ok(ops) => ops,
        Err(e) => return Ok(query_refused(e)),
    };
    let columns = COLUMNS.iter().map(|c| kql::Column { name: c.to_string(), dynamic: DYNAMIC.contains(c) }).collect();
    // Resource Graph answers only with resources the caller may read, role by role and scope by
    // scope (a role on one registry shows that registry, not its neighbours).
    let oid = call.caller.oid.clone();
    let denied = call.emu.faults.get().deny_actions;
    let visible: Vec<Map<String, Value>> = rows(&state, &scope)
        .into_iter()
        .filter(|row| {
            let (id, kind) = (row.get("id").and_then(Value::as_str).unwrap_or(""), row.get("type").and_then(Value::as_str).unwrap_or(""));
            let action = format!("{kind}/read");
            !denied.iter().any(|a| a.eq_ignore_ascii_case(&action)) && state.allowed(&oid, id, &action, true)
        })
        .collect();
    let table = match kql::run(&ops, columns, visible) {
        Ok(t) => t,
        Err(e) => return Ok(query_refused(e)),
    };
    drop(state);

    let print = fingerprint(&query, &scope);
    let asked_top = match body.int("options.$top")? {
        None => None,
        Some(t) if (1..=MAX_TOP as i64).contains(&t) => Some(t as usize),
        Some(t) => return Ok(refused(&[("InvalidRequestContent", format!("options.$top must be between 1 and {MAX_TOP}, not {t}."))])),
    };
    // A later page keeps the first page's size, as recorded, unless `$top` says otherwise.
    let (offset, top) = match body.string("options.$skipToken")? {
        Some(token) => match read_skip_token(token, &print) {
            Some((offset, rows)) => (offset, asked_top.unwrap_or(rows.clamp(1, MAX_TOP))),
            None => return Ok(refused(&[("InvalidSkipToken", "The $skipToken does not belong to this query and scope.".into())])),
        },
        None => (body.int("options.$skip")?.unwrap_or(0).max(0) as usize, asked_top.unwrap_or(call.emu.settings.page_size)),
    };
    let total = table.rows.len();
    let data: Vec<Value> = table.rows.iter().skip(offset).take(top).cloned().map(Value::Object).collect();
    let more = offset.saturating_add(top) < total;
    // Pages are cut by id: without one in the result, the rest cannot be reached.
    let pageable = table.columns.iter().any(|c| c == "id");
    let facets = match facets(&body, &table) {
        Ok(f) => f,
        Err(r) => return Ok(r),
    };
    let mut answer = json!({
        "totalRecords": total,
        "count": data.len(),
        "data": data,
        "facets": facets,
        "resultTruncated": if more && !pageable { "true" } else { "false" },
    });
    if more && pageable {
        answer["$skipToken"] = json!(skip_token(offset + top, top, &print));
    }
    Ok(Json(answer).into_response())
}
