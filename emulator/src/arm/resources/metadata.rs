//! `GET /metadata/endpoints`: ARM's public description of its cloud, read without a token by
//! `az cloud register --endpoint-resource-manager` (2022-09-01: this cloud, as one object), by
//! SDKs and tools that take `ARM_CLOUD_METADATA_URL` (2019-05-01, 2019-10-01, 2020-06-01: a list
//! of clouds), and by older clients (1.0, 2015-01-01: the legacy object of go-autorest,
//! msrestazure, `Add-AzEnvironment -ARMEndpoint` and azure-cli before 2.70). NOTES.md §10.
//! Every endpoint names this emulator's own origins, and the audience its tokens carry.

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::arm::pipeline::versions;
use crate::Emulator;

/// The name the cloud gives itself (`az cloud register -n` may call it anything).
pub const CLOUD_NAME: &str = "PoolPortalEmulator";

/// This cloud in ARM's metadata shape. Fields for services the emulator does not have point at
/// ARM itself, so a client never wanders off to the public cloud.
pub fn cloud(emu: &Emulator) -> Value {
    let o = &emu.origins;
    let arm = format!("{}/", o.arm);
    json!({
        "name": CLOUD_NAME,
        "portal": o.portal,
        "resourceManager": arm,
        "authentication": {
            "loginEndpoint": o.login,
            "audiences": [Emulator::ARM_RESOURCE],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "media": arm,
        "graphAudience": arm,
        "graph": arm,
        "batch": arm,
        "gallery": arm,
        "sqlManagement": arm,
        "activeDirectoryDataLake": arm,
        "microsoftGraphResourceId": arm,
        "appInsightsResourceId": arm,
        "appInsightsTelemetryChannelResourceId": arm,
        "attestationResourceId": arm,
        "synapseAnalyticsResourceId": arm,
        "logAnalyticsResourceId": arm,
        "ossrdbmsResourceId": arm,
        "appServiceResourceId": arm,
        "vmImageAliasDoc": format!("{}/vm-image-aliases.json", o.portal),
        "suffixes": {
            // Registries' login servers are `{name}.azurecr.io`, as the registry resources say.
            "acrLoginServer": "azurecr.io",
            "storage": "core.windows.net",
            "keyVaultDns": "vault.azure.net",
            "sqlServerHostname": "database.windows.net",
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            "mhsmDns": "managedhsm.azure.net",
            "mysqlServerEndpoint": "mysql.database.azure.com",
            "postgresqlServerEndpoint": "postgres.database.azure.com",
            "mariadbServerEndpoint": "mariadb.database.azure.com",
            "synapseAnalytics": "dev.azuresynapse.net",
            "attestationEndpoint": "attest.azure.net",
        },
    })
}

/// The legacy shape: no name, no suffixes.
fn legacy(emu: &Emulator) -> Value {
    let arm = format!("{}/", emu.origins.arm);
    json!({
        "galleryEndpoint": arm,
        "graphEndpoint": arm,
        "portalEndpoint": format!("{}/", emu.origins.portal),
        "authentication": { "loginEndpoint": format!("{}/", emu.origins.login), "audiences": [Emulator::ARM_RESOURCE] },
    })
}

/// Answered before authentication: the metadata is public, as on Azure.
pub fn endpoints(emu: &Emulator, api_version: Option<&str>) -> Response {
    if let Err(e) = versions::METADATA.check(api_version) {
        return e.into_response();
    }
    match api_version {
        // These list every cloud the endpoint knows: here, only this one.
        Some("2019-05-01" | "2019-10-01" | "2020-06-01") => Json(json!([cloud(emu)])).into_response(),
        Some("1.0" | "2015-01-01") => Json(legacy(emu)).into_response(),
        _ => Json(cloud(emu)).into_response(),
    }
}

/// Whether a path is the metadata endpoint (`//metadata/endpoints` too: the CLI appends the
/// suffix to an endpoint that ends in `/`).
pub fn is_metadata_path(path: &str) -> bool {
    path.trim_start_matches('/').eq_ignore_ascii_case("metadata/endpoints")
}
