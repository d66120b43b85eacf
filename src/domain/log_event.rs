//! One Activity Log event as the activity rules take it: the fields of ARM's management event that
//! say what happened, to what, by whom and how it ended. Every field may be missing (`$select`,
//! or an event of another kind). The ARM client reads the log's pages straight into it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Localizable {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub localized_value: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct HttpRequest {
    #[serde(default)]
    pub method: Option<String>,
}

/// One event. Every field may be missing (`$select`, or an event of another kind).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub event_data_id: Option<String>,
    #[serde(default)]
    pub event_timestamp: Option<String>,
    #[serde(default)]
    pub operation_name: Option<Localizable>,
    #[serde(default)]
    pub status: Option<Localizable>,
    #[serde(default)]
    pub sub_status: Option<Localizable>,
    #[serde(default)]
    pub resource_id: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    /// A map of strings in the spec; kept as JSON so one odd value does not lose the page.
    #[serde(default)]
    pub claims: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    pub properties: Option<BTreeMap<String, Value>>,
    /// Selectable too (as `Get-AzLog` does, recorded): the sign-in name, or an app id.
    #[serde(default)]
    pub caller: Option<String>,
    #[serde(default)]
    pub http_request: Option<HttpRequest>,
}

impl Event {
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.as_ref()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| v.as_str())
    }

    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.as_ref()?.get(name).and_then(Value::as_str).filter(|v| !v.is_empty())
    }
}
