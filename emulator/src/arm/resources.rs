//! Microsoft.Resources' generic list (`Resources_List`, `Resources_ListByResourceGroup`):
//! `GET /subscriptions/{s}[/resourceGroups/{g}]/resources` with `$filter`, `$top` and nextLink.
//! `az acr …` finds a registry's resource group this way (`resourceType eq
//! 'Microsoft.ContainerRegistry/registries'`), so the CLI works only if this does.
//!
//! The list holds the top-level resources (registries, virtual networks, network security
//! groups) in `GenericResourceExpanded`'s shape without `properties`, as ARM lists them.

use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};

use super::access::{check_scope, Access};
use super::call::{ArmResult, Call};
use super::error::ArmError;
use super::{paging, versions};
use crate::store::{nsg_id, registry_id, same, vnet_id, State, Tags};

pub const READ: &str = "Microsoft.Resources/subscriptions/resources/read";

/// One resource as the generic list sees it.
pub struct Generic {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub resource_group: String,
    pub location: String,
    pub tags: Tags,
    pub sku: Option<Value>,
}

impl Generic {
    pub fn to_json(&self) -> Value {
        let mut v = json!({ "id": self.id, "name": self.name, "type": self.kind, "location": self.location });
        if let Some(sku) = &self.sku {
            v["sku"] = sku.clone();
        }
        if !self.tags.is_empty() {
            v["tags"] = Value::Object(self.tags.iter().map(|(k, x)| (k.clone(), json!(x))).collect());
        }
        v
    }
}

/// Every top-level resource of a subscription, in the order they were made.
pub fn in_subscription(state: &State, sub: &str) -> Vec<Generic> {
    let mut all = Vec::new();
    for r in state.registries.iter().filter(|r| same(&r.subscription, sub)) {
        all.push(Generic {
            id: registry_id(&r.subscription, &r.resource_group, &r.name),
            name: r.name.clone(),
            kind: "Microsoft.ContainerRegistry/registries",
            resource_group: r.resource_group.clone(),
            location: r.location.clone(),
            tags: r.tags.clone(),
            sku: Some(json!({ "name": r.sku.as_str(), "tier": r.sku.as_str() })),
        });
    }
    for v in state.vnets.iter().filter(|v| same(&v.subscription, sub)) {
        all.push(Generic {
            id: vnet_id(v),
            name: v.name.clone(),
            kind: "Microsoft.Network/virtualNetworks",
            resource_group: v.resource_group.clone(),
            location: v.location.clone(),
            tags: Vec::new(),
            sku: None,
        });
    }
    for n in state.nsgs.iter().filter(|n| same(&n.subscription, sub)) {
        all.push(Generic {
            id: nsg_id(n),
            name: n.name.clone(),
            kind: "Microsoft.Network/networkSecurityGroups",
            resource_group: n.resource_group.clone(),
            location: n.location.clone(),
            tags: Vec::new(),
            sku: None,
        });
    }
    all
}

/// One clause of the generic list's `$filter`.
#[derive(Debug, PartialEq)]
enum Clause {
    ResourceType(String),
    Name(String),
    NameContains(String),
    Location(String),
    ResourceGroup(String),
    TagName(String),
    TagValue(String),
}

/// ARM's refusal names the whole filter.
fn invalid(filter: &str) -> ArmError {
    ArmError::new(
        axum::http::StatusCode::BAD_REQUEST,
        "InvalidFilterInQueryString",
        format!("Invalid $filter '{filter}' specified in the query string."),
    )
}

/// `'it''s'` → `it's`; `None` unless the whole text is one quoted string.
fn quoted(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Inside, a quote only comes doubled.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// Splits on ` and ` outside quotes.
fn split_and(filter: &str) -> Vec<&str> {
    let (mut parts, mut start, mut in_quote) = (Vec::new(), 0, false);
    let bytes = filter.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            in_quote = !in_quote;
        } else if !in_quote && filter[i..].len() >= 5 && filter[i..i + 5].eq_ignore_ascii_case(" and ") {
            parts.push(&filter[start..i]);
            start = i + 5;
            i += 5;
            continue;
        }
        i += 1;
    }
    parts.push(&filter[start..]);
    parts
}

fn clause(text: &str) -> Option<Clause> {
    let text = text.trim();
    if let Some(args) = text.strip_prefix("substringof(").and_then(|r| r.strip_suffix(')')) {
        let (needle, field) = args.rsplit_once(',')?;
        return field.trim().eq_ignore_ascii_case("name").then_some(Clause::NameContains(quoted(needle)?));
    }
    let (field, rest) = text.split_once(' ')?;
    let (op, value) = rest.trim_start().split_once(' ')?;
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let value = quoted(value)?;
    Some(match field.to_ascii_lowercase().as_str() {
        "resourcetype" => Clause::ResourceType(value),
        "name" => Clause::Name(value),
        "location" => Clause::Location(value),
        "resourcegroup" => Clause::ResourceGroup(value),
        "tagname" => Clause::TagName(value),
        "tagvalue" => Clause::TagValue(value),
        _ => return None,
    })
}

/// The clauses, with ARM's rules for combining them: a tag filter stands alone (a `tagValue`
/// only with its `tagName`); the others join with `and`, each field once.
fn parse(filter: &str) -> Result<Vec<Clause>, ArmError> {
    if filter.trim().is_empty() {
        return Ok(Vec::new());
    }
    let clauses: Vec<Clause> = split_and(filter).into_iter().map(clause).collect::<Option<_>>().ok_or_else(|| invalid(filter))?;
    let tags = clauses.iter().filter(|c| matches!(c, Clause::TagName(_) | Clause::TagValue(_))).count();
    let tag_ok = match clauses.as_slice() {
        [Clause::TagName(_)] | [Clause::TagName(_), Clause::TagValue(_)] => true,
        _ => tags == 0,
    };
    let mut kinds: Vec<_> = clauses.iter().map(std::mem::discriminant).collect();
    kinds.sort_by_key(|d| format!("{d:?}"));
    kinds.dedup();
    if !tag_ok || kinds.len() != clauses.len() {
        return Err(invalid(filter));
    }
    Ok(clauses)
}

fn matches(clauses: &[Clause], r: &Generic) -> bool {
    let tag_name = clauses.iter().find_map(|c| if let Clause::TagName(n) = c { Some(n) } else { None });
    clauses.iter().all(|c| match c {
        Clause::ResourceType(t) => same(t, r.kind),
        Clause::Name(n) => same(n, &r.name),
        Clause::NameContains(n) => r.name.to_ascii_lowercase().contains(&n.to_ascii_lowercase()),
        Clause::Location(l) => same(l, &r.location),
        Clause::ResourceGroup(g) => same(g, &r.resource_group),
        Clause::TagName(n) => r.tags.iter().any(|(k, _)| same(k, n)),
        // Tag names are case-insensitive, their values are not.
        Clause::TagValue(v) => r.tags.iter().any(|(k, x)| tag_name.is_some_and(|n| same(k, n)) && x == v),
    })
}

/// `GET /subscriptions/{s}/resources` and `…/resourceGroups/{g}/resources`.
pub fn list(call: &Call, sub: &str, rg: Option<&str>) -> ArmResult {
    call.require_api_version(&versions::RESOURCES)?;
    let filter = call.param("$filter").unwrap_or("");
    let clauses = parse(filter)?;
    let top = match call.param("$top") {
        None | Some("") => usize::MAX,
        Some(t) => t.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ArmError::bad_field("InvalidTopInQueryString", "$top", format!("The value '{t}' of $top in the query string is invalid: it must be a positive integer."))
        })?,
    };
    let state = call.emu.state();
    check_scope(call, &state, sub, rg, READ, Access::Read)?;
    let items = in_subscription(&state, sub)
        .into_iter()
        .filter(|r| rg.is_none_or(|g| same(g, &r.resource_group)))
        .filter(|r| matches(&clauses, r))
        .take(top)
        .map(|r| r.to_json())
        .collect();
    Ok(Json(paging::page(call, items)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clis_filters_parse() {
        assert_eq!(parse("resourceType eq 'Microsoft.ContainerRegistry/registries'").unwrap(), vec![Clause::ResourceType("Microsoft.ContainerRegistry/registries".into())]);
        assert_eq!(
            parse("resourceType eq 'x' and name eq 'it''s'").unwrap(),
            vec![Clause::ResourceType("x".into()), Clause::Name("it's".into())]
        );
        assert_eq!(parse("tagname eq 'team' and tagvalue eq 'web'").unwrap(), vec![Clause::TagName("team".into()), Clause::TagValue("web".into())]);
        assert_eq!(parse("substringof('build', name)").unwrap(), vec![Clause::NameContains("build".into())]);
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn what_arm_refuses_is_refused() {
        for bad in [
            "resourceType eq 'x' and tagName eq 'team'",
            "tagValue eq 'web'",
            "name ne 'x'",
            "name eq x",
            "name eq 'a' and name eq 'b'",
            "resourceType eq 'x' or name eq 'y'",
            "kind eq 'x'",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.code, "InvalidFilterInQueryString", "{bad}");
            assert!(e.message.contains(bad));
        }
    }

    #[test]
    fn and_inside_quotes_is_text() {
        assert_eq!(parse("name eq 'salt and pepper'").unwrap(), vec![Clause::Name("salt and pepper".into())]);
    }
}
