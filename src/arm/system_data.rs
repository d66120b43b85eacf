//! ARM's `systemData`: who created a resource and who changed it last, and when. Real Azure
//! sends it on every agent pool, task and run (recorded, NOTES.md §11); the pool's header reads
//! it, so "who changed this" needs no Activity Log read and works for anyone who can read the pool.

use serde::{Deserialize, Serialize};

use super::runs::parse_rfc3339_ms;
use crate::domain::names::{principal, Principal};

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// User | Application | ManagedIdentity | Key
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_by_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_at: Option<String>,
}

/// Who, as the portal names them (`domain::names::principal`).
fn who(by: Option<&str>, kind: Option<&str>) -> Option<Principal> {
    let by = by.filter(|b| !b.is_empty())?;
    Some(principal(by, kind.unwrap_or("")))
}

impl SystemData {
    pub fn created_by(&self) -> Option<Principal> {
        who(self.created_by.as_deref(), self.created_by_type.as_deref())
    }

    pub fn last_modified_by(&self) -> Option<Principal> {
        who(self.last_modified_by.as_deref(), self.last_modified_by_type.as_deref())
    }

    pub fn created_ms(&self) -> Option<u64> {
        self.created_at.as_deref().and_then(parse_rfc3339_ms)
    }

    pub fn last_modified_ms(&self) -> Option<u64> {
        self.last_modified_at.as_deref().and_then(parse_rfc3339_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_system_data_reads_as_words_and_times() {
        let s: SystemData = serde_json::from_str(r#"{"createdBy":"test@example.com","createdByType":"User","createdAt":"2026-03-24T00:08:57.4864244+00:00",
            "lastModifiedBy":"5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170","lastModifiedByType":"Application","lastModifiedAt":"2026-03-24T00:22:55.5720686+00:00"}"#).unwrap();
        assert_eq!(s.created_by().map(|p| p.label).as_deref(), Some("test@example.com"));
        assert_eq!(s.last_modified_by().map(|p| p.label).as_deref(), Some("App 5e4d…"));
        assert_eq!(s.last_modified_ms().unwrap() - s.created_ms().unwrap(), 838_086, "13 min 58.086 s apart");
        assert_eq!(SystemData::default().created_by(), None);
    }
}
