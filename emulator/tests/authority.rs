//! The sign-in authority as msal-browser uses it: discovery, the authorize page, code + PKCE,
//! refresh tokens, client credentials, logout.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use pool_portal_emulator::authority::users::{OWNER, PORTAL_CLIENT_ID, SERVICE_PRINCIPAL};
use pool_portal_emulator::Emulator;
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-long-enough-code-verifier-for-pkce-0123456789abcdef";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn scope() -> String {
    format!("{}/.default openid profile offline_access", Emulator::ARM_RESOURCE)
}

fn claims(jwt: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(jwt.split('.').nth(1).unwrap()).unwrap()).unwrap()
}

/// The authorize form's fields as msal sends them, plus the picked user.
fn authorize_form(h: &Harness, challenge: &str) -> Vec<(&'static str, String)> {
    vec![
        ("client_id", PORTAL_CLIENT_ID.into()),
        ("redirect_uri", format!("{}/", h.emu.origins.portal)),
        ("response_type", "code".into()),
        ("response_mode", "fragment".into()),
        ("scope", scope()),
        ("state", "st&ate=1".into()),
        ("nonce", "n-0S6_WzA2Mj".into()),
        ("code_challenge", challenge.into()),
        ("code_challenge_method", "S256".into()),
        ("oid", OWNER.oid.into()),
    ]
}

/// Picks the Owner on the authorize page and returns the fragment parameters of the redirect.
async fn sign_in(h: &Harness) -> std::collections::HashMap<String, String> {
    let r = h.http.post(h.login("/oauth2/v2.0/authorize")).form(&authorize_form(h, &challenge(VERIFIER))).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (base, fragment) = location.split_once('#').expect("fragment response mode");
    assert_eq!(base, format!("{}/", h.emu.origins.portal));
    url::form_urlencoded::parse(fragment.as_bytes()).into_owned().collect()
}

async fn redeem(h: &Harness, code: &str, verifier: &str) -> (u16, serde_json::Value) {
    let r = h
        .http
        .post(h.login("/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", PORTAL_CLIENT_ID),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", &format!("{}/", h.emu.origins.portal)),
            ("scope", &scope()),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn discovery_points_at_our_endpoints() {
    let h = harness().await;
    for path in ["/v2.0/.well-known/openid-configuration", "/.well-known/openid-configuration"] {
        let d: serde_json::Value = h.http.get(h.login(path)).send().await.unwrap().json().await.unwrap();
        assert_eq!(d["issuer"], h.emu.issuer());
        assert_eq!(d["token_endpoint"], h.login("/oauth2/v2.0/token"));
        assert!(d["code_challenge_methods_supported"].to_string().contains("S256"));
    }
    let jwks: serde_json::Value = h.http.get(h.login("/discovery/v2.0/keys")).send().await.unwrap().json().await.unwrap();
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
}

#[tokio::test]
async fn the_authorize_page_lists_demo_users_and_escapes_what_it_echoes() {
    let h = harness().await;
    let mut form = authorize_form(&h, "c");
    form.retain(|(k, _)| *k != "oid");
    form.push(("login_hint", "\"><script>alert(1)</script>".into()));
    let query = serde_urlencoded_query(&form);
    let page = h.http.get(format!("{}?{query}", h.login("/oauth2/v2.0/authorize"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Olivia Owner") && html.contains("Rhea Reader"));
    assert!(!html.contains("<script>alert(1)"), "echoed parameters are escaped");
    assert!(html.contains("&quot;&gt;&lt;script&gt;"), "quotes too, so attributes cannot be closed");
    assert_eq!(page_headers_frame(&h).await, "DENY");
}

async fn page_headers_frame(h: &Harness) -> String {
    let query = serde_urlencoded_query(&{
        let mut f = authorize_form(h, "c");
        f.retain(|(k, _)| *k != "oid");
        f
    });
    let r = h.http.get(format!("{}?{query}", h.login("/oauth2/v2.0/authorize"))).send().await.unwrap();
    r.headers()["x-frame-options"].to_str().unwrap().to_string()
}

fn serde_urlencoded_query(pairs: &[(&str, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

#[tokio::test]
async fn a_foreign_redirect_uri_is_refused_on_a_page_not_redirected_to() {
    let h = harness().await;
    let mut form = authorize_form(&h, "c");
    form[1].1 = "https://evil.test/".into();
    let r = h.http.post(h.login("/oauth2/v2.0/authorize")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("AADSTS50011"));
}

#[tokio::test]
async fn code_plus_pkce_gives_arm_id_and_refresh_tokens() {
    let h = harness().await;
    let params = sign_in(&h).await;
    assert_eq!(params["state"], "st&ate=1", "state comes back intact");
    let (status, tokens) = redeem(&h, &params["code"], VERIFIER).await;
    assert_eq!(status, 200, "{tokens}");
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], Emulator::ARM_RESOURCE);
    assert_eq!(access["oid"], OWNER.oid);
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!((id["aud"].as_str(), id["nonce"].as_str()), (Some(PORTAL_CLIENT_ID), Some("n-0S6_WzA2Mj")));
    assert!(tokens["client_info"].is_string() && tokens["refresh_token"].is_string());
    // The token works on ARM.
    let (status, _) = h.get("/subscriptions?api-version=2022-12-01", tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn only_the_exact_redirect_uri_is_accepted() {
    let h = harness().await;
    let mut form = authorize_form(&h, "c");
    form[1].1 = format!("{}/callback", h.emu.origins.portal);
    let r = h.http.post(h.login("/oauth2/v2.0/authorize")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 400, "same origin, other path: still not the registered URI");
}

#[tokio::test]
async fn a_code_cannot_buy_scopes_that_were_not_granted() {
    let h = harness().await;
    let params = sign_in(&h).await;
    let r = h
        .http
        .post(h.login("/oauth2/v2.0/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", PORTAL_CLIENT_ID),
            ("code", params["code"].as_str()),
            ("code_verifier", VERIFIER),
            ("redirect_uri", &format!("{}/", h.emu.origins.portal)),
            ("scope", "https://other.test//.default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "invalid_scope");
}

#[tokio::test]
async fn a_wrong_verifier_or_a_reused_code_is_invalid_grant() {
    let h = harness().await;
    let params = sign_in(&h).await;
    let (status, body) = redeem(&h, &params["code"], "not-the-verifier").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    let params = sign_in(&h).await;
    assert_eq!(redeem(&h, &params["code"], VERIFIER).await.0, 200);
    let (status, body) = redeem(&h, &params["code"], VERIFIER).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
}

/// A session's refresh token: sign in, redeem the code.
async fn signed_in_refresh_token(h: &Harness) -> String {
    let params = sign_in(h).await;
    let (_, tokens) = redeem(h, &params["code"], VERIFIER).await;
    tokens["refresh_token"].as_str().unwrap().to_string()
}

/// The refresh grant, as msal sends it.
async fn renew_with(h: &Harness, refresh: &str) -> reqwest::Result<reqwest::Response> {
    h.http
        .post(h.login("/oauth2/v2.0/token"))
        .form(&[("grant_type", "refresh_token"), ("client_id", PORTAL_CLIENT_ID), ("refresh_token", refresh), ("scope", &scope())])
        .send()
        .await
}

#[tokio::test]
async fn refresh_tokens_renew_until_sign_out() {
    let h = harness().await;
    let refresh = signed_in_refresh_token(&h).await;
    let renew = || renew_with(&h, &refresh);
    let r = renew().await.unwrap();
    assert_eq!(r.status(), 200);
    let renewed: serde_json::Value = r.json().await.unwrap();
    assert_eq!(claims(renewed["access_token"].as_str().unwrap())["aud"], Emulator::ARM_RESOURCE);

    let logout = h
        .http
        .get(h.login("/oauth2/v2.0/logout"))
        .query(&[("post_logout_redirect_uri", format!("{}/", h.emu.origins.portal)), ("logout_hint", OWNER.oid.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 303);
    let r = renew().await.unwrap();
    assert_eq!(r.status(), 400, "sign-out revoked the refresh token");
}

#[tokio::test]
async fn revoked_sessions_end_every_refresh_token() {
    let h = harness().await;
    let refresh = signed_in_refresh_token(&h).await;
    let renew = || renew_with(&h, &refresh);
    assert_eq!(renew().await.unwrap().status(), 200);
    let revoke = |json: bool| {
        let r = h.http.post(format!("{}/revoke-refresh-tokens", h.emu.origins.admin));
        if json { r.json(&serde_json::json!({})) } else { r }.send()
    };
    assert_eq!(revoke(false).await.unwrap().status(), 415, "a web page cannot revoke sessions");
    let revoked: serde_json::Value = revoke(true).await.unwrap().json().await.unwrap();
    assert_eq!(revoked["revoked"], 2, "the sign-in's and the renewal's");
    let r = renew().await.unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn scripts_get_tokens_with_client_credentials() {
    let h = harness().await;
    let get = |secret: &'static str| {
        h.http
            .post(h.login("/oauth2/v2.0/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", SERVICE_PRINCIPAL.client_id),
                ("client_secret", secret),
                ("scope", &format!("{}/.default", Emulator::ARM_RESOURCE)),
            ])
            .send()
    };
    let ok: serde_json::Value = get(SERVICE_PRINCIPAL.secret).await.unwrap().json().await.unwrap();
    let token = ok["access_token"].as_str().unwrap();
    assert_eq!(claims(token)["idtyp"], "app");
    let (status, body) = h.get("/subscriptions?api-version=2022-12-01", token).await;
    assert_eq!((status, body["value"].as_array().map(Vec::len)), (200, Some(2)));
    assert_eq!(get("wrong").await.unwrap().status(), 401);
}

#[tokio::test]
async fn the_token_endpoint_allows_only_the_portal_origin() {
    let h = harness().await;
    let preflight = |origin: String| {
        h.http
            .request(reqwest::Method::OPTIONS, h.login("/oauth2/v2.0/token"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .send()
    };
    let ours = preflight(h.emu.origins.portal.clone()).await.unwrap();
    assert_eq!(ours.headers()["access-control-allow-origin"], h.emu.origins.portal.as_str());
    let theirs = preflight("https://evil.test".into()).await.unwrap();
    assert!(!theirs.headers().contains_key("access-control-allow-origin"));
}
