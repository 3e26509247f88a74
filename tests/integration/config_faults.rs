//! Retries, timeouts and connection failures: what aws v2 prints and which
//! exit code it returns after the server fails, stalls or is not there.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::{CaptureServer, Home, SIGINT};

const PUT: &[&str] = &[
    "ecr",
    "put-image",
    "--repository-name",
    "shop/cart",
    "--image-manifest",
    "{}",
];

/// A server that takes each request and holds the connection for 30 s
/// without answering.
fn never_answering_server() -> CaptureServer {
    CaptureServer::start(json!({"*": {"__delay_ms": 30000, "__disconnect": true}}))
}

fn with_endpoint<'a>(base: &[&'a str], url: &'a str) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(&["--endpoint-url", url]);
    v
}

/// Runs PUT against a server that answers every request with a 400 `code`
/// error, checks aws's exit code 254 and its `stderr`, and returns the
/// server for the requests it took.
fn put_fails_with(code: &str, message: &str, stderr: &str) -> CaptureServer {
    let server = CaptureServer::start(json!({"*": {
        "__status": 400,
        "__type": code,
        "message": message,
    }}));
    let home = Home::new("", "");
    let r = home.rcr(&with_endpoint(PUT, &server.url())).run();
    assert_eq!(r.exit_code(), 254);
    assert_eq!(r.stderr_str(), stderr);
    server
}

#[test]
fn limit_exceeded_is_retried_like_aws() {
    // The reference err-limit.json: 3 requests, then 254.
    let server = put_fails_with(
        "LimitExceededException",
        "The operation did not succeed because it would cause a service limit to be exceeded.",
        "\nrcr: [ERROR]: An error occurred (LimitExceededException) when calling the PutImage operation (reached max retries: 2): The operation did not succeed because it would cause a service limit to be exceeded.\n",
    );
    assert_eq!(server.creds(), vec!["AKIDEXAMPLE/us-east-1/ecr"; 3]);
}

#[test]
fn server_errors_and_throttling_are_retried() {
    for (status, code) in [
        (500, "ServerException"),
        (503, "ServiceUnavailable"),
        (400, "ThrottlingException"),
    ] {
        let server = CaptureServer::start(
            json!({"*": {"__status": status, "__type": code, "message": "try later"}}),
        );
        let home = Home::new("", "");
        let url = server.url();
        let r = home
            .rcr(&with_endpoint(PUT, &url))
            .env("AWS_MAX_ATTEMPTS", "2")
            .run();
        assert_eq!(r.exit_code(), 254, "{code}: {}", r.stderr_str());
        assert_eq!(
            r.stderr_str(),
            format!(
                "\nrcr: [ERROR]: An error occurred ({code}) when calling the PutImage operation (reached max retries: 1): try later\n"
            )
        );
        assert_eq!(server.requests().len(), 2, "{code}");
    }
}

#[test]
fn a_retry_that_succeeds_prints_the_result() {
    // The first request fails, every later one succeeds.
    let server = CaptureServer::start(json!({"*": [
        {"__status": 503, "__type": "ServiceUnavailable", "message": "busy", "__times": 1},
        {"imageIds": []},
    ]}));
    let home = Home::new("", "");
    let url = server.url();
    let r = home
        .rcr(&with_endpoint(
            &["ecr", "list-images", "--repository-name", "shop/cart"],
            &url,
        ))
        .run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(r.stdout_str(), "{\n    \"imageIds\": []\n}\n");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_errors_are_not_retried() {
    let server = put_fails_with(
        "RepositoryNotFoundException",
        "gone",
        "\nrcr: [ERROR]: An error occurred (RepositoryNotFoundException) when calling the PutImage operation: gone\n",
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn max_attempts_and_retry_mode_from_the_profile() {
    let server = CaptureServer::start(
        json!({"*": {"__status": 500, "__type": "ServerException", "message": "x"}}),
    );
    let home = Home::new("[default]\nmax_attempts = 1\nretry_mode = standard\n", "");
    let url = server.url();
    let r = home.rcr(&with_endpoint(PUT, &url)).run();
    assert_eq!(r.exit_code(), 254);
    assert!(
        r.stderr_str().contains("(reached max retries: 0)"),
        "{}",
        r.stderr_str()
    );
    assert_eq!(server.requests().len(), 1);
    // The environment beats the profile.
    let r = home
        .rcr(&with_endpoint(PUT, &url))
        .env("AWS_MAX_ATTEMPTS", "2")
        .run();
    assert_eq!(r.exit_code(), 254);
    assert_eq!(server.requests().len(), 3);
    let r = home
        .rcr(&with_endpoint(PUT, &url))
        .env("AWS_RETRY_MODE", "sideways")
        .run();
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
}

#[test]
fn read_timeout_is_255() {
    let server = never_answering_server();
    let home = Home::new("", "");
    let url = server.url();
    let start = Instant::now();
    let r = home
        .rcr(&with_endpoint(PUT, &url))
        .args(["--cli-read-timeout", "1"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .run();
    assert_eq!(r.exit_code(), 255);
    assert_eq!(
        r.stderr_str(),
        format!("\nrcr: [ERROR]: Read timeout on endpoint URL: \"{url}/\"\n")
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn closed_port_is_255() {
    let home = Home::new("", "");
    let r = home
        .rcr(&with_endpoint(PUT, "http://127.0.0.1:9"))
        .env("AWS_MAX_ATTEMPTS", "1")
        .run();
    r.assert_error(
        255,
        "\nrcr: [ERROR]: Could not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n",
    );
}

#[test]
fn sigint_is_130() {
    let server = never_answering_server();
    let home = Home::new("", "");
    let url = server.url();
    let child = home.rcr(&with_endpoint(PUT, &url)).spawn();
    // Wait until the request is in flight, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(child.signal(SIGINT));
    let out = child.wait();
    assert_eq!(out.code, Some(130));
    assert_eq!(out.stderr_str(), "\n");
}
