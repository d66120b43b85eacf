//! `nextLink` paging: a page of `value` and an absolute link to the rest, carrying the query
//! (api-version, filters) and an opaque skip token.

use serde_json::{json, Value};

use crate::arm::pipeline::call::Call;

pub const SKIP_TOKEN: &str = "$skipToken";

/// A page of the emulator's page size (`--page-size`).
pub fn page(call: &Call, items: Vec<Value>) -> Value {
    page_of(call, items, call.emu.settings.page_size)
}

/// A page of `size` items (a client's `$top`, where the API makes it the page size).
pub fn page_of(call: &Call, items: Vec<Value>, size: usize) -> Value {
    page_map(call, items, size, |v| v)
}

/// A page of `items`, only that page's items turned into JSON: a long list (a week of runs) is
/// read a page at a time, and rendering all of it for every page would cost as many pages.
pub fn page_map<T>(call: &Call, items: Vec<T>, size: usize, to_json: impl Fn(T) -> Value) -> Value {
    let size = size.max(1);
    let total = items.len();
    // The token is ours but comes back from the client: never trust it to be in range.
    let skip: usize = call.param(SKIP_TOKEN).and_then(|t| t.parse().ok()).unwrap_or(0).min(total);
    let value: Vec<Value> = items.into_iter().skip(skip).take(size).map(to_json).collect();
    let mut body = json!({ "value": value });
    if skip.saturating_add(size) < total {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in call.query.iter().filter(|(k, _)| k != SKIP_TOKEN) {
            query.append_pair(k, v);
        }
        query.append_pair(SKIP_TOKEN, &(skip + size).to_string());
        body["nextLink"] = json!(format!("{}{}?{}", call.emu.origins.arm, call.path, query.finish()));
    }
    body
}
