//! The log origin: like a storage account's blob endpoint, it serves run logs by SAS link
//! (`listLogSasUrl`), with no bearer token (one sent is refused, so tests can prove the portal
//! never sends it there). Supports `Range` (and Storage's `x-ms-range`) so a log can be tailed, and
//! the `Complete` metadata the Azure CLI waits for.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use base64::Engine;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::store::{same, Run};
use crate::Emulator;

const SAS_LIFETIME_SECS: u64 = 3600;

fn signature(emu: &Emulator, path: &str, expiry: &str) -> String {
    let digest = Sha256::digest(format!("{}\n{path}\n{expiry}", emu.sas_key).as_bytes());
    base64::engine::general_purpose::STANDARD.encode(digest)
}

fn log_path(run: &Run) -> String {
    format!("/logs/{}/{}/{}/{}/rawtext.log", run.subscription, run.resource_group, run.registry, run.run_id)
}

/// A SAS link to a run's log, valid for an hour of real time.
pub fn sas_link(emu: &Emulator, run: &Run) -> String {
    let expiry = crate::clock::rfc3339(crate::ids::now_secs() + SAS_LIFETIME_SECS);
    let path = log_path(run);
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("sv", "2021-08-06").append_pair("se", &expiry).append_pair("sr", "b").append_pair("sp", "r");
    q.append_pair("sig", &signature(emu, &path, &expiry));
    format!("{}{path}?{}", emu.origins.blob, q.finish())
}

#[derive(Deserialize)]
struct Sas {
    se: Option<String>,
    sig: Option<String>,
}

fn storage_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{}</Message></Error>",
        crate::html_escape(message)
    );
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

/// `bytes=N-` or `bytes=N-M` from `x-ms-range` (what the Storage SDKs send) or `Range` (browsers):
/// the first byte and, if given, the last.
fn requested_range(headers: &HeaderMap) -> Option<(usize, Option<usize>)> {
    let v = headers.get("x-ms-range").or_else(|| headers.get(header::RANGE))?.to_str().ok()?;
    let (first, last) = v.strip_prefix("bytes=")?.split_once('-')?;
    let last = if last.is_empty() { None } else { Some(last.parse().ok()?) };
    Some((first.parse().ok()?, last))
}

/// The blob's `Complete` metadata, which ACR sets when the run ends: the Azure CLI streams a log
/// until it appears, and reads the run's outcome from it.
fn completion(run: &crate::store::Run) -> Option<&'static str> {
    Some(match run.status.as_str() {
        "Succeeded" => "succeeded",
        "Failed" => "failed",
        "Canceled" => "canceled",
        "Timeout" => "timedout",
        "Error" => "internalerror",
        _ => return None,
    })
}

async fn get_log(
    State(emu): State<Arc<Emulator>>,
    Path((sub, rg, registry, run_id)): Path<(String, String, String, String)>,
    Query(sas): Query<Sas>,
    headers: HeaderMap,
) -> Response {
    if headers.contains_key(header::AUTHORIZATION) {
        return storage_error(
            StatusCode::FORBIDDEN,
            "AuthenticationFailed",
            "This request carries an Authorization header; log links are authorised by their SAS only.",
        );
    }
    let path = format!("/logs/{sub}/{rg}/{registry}/{run_id}/rawtext.log");
    let (Some(se), Some(sig)) = (sas.se, sas.sig) else {
        return storage_error(StatusCode::FORBIDDEN, "AuthenticationFailed", "Server failed to authenticate the request: no signature.");
    };
    if signature(&emu, &path, &se) != sig {
        return storage_error(StatusCode::FORBIDDEN, "AuthenticationFailed", "Signature did not match.");
    }
    let expired = crate::clock::parse_rfc3339_ms(&se).is_none_or(|ms| ms / 1000 < crate::ids::now_secs());
    if expired {
        return storage_error(StatusCode::FORBIDDEN, "AuthenticationFailed", "Signed expiry time has passed.");
    }
    let (text, complete) = {
        let state = emu.current();
        let run = state.runs.iter().find(|r| {
            same(&r.subscription, &sub) && same(&r.resource_group, &rg) && same(&r.registry, &registry) && r.run_id == run_id
        });
        match run {
            Some(run) => (crate::sim::logs::text(run, emu.clock.now_ms()), completion(run)),
            None => return storage_error(StatusCode::NOT_FOUND, "BlobNotFound", "The specified blob does not exist."),
        }
    };
    let bytes = text.into_bytes();
    let total = bytes.len();
    let mut response = match requested_range(&headers) {
        Some((start, _)) if start >= total && total > 0 || start > total => {
            let mut r = storage_error(StatusCode::RANGE_NOT_SATISFIABLE, "InvalidRange", "The range specified is invalid for the current size of the resource.");
            r.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{total}")).expect("ascii"));
            r
        }
        Some((start, last)) if total > 0 => {
            let end = last.map_or(total - 1, |l| l.min(total - 1)).max(start);
            let mut r = (StatusCode::PARTIAL_CONTENT, bytes[start..=end].to_vec()).into_response();
            r.headers_mut().insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes {start}-{end}/{total}")).expect("ascii"));
            r
        }
        _ => (StatusCode::OK, bytes).into_response(),
    };
    let h = response.headers_mut();
    if let Some(complete) = complete {
        h.insert("x-ms-meta-complete", HeaderValue::from_static(complete));
    }
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert("x-ms-blob-type", HeaderValue::from_static("AppendBlob"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Storage-style CORS: any origin may read, unless the fault switch says this account has none.
async fn cors(State(emu): State<Arc<Emulator>>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let has_origin = request.headers().contains_key(header::ORIGIN);
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::OK.into_response()
    } else {
        next.run(request).await
    };
    if has_origin && !emu.faults.get().refuse_log_cors {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("range, x-ms-range, x-ms-version, x-ms-date, x-ms-client-request-id"));
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static("content-range, content-length, x-ms-blob-type, x-ms-meta-complete, x-ms-request-id, x-ms-version"));
    }
    response
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    let router = Router::new()
        .route("/logs/{sub}/{rg}/{registry}/{run}/rawtext.log", get(get_log))
        .layer(axum::middleware::from_fn_with_state(emulator.clone(), cors))
        .with_state(emulator.clone());
    crate::log::layer(router, emulator, "blob")
}
