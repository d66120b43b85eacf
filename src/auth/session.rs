//! The signed-in session. Tokens live in msal's cache in sessionStorage (never localStorage), are
//! renewed silently with the refresh token before each ARM call, and when that is impossible the
//! user signs in again and comes back to the page they were on.

use std::cell::RefCell;

use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::msal::{js_object, string_field, with_field, PublicClientApplication};
use crate::arm::ArmError;
use crate::config::Config;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub username: String,
    /// msal's `homeAccountId` (object id and tenant): whose data the browser keeps apart.
    pub id: String,
}

pub struct Session {
    pca: PublicClientApplication,
    scope: String,
    account: RefCell<Option<JsValue>>,
    pub user: Option<User>,
}

/// msal's `CacheLookupPolicy.AccessTokenAndRefreshToken`: cached token, else the refresh token,
/// never a hidden iframe (third-party cookies make those unreliable); failing that, a redirect.
const ACCESS_TOKEN_AND_REFRESH_TOKEN: u32 = 2;
/// `CacheLookupPolicy.RefreshToken`: skip the cached access token (ARM just refused it).
const REFRESH_TOKEN: u32 = 3;

/// msal error codes after which only an interactive sign-in helps.
const INTERACTION_CODES: [&str; 9] = [
    "interaction_required", "login_required", "consent_required", "invalid_grant", "no_tokens_found",
    "refresh_token_expired", "no_account_error", "bad_token", "native_account_unavailable",
];

fn describe(error: &JsValue) -> String {
    string_field(error, "errorMessage")
        .filter(|m| !m.is_empty())
        .or_else(|| string_field(error, "message"))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn needs_interaction(error: &JsValue) -> bool {
    string_field(error, "name").as_deref() == Some("InteractionRequiredAuthError")
        || string_field(error, "errorCode").is_some_and(|c| INTERACTION_CODES.contains(&c.as_str()))
}

fn current_url() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

fn origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

fn user_of(account: &JsValue) -> User {
    User {
        name: string_field(account, "name").unwrap_or_default(),
        username: string_field(account, "username").unwrap_or_default(),
        id: string_field(account, "homeAccountId").unwrap_or_default(),
    }
}

impl Session {
    /// Creates msal, finishes a sign-in redirect if this page load is one, and picks the account.
    pub async fn start(config: &Config) -> Result<Session, String> {
        let redirect_uri = config.redirect_uri.clone().unwrap_or_else(|| format!("{}/", origin()));
        let mut system = json!({});
        if config.oidc {
            system["protocolMode"] = json!("OIDC");
        }
        let options = json!({
            "auth": {
                "clientId": config.client_id,
                "authority": config.authority,
                "knownAuthorities": config.known_authorities,
                "redirectUri": redirect_uri,
                "postLogoutRedirectUri": redirect_uri,
            },
            "cache": { "cacheLocation": "sessionStorage" },
            "system": system,
        });
        let pca = PublicClientApplication::new(&js_object(&options))
            .map_err(|e| format!("The sign-in library could not start: {}", describe(&e)))?;
        JsFuture::from(pca.initialize())
            .await
            .map_err(|e| format!("The sign-in library could not start: {}", describe(&e)))?;
        let result = JsFuture::from(pca.handle_redirect_promise())
            .await
            .map_err(|e| format!("Sign-in did not complete: {}", describe(&e)))?;
        let present = |v: JsValue| (!v.is_undefined() && !v.is_null()).then_some(v);
        // The account that just signed in, else the active one, else the only one cached.
        let account = present(result.clone())
            .and_then(|r| present(js_sys::Reflect::get(&r, &JsValue::from_str("account")).unwrap_or(JsValue::UNDEFINED)))
            .or_else(|| present(pca.get_active_account()))
            .or_else(|| present(pca.get_all_accounts().get(0)));
        if let Some(a) = &account {
            pca.set_active_account(a);
        }
        Ok(Session {
            user: account.as_ref().map(user_of),
            account: RefCell::new(account),
            pca,
            scope: config.arm_scope.clone(),
        })
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// Sends the browser to sign in; it comes back to the page it is on now. Resolves only if
    /// the redirect could not start (a wrong authority, say), with the reason.
    pub async fn sign_in(&self) -> Result<(), String> {
        let request = json!({ "scopes": [self.scope], "redirectStartPage": current_url() });
        JsFuture::from(self.pca.login_redirect(&js_object(&request)))
            .await
            .map(|_| ())
            .map_err(|e| format!("Sign-in could not start: {}", describe(&e)))
    }

    pub async fn sign_out(&self) -> Result<(), String> {
        let request = match self.account.borrow().as_ref() {
            Some(a) => with_field(js_object(&json!({})), "account", a),
            None => js_object(&json!({})),
        };
        JsFuture::from(self.pca.logout_redirect(&request))
            .await
            .map(|_| ())
            .map_err(|e| format!("Sign-out failed: {}", describe(&e)))
    }

    /// A current ARM access token, renewed silently if needed (`force`: even if the cached one
    /// looks valid). When only an interactive sign-in can help, starts it (the page is left).
    pub async fn token(&self, force: bool) -> Result<String, ArmError> {
        let account = self.account.borrow().clone();
        let Some(account) = account else {
            return Err(self.sign_in().await.map_or_else(|e| auth_error(&e), |_| signing_in()));
        };
        let policy = if force { REFRESH_TOKEN } else { ACCESS_TOKEN_AND_REFRESH_TOKEN };
        let request = with_field(
            js_object(&json!({ "scopes": [self.scope], "cacheLookupPolicy": policy })),
            "account",
            &account,
        );
        match JsFuture::from(self.pca.acquire_token_silent(&request)).await {
            Ok(result) => string_field(&result, "accessToken")
                .filter(|t| !t.is_empty())
                .ok_or_else(|| auth_error("The sign-in library returned no access token.")),
            Err(e) if needs_interaction(&e) => {
                let again = js_object(&json!({ "scopes": [self.scope], "redirectStartPage": current_url() }));
                match JsFuture::from(self.pca.acquire_token_redirect(&with_field(again, "account", &account))).await {
                    Ok(_) => Err(signing_in()),
                    Err(e) => Err(auth_error(&format!("Sign-in could not start: {}", describe(&e)))),
                }
            }
            Err(e) => Err(auth_error(&describe(&e))),
        }
    }
}

fn signing_in() -> ArmError {
    ArmError { status: 401, code: "SignInRequired".into(), message: "Signing you in again…".into(), request_id: None, retry_after: None }
}

fn auth_error(message: &str) -> ArmError {
    ArmError { status: 401, code: "TokenUnavailable".into(), message: message.into(), request_id: None, retry_after: None }
}
