//! Starts an emulator in-process on free ports and talks to it over real HTTPS.

#![allow(dead_code)]

pub mod schema;

use std::sync::Arc;

use pool_portal_emulator::authority::token::AccessClaims;
use pool_portal_emulator::authority::users::{self, TENANT_ID};
use pool_portal_emulator::server::{start, Options};
use pool_portal_emulator::{now_secs, Emulator};

pub struct Harness {
    pub emu: Arc<Emulator>,
    pub http: reqwest::Client,
}

pub const CONTOSO: &str = "1f0e2d3c-4b5a-4697-8877-665544332211";
pub const FABRIKAM: &str = "2a3b4c5d-6e7f-4809-9a1b-2c3d4e5f6a7b";

pub async fn harness_with(configure: impl FnOnce(&mut Options)) -> Harness {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dist = std::env::temp_dir().join(format!("emu-dist-{}", pool_portal_emulator::random_token(6)));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><script type=module>boot()</script>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let mut options = Options::ephemeral(dist);
    // Frozen simulated time: tests move it on with `later`, so nothing depends on the machine's speed.
    options.settings.speed = 0.0;
    // Timers stay still unless a test turns them on: the demo's scheduled scaling of build-s2
    // would otherwise change its count in any test whose clock passes 07:00 or 20:00 UTC.
    options.settings.timers = false;
    configure(&mut options);
    let emu = start(options).await.expect("emulator starts");
    let http = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Harness { emu, http }
}

pub async fn harness() -> Harness {
    harness_with(|_| {}).await
}

/// A response: status, headers, JSON body (`Null` if none).
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: serde_json::Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    }

    pub fn code(&self) -> String {
        self.body["error"]["code"].as_str().unwrap_or("").to_string()
    }

    pub fn target(&self) -> String {
        self.body["error"]["target"].as_str().unwrap_or("").to_string()
    }
}

pub const REGISTRY: &str = "/subscriptions/1f0e2d3c-4b5a-4697-8877-665544332211/resourceGroups/rg-builds/providers/Microsoft.ContainerRegistry/registries/contosobuilds";
pub const POOLS_API: &str = "api-version=2019-06-01-preview";

pub fn pool_url(name: &str) -> String {
    format!("{REGISTRY}/agentPools/{name}?{POOLS_API}")
}

impl Harness {
    /// Any ARM request with a JSON body (or none).
    pub async fn send(&self, method: reqwest::Method, path: &str, token: &str, body: Option<serde_json::Value>) -> Reply {
        let url = if path.starts_with("https://") { path.to_string() } else { self.arm(path) };
        let mut request = self.http.request(method, url).bearer_auth(token);
        if let Some(b) = body {
            request = request.json(&b);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let text = r.text().await.unwrap();
        Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null) }
    }

    pub async fn put(&self, path: &str, token: &str, body: serde_json::Value) -> Reply {
        self.send(reqwest::Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: serde_json::Value) -> Reply {
        self.send(reqwest::Method::PATCH, path, token, Some(body)).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Option<serde_json::Value>) -> Reply {
        self.send(reqwest::Method::POST, path, token, body).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, token, None).await
    }

    /// Moves simulated time on by `ms` (and lets the service catch up on the next request).
    pub fn later(&self, ms: u64) {
        self.emu.clock.advance_ms(ms);
    }

    /// The Owner's token: most behaviour tests act as the Owner.
    pub fn owner(&self) -> String {
        self.user_token(&users::OWNER)
    }

    pub fn arm(&self, path: &str) -> String {
        format!("{}{path}", self.emu.origins.arm)
    }

    pub fn login(&self, path: &str) -> String {
        format!("{}/{TENANT_ID}{path}", self.emu.origins.login)
    }

    /// A token as the authority would sign it, with any claims a test needs.
    pub fn token_for(&self, oid: &str, aud: &str, exp: u64) -> String {
        let now = now_secs();
        self.emu.keys.sign(&AccessClaims {
            aud: aud.into(),
            iss: self.emu.issuer(),
            iat: now,
            nbf: now,
            exp,
            oid: oid.into(),
            sub: oid.into(),
            tid: TENANT_ID.into(),
            name: users::user(oid).map_or("test", |u| u.name).into(),
            appid: users::PORTAL_CLIENT_ID.into(),
            upn: users::user(oid).map(|u| u.username.into()),
            scp: Some("user_impersonation".into()),
            idtyp: None,
        })
    }

    /// The demo automation service principal's token, as client credentials would give it.
    pub fn service_principal_token(&self) -> String {
        let sp = &users::SERVICE_PRINCIPAL;
        let now = now_secs();
        self.emu.keys.sign(&AccessClaims {
            aud: Emulator::ARM_RESOURCE.into(),
            iss: self.emu.issuer(),
            iat: now,
            nbf: now,
            exp: now + 600,
            oid: sp.oid.into(),
            sub: sp.oid.into(),
            tid: TENANT_ID.into(),
            name: sp.name.into(),
            appid: sp.client_id.into(),
            upn: None,
            scp: None,
            idtyp: Some("app".into()),
        })
    }

    pub fn user_token(&self, user: &users::User) -> String {
        self.token_for(user.oid, Emulator::ARM_RESOURCE, now_secs() + 600)
    }

    /// GET on ARM with a bearer token; returns status and JSON body.
    pub async fn get(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let r = self.http.get(self.arm(path)).bearer_auth(token).send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }
}
