//! ARM's `systemData`, as recorded agent pools, tasks and runs carry it: who created the resource
//! and who changed it last (a person's sign-in name with `User`, an application's id with
//! `Application`), with times in ARM's seven-digit form.

use serde_json::{json, Value};

use crate::clock::rfc3339_ticks;
use crate::store::SystemData;

pub fn to_json(s: &SystemData) -> Value {
    json!({
        "createdBy": s.created.by,
        "createdByType": s.created.by_type,
        "createdAt": rfc3339_ticks(s.created.at_ms),
        "lastModifiedBy": s.last_modified.by,
        "lastModifiedByType": s.last_modified.by_type,
        "lastModifiedAt": rfc3339_ticks(s.last_modified.at_ms),
    })
}

/// Adds `systemData` to a resource's JSON when the store knows it.
pub fn add(resource: &mut Value, s: Option<&SystemData>) {
    if let Some(s) = s {
        resource["systemData"] = to_json(s);
    }
}
