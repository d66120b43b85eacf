//! Which HTTP each origin speaks (issue 22): the TLS origins offer HTTP/2 by ALPN, as ARM's front
//! door does, and keep HTTP/1.1 for clients that speak nothing else (the az CLI, the Python SDKs).

mod common;

use common::*;

const SUBS: &str = "/subscriptions?api-version=2022-12-01";

fn client(http1_only: bool) -> reqwest::Client {
    let builder = reqwest::Client::builder().danger_accept_invalid_certs(true);
    let builder = if http1_only { builder.http1_only() } else { builder };
    builder.build().unwrap()
}

#[tokio::test]
async fn every_tls_origin_negotiates_http2_and_keeps_http1() {
    let h = harness().await;
    let token = h.owner();
    let origins = [
        format!("{}/config.json", h.emu.origins.portal),
        h.arm(SUBS),
        h.login("/v2.0/.well-known/openid-configuration"),
    ];
    for (http1_only, want) in [(false, reqwest::Version::HTTP_2), (true, reqwest::Version::HTTP_11)] {
        let c = client(http1_only);
        for url in &origins {
            let r = c.get(url).bearer_auth(&token).send().await.unwrap();
            assert_eq!((url.as_str(), r.status().as_u16(), r.version()), (url.as_str(), 200, want));
        }
    }
}
