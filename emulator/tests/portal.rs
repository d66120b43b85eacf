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

#[tokio::test]
async fn precompressed_assets_follow_accept_encoding_and_only_hashed_ones_are_immutable() {
    let h = harness().await;
    let dist = h.emu.settings.dist.clone();
    let name = "app-0123456789abcdef.js";
    let plain = "console.log('a hashed asset');\n".repeat(40);
    std::fs::write(dist.join(name), &plain).unwrap();
    // What the server sends is the file beside the asset, whatever it holds.
    std::fs::write(dist.join(format!("{name}.br")), "brotli bytes").unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), "gzip bytes").unwrap();
    let get = |path: String, accept: Option<&'static str>| {
        let mut r = h.http.get(format!("{}{path}", h.emu.origins.portal));
        if let Some(a) = accept {
            r = r.header("accept-encoding", a);
        }
        async move {
            let r = r.send().await.unwrap();
            let header = |n: &str| r.headers().get(n).map(|v| v.to_str().unwrap().to_string());
            let (encoding, vary, cache, kind) = (header("content-encoding"), header("vary"), header("cache-control"), header("content-type"));
            (encoding, vary, cache, kind, r.text().await.unwrap())
        }
    };
    let asset = format!("/{name}");
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), Some("br"), "brotli bytes"),
        (Some("gzip"), Some("gzip"), "gzip bytes"),
        (Some("br;q=0, gzip;q=0.5"), Some("gzip"), "gzip bytes"),
        (Some("identity"), None, plain.as_str()),
        (None, None, plain.as_str()),
    ] {
        let (enc, vary, cache, kind, text) = get(asset.clone(), accept).await;
        assert_eq!((enc.as_deref(), text.as_str()), (encoding, body), "Accept-Encoding: {accept:?}");
        assert_eq!(vary.as_deref(), Some("Accept-Encoding"));
        assert_eq!(cache.as_deref(), Some("public, max-age=31536000, immutable"));
        assert!(kind.unwrap().contains("javascript"), "the type is the asset's, not the encoding's");
    }
    // An asset without a hash, the page and the configuration are asked for again every time.
    for path in ["/app.js", "/", "/index.html", "/subscriptions/x"] {
        let (_, vary, cache, _, _) = get(path.to_string(), Some("br")).await;
        assert_eq!((cache.as_deref(), vary.as_deref()), (Some("no-cache"), Some("Accept-Encoding")), "{path}");
    }
    let config = h.http.get(format!("{}/config.json", h.emu.origins.portal)).send().await.unwrap();
    assert_eq!(config.headers()["cache-control"], "no-cache");
}
