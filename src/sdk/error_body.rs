//! An error response read as botocore reads it: the error code and message
//! aws prints, whatever the body is (the service's JSON, a proxy's HTML
//! page, plain text, nothing at all).
//!
//! botocore's rules for the AWS JSON protocols, which the SDK's own parser
//! does not follow (it gives no code for a body that is not JSON, and
//! ECR Public's fails outright):
//! - a 5xx whose body is empty or starts with `<html>` is a generic error:
//!   the status is the code and its reason phrase the message;
//! - otherwise the body is read as JSON; a body that is not JSON becomes
//!   `{"message": <the body's text>}`, an empty body `{}`;
//! - the code is the document's `__type` (a namespace before `#` and a
//!   suffix after `:` cut off), else the status; the message is its
//!   `message`, else `Message`, else empty.
//!
//! The `x-amzn-ErrorType` header plays no part: botocore's JSON parser does
//! not read it.

use serde_json::Value;

/// What aws prints of an error response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    /// A generic error (status and phrase): botocore's error document then
    /// lists `Code` before `Message`.
    pub generic: bool,
    /// JSON that is not an object: botocore fails reading it, with
    /// Python's `AttributeError` (`'list' object has no attribute 'get'`),
    /// before any retry; aws prints that and exits 255.
    pub python_error: Option<String>,
}

/// Reads the error response with `status` and `body`.
pub fn read(status: u16, body: &[u8]) -> ErrorBody {
    let trimmed = body.trim_ascii();
    if status >= 500 && (trimmed.is_empty() || trimmed.starts_with(b"<html>")) {
        return ErrorBody {
            code: status.to_string(),
            message: reason_phrase(status).to_string(),
            generic: true,
            python_error: None,
        };
    }
    let document = if body.is_empty() {
        Value::Object(serde_json::Map::new())
    } else {
        let text = String::from_utf8_lossy(body);
        serde_json::from_str::<Value>(&text)
            .unwrap_or_else(|_| serde_json::json!({ "message": text }))
    };
    let python_error = (!document.is_object()).then(|| {
        let class = match &document {
            Value::Null => "NoneType",
            Value::Bool(_) => "bool",
            Value::Number(n) if n.is_f64() => "float",
            Value::Number(_) => "int",
            Value::String(_) => "str",
            _ => "list",
        };
        format!("'{class}' object has no attribute 'get'")
    });
    let field = |name: &str| document.get(name).filter(|v| !v.is_null());
    let code = match field("__type") {
        Some(code) => sanitize(&python_str(code)),
        None => status.to_string(),
    };
    let message = field("message")
        .or_else(|| field("Message"))
        .map(python_str)
        .unwrap_or_default();
    ErrorBody {
        code,
        message,
        generic: false,
        python_error,
    }
}

/// `com.amazon.coral#ThrottlingException:http://...` → `ThrottlingException`.
fn sanitize(code: &str) -> String {
    let code = code.split_once(':').map_or(code, |(head, _)| head);
    code.rsplit_once('#')
        .map_or(code, |(_, tail)| tail)
        .to_string()
}

/// A JSON value as Python's `str()` shows it (strings as they are).
fn python_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => crate::python::str(other),
    }
}

/// Python's `http.client.responses` phrase of a status (empty when Python
/// has none).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Request Entity Too Large",
        414 => "Request-URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Requested Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(status: u16, body: &str) -> (String, String) {
        let e = read(status, body.as_bytes());
        (e.code, e.message)
    }

    #[test]
    fn generic_5xx_is_the_status_and_its_phrase() {
        let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        assert_eq!(read_text(502, html), ("502".into(), "Bad Gateway".into()));
        assert_eq!(
            read_text(503, "  \n"),
            ("503".into(), "Service Unavailable".into())
        );
        assert_eq!(read_text(599, ""), ("599".into(), String::new()));
    }

    #[test]
    fn text_bodies_are_the_message() {
        assert_eq!(
            read_text(503, "Service Unavailable: back soon\n"),
            ("503".into(), "Service Unavailable: back soon\n".into())
        );
        assert_eq!(
            read_text(404, "<html>nope</html>"),
            ("404".into(), "<html>nope</html>".into())
        );
        assert_eq!(read_text(403, ""), ("403".into(), String::new()));
    }

    #[test]
    fn json_bodies_give_type_and_message() {
        assert_eq!(
            read_text(
                400,
                r#"{"__type":"com.amazon.coral#ThrottlingException:http://x","Message":"slow"}"#
            ),
            ("ThrottlingException".into(), "slow".into())
        );
        assert_eq!(
            read_text(400, r#"{"message":"no type"}"#),
            ("400".into(), "no type".into())
        );
        assert_eq!(
            read_text(500, r#"{"oops":1}"#),
            ("500".into(), String::new())
        );
    }
}
