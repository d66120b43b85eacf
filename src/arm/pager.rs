//! ARM's pageable lists: `{value, nextLink}`. The follow-the-links loop lives in the client; what
//! is checked here is that a `nextLink` stays on the ARM endpoint, because the bearer token goes
//! wherever the pager goes.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

/// Stop after this many pages: a server that keeps sending links must not hang the page.
pub const MAX_PAGES: usize = 500;

/// `url` is on the ARM endpoint's origin (scheme, host and port), not merely prefixed by it.
pub fn is_on_endpoint(endpoint: &str, url: &str) -> bool {
    let origin = origin_of(endpoint);
    !origin.is_empty() && origin_of(url) == origin && url.len() > origin.len() && url.as_bytes()[origin.len()] == b'/'
}

fn origin_of(url: &str) -> &str {
    let Some(rest) = url.strip_prefix("https://") else { return "" };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if rest[..end].contains('@') {
        return "";
    }
    &url[..8 + end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_links_must_stay_on_the_arm_origin() {
        let arm = "https://management.azure.com/";
        assert!(is_on_endpoint(arm, "https://management.azure.com/subscriptions?api-version=1&$skipToken=2"));
        assert!(!is_on_endpoint(arm, "https://management.azure.com.evil.test/subscriptions"));
        assert!(!is_on_endpoint(arm, "https://management.azure.com@evil.test/subscriptions"));
        assert!(!is_on_endpoint(arm, "http://management.azure.com/subscriptions"));
        assert!(!is_on_endpoint(arm, "https://evil.test/?https://management.azure.com/"));
        assert!(is_on_endpoint("https://127.0.0.1:8444/", "https://127.0.0.1:8444/subscriptions"));
        assert!(!is_on_endpoint("https://127.0.0.1:8444/", "https://127.0.0.1:8445/subscriptions"));
    }

    #[test]
    fn pages_deserialise_with_or_without_a_link() {
        let p: Page<u32> = serde_json::from_str(r#"{"value":[1,2],"nextLink":"https://a/b"}"#).unwrap();
        assert_eq!((p.value, p.next_link.as_deref()), (vec![1, 2], Some("https://a/b")));
        let p: Page<u32> = serde_json::from_str(r#"{"value":[]}"#).unwrap();
        assert!(p.next_link.is_none());
    }
}
