//! `/authorize`: instead of a password prompt, a page to pick one of the demo users.
//! Then the usual redirect back with `code` and `state`, and `/logout`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::grants::{CodeGrant, CODE_LIFETIME_SECS};
use super::users::{self, PORTAL_CLIENT_ID, TENANT_ID};
use crate::{html_escape, now_secs, Emulator};

/// The authorize request's parameters; echoed in the form so the choice carries them along.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub response_type: String,
    #[serde(default)]
    pub response_mode: Option<String>,
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub code_challenge: Option<String>,
    #[serde(default)]
    pub code_challenge_method: Option<String>,
    #[serde(default)]
    pub prompt: Option<String>,
    #[serde(default)]
    pub login_hint: Option<String>,
}

#[derive(Deserialize)]
pub struct Choice {
    #[serde(flatten)]
    params: AuthorizeParams,
    oid: String,
}

/// The portal's registered redirect URI. Like Entra ID, only an exact match is accepted, so a
/// wrong `redirectUri` in the portal fails here as it would on Azure.
fn redirect_allowed(emu: &Emulator, uri: &str) -> bool {
    uri == format!("{}/", emu.origins.portal)
}

/// The sign-in pages must not be framed (clickjacking of the account picker).
pub fn no_framing(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::X_FRAME_OPTIONS, header::HeaderValue::from_static("DENY"));
    h.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static("frame-ancestors 'none'"));
    response
}

fn error_page(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Sign-in error</title>\
         <main style=\"font-family:system-ui;max-width:40rem;margin:3rem auto\">\
         <h1>Sorry, but we're having trouble signing you in.</h1><p><strong>{}</strong></p><p>{}</p></main>",
        html_escape(title),
        html_escape(detail)
    );
    no_framing((status, Html(body)).into_response())
}

/// Sends the browser back to the app with `params` in the fragment or query, as asked.
fn redirect_back(p: &AuthorizeParams, params: &[(&str, &str)]) -> Response {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        pairs.append_pair(k, v);
    }
    if let Some(state) = &p.state {
        pairs.append_pair("state", state);
    }
    let encoded = pairs.finish();
    let sep = if p.response_mode.as_deref() == Some("query") {
        if p.redirect_uri.contains('?') { '&' } else { '?' }
    } else {
        '#'
    };
    Redirect::to(&format!("{}{sep}{encoded}", p.redirect_uri)).into_response()
}

/// Validates in Entra's order: problems with the client or redirect URI are shown on a page (it is
/// not safe to redirect); everything else goes back to the app as an OAuth error.
fn validate(emu: &Emulator, tenant: &str, p: &AuthorizeParams) -> Result<(), Response> {
    if !super::oauth::known_tenant(tenant) {
        return Err(error_page(StatusCode::BAD_REQUEST, "AADSTS90002", &format!("Tenant '{tenant}' not found.")));
    }
    if p.client_id != PORTAL_CLIENT_ID {
        return Err(error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS700016",
            &format!("Application with identifier '{}' was not found in the directory.", p.client_id),
        ));
    }
    if !redirect_allowed(emu, &p.redirect_uri) {
        return Err(error_page(
            StatusCode::BAD_REQUEST,
            "AADSTS50011",
            &format!("The redirect URI '{}' does not match the redirect URIs configured for the application.", p.redirect_uri),
        ));
    }
    let fail = |error: &str, description: &str| Err(redirect_back(p, &[("error", error), ("error_description", description)]));
    if p.response_type != "code" {
        return fail("unsupported_response_type", "AADSTS700054: Only response_type 'code' is enabled for this application.");
    }
    if p.response_mode.as_deref().is_some_and(|m| m != "query" && m != "fragment") {
        return fail("invalid_request", "AADSTS900144: Only response_mode 'query' or 'fragment' is supported here.");
    }
    if p.code_challenge.as_deref().unwrap_or("").is_empty() || p.code_challenge_method.as_deref() != Some("S256") {
        return fail("invalid_request", "AADSTS9002325: Proof Key for Code Exchange (S256) is required for cross-origin authorization code redemption.");
    }
    Ok(())
}

pub async fn page(
    State(emu): State<Arc<Emulator>>,
    Path(tenant): Path<String>,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    if let Err(response) = validate(&emu, &tenant, &p) {
        return response;
    }
    // There is no sign-in session to reuse silently: say so, so msal falls back to a redirect.
    if p.prompt.as_deref() == Some("none") {
        return redirect_back(&p, &[
            ("error", "login_required"),
            ("error_description", "AADSTS50058: A silent sign-in request was sent but no user is signed in."),
        ]);
    }
    let hidden: String = serde_urlencoded_pairs(&p)
        .into_iter()
        .map(|(k, v)| format!("<input type=hidden name=\"{}\" value=\"{}\">", html_escape(&k), html_escape(&v)))
        .collect();
    let buttons: String = users::USERS
        .iter()
        .map(|u| {
            let hinted = p.login_hint.as_deref() == Some(u.username);
            format!(
                "<li><button type=submit name=oid value=\"{}\"{}><span class=name>{}</span>\
                 <span class=who>{} · {}</span></button></li>",
                u.oid,
                if hinted { " autofocus" } else { "" },
                html_escape(u.name),
                html_escape(u.username),
                html_escape(u.summary)
            )
        })
        .collect();
    let body = format!(
        r#"<!doctype html><html lang=en><meta charset=utf-8><link rel=icon href="data:,">
<meta name=viewport content="width=device-width,initial-scale=1">
<title>Sign in · Pool Portal emulator</title>
<style>
body{{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}}
main{{max-width:28rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 2px 8px #0002}}
ul{{list-style:none;padding:0}} li{{margin:.5rem 0}}
button{{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #bbb;border-radius:6px;background:#fff;cursor:pointer;font:inherit}}
button:hover,button:focus-visible{{border-color:#0b5cad;outline:3px solid #0b5cad55}}
.name{{display:block;font-weight:600}} .who{{display:block;font-size:.85rem;color:#444}}
@media (prefers-color-scheme:dark){{body{{background:#111;color:#eee}}main,button{{background:#1c1c1c;color:#eee}}.who{{color:#bbb}}}}
</style>
<main>
<h1>Pick an account</h1>
<p>Emulated sign-in for tenant <code>{tenant}</code>. Choose a demo user to continue to Pool Portal.</p>
<form method=post>{hidden}<ul>{buttons}</ul></form>
</main></html>"#,
        tenant = TENANT_ID,
    );
    no_framing(([(header::CACHE_CONTROL, "no-store")], Html(body)).into_response())
}

/// The non-empty parameters, in a stable order, for the hidden form fields.
fn serde_urlencoded_pairs(p: &AuthorizeParams) -> Vec<(String, String)> {
    match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

pub fn client_info(oid: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!(r#"{{"uid":"{oid}","utid":"{TENANT_ID}"}}"#))
}

pub async fn choose(
    State(emu): State<Arc<Emulator>>,
    Path(tenant): Path<String>,
    Form(choice): Form<Choice>,
) -> Response {
    let p = choice.params;
    if let Err(response) = validate(&emu, &tenant, &p) {
        return response;
    }
    let Some(user) = users::user(&choice.oid) else {
        return error_page(StatusCode::BAD_REQUEST, "AADSTS50034", "The user account does not exist in this directory.");
    };
    let code = emu.grants.issue_code(CodeGrant {
        client_id: p.client_id.clone(),
        redirect_uri: p.redirect_uri.clone(),
        code_challenge: p.code_challenge.clone().unwrap_or_default(),
        scope: p.scope.clone(),
        nonce: p.nonce.clone(),
        oid: user.oid.to_string(),
        expires_at: now_secs() + CODE_LIFETIME_SECS,
    });
    let info = client_info(user.oid);
    redirect_back(&p, &[("code", &code), ("client_info", &info), ("session_state", &crate::ids::new_guid())])
}

#[derive(Deserialize)]
pub struct LogoutParams {
    post_logout_redirect_uri: Option<String>,
    logout_hint: Option<String>,
}

/// Ends the user's refresh tokens, then returns to the app (only to the portal's origin).
pub async fn logout(State(emu): State<Arc<Emulator>>, Query(q): Query<LogoutParams>) -> Response {
    if let Some(hint) = &q.logout_hint {
        emu.grants.revoke_user(hint);
    }
    match q.post_logout_redirect_uri {
        Some(uri) if redirect_allowed(&emu, &uri) => Redirect::to(&uri).into_response(),
        _ => Html("<!doctype html><title>Signed out</title><p>You signed out. You can close this window.</p>").into_response(),
    }
}
