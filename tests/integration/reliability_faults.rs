//! Malformed responses and network faults: whatever the endpoint does, rcr
//! ends with a clear one-line error and aws v2's exit code, never a panic or
//! a hang (every run here is bounded by a timeout).
//!
//! tests/config_faults.rs already covers plain 500/503/throttling retries, a
//! read timeout with one attempt and a closed port; these tests add what it
//! does not: bodies that are not the operation's output, 50 MB bodies, a 5xx
//! HTML page, a connection reset in the middle of a response, a connection
//! closed before any answer, a server that never answers (with retries) and
//! one that answers byte by byte.

use std::time::{Duration, Instant};

use crate::common::fault::{self, FaultServer};
use crate::common::{CaptureServer, Output, Run};
use serde_json::json;

const DESCRIBE: &[&str] = &["ecr", "describe-images", "--repository-name", "shop/cart"];

fn rcr(args: &[&str], url: &str) -> Run {
    let mut run = Run::rcr();
    run.args(args)
        .args(["--endpoint-url", url])
        .timeout(Duration::from_secs(60));
    run
}

/// What every failing run must look like: no panic text, no Rust debug
/// dump, nothing on stdout, one `rcr: [ERROR]` report.
#[track_caller]
fn assert_clean_failure(out: &Output, code: i32) {
    assert_eq!(out.exit_code(), code, "{out}");
    let err = out.stderr_str();
    for bad in [
        "panicked",
        "RUST_BACKTRACE",
        "SdkBody",
        "ResponseError {",
        "Os {",
    ] {
        assert!(!err.contains(bad), "stderr shows {bad:?}:\n{out}");
    }
    assert!(err.starts_with("\nrcr: [ERROR]: "), "{out}");
    assert!(err.len() < 2000, "error report too long:\n{out}");
    assert!(out.stdout.is_empty(), "{out}");
}

/// Runs DESCRIBE against `url` with `attempts` attempts and checks that it
/// fails with aws's error for a connection closed before a whole answer.
#[track_caller]
fn is_closed_early(url: &str, attempts: &str) {
    let out = rcr(DESCRIBE, url).env("AWS_MAX_ATTEMPTS", attempts).run();
    assert_clean_failure(&out, 255);
    assert_eq!(
        out.stderr_str(),
        format!(
            "\nrcr: [ERROR]: Connection was closed before we received a valid response from endpoint URL: \"{url}/\".\n"
        )
    );
}

/// Runs DESCRIBE against `url` with a 1 s read timeout and `attempts`
/// attempts, checks that it fails with aws's read-timeout error, and returns
/// how long the run took.
#[track_caller]
fn times_out_reading(url: &str, attempts: &str) -> Duration {
    let start = Instant::now();
    let out = rcr(DESCRIBE, url)
        .args(["--cli-read-timeout", "1"])
        .env("AWS_MAX_ATTEMPTS", attempts)
        .run();
    assert_clean_failure(&out, 255);
    assert_eq!(
        out.stderr_str(),
        format!("\nrcr: [ERROR]: Read timeout on endpoint URL: \"{url}/\"\n")
    );
    start.elapsed()
}

#[test]
fn malformed_success_bodies_are_a_clear_255() {
    // A body that is not JSON is botocore's `{"message": ...}`: a document
    // without members, printed as nothing, exit 0, as aws does (compared
    // with aws v2 in errors_bodies).
    let not_json = [
        ("truncated", r#"{"imageDetails": [{"repositoryName": "a""#),
        (
            "html",
            "<html><body><h1>Welcome to nginx!</h1></body></html>",
        ),
        ("xml", "<?xml version=\"1.0\"?><DescribeImagesResponse/>"),
        ("nul bytes", "{\"imageDetails\": [\u{0}]}"),
        ("empty", ""),
        ("whitespace", "  \n"),
    ];
    let server = CaptureServer::empty();
    for (what, body) in not_json {
        server.set_response("DescribeImages", json!({ "__raw": body }));
        let out = rcr(DESCRIBE, &server.url()).run();
        out.assert_success();
        assert_eq!(out.stdout_str(), "", "{what}: {out}");
        assert_eq!(out.stderr_str(), "", "{what}: {out}");
    }
    // JSON that is not an object fails in botocore with Python's words.
    for (body, message) in [
        // (`setdefault`: the capture server names a request id.)
        ("null", "'NoneType' object has no attribute 'setdefault'"),
        ("[1, 2, 3]", "'list' object has no attribute 'get'"),
        ("\"imageDetails\"", "'str' object has no attribute 'get'"),
    ] {
        server.set_response("DescribeImages", json!({ "__raw": body }));
        let out = rcr(DESCRIBE, &server.url()).run();
        assert_clean_failure(&out, 255);
        assert_eq!(out.stderr_str(), format!("\nrcr: [ERROR]: {message}\n"));
    }
    // JSON of the wrong shapes inside is a clear error.
    let bodies = [
        ("list is a string", r#"{"imageDetails": "none"}"#),
        (
            "member types",
            r#"{"imageDetails": [{"imageSizeInBytes": "big", "imagePushedAt": "yesterday", "imageTags": [1, 2]}]}"#,
        ),
    ];
    for (what, body) in bodies {
        server.set_response("DescribeImages", json!({ "__raw": body }));
        let out = rcr(DESCRIBE, &server.url()).run();
        assert_eq!(out.exit_code(), 255, "{what}: {out}");
        assert_clean_failure(&out, 255);
        assert!(
            out.stderr_str().starts_with(
                "\nrcr: [ERROR]: An error occurred when calling the DescribeImages operation: the response is not valid: "
            ),
            "{what}: the error names the operation:\n{out}"
        );
        assert!(!out.stderr_str().contains("unhandled"), "{what}: {out}");
    }
    // botocore does not check a response's scalars: a number where the
    // token belongs is taken, and the next page's request then fails
    // botocore's validation (v2: 252), nothing sent.
    server.set_response(
        "DescribeImages",
        json!({ "__raw": r#"{"imageDetails": [], "nextToken": 5}"# }),
    );
    let before = server.requests().len();
    let out = rcr(DESCRIBE, &server.url()).run();
    assert_eq!(out.exit_code(), 252, "{out}");
    assert!(
        out.stderr_str()
            .contains("Invalid type for parameter nextToken, value: 5, type: <class 'int'>"),
        "{out}"
    );
    assert_eq!(
        server.requests().len(),
        before + 1,
        "one request sent: {out}"
    );
}

#[test]
fn fifty_megabyte_bodies_finish_in_bounded_time() {
    // 50 MB of valid output is printed; 50 MB cut short is not JSON, which
    // aws reads as a document without members: nothing printed.
    let item = format!(r#"{{"repositoryName": "{}"}}"#, "x".repeat(1000));
    let count = 50 * 1024 * 1024 / (item.len() + 1);
    let valid = format!(r#"{{"imageDetails": [{}]}}"#, vec![item; count].join(","));
    let server = CaptureServer::empty();
    server.set_response("DescribeImages", json!({ "__raw": valid }));
    let start = Instant::now();
    let out = rcr(DESCRIBE, &server.url()).run();
    out.assert_success();
    assert!(out.stdout.starts_with(b"{\n    \"imageDetails\": [\n"));
    assert!(out.stdout.len() > 50 * 1024 * 1024);
    let truncated = &valid[..valid.len() - 10];
    server.set_response("DescribeImages", json!({ "__raw": truncated }));
    let out = rcr(DESCRIBE, &server.url()).run();
    out.assert_success();
    assert_eq!(out.stdout_str(), "", "{out}");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn html_5xx_page_is_botocores_generic_error_and_retried() {
    // botocore: a 5xx whose body is empty or an HTML page becomes the error
    // code "502" with the reason phrase as message; 5xx is retried.
    let server = CaptureServer::empty();
    for (body, status, reason) in [
        (
            "<html><body>502 Bad Gateway</body></html>",
            502,
            "Bad Gateway",
        ),
        ("", 503, "Service Unavailable"),
    ] {
        server.clear_requests();
        server.set_response(
            "DescribeImages",
            json!({ "__raw": body, "__status": status }),
        );
        let out = rcr(DESCRIBE, &server.url())
            .env("AWS_MAX_ATTEMPTS", "2")
            .run();
        out.assert_exit(254);
        assert_eq!(
            out.stderr_str(),
            format!(
                "\nrcr: [ERROR]: An error occurred ({status}) when calling the DescribeImages operation (reached max retries: 1): {reason}\n"
            )
        );
        assert_eq!(server.requests().len(), 2);
    }
}

#[test]
fn connection_reset_mid_response_is_retried_then_255() {
    let server = FaultServer::start(|_, _, stream| fault::reset_mid_response(stream));
    is_closed_early(&server.url(), "2");
    assert_eq!(server.heads().len(), 2, "aws retries a closed connection");
}

#[test]
fn connection_closed_before_any_answer_is_255() {
    let server = CaptureServer::empty();
    server.set_response("DescribeImages", json!({ "__disconnect": true }));
    is_closed_early(&server.url(), "3");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_server_that_never_answers_times_out_per_attempt() {
    let server = FaultServer::start(|_, head, stream| fault::never_answer(stream, head, 30));
    let took = times_out_reading(&server.url(), "2");
    assert_eq!(server.heads().len(), 2, "aws retries a read timeout");
    assert!(took < Duration::from_secs(20));
}

#[test]
fn a_server_that_answers_byte_by_byte_is_read_to_the_end() {
    let body = r#"{"imageDetails": [{"repositoryName": "shop/cart", "imageTags": ["v1"]}]}"#;
    let server = FaultServer::start(move |_, head, stream| {
        fault::read_body(stream, head);
        let response = format!("{}{body}", fault::ok_head(body.len()));
        fault::trickle(stream, response.as_bytes(), Duration::from_millis(10));
        true
    });
    let out = rcr(DESCRIBE, &server.url()).run();
    out.assert_success();
    assert_eq!(
        out.stdout_str(),
        "{\n    \"imageDetails\": [\n        {\n            \"repositoryName\": \"shop/cart\",\n            \"imageTags\": [\n                \"v1\"\n            ]\n        }\n    ]\n}\n"
    );
}

#[test]
fn a_body_slower_than_the_read_timeout_in_total_is_still_read() {
    // botocore's read timeout bounds each socket read, not the whole body:
    // 30 bytes 100 ms apart take 3 s, each gap is far below 2 s.
    let body = r#"{"imageDetails": []}"#;
    let server = FaultServer::start(move |_, head, stream| {
        fault::read_body(stream, head);
        let _ = std::io::Write::write_all(stream, fault::ok_head(body.len()).as_bytes());
        fault::trickle(stream, body.as_bytes(), Duration::from_millis(150));
        true
    });
    let out = rcr(DESCRIBE, &server.url())
        .args(["--cli-read-timeout", "2"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .run();
    out.assert_success();
    assert_eq!(out.stdout_str(), "{\n    \"imageDetails\": []\n}\n");
}

#[test]
fn a_stalled_body_hits_the_read_timeout() {
    // Headers arrive, then the body stops: a read timeout, not a hang.
    let server = FaultServer::start(move |_, head, stream| {
        fault::read_body(stream, head);
        let _ = std::io::Write::write_all(stream, fault::ok_head(100).as_bytes());
        let _ = std::io::Write::write_all(stream, b"{\"imageDetails\": [");
        std::thread::sleep(Duration::from_secs(20));
        false
    });
    let took = times_out_reading(&server.url(), "1");
    assert!(took < Duration::from_secs(15), "{took:?}");
}
