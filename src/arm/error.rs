//! One error type for every ARM call (status, ARM code, message, request id), built from ARM's
//! error body, or from a network failure that never reached ARM.

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmError {
    /// HTTP status; 0 when the request never got an answer (offline, DNS, CORS refusal).
    pub status: u16,
    pub code: String,
    pub message: String,
    /// `x-ms-request-id`, for a support ticket.
    pub request_id: Option<String>,
    /// Seconds the server asked us to wait (`Retry-After`), on 429 and some 5xx.
    pub retry_after: Option<u32>,
}

#[derive(Deserialize)]
struct Body {
    error: Option<Detail>,
    // Some endpoints answer `{"code", "message"}` without the `error` wrapper; the Activity Log
    // capitalises them (`{"Code", "Message"}`, recorded).
    #[serde(alias = "Code")]
    code: Option<String>,
    #[serde(alias = "Message")]
    message: Option<String>,
}

#[derive(Deserialize)]
struct Detail {
    code: Option<String>,
    message: Option<String>,
    /// Resource Graph puts the reason here, under a generic `BadRequest`.
    #[serde(default)]
    details: Vec<Detail>,
}

impl ArmError {
    /// From an error response: ARM's `{"error": {code, message}}` when present, else the status.
    pub fn from_response(status: u16, body: &str, request_id: Option<String>, retry_after: Option<u32>) -> ArmError {
        let parsed: Option<(Option<String>, Option<String>)> = serde_json::from_str::<Body>(body)
            .ok()
            .map(|b| match b.error {
                // Resource Graph's generic `BadRequest` keeps its reason in `details`: the specific
                // reason first, then the support text (a timestamp, a correlation id). Other
                // codes are ARM's own and stay as they are (the operation tracker matches them).
                Some(d) if !d.details.is_empty() && d.code.as_deref() == Some("BadRequest") => {
                    let reasons: Vec<String> = d.details.iter().filter_map(|x| x.message.clone()).collect();
                    let code = d.details.iter().rev().find_map(|x| x.code.clone()).or(d.code);
                    (code, Some([reasons.join(" "), d.message.unwrap_or_default()].join(" ").trim().to_string()))
                }
                Some(d) => (d.code, d.message),
                None => (b.code, b.message),
            });
        let (code, message) = parsed.unwrap_or((None, None));
        ArmError {
            status,
            code: code.unwrap_or_else(|| format!("Http{status}")),
            message: message.unwrap_or_else(|| default_message(status)),
            request_id,
            retry_after,
        }
    }

    /// No answer came: the request never reached ARM or its answer never came back.
    pub fn is_network(&self) -> bool {
        self.status == 0 && self.code == "NetworkError"
    }

    /// Trying the same read again may well work (no answer, throttled, a server fault).
    pub fn is_transient(&self) -> bool {
        self.is_network() || matches!(self.status, 408 | 429 | 500..=599)
    }

    pub fn network(detail: &str) -> ArmError {
        ArmError {
            status: 0,
            code: "NetworkError".into(),
            message: format!("Azure Resource Manager could not be reached ({detail}). Check your connection."),
            request_id: None,
            retry_after: None,
        }
    }

    /// A response that should have been JSON of a known shape but was not.
    pub fn unexpected(status: u16, detail: &str, request_id: Option<String>) -> ArmError {
        ArmError {
            status,
            code: "UnexpectedResponse".into(),
            message: format!("The response could not be read: {detail}"),
            request_id,
            retry_after: None,
        }
    }

    /// The permission ARM names in an `AuthorizationFailed` message (SPEC F15), if any.
    pub fn missing_permission(&self) -> Option<&str> {
        if self.status != 403 {
            return None;
        }
        let start = self.message.find("perform action '")? + "perform action '".len();
        let len = self.message[start..].find('\'')?;
        Some(&self.message[start..start + len])
    }
}

fn default_message(status: u16) -> String {
    match status {
        401 => "You are not signed in, or your session expired.".into(),
        403 => "You do not have permission to do this.".into(),
        404 => "Not found.".into(),
        429 => "Too many requests: Azure is throttling this account.".into(),
        500..=599 => "Azure Resource Manager had a problem. Try again.".into(),
        _ => format!("The request failed with HTTP {status}."),
    }
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

/// `Retry-After` as seconds; ARM sends integers (an HTTP date is treated as unknown).
pub fn parse_retry_after(value: Option<&str>) -> Option<u32> {
    value.and_then(|v| v.trim().parse::<u32>().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_error_bodies_become_typed_errors() {
        let body = r#"{"error":{"code":"ResourceNotFound","message":"The Resource 'x' was not found."}}"#;
        let e = ArmError::from_response(404, body, Some("rid".into()), None);
        assert_eq!((e.status, e.code.as_str(), e.request_id.as_deref()), (404, "ResourceNotFound", Some("rid")));
        assert_eq!(e.message, "The Resource 'x' was not found.");
    }

    #[test]
    fn resource_graphs_reason_comes_from_its_details() {
        let body = r#"{"error":{"code":"BadRequest","message":"Please provide below info when asking for support: timestamp = t, correlationId = c.","details":[{"code":"NoValidSubscriptionsInQueryRequest","message":"There must be at least one subscription that is eligible to contain resources. Given: ''."}]}}"#;
        let e = ArmError::from_response(400, body, None, None);
        assert_eq!(e.code, "NoValidSubscriptionsInQueryRequest");
        assert!(e.message.starts_with("There must be at least one subscription") && e.message.ends_with("correlationId = c."), "{}", e.message);
    }

    #[test]
    fn other_codes_keep_themselves_whatever_their_details() {
        let body = r#"{"error":{"code":"AnotherOperationInProgress","message":"busy","details":[{"code":"Inner","message":"x"}]}}"#;
        let e = ArmError::from_response(409, body, None, None);
        assert_eq!((e.code.as_str(), e.message.as_str()), ("AnotherOperationInProgress", "busy"));
    }

    #[test]
    fn the_activity_logs_capitalised_flat_error_is_read() {
        let e = ArmError::from_response(400, r#"{"Code":"BadRequest","Message":"The start time cannot be more than 90 days in the past."}"#, None, None);
        assert_eq!((e.code.as_str(), e.message.as_str()), ("BadRequest", "The start time cannot be more than 90 days in the past."));
    }

    #[test]
    fn unwrapped_and_empty_bodies_still_say_something() {
        let e = ArmError::from_response(400, r#"{"code":"BadThing","message":"no"}"#, None, None);
        assert_eq!(e.code, "BadThing");
        let e = ArmError::from_response(503, "<html>gateway</html>", None, Some(7));
        assert_eq!((e.code.as_str(), e.retry_after), ("Http503", Some(7)));
        assert!(e.message.contains("Try again"));
    }

    #[test]
    fn a_403_names_the_missing_permission() {
        let msg = "The client 'u' with object id 'u' does not have authorization to perform action \
                   'Microsoft.ContainerRegistry/registries/agentpools/write' over scope '/subscriptions/s'.";
        let e = ArmError::from_response(403, &format!(r#"{{"error":{{"code":"AuthorizationFailed","message":"{msg}"}}}}"#), None, None);
        assert_eq!(e.missing_permission(), Some("Microsoft.ContainerRegistry/registries/agentpools/write"));
        assert_eq!(ArmError::network("x").missing_permission(), None);
    }

    #[test]
    fn only_missing_answers_count_as_unreachable() {
        assert!(ArmError::network("refused").is_network());
        assert!(!ArmError::unexpected(0, "token outside the endpoint", None).is_network());
        assert!(ArmError::network("refused").is_transient());
        for status in [429, 500, 503] {
            assert!(ArmError::from_response(status, "", None, None).is_transient(), "{status}");
        }
        for status in [400, 403, 404, 409] {
            assert!(!ArmError::from_response(status, "", None, None).is_transient(), "{status}");
        }
    }

    #[test]
    fn retry_after_is_integer_seconds() {
        assert_eq!(parse_retry_after(Some(" 12 ")), Some(12));
        assert_eq!(parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(parse_retry_after(None), None);
    }
}
