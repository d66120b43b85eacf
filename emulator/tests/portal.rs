//! The portal origin: config.json for this emulator, SPA fallback for deep links, security headers.

mod common;

use common::*;

#[tokio::test]
async fn config_json_points_the_portal_at_this_emulator() {
    let h = harness().await;
    let c: serde_json::Value = h.http.get(format!("{}/config.json", h.emu.origins.portal)).send().await.unwrap().json().await.unwrap();
    assert_eq!(c["cloud"], "Custom");
    assert_eq!(c["armEndpoint"], format!("{}/", h.emu.origins.arm));
    assert_eq!(c["knownAuthorities"][0], h.emu.origins.login_host());
    assert!(c["authority"].as_str().unwrap().starts_with(&h.emu.origins.login));
}

#[tokio::test]
async fn deep_links_get_the_app_with_a_strict_csp() {
    let h = harness().await;
    let link = format!("{}/subscriptions/{CONTOSO}/resourceGroups/rg-builds/providers/Microsoft.ContainerRegistry/registries/contosobuilds/agentPools/build-s2", h.emu.origins.portal);
    let r = h.http.get(link).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    assert!(csp.contains(&h.emu.origins.arm) && !csp.contains("unsafe-inline"), "{csp}");
    assert!(r.text().await.unwrap().contains("boot()"));
}

#[tokio::test]
async fn assets_are_served_and_missing_ones_are_404() {
    let h = harness().await;
    let js = h.http.get(format!("{}/app.js", h.emu.origins.portal)).send().await.unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"].to_str().unwrap().contains("javascript"));
    assert_eq!(h.http.get(format!("{}/missing.js", h.emu.origins.portal)).send().await.unwrap().status(), 404);
    // A file next to dist/ must stay out of reach, however the dots and slash are encoded.
    let dist = h.emu.settings.dist.clone();
    std::fs::write(dist.parent().unwrap().join("sentinel.txt"), "secret").unwrap();
    assert!(dist.join("../sentinel.txt").exists());
    for path in ["%2e%2e%2fsentinel.txt", "..%2fsentinel.txt", "%2e%2e%5csentinel.txt"] {
        let r = h.http.get(format!("{}/{path}", h.emu.origins.portal)).send().await.unwrap();
        assert_eq!(r.status(), 404, "{path}");
    }
}
