//! `rcr ecr get-login-password` and `rcr ecr-public get-login-password`
//! against a capture server: the recorded aws v2 run (login-password.json),
//! ECR Public's single-structure answer, and a service error.

#[path = "custom_support/mod.rs"]
mod support;

use serde_json::json;
use support::{CaptureServer, Reply, rcr, reference, run};

#[test]
fn recorded_ecr_login_password() {
    let r = reference("login-password.json");
    let reply = r["server_responses"]["GetAuthorizationToken"].to_string();
    let server = CaptureServer::start(&[("GetAuthorizationToken", vec![Reply::ok(&reply)])]);
    let (out, err, code) = run(&mut rcr(&[
        "--endpoint-url",
        &server.url,
        "ecr",
        "get-login-password",
    ]));
    let v2 = &r["aws_v2"];
    assert_eq!(out, v2["stdout"].as_str().unwrap());
    assert_eq!(err, v2["stderr"].as_str().unwrap());
    assert_eq!(i64::from(code), v2["exit_code"].as_i64().unwrap());
    let seen = server.seen();
    let expected = v2["requests"].as_array().unwrap();
    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen[0].target, expected[0]["target"].as_str().unwrap());
    assert_eq!(seen[0].body, expected[0]["body"]);
    assert_eq!(seen[0].cred, expected[0]["cred"].as_str().unwrap());
}

#[test]
fn ecr_public_login_password() {
    // base64("AWS:public-secret")
    let server = CaptureServer::start(&[(
        "GetAuthorizationToken",
        vec![Reply::ok(
            "{\"authorizationData\":{\"authorizationToken\":\"QVdTOnB1YmxpYy1zZWNyZXQ=\",\"expiresAt\":1717215000.0}}",
        )],
    )]);
    let (out, err, code) = run(&mut rcr(&[
        "ecr-public",
        "get-login-password",
        "--endpoint-url",
        &server.url,
    ]));
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("public-secret\n", "", 0)
    );
    let seen = server.seen();
    assert_eq!(
        seen[0].target,
        "SpencerFrontendService.GetAuthorizationToken"
    );
    assert_eq!(seen[0].body, json!({}));
    assert_eq!(seen[0].cred, "AKIDEXAMPLE/us-east-1/ecr-public");
}

#[test]
fn service_error_as_for_any_operation() {
    let server = CaptureServer::start(&[(
        "GetAuthorizationToken",
        vec![Reply::error("AccessDeniedException", "not allowed")],
    )]);
    let (out, err, code) = run(&mut rcr(&[
        "--endpoint-url",
        &server.url,
        "ecr",
        "get-login-password",
    ]));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "\nrcr: [ERROR]: An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: not allowed\n"
    );
    assert_eq!(code, 254);
}

#[test]
fn unknown_option_is_a_usage_error() {
    let (_, err, code) = run(&mut rcr(&[
        "ecr",
        "get-login-password",
        "--registry-ids",
        "1",
    ]));
    assert_eq!(code, 252);
    assert!(err.contains("Unknown options: --registry-ids"), "{err}");
}
