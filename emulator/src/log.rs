//! The request log (SPEC E9): every request to every listener, for tests and benchmarks.
//! It records whether a bearer token was sent, never the token itself.

use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, ORIGIN};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::Emulator;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u128,
    /// When its answer was ready: with `at_ms`, how many were in flight at once (the fleet bench).
    pub done_ms: u128,
    /// Which of our origins got it: `portal`, `arm` or `login`.
    pub listener: &'static str,
    pub method: String,
    /// Path and query as received.
    pub path: String,
    pub status: u16,
    pub bearer: bool,
    /// The browser's `Origin` header, when it sent one.
    pub origin: Option<String>,
}

impl Entry {
    /// A request whose connection was dropped on purpose: logged with status 0.
    pub fn dropped(request: &Request) -> Entry {
        Entry {
            seq: 0,
            at_ms: now_ms(),
            done_ms: now_ms(),
            listener: "arm",
            method: request.method().to_string(),
            path: request.uri().path_and_query().map_or("/".into(), |p| p.to_string()),
            status: 0,
            bearer: request.headers().contains_key(AUTHORIZATION),
            origin: request.headers().get(ORIGIN).and_then(|v| v.to_str().ok()).map(String::from),
        }
    }
}

#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<Vec<Entry>>,
}

impl RequestLog {
    pub fn push(&self, mut entry: Entry) {
        let mut entries = self.entries.lock().expect("log lock");
        entry.seq = entries.last().map_or(1, |e| e.seq + 1);
        entries.push(entry);
    }

    /// Entries with `seq` greater than `after`.
    pub fn since(&self, after: u64) -> Vec<Entry> {
        let entries = self.entries.lock().expect("log lock");
        entries.iter().filter(|e| e.seq > after).cloned().collect()
    }
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// Middleware that records a request once its response is known.
pub async fn record(
    State((emulator, listener)): State<(Arc<Emulator>, &'static str)>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path_and_query().map_or("/".into(), |p| p.to_string());
    let bearer = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "));
    let origin = request.headers().get(ORIGIN).and_then(|v| v.to_str().ok()).map(String::from);
    let at_ms = now_ms();
    let response = next.run(request).await;
    emulator.log.push(Entry {
        seq: 0,
        at_ms,
        done_ms: now_ms(),
        listener,
        method,
        path,
        status: response.status().as_u16(),
        bearer,
        origin,
    });
    response
}

/// Wraps a listener's router with the request log.
pub fn layer(router: axum::Router, emulator: Arc<Emulator>, listener: &'static str) -> axum::Router {
    router.layer(axum::middleware::from_fn_with_state((emulator, listener), record))
}
