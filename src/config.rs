//! `config.json`, served next to `index.html` (SPEC F2): one build for every cloud. This file only
//! parses and validates; a broken config becomes a list of problems for the setup page.

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client_id: String,
    /// Shown in the header so people know which cloud they are on.
    pub cloud_name: String,
    /// `https://login.microsoftonline.com/{tenant}` and the like.
    pub authority: String,
    /// `host[:port]` of authorities msal may trust without Microsoft's instance discovery
    /// (needed for anything that is not Entra ID; empty for the Azure clouds).
    pub known_authorities: Vec<String>,
    /// Whether the authority is Entra ID (AAD protocol) or a generic OpenID provider.
    pub oidc: bool,
    /// Where ARM calls go, ending in `/`.
    pub arm_endpoint: String,
    /// The scope to ask for: `{ARM resource}/.default`, e.g.
    /// `https://management.core.windows.net//.default` (the double slash is deliberate).
    pub arm_scope: String,
    /// Where the sign-in authority sends the browser back; the portal's origin + `/` if not set.
    pub redirect_uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Raw {
    client_id: Option<String>,
    cloud: Option<String>,
    tenant: Option<String>,
    authority: Option<String>,
    known_authorities: Option<Vec<String>>,
    arm_endpoint: Option<String>,
    arm_resource: Option<String>,
    redirect_uri: Option<String>,
    cloud_name: Option<String>,
}

/// Endpoints of the national clouds (NOTES §5).
struct Preset {
    name: &'static str,
    login: &'static str,
    arm: &'static str,
    resource: &'static str,
}

const PRESETS: [(&str, Preset); 2] = [
    ("AzureCloud", Preset {
        name: "Azure",
        login: "https://login.microsoftonline.com",
        arm: "https://management.azure.com/",
        resource: "https://management.core.windows.net/",
    }),
    ("AzureUSGovernment", Preset {
        name: "Azure US Government",
        login: "https://login.microsoftonline.us",
        arm: "https://management.usgovcloudapi.net/",
        resource: "https://management.core.usgovcloudapi.net/",
    }),
];

fn https_url(field: &str, value: &str, problems: &mut Vec<String>) -> bool {
    let rest = value.strip_prefix("https://");
    let ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/') && !r.contains(['@', ' ', '?', '#']));
    if !ok {
        problems.push(format!("`{field}` must be an https:// URL (got '{value}')."));
    }
    ok
}

fn host_of(url: &str) -> String {
    url.trim_start_matches("https://").split('/').next().unwrap_or("").to_string()
}

impl Config {
    pub fn parse(json: &str) -> Result<Config, Vec<String>> {
        let raw: Raw = serde_json::from_str(json).map_err(|e| vec![format!("config.json is not valid: {e}.")])?;
        let mut problems = Vec::new();
        let client_id = raw.client_id.unwrap_or_default().trim().to_string();
        if client_id.is_empty() {
            problems.push("`clientId` is missing: the Application (client) ID of the portal's app registration.".into());
        }
        let tenant = raw.tenant.unwrap_or_else(|| "organizations".into());
        if tenant.is_empty() || !tenant.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            problems.push(format!("`tenant` must be a tenant id, a domain or 'organizations' (got '{tenant}')."));
        }
        let cloud = raw.cloud.unwrap_or_else(|| "AzureCloud".into());
        let preset = PRESETS.iter().find(|(k, _)| *k == cloud).map(|(_, p)| p);
        if preset.is_none() && cloud != "Custom" {
            problems.push(format!("`cloud` must be AzureCloud, AzureUSGovernment or Custom (got '{cloud}')."));
        }
        let pick = |given: Option<String>, preset_value: Option<String>, field: &str, problems: &mut Vec<String>| {
            match given.or(preset_value) {
                Some(v) => v,
                None => {
                    problems.push(format!("`{field}` is required when `cloud` is Custom."));
                    String::new()
                }
            }
        };
        let authority = pick(raw.authority, preset.map(|p| format!("{}/{tenant}", p.login)), "authority", &mut problems);
        let mut arm_endpoint = pick(raw.arm_endpoint, preset.map(|p| p.arm.to_string()), "armEndpoint", &mut problems);
        let arm_resource = pick(raw.arm_resource, preset.map(|p| p.resource.to_string()), "armResource", &mut problems);
        for (field, value) in [("authority", &authority), ("armEndpoint", &arm_endpoint), ("armResource", &arm_resource)] {
            if !value.is_empty() {
                https_url(field, value, &mut problems);
            }
        }
        if let Some(uri) = &raw.redirect_uri {
            https_url("redirectUri", uri, &mut problems);
        }
        if !arm_endpoint.ends_with('/') {
            arm_endpoint.push('/');
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let is_custom = preset.is_none();
        Ok(Config {
            client_id,
            cloud_name: raw.cloud_name.unwrap_or_else(|| preset.map_or("Custom cloud", |p| p.name).to_string()),
            known_authorities: raw
                .known_authorities
                .unwrap_or_else(|| if is_custom { vec![host_of(&authority)] } else { Vec::new() }),
            oidc: is_custom,
            arm_scope: format!("{arm_resource}/.default"),
            authority,
            arm_endpoint,
            redirect_uri: raw.redirect_uri,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azure_cloud_preset_keeps_the_double_slash_in_the_scope() {
        let c = Config::parse(r#"{"clientId":"abc","tenant":"contoso.onmicrosoft.com"}"#).unwrap();
        assert_eq!(c.authority, "https://login.microsoftonline.com/contoso.onmicrosoft.com");
        assert_eq!(c.arm_endpoint, "https://management.azure.com/");
        assert_eq!(c.arm_scope, "https://management.core.windows.net//.default");
        assert!(!c.oidc && c.known_authorities.is_empty());
    }

    #[test]
    fn us_government_uses_its_own_endpoints() {
        let c = Config::parse(r#"{"clientId":"abc","cloud":"AzureUSGovernment"}"#).unwrap();
        assert_eq!(c.authority, "https://login.microsoftonline.us/organizations");
        assert_eq!(c.arm_endpoint, "https://management.usgovcloudapi.net/");
        assert_eq!(c.arm_scope, "https://management.core.usgovcloudapi.net//.default");
    }

    #[test]
    fn a_custom_cloud_needs_its_endpoints_and_trusts_its_authority_host() {
        let c = Config::parse(
            r#"{"clientId":"x","cloud":"Custom","authority":"https://127.0.0.1:8445/t",
                "armEndpoint":"https://127.0.0.1:8444","armResource":"https://management.pool-portal.test/"}"#,
        )
        .unwrap();
        assert_eq!(c.known_authorities, vec!["127.0.0.1:8445".to_string()]);
        assert_eq!(c.arm_endpoint, "https://127.0.0.1:8444/");
        assert_eq!(c.arm_scope, "https://management.pool-portal.test//.default");
        assert!(c.oidc);
        let problems = Config::parse(r#"{"clientId":"x","cloud":"Custom"}"#).unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
    }

    #[test]
    fn broken_configs_list_every_problem() {
        let problems = Config::parse(r#"{"cloud":"Mars","armEndpoint":"http://arm.test/"}"#).unwrap_err();
        let text = problems.join("\n");
        assert!(text.contains("`clientId` is missing"), "{text}");
        assert!(text.contains("`cloud` must be"), "{text}");
        assert!(text.contains("`armEndpoint` must be an https:// URL"), "{text}");
        assert!(Config::parse("not json").unwrap_err()[0].starts_with("config.json is not valid"));
        assert!(Config::parse(r#"{"clientId":"a","clinetId":"typo"}"#).is_err(), "unknown fields are typos");
    }
}
