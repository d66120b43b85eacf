//! A sign-in authority shaped like Entra ID's v2.0 endpoints, enough for the real msal-browser:
//! discovery, JWKS, an authorize page to pick a demo user, the token endpoint (auth code + PKCE,
//! refresh token, client credentials) and logout.

pub mod authorize;
pub mod grants;
pub mod keys;
pub mod oauth;
pub mod token;
pub mod users;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::Emulator;
use oauth::{known_tenant, oauth_error};

fn unknown_tenant(tenant: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        "invalid_tenant",
        90002,
        &format!("Tenant '{tenant}' not found."),
    )
}

async fn discovery(State(emu): State<Arc<Emulator>>, Path(tenant): Path<String>) -> Response {
    if !known_tenant(&tenant) {
        return unknown_tenant(&tenant);
    }
    let base = format!("{}/{}", emu.origins.login, users::TENANT_ID);
    Json(json!({
        "issuer": emu.issuer(),
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "fragment"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_post"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "oid", "tid",
                             "preferred_username", "nonce"],
        "tenant_region_scope": "NA",
    }))
    .into_response()
}

async fn jwks(State(emu): State<Arc<Emulator>>, Path(tenant): Path<String>) -> Response {
    if !known_tenant(&tenant) {
        return unknown_tenant(&tenant);
    }
    Json(emu.keys.jwks()).into_response()
}

async fn home() -> Html<&'static str> {
    Html("<!doctype html><title>Sign-in emulator</title><p>Pool Portal's sign-in emulator. \
          Nothing to see here: the portal sends you to the right page.</p>")
}

/// CORS for the endpoints the browser calls with fetch (discovery, keys, token): only the portal's
/// origin may read the answers, as only the portal's redirect URI is registered.
async fn cors(
    State(emu): State<Arc<Emulator>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let origin_ok = request
        .headers()
        .get(header::ORIGIN)
        .is_some_and(|o| o.as_bytes() == emu.origins.portal.as_bytes());
    let mut response = if request.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(request).await
    };
    if origin_ok {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_str(&emu.origins.portal).expect("origin"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type, client-request-id, x-client-sku, x-client-ver, x-client-os, x-client-cpu, x-client-current-telemetry, x-client-last-telemetry, x-ms-lib-capability"));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

pub fn router(emulator: Arc<Emulator>) -> Router {
    let router = Router::new()
        .route("/", get(home))
        .route("/{tenant}/v2.0/.well-known/openid-configuration", get(discovery))
        .route("/{tenant}/.well-known/openid-configuration", get(discovery))
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::page).post(authorize::choose))
        .route("/{tenant}/oauth2/v2.0/token", axum::routing::post(token::token))
        .route("/{tenant}/oauth2/v2.0/logout", get(authorize::logout))
        .layer(axum::middleware::from_fn_with_state(emulator.clone(), cors))
        .with_state(emulator.clone());
    crate::log::layer(router, emulator, "login")
}
