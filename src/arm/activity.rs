//! The Activity Log (Microsoft.Insights `eventtypes/management/values`, api-version 2015-04-01;
//! NOTES.md §8.2): the events ARM wrote for writes on a resource or a resource group.
//!
//! Three quirks of this API shape the code: its `$filter` takes only a few fixed patterns (a time
//! range, then one of `resourceGroupName`, `resourceUri`, `resourceProvider`, `correlationId`); it
//! filters by `resourceUri` while its events name the field `resourceId`; and who did it is read
//! from the `claims` (selected), which name a person beside their sign-in name. The event's shape
//! is the activity rules' input (`domain::log_event`): read straight into it.


use crate::domain::time::format_rfc3339_ms;

pub const API_VERSION: &str = "2015-04-01";

/// The RBAC action that reading the log takes (the Reader role's `*/read` includes it).
pub const READ_ACTION: &str = "Microsoft.Insights/eventtypes/values/read";

/// Only what the portal shows: smaller pages than the whole event (claims are most of it, but
/// they are where the caller is).
pub const SELECT: &str = "claims,correlationId,eventDataId,eventTimestamp,httpRequest,level,operationName,properties,resourceId,status,subStatus";

pub use crate::domain::log_event::{Event, HttpRequest, Localizable};

/// How far past "now" a read reaches. The log is stamped by the service's clock, and before the
/// first answer of a page load the browser's own is all there is: one slow by hours must still
/// see what was just done. Nothing is logged in the future, so a far bound costs nothing.
pub const CLOCK_SLACK_MS: u64 = 24 * 3_600_000;

/// The `ge` and `le` times of a read of the last `span_ms` ending `now_ms`.
pub fn bounds(now_ms: u64, span_ms: u64) -> (u64, u64) {
    (now_ms.saturating_sub(span_ms), now_ms + CLOCK_SLACK_MS)
}

/// What the events are about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One resource (an agent pool): `resourceUri eq`.
    Resource(String),
    /// A resource group: `resourceGroupName eq` (a registry's events are then picked by id).
    ResourceGroup(String),
    /// One operation's events: `correlationId eq`.
    Correlation(String),
}

/// OData string literal: quotes doubled.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The `$filter`: one of the spec's patterns, nothing else.
pub fn filter(since_ms: u64, until_ms: u64, scope: &Scope) -> String {
    let (field, value) = match scope {
        Scope::Resource(id) => ("resourceUri", id),
        Scope::ResourceGroup(g) => ("resourceGroupName", g),
        Scope::Correlation(c) => ("correlationId", c),
    };
    format!(
        "eventTimestamp ge {} and eventTimestamp le {} and {field} eq {}",
        literal(&format_rfc3339_ms(since_ms)),
        literal(&format_rfc3339_ms(until_ms)),
        literal(value)
    )
}

#[cfg(target_arch = "wasm32")]
mod calls {
    use super::*;
    use crate::arm::client::ArmClient;
    use crate::arm::ArmError;

    /// The subscription's events the filter selects, newest first, page by page as they arrive
    /// (until `on_page` says stop). Returns the number of pages.
    pub async fn list(client: &ArmClient, subscription: &str, since_ms: u64, until_ms: u64, scope: &Scope, on_page: impl FnMut(Vec<Event>) -> bool) -> Result<usize, ArmError> {
        let encode = |s: &str| js_sys::encode_uri_component(s).as_string().unwrap_or_default();
        let path = format!(
            "/subscriptions/{subscription}/providers/Microsoft.Insights/eventtypes/management/values?api-version={API_VERSION}&$filter={}&$select={}",
            encode(&filter(since_ms, until_ms, scope)),
            encode(SELECT)
        );
        client.list_pages(&path, on_page).await
    }
}

#[cfg(target_arch = "wasm32")]
pub use calls::*;

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use super::*;

    #[test]
    fn filters_are_the_specs_patterns() {
        let f = filter(0, 3_600_000, &Scope::Resource("/subscriptions/s/x/agentPools/p".into()));
        assert_eq!(f, "eventTimestamp ge '1970-01-01T00:00:00.000Z' and eventTimestamp le '1970-01-01T01:00:00.000Z' and resourceUri eq '/subscriptions/s/x/agentPools/p'");
        assert!(filter(0, 1, &Scope::ResourceGroup("rock'n'roll".into())).ends_with("resourceGroupName eq 'rock''n''roll'"));
        assert!(filter(0, 1, &Scope::Correlation("c".into())).ends_with("correlationId eq 'c'"));
        assert!(!SELECT.contains("caller"), "the API refuses it in $select");
    }

    #[test]
    fn the_specs_example_event_reads() {
        let example: Value = serde_json::from_str(include_str!("../../tests/azure-spec/monitor/examples/GetActivityLogsFiltered.json")).unwrap();
        let e: Event = serde_json::from_value(example["responses"]["200"]["body"]["value"][0].clone()).unwrap();
        assert_eq!(e.caller.as_deref(), Some("admin@contoso.com"));
        assert_eq!(e.claim("name"), Some("John Smith"));
        assert_eq!(e.property("statusCode"), Some("Created"));
        assert_eq!(e.status.and_then(|s| s.value).as_deref(), Some("Succeeded"));
        assert_eq!(e.http_request.and_then(|h| h.method).as_deref(), Some("PUT"));
    }
}
