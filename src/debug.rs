//! `--debug`: a log on stderr of what rcr resolved and of every request and
//! response, with every secret shown as `(redacted)`.
//!
//! aws v2 prints its session token in this log; rcr never prints the secret
//! access key, the session token, a request signature or an authorization
//! token from a response. Lines look like botocore's
//! (`<time> - MainThread - <logger> - DEBUG - <message>`).

use std::sync::atomic::{AtomicBool, Ordering};

use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::Headers;
use serde_json::Value;

static ENABLED: AtomicBool = AtomicBool::new(false);

const REDACTED: &str = "(redacted)";

/// Response and request members that hold secrets, lower-cased.
const SECRET_KEYS: &[&str] = &[
    "authorizationtoken",
    "password",
    "secretaccesskey",
    "sessiontoken",
    "aws_secret_access_key",
    "aws_session_token",
    "token",
];

pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Writes one log line when `--debug` is on.
pub fn log(logger: &str, message: &str) {
    if !enabled() {
        return;
    }
    let now = jiff::Zoned::now().strftime("%Y-%m-%d %H:%M:%S,%3f");
    eprintln!("{now} - MainThread - {logger} - DEBUG - {message}");
}

/// A header's value as the log shows it.
pub fn redact_header(name: &str, value: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "authorization" {
        // Keep the credential scope and signed headers (useful and not
        // secret); drop the signature.
        return match value.find("Signature=") {
            Some(i) => format!("{}Signature={REDACTED}", &value[..i]),
            None => REDACTED.to_string(),
        };
    }
    if lower.contains("token") || lower.contains("secret") || lower.contains("password") {
        return REDACTED.to_string();
    }
    value.to_string()
}

/// A request or response body as the log shows it: JSON with secret members
/// replaced, XML (STS) with secret elements replaced.
pub fn redact_body(body: &[u8]) -> String {
    if let Ok(mut value) = serde_json::from_slice::<Value>(body) {
        redact_json(&mut value);
        return value.to_string();
    }
    let mut text = String::from_utf8_lossy(body).into_owned();
    for tag in ["SecretAccessKey", "SessionToken", "Token", "Password"] {
        text = redact_xml(&text, tag);
    }
    cut_at_unredacted_secret(text)
}

/// The last guard for a body that is neither JSON nor well-formed XML (a
/// truncated or broken response): everything from the first secret member
/// name that is not followed by an already redacted XML value is cut off,
/// since where such a value ends cannot be known.
fn cut_at_unredacted_secret(mut text: String) -> String {
    let lower = text.to_ascii_lowercase();
    let redacted_tail = format!(">{REDACTED}<");
    let mut cut = None;
    for name in ["token", "secret", "password"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(name) {
            let at = from + i;
            // `<SessionToken>(redacted)<`: the name ends the tag right before
            // a redacted value, or it is that value's closing tag.
            // The whole member name: `SecretAccessKey`, `sessionToken`.
            let end = at
                + name.len()
                + lower[at + name.len()..]
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
            let closing = lower[..at]
                .rfind('<')
                .is_some_and(|c| lower[c..at].starts_with("</") && !lower[c..at].contains('>'));
            if !closing && !lower[end..].starts_with(&redacted_tail) {
                cut = Some(cut.map_or(end, |c: usize| c.min(end)));
                break;
            }
            from = end;
        }
    }
    if let Some(end) = cut {
        text.truncate(end);
        text.push_str(&format!(" ... {REDACTED} (the body is not valid JSON)"));
    }
    text
}

fn redact_json(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if SECRET_KEYS.contains(&key.to_ascii_lowercase().as_str()) && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

fn redact_xml(text: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(&open) {
        let after = start + open.len();
        let Some(end) = rest[after..].find(&close) else {
            break;
        };
        out.push_str(&rest[..after]);
        out.push_str(REDACTED);
        rest = &rest[after + end..];
    }
    out.push_str(rest);
    out
}

/// Headers as botocore logs them (`'name': 'value', ...`), secrets redacted.
fn header_list(headers: &Headers) -> String {
    headers
        .iter()
        .map(|(k, v)| format!("'{k}': '{}'", redact_header(k, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Logs a request as sent (after signing); for the SDK client's observer
/// (`crate::sdk`) under `--debug`.
pub fn log_request(request: &HttpRequest) {
    let body = request
        .body()
        .bytes()
        .map(redact_body)
        .unwrap_or_else(|| "(streaming)".into());
    log(
        "rcr.endpoint",
        &format!(
            "Sending http request: <AWSPreparedRequest stream_output=False, method={}, url={}, headers={{{}}}>",
            request.method(),
            request.uri(),
            header_list(request.headers())
        ),
    );
    log("rcr.endpoint", &format!("Request body: {body}"));
}

/// Logs a response's status and headers.
pub fn log_response_head(response: &HttpResponse) {
    log(
        "rcr.parsers",
        &format!(
            "Response headers: {{{}}} (status {})",
            header_list(response.headers()),
            response.status().as_u16()
        ),
    );
}

/// Logs a response's body, secrets redacted.
pub fn log_response_body(body: &[u8]) {
    log(
        "rcr.parsers",
        &format!("Response body: {}", redact_body(body)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_signature_and_tokens() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=abcdef";
        assert_eq!(
            redact_header("Authorization", auth),
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=(redacted)"
        );
        assert_eq!(redact_header("x-amz-security-token", "tok"), REDACTED);
        assert_eq!(redact_header("content-type", "x"), "x");
    }

    #[test]
    fn redacts_bodies() {
        let json = br#"{"authorizationData":[{"authorizationToken":"QVdT","proxyEndpoint":"p"}]}"#;
        let out = redact_body(json);
        assert!(!out.contains("QVdT"));
        assert!(out.contains("proxyEndpoint"));
        let xml = b"<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey><SessionToken>t0k</SessionToken></Credentials>";
        let out = redact_body(xml);
        assert!(!out.contains("s3cr3t") && !out.contains("t0k"));
        assert!(out.contains("<AccessKeyId>A</AccessKeyId>"));
    }

    #[test]
    fn redacts_broken_bodies_from_the_first_secret_name() {
        let truncated =
            br#"{"authorizationData":[{"authorizationToken":"QVdTOnNlY3JldA==","expiresAt":17"#;
        let out = redact_body(truncated);
        assert!(!out.contains("QVdT"), "{out}");
        assert!(out.starts_with(r#"{"authorizationData":[{"authorizationToken"#));
        let xml = b"<Credentials><SecretAccessKey>s3cr3t</SecretAccessKey><SessionToken>t0k";
        let out = redact_body(xml);
        assert!(!out.contains("s3cr3t") && !out.contains("t0k"), "{out}");
        let plain = b"<html>502 Bad Gateway</html>";
        assert_eq!(redact_body(plain), "<html>502 Bad Gateway</html>");
        let whole = b"<A><SecretAccessKey>s</SecretAccessKey><Token>t</Token></A>";
        assert_eq!(
            redact_body(whole),
            "<A><SecretAccessKey>(redacted)</SecretAccessKey><Token>(redacted)</Token></A>"
        );
    }
}
