//! The part of ARM that generic clients (the Azure CLI, Microsoft's SDKs) call around the ACR
//! slice: the public metadata endpoint, the generic resources list, resource groups, providers,
//! and storage-style log reads. Each shape was found by running the real CLI against us.

mod common;

use common::schema::Spec;
use common::*;
use pool_portal_emulator::authority::users::{NO_ACCESS, READER};
use pool_portal_emulator::Emulator;

const RESOURCES_API: &str = "api-version=2024-11-01";

fn resources(sub: &str, query: &str) -> String {
    format!("/subscriptions/{sub}/resources?{RESOURCES_API}{query}")
}

#[tokio::test]
async fn metadata_is_public_and_names_our_own_origins_and_audience() {
    let h = harness().await;
    let o = &h.emu.origins;
    let r = h.http.get(h.arm("/metadata/endpoints?api-version=2022-09-01")).send().await.unwrap();
    assert_eq!(r.status(), 200, "no token needed");
    let cloud: serde_json::Value = r.json().await.unwrap();
    assert_eq!(cloud["resourceManager"], format!("{}/", o.arm));
    assert_eq!(cloud["authentication"]["loginEndpoint"], o.login.as_str());
    assert_eq!(cloud["authentication"]["audiences"][0], Emulator::ARM_RESOURCE);
    assert_eq!(cloud["authentication"]["identityProvider"], "AAD");
    assert_eq!(cloud["suffixes"]["acrLoginServer"], "azurecr.io");
    assert_eq!(cloud["portal"], o.portal.as_str());
    // Nothing points at a public cloud.
    let text = cloud.to_string();
    assert!(!text.contains("management.azure.com") && !text.contains("microsoftonline"), "{text}");

    // The CLI appends the suffix to an endpoint ending in '/': `//metadata/endpoints`.
    let doubled = format!("{}//metadata/endpoints?api-version=2022-09-01", o.arm);
    assert_eq!(h.http.get(doubled).send().await.unwrap().status(), 200);

    // These versions list clouds…
    for v in ["2019-05-01", "2019-10-01", "2020-06-01"] {
        let list: serde_json::Value = h.http.get(h.arm(&format!("/metadata/endpoints?api-version={v}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(list[0]["resourceManager"], cloud["resourceManager"]);
    }
    // …and the oldest answer the legacy object.
    for v in ["1.0", "2015-01-01"] {
        let old: serde_json::Value = h.http.get(h.arm(&format!("/metadata/endpoints?api-version={v}"))).send().await.unwrap().json().await.unwrap();
        assert_eq!(old["authentication"]["audiences"][0], Emulator::ARM_RESOURCE, "{v}");
        assert_eq!(old["authentication"]["loginEndpoint"], format!("{}/", o.login));
        assert!(old.get("name").is_none() && old["galleryEndpoint"].is_string());
    }
    let bad = h.http.get(h.arm("/metadata/endpoints?api-version=2016-01-01")).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["code"], "InvalidApiVersionParameter");
}

#[tokio::test]
async fn the_generic_list_finds_registries_by_type_and_name() {
    let h = harness().await;
    let t = h.owner();
    let all = h.get(&resources(CONTOSO, ""), &t).await.1;
    let types: Vec<&str> = all["value"].as_array().unwrap().iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"Microsoft.ContainerRegistry/registries") && types.contains(&"Microsoft.Network/virtualNetworks"), "{types:?}");

    let filter = "&$filter=resourceType eq 'Microsoft.ContainerRegistry/registries'";
    let (status, regs) = h.get(&resources(CONTOSO, filter), &t).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = regs["value"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["contosobuilds", "contosobasic", "contosouk"]);
    assert!(types.contains(&"Microsoft.ContainerRegistry/registries/agentPools"), "tracked children are listed too");
    let first = &regs["value"][0];
    assert_eq!(first["id"], REGISTRY);
    assert_eq!((first["sku"]["name"].as_str(), first["location"].as_str()), (Some("Premium"), Some("eastus")));
    assert!(first.get("properties").is_none(), "a list leaves properties out without $expand");

    // Type names compare without case; `and` joins a name.
    let one = h.get(&resources(CONTOSO, "&$filter=resourceType eq 'microsoft.containerregistry/REGISTRIES' and name eq 'ContosoUK'"), &t).await.1;
    assert_eq!(one["value"].as_array().unwrap().len(), 1);
    assert_eq!(one["value"][0]["name"], "contosouk");

    // A resource group narrows it.
    let rg = format!("/subscriptions/{CONTOSO}/resourceGroups/rg-network/resources?{RESOURCES_API}");
    let in_rg = h.get(&rg, &t).await.1;
    assert!(in_rg["value"].as_array().unwrap().iter().all(|r| r["id"].as_str().unwrap().contains("/resourceGroups/rg-network/")));
    assert!(!in_rg["value"].as_array().unwrap().is_empty());
}

/// Every item of a list, following nextLink from its first page.
async fn all_pages(h: &Harness, t: &str, first: serde_json::Value) -> Vec<serde_json::Value> {
    let mut items = first["value"].as_array().unwrap().clone();
    let mut next = first["nextLink"].as_str().map(String::from);
    while let Some(link) = next {
        let page = h.get(link.trim_start_matches(&h.emu.origins.arm), t).await.1;
        items.extend(page["value"].as_array().unwrap().iter().cloned());
        next = page["nextLink"].as_str().map(String::from);
    }
    items
}

#[tokio::test]
async fn tags_top_expand_and_paging_work_as_on_arm() {
    let h = harness_with(|o| o.settings.page_size = 2).await;
    let t = h.owner();
    let tagged = all_pages(&h, &t, h.get(&resources(CONTOSO, "&$filter=tagName eq 'TEAM' and tagValue eq 'platform'"), &t).await.1).await;
    assert_eq!(tagged.len(), 3, "the three registries carry team=platform");
    assert!(tagged.iter().all(|r| r.get("tags").is_none()), "a list filtered by tag leaves the tags out, as the spec says");
    let none = h.get(&resources(CONTOSO, "&$filter=tagName eq 'team' and tagValue eq 'PLATFORM'"), &t).await.1;
    assert_eq!(none["value"].as_array().unwrap().len(), 0, "tag values keep their case");
    let unfiltered = h.get(&resources(CONTOSO, "&$filter=name eq 'contosobuilds'"), &t).await.1;
    assert_eq!(unfiltered["value"][0]["tags"]["team"], "platform");

    // $top is the page size: that many, and a link to the rest.
    let everything = all_pages(&h, &t, h.get(&resources(CONTOSO, ""), &t).await.1).await;
    let top = h.get(&resources(CONTOSO, "&$top=3"), &t).await.1;
    assert_eq!(top["value"].as_array().unwrap().len(), 3);
    assert!(top["nextLink"].as_str().unwrap().contains("%24top=3"), "the link keeps $top");
    assert_eq!(all_pages(&h, &t, top).await, everything);
    for bad in ["0", "1001", "x"] {
        let r = h.send(reqwest::Method::GET, &resources(CONTOSO, &format!("&$top={bad}")), &t, None).await;
        assert_eq!((r.status, r.code().as_str()), (400, "InvalidTopInQueryString"), "{bad}");
    }

    // $expand adds what it names; the children of a registry are listed by their path.
    let pools = h.get(&resources(CONTOSO, "&$filter=resourceType eq 'Microsoft.ContainerRegistry/registries/agentPools'&$expand=provisioningState,createdTime"), &t).await.1;
    let first = &pools["value"][0];
    assert_eq!((first["name"].as_str(), first["provisioningState"].as_str()), (Some("contosobuilds/build-s2"), Some("Succeeded")));
    assert!(first["id"].as_str().unwrap().ends_with("/registries/contosobuilds/agentPools/build-s2"));
    let registry = h.get(&resources(CONTOSO, "&$filter=name eq 'contosobuilds'&$expand=createdTime"), &t).await.1;
    assert!(registry["value"][0]["createdTime"].is_string() && registry["value"][0].get("changedTime").is_none());
    let bad = h.send(reqwest::Method::GET, &resources(CONTOSO, "&$expand=everything"), &t, None).await;
    assert_eq!((bad.status, bad.code().as_str()), (400, "InvalidExpandQueryString"));

    let bad = h.send(reqwest::Method::GET, &resources(CONTOSO, "&$filter=resourceType eq 'x' and tagName eq 'team'"), &t, None).await;
    assert_eq!((bad.status, bad.code().as_str()), (400, "InvalidFilterInQueryString"));
}

#[tokio::test]
async fn the_generic_list_keeps_rbac() {
    let h = harness().await;
    let reader = h.user_token(&READER);
    assert_eq!(h.get(&resources(CONTOSO, ""), &reader).await.0, 200, "Readers may list");
    let (status, body) = h.get(&resources(FABRIKAM, ""), &reader).await;
    assert_eq!((status, body["error"]["code"].as_str()), (403, Some("AuthorizationFailed")));
    let (status, _) = h.get(&resources(CONTOSO, ""), &h.user_token(&NO_ACCESS)).await;
    assert_eq!(status, 403);
    let r = h.http.get(h.arm(&resources(CONTOSO, ""))).send().await.unwrap();
    assert_eq!(r.status(), 401, "and it needs a token");
}

#[tokio::test]
async fn resource_groups_get_list_and_exist() {
    let h = harness().await;
    let t = h.owner();
    let (status, g) = h.get(&format!("/subscriptions/{CONTOSO}/resourceGroups/RG-BUILDS?{RESOURCES_API}"), &t).await;
    assert_eq!(status, 200);
    assert_eq!(g["id"], format!("/subscriptions/{CONTOSO}/resourceGroups/rg-builds"));
    assert_eq!((g["type"].as_str(), g["properties"]["provisioningState"].as_str()), (Some("Microsoft.Resources/resourceGroups"), Some("Succeeded")));
    let (status, missing) = h.get(&format!("/subscriptions/{CONTOSO}/resourceGroups/nope?{RESOURCES_API}"), &t).await;
    assert_eq!((status, missing["error"]["code"].as_str()), (404, Some("ResourceGroupNotFound")));

    let list = h.get(&format!("/subscriptions/{CONTOSO}/resourceGroups?{RESOURCES_API}"), &t).await.1;
    let names: Vec<&str> = list["value"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"rg-builds") && names.contains(&"rg-network"), "{names:?}");

    let head = |rg: &str| h.http.head(h.arm(&format!("/subscriptions/{CONTOSO}/resourceGroups/{rg}?{RESOURCES_API}"))).bearer_auth(&t).send();
    assert_eq!(head("rg-builds").await.unwrap().status(), 204);
    assert_eq!(head("nope").await.unwrap().status(), 404);
}

#[tokio::test]
async fn providers_list_the_versions_we_accept() {
    let h = harness().await;
    let (status, p) = h.get(&format!("/subscriptions/{CONTOSO}/providers/microsoft.containerregistry?{RESOURCES_API}"), &h.owner()).await;
    assert_eq!(status, 200);
    assert_eq!((p["namespace"].as_str(), p["registrationState"].as_str()), (Some("Microsoft.ContainerRegistry"), Some("Registered")));
    let pools = p["resourceTypes"].as_array().unwrap().iter().find(|t| t["resourceType"] == "registries/agentPools").unwrap();
    assert_eq!(pools["apiVersions"], serde_json::json!(["2025-03-01-preview", "2019-06-01-preview"]), "newest first");
    assert!(pools["locations"].as_array().unwrap().contains(&serde_json::json!("East US")));
    let (status, body) = h.get(&format!("/subscriptions/{CONTOSO}/providers/Microsoft.Nothing?{RESOURCES_API}"), &h.owner()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("InvalidResourceNamespace")));
}

#[tokio::test]
async fn the_current_sdks_api_versions_are_accepted() {
    let h = harness().await;
    let t = h.owner();
    // azure-mgmt-network sends 2026-03-01; the CLI's ACR module 2026-09-01-preview for registries.
    let subnet = format!("/subscriptions/{CONTOSO}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-builds/subnets/snet-pools?api-version=2026-03-01");
    assert_eq!(h.get(&subnet, &t).await.0, 200);
    assert_eq!(h.get(&format!("{REGISTRY}?api-version=2026-09-01-preview"), &t).await.0, 200);
    let (status, body) = h.get(&subnet.replace("2026-03-01", "2026-04-01"), &t).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("NoRegisteredProviderFound")));
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("for type 'virtualNetworks/subnets'") && message.contains("2026-03-01"), "the error lists what is supported: {message}");
    // ARM's own endpoints keep ARM's own error.
    let (status, body) = h.get(&format!("/subscriptions/{CONTOSO}/resourceGroups?api-version=2099-01-01"), &t).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("InvalidApiVersionParameter")));
}

#[tokio::test]
async fn logs_read_like_a_storage_blob_for_the_sdks() {
    let h = harness().await;
    let t = h.owner();
    // ca1 is finished in the demo data.
    let link = h.post(&format!("{REGISTRY}/runs/ca1/listLogSasUrl?{POOLS_API}"), &t, None).await.body["logLink"].as_str().unwrap().to_string();
    let head = h.http.head(&link).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["x-ms-meta-complete"], "succeeded", "the CLI streams until Complete is set");
    let size: usize = head.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let whole = h.http.get(&link).send().await.unwrap().text().await.unwrap();
    assert_eq!(whole.len(), size);
    assert!(whole.contains("\r\n"), "ACR's logs end lines with CRLF");

    // The Storage SDK asks for a closed range in x-ms-range.
    let part = h.http.get(&link).header("x-ms-range", "bytes=0-9").send().await.unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"].to_str().unwrap(), format!("bytes 0-9/{size}"));
    assert_eq!(part.text().await.unwrap(), &whole[..10]);
    let past = h.http.get(&link).header("x-ms-range", format!("bytes=5-{}", size + 100)).send().await.unwrap();
    assert_eq!(past.headers()["content-range"].to_str().unwrap(), format!("bytes 5-{}/{size}", size - 1));
}

#[tokio::test]
async fn the_admin_port_stays_on_loopback_when_the_rest_is_shared() {
    // Every address: ARM answers on any of this machine's addresses. 127.0.0.2 is one of them
    // (all of 127/8 is local on Linux) that a listener bound to 127.0.0.1 does not answer.
    let h = harness_with(|o| o.host = std::net::IpAddr::from([0, 0, 0, 0])).await;
    let port = |origin: &str| origin.rsplit(':').next().unwrap().parse::<u16>().unwrap();
    assert!(h.emu.origins.admin.starts_with("http://127.0.0.1:"), "{}", h.emu.origins.admin);
    assert!(h.emu.origins.arm.starts_with("https://127.0.0.1:"), "every address is no origin: {}", h.emu.origins.arm);
    let (arm, admin) = (port(&h.emu.origins.arm), port(&h.emu.origins.admin));
    let other = std::net::Ipv4Addr::new(127, 0, 0, 2);
    assert!(tokio::net::TcpStream::connect((other, arm)).await.is_ok(), "ARM listens on every address");
    let refused = tokio::net::TcpStream::connect((other, admin)).await;
    assert_eq!(refused.map(|_| ()).unwrap_err().kind(), std::io::ErrorKind::ConnectionRefused, "admin must not");
    assert!(tokio::net::TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, admin)).await.is_ok());
}

/// Our answers against Microsoft's Microsoft.Resources spec (2024-11-01): every field defined there,
/// of its type, nothing required left out, and what the examples show present.
#[tokio::test]
async fn the_answers_follow_microsofts_resources_spec() {
    let h = harness().await;
    let t = h.owner();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/azure-spec/resources/2024-11-01");
    let spec = Spec::load(&dir.join("resources.json"));
    let example = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("examples").join(name)).unwrap()).unwrap()
    };
    let group_example = example("ResourceGroups_Get.json")["responses"]["200"]["body"].clone();
    let provider_example = example("GetProvider.json")["responses"]["200"]["body"].clone();
    let cases = [
        ("ResourceListResult", resources(CONTOSO, ""), None),
        ("ResourceListResult", format!("/subscriptions/{CONTOSO}/resourceGroups/rg-builds/resources?{RESOURCES_API}"), None),
        ("ResourceGroupListResult", format!("/subscriptions/{CONTOSO}/resourceGroups?{RESOURCES_API}"), None),
        ("ResourceGroup", format!("/subscriptions/{CONTOSO}/resourceGroups/rg-builds?{RESOURCES_API}"), Some(&group_example)),
        ("Provider", format!("/subscriptions/{CONTOSO}/providers/Microsoft.ContainerRegistry?{RESOURCES_API}"), Some(&provider_example)),
        ("Provider", format!("/subscriptions/{CONTOSO}/providers/Microsoft.Network?{RESOURCES_API}"), Some(&provider_example)),
    ];
    let mut errors = Vec::new();
    for (definition, path, ex) in cases {
        let (status, body) = h.get(&path, &t).await;
        assert_eq!(status, 200, "{path}");
        spec.validate(&serde_json::json!({ "$ref": format!("#/definitions/{definition}") }), &body, ex, &format!("{definition} {path}"), &mut errors);
    }
    assert!(errors.is_empty(), "{errors:#?}");
}
