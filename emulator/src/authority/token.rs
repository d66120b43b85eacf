//! `/token`: authorization code + PKCE S256, refresh token, and client credentials.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::grants::RefreshGrant;
use super::users::{self, PORTAL_CLIENT_ID, SERVICE_PRINCIPAL, TENANT_ID};
use super::authorize::client_info;
use super::oauth::oauth_error;
use crate::{now_secs, Emulator};

#[derive(Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    client_id: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    #[serde(default)]
    scope: String,
    refresh_token: Option<String>,
    client_secret: Option<String>,
}

/// Claims of the access tokens ARM accepts (a subset of Entra's).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct AccessClaims {
    pub aud: String,
    pub iss: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub oid: String,
    pub sub: String,
    pub tid: String,
    pub name: String,
    pub appid: String,
    /// A user's sign-in name; service principals have none (the Activity Log's `caller`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idtyp: Option<String>,
}

/// The scopes a client asked for, split into OpenID ones and those of one API resource.
struct Scopes {
    resource: Option<String>,
    api_scopes: Vec<String>,
}

const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];
/// Microsoft Graph: what Entra issues an access token for when only OpenID scopes are asked.
const GRAPH_RESOURCE: &str = "00000003-0000-0000-c000-000000000000";

/// `https://management.core.windows.net//.default` names the resource `https://management.core.windows.net/`:
/// the resource is everything before the last `/` (so the double slash matters: with one slash the
/// resource would lack the trailing slash that ARM's audience has).
fn parse_scopes(scope: &str) -> Result<Scopes, String> {
    let api_scopes: Vec<String> = scope
        .split_whitespace()
        .filter(|s| !OIDC_SCOPES.contains(s))
        .map(String::from)
        .collect();
    let mut resource: Option<String> = None;
    for s in &api_scopes {
        let Some(cut) = s.rfind('/') else { return Err(format!("The scope '{s}' is not valid.")) };
        let r = &s[..cut];
        match &resource {
            Some(prev) if prev != r => {
                return Err("Scopes for more than one resource were requested.".into())
            }
            _ => resource = Some(r.to_string()),
        }
    }
    Ok(Scopes { resource, api_scopes })
}

fn token_response(emu: &Emulator, access: String, scope: &str, extra: serde_json::Value) -> Response {
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope,
        "expires_in": emu.settings.token_lifetime_secs,
        "ext_expires_in": emu.settings.token_lifetime_secs,
        "access_token": access,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    ([(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")], Json(body)).into_response()
}

fn bad(error: &str, code: u32, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, code, description)
}

/// Signs an access token for `resource` on behalf of a demo user.
fn user_access_token(emu: &Emulator, user: &users::User, client_id: &str, resource: &str) -> String {
    let now = now_secs();
    emu.keys.sign(&AccessClaims {
        aud: resource.to_string(),
        iss: emu.issuer(),
        iat: now,
        nbf: now,
        exp: now + emu.settings.token_lifetime_secs,
        oid: user.oid.into(),
        sub: user.oid.into(),
        tid: TENANT_ID.into(),
        name: user.name.into(),
        appid: client_id.into(),
        upn: Some(user.username.into()),
        scp: Some("user_impersonation".into()),
        idtyp: None,
    })
}

fn id_token(emu: &Emulator, user: &users::User, nonce: Option<&str>) -> String {
    let now = now_secs();
    let mut claims = json!({
        "ver": "2.0",
        "aud": PORTAL_CLIENT_ID,
        "iss": emu.issuer(),
        "iat": now, "nbf": now, "exp": now + 3600,
        "oid": user.oid, "sub": user.oid, "tid": TENANT_ID,
        "name": user.name,
        "preferred_username": user.username,
        "login_hint": user.oid,
    });
    if let Some(n) = nonce {
        claims["nonce"] = json!(n);
    }
    emu.keys.sign(&claims)
}

/// Tokens for a signed-in user: access (for the resource asked, else Graph), id and refresh.
fn user_tokens(emu: &Emulator, oid: &str, client_id: &str, scope: &str, nonce: Option<&str>) -> Response {
    let Some(user) = users::user(oid) else {
        return bad("invalid_grant", 50034, "The user account does not exist in this directory.");
    };
    let scopes = match parse_scopes(scope) {
        Ok(s) => s,
        Err(e) => return bad("invalid_scope", 70011, &e),
    };
    let resource = scopes.resource.as_deref().unwrap_or(GRAPH_RESOURCE);
    if scopes.resource.is_some() && resource != Emulator::ARM_RESOURCE {
        return bad(
            "invalid_resource",
            500011,
            &format!("The resource principal named {resource} was not found in the tenant named {TENANT_ID}."),
        );
    }
    let granted = if scopes.api_scopes.is_empty() {
        "openid profile offline_access".to_string()
    } else {
        scopes.api_scopes.join(" ")
    };
    let refresh = emu.grants.issue_refresh(RefreshGrant { client_id: client_id.into(), oid: oid.into() });
    token_response(
        emu,
        user_access_token(emu, user, client_id, resource),
        &granted,
        json!({
            "refresh_token": refresh,
            "id_token": id_token(emu, user, nonce),
            "client_info": client_info(oid),
        }),
    )
}

fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

pub async fn token(
    State(emu): State<Arc<Emulator>>,
    Path(tenant): Path<String>,
    Form(f): Form<TokenForm>,
) -> Response {
    if !super::oauth::known_tenant(&tenant) {
        return bad("invalid_tenant", 90002, &format!("Tenant '{tenant}' not found."));
    }
    match f.grant_type.as_str() {
        "authorization_code" => {
            let Some(grant) = f.code.as_deref().and_then(|c| emu.grants.redeem_code(c)) else {
                return bad("invalid_grant", 70008, "The provided authorization code is invalid, expired or already used.");
            };
            if grant.client_id != f.client_id {
                return bad("invalid_grant", 70000, "The code was issued to another client.");
            }
            if f.redirect_uri.as_deref() != Some(grant.redirect_uri.as_str()) {
                return bad("invalid_grant", 50148, "The redirect_uri does not match the one used to obtain the code.");
            }
            if !f.code_verifier.as_deref().is_some_and(|v| pkce_matches(v, &grant.code_challenge)) {
                return bad("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            }
            // A code buys only what the user consented to at /authorize.
            let granted: Vec<&str> = grant.scope.split_whitespace().collect();
            if let Some(extra) = f.scope.split_whitespace().find(|s| !granted.contains(s)) {
                return bad("invalid_scope", 70011, &format!("The scope '{extra}' was not granted by this authorization code."));
            }
            let scope = if f.scope.is_empty() { &grant.scope } else { &f.scope };
            user_tokens(&emu, &grant.oid, &grant.client_id, scope, grant.nonce.as_deref())
        }
        "refresh_token" => {
            let Some(grant) = f.refresh_token.as_deref().and_then(|t| emu.grants.lookup_refresh(t)) else {
                return bad("invalid_grant", 700082, "The refresh token has expired or was revoked. The user must sign in again.");
            };
            if grant.client_id != f.client_id {
                return bad("invalid_grant", 70000, "The refresh token was issued to another client.");
            }
            user_tokens(&emu, &grant.oid, &grant.client_id, &f.scope, None)
        }
        "client_credentials" => client_credentials(&emu, &f),
        other => bad("unsupported_grant_type", 70003, &format!("The grant type '{other}' is not supported.")),
    }
}

fn client_credentials(emu: &Emulator, f: &TokenForm) -> Response {
    let sp = &SERVICE_PRINCIPAL;
    if f.client_id != sp.client_id {
        return bad("unauthorized_client", 700016, &format!("Application with identifier '{}' was not found in the directory.", f.client_id));
    }
    if f.client_secret.as_deref() != Some(sp.secret) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000215, "Invalid client secret provided.");
    }
    let resource = match parse_scopes(&f.scope) {
        Ok(Scopes { resource: Some(r), api_scopes }) if api_scopes.len() == 1 && api_scopes[0].ends_with("/.default") => r,
        _ => return bad("invalid_scope", 1002012, "The scope must be a single '{resource}/.default' scope for the client credentials flow."),
    };
    // The cloud's metadata names its ARM origin as its Microsoft Graph too (`microsoftGraphResourceId`):
    // `az role assignment` asks for such a token before it looks a principal up, and falls back on
    // the object id when Graph answers 404 (`arm::graph_not_served`).
    let graph = format!("{}/", emu.origins.arm);
    if resource != Emulator::ARM_RESOURCE && resource != graph {
        return bad("invalid_resource", 500011, &format!("The resource principal named {resource} was not found in the tenant named {TENANT_ID}."));
    }
    let now = now_secs();
    let access = emu.keys.sign(&AccessClaims {
        aud: resource,
        iss: emu.issuer(),
        iat: now,
        nbf: now,
        exp: now + emu.settings.token_lifetime_secs,
        oid: sp.oid.into(),
        sub: sp.oid.into(),
        tid: TENANT_ID.into(),
        name: sp.name.into(),
        appid: sp.client_id.into(),
        upn: None,
        scp: None,
        idtyp: Some("app".into()),
    });
    token_response(emu, access, &f.scope, json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_resource_keeps_its_trailing_slash() {
        let s = parse_scopes("openid https://management.core.windows.net//.default offline_access").unwrap();
        assert_eq!(s.resource.as_deref(), Some("https://management.core.windows.net/"));
        assert_eq!(s.api_scopes, vec!["https://management.core.windows.net//.default"]);
    }

    #[test]
    fn a_single_slash_names_a_resource_without_the_trailing_slash() {
        let s = parse_scopes("https://management.core.windows.net/.default").unwrap();
        assert_eq!(s.resource.as_deref(), Some("https://management.core.windows.net"));
    }

    #[test]
    fn two_resources_at_once_are_refused() {
        assert!(parse_scopes("https://a.test//.default https://b.test//.default").is_err());
    }

    #[test]
    fn only_openid_scopes_mean_no_api_resource() {
        let s = parse_scopes("openid profile offline_access").unwrap();
        assert!(s.resource.is_none());
    }

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        assert!(pkce_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_matches("other", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }
}
