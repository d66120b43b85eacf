//! The portal origin: the built SPA from `dist/` with a fallback to `index.html` for deep links,
//! `config.json` pointing the portal at this emulator, and what a static host should send: the
//! security headers (Content-Security-Policy with hashes of Trunk's inline loader script), the
//! precompressed asset the browser accepts, and the cache rule of each file.

use std::path::{Component, PathBuf};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::authority::users::{PORTAL_CLIENT_ID, TENANT_ID};
use crate::Emulator;

/// The portal's configuration for this emulator: a custom cloud (SPEC F2).
pub fn config(emu: &Emulator) -> serde_json::Value {
    json!({
        "clientId": PORTAL_CLIENT_ID,
        "cloud": "Custom",
        "tenant": TENANT_ID,
        "authority": format!("{}/{}", emu.origins.login, TENANT_ID),
        "knownAuthorities": [emu.origins.login_host()],
        "armEndpoint": format!("{}/", emu.origins.arm),
        "armResource": Emulator::ARM_RESOURCE,
        "cloudName": "Pool Portal emulator",
    })
}

/// `'sha256-…'` sources for every inline `<script>` in the page (Trunk's wasm loader).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else { break };
        let tag = &after[..tag_end];
        let body_and_more = &after[tag_end + 1..];
        let Some(close) = body_and_more.find("</script>") else { break };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(body_and_more[..close].as_bytes());
            hashes.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

pub fn content_security_policy(emu: &Emulator, html: &str) -> String {
    let scripts = inline_script_hashes(html).join(" ");
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self' {arm} {login} {blob}; \
         base-uri 'self'; form-action 'none'; frame-ancestors 'none'; object-src 'none'; manifest-src 'self'",
        arm = emu.origins.arm,
        login = emu.origins.login,
        blob = emu.origins.blob,
    )
}

/// A request path as a file under `dist/`, refusing anything that climbs out.
fn file_for(dist: &std::path::Path, path: &str) -> Option<PathBuf> {
    let rel = PathBuf::from(percent_encoding::percent_decode_str(path.trim_start_matches('/')).decode_utf8().ok()?.as_ref());
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = dist.join(rel);
    full.is_file().then_some(full)
}

/// Deep links are ARM ids or extension-less paths; anything else that is missing is a real 404.
fn is_app_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    path.starts_with("/subscriptions") || !last.contains('.')
}

fn secure(mut response: Response, csp: Option<String>) -> Response {
    let h = response.headers_mut();
    if let Some(csp) = csp.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Trunk names what it builds `name-<hash>.ext` (the wasm `…_bg.wasm`), the hash a 64-bit number
/// in hex without leading zeros (so up to 16 digits; fewer than 12 is one chance in 65,536 and
/// is taken as no hash): a new build is a new name, so such a file may be cached for good.
/// Anything else must be asked for again.
fn is_hashed(file: &std::path::Path) -> bool {
    let Some(stem) = file.file_stem().and_then(|s| s.to_str()) else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| !name.is_empty() && (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The cache rule of a file: `index.html` (and anything without a hash in its name) is asked for
/// again each time; a hashed asset never.
fn cache_control(file: &std::path::Path) -> &'static str {
    if is_hashed(file) { "public, max-age=31536000, immutable" } else { "no-cache" }
}

async fn serve(State(emu): State<Arc<Emulator>>, request: Request) -> Response {
    let dist = &emu.settings.dist;
    let path = request.uri().path().to_string();
    let file = match file_for(dist, &path) {
        Some(f) if path != "/index.html" => f,
        _ if is_app_route(&path) || path == "/index.html" => dist.join("index.html"),
        _ => return secure((StatusCode::NOT_FOUND, "Not found").into_response(), None),
    };
    let is_html = file.extension().is_some_and(|e| e == "html");
    let csp = if is_html {
        let Ok(html) = tokio::fs::read_to_string(&file).await else {
            let msg = format!("The portal is not built: {} is missing. Run scripts/build.", file.display());
            return secure((StatusCode::SERVICE_UNAVAILABLE, msg).into_response(), None);
        };
        Some(content_security_policy(&emu, &html))
    } else {
        None
    };
    // tower-http negotiates `Accept-Encoding` against the `.br` / `.gz` files scripts/build wrote
    // beside each asset (identity when there are none), and answers ranges and conditionals.
    let served = ServeFile::new(&file).precompressed_br().precompressed_gzip().oneshot(request).await;
    let mut response = match served {
        Ok(r) => r.map(axum::body::Body::new),
        Err(never) => match never {},
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(&file)));
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    secure(response, csp)
}

async fn config_json(State(emu): State<Arc<Emulator>>) -> Response {
    secure(([(header::CACHE_CONTROL, "no-cache")], Json(config(&emu))).into_response(), None)
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    let router = Router::new()
        .route("/config.json", get(config_json))
        .fallback(serve)
        .with_state(emulator.clone());
    crate::log::layer(router, emulator, "portal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_are_not() {
        let html = r#"<script src="/msal.js"></script><script type="module">import x from '/a.js';</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"import x from '/a.js';"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn deep_links_fall_back_to_the_app_but_missing_files_do_not() {
        assert!(is_app_route("/subscriptions/x/resourceGroups/rg.with.dots/providers/a/b/c"));
        assert!(is_app_route("/"));
        assert!(!is_app_route("/missing.js"));
    }

    #[test]
    fn only_names_with_trunks_hash_are_cached_for_good() {
        use std::path::Path;
        assert!(is_hashed(Path::new("pool-portal-a26d6ab44bdc48e9_bg.wasm")));
        assert!(is_hashed(Path::new("main-9d822d3452ccab5c.css")));
        assert!(is_hashed(Path::new("msal-browser.min-0123456789abcdef.js")));
        assert!(is_hashed(Path::new("pool-portal-7522cb070395a11_bg.wasm")), "a hash with a leading zero dropped");
        for plain in ["index.html", "msal-browser.min.js", "config.json", "app-123.js", "-0123456789abcdef.js"] {
            assert!(!is_hashed(Path::new(plain)), "{plain}");
        }
        assert_eq!(cache_control(Path::new("index.html")), "no-cache");
    }

    #[test]
    fn paths_cannot_climb_out_of_dist() {
        let dist = std::env::temp_dir();
        assert!(file_for(&dist, "/../etc/passwd").is_none());
        assert!(file_for(&dist, "/%2e%2e/etc/passwd").is_none());
    }
}
