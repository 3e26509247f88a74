//! `rcr ecr get-login-password` and `rcr ecr-public get-login-password`
//! against a capture server: the recorded aws v2 run (login-password.json),
//! ECR Public's single-structure answer, and a service error.

use serde_json::json;

use crate::common::{CaptureServer, Run, reference_case};

/// rcr's stdout, stderr and exit code for `args`.
fn rcr(args: &[&str]) -> (String, String, i32) {
    Run::rcr().args(args).run().utf8()
}

#[test]
fn recorded_ecr_login_password() {
    let r = reference_case("login-password");
    let reply = r.server_responses["GetAuthorizationToken"].clone();
    let server = CaptureServer::start(json!({ "GetAuthorizationToken": reply }));
    let (out, err, code) = rcr(&["--endpoint-url", &server.url(), "ecr", "get-login-password"]);
    let v2 = &r.aws_v2;
    assert_eq!(out, v2.stdout);
    assert_eq!(err, v2.stderr);
    assert_eq!(code, v2.exit_code);
    let seen = server.requests();
    let expected = &v2.requests;
    assert_eq!(seen.len(), expected.len());
    assert_eq!(seen[0].target.as_deref(), expected[0]["target"].as_str());
    assert_eq!(seen[0].body, expected[0]["body"]);
    assert_eq!(seen[0].cred.as_deref(), expected[0]["cred"].as_str());
}

#[test]
fn ecr_public_login_password() {
    // base64("AWS:public-secret")
    let server = CaptureServer::start(json!({
        "GetAuthorizationToken": "{\"authorizationData\":{\"authorizationToken\":\"QVdTOnB1YmxpYy1zZWNyZXQ=\",\"expiresAt\":1717215000.0}}",
    }));
    let (out, err, code) = rcr(&[
        "ecr-public",
        "get-login-password",
        "--endpoint-url",
        &server.url(),
    ]);
    assert_eq!(
        (out.as_str(), err.as_str(), code),
        ("public-secret\n", "", 0)
    );
    let seen = server.requests();
    seen[0].assert_call(
        "SpencerFrontendService.GetAuthorizationToken",
        "AKIDEXAMPLE/us-east-1/ecr-public",
    );
    assert_eq!(seen[0].body, json!({}));
}

#[test]
fn service_error_as_for_any_operation() {
    let server = CaptureServer::start(json!({"GetAuthorizationToken": {
        "__status": 400,
        "__type": "AccessDeniedException",
        "message": "not allowed",
    }}));
    let (out, err, code) = rcr(&["--endpoint-url", &server.url(), "ecr", "get-login-password"]);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "\nrcr: [ERROR]: An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: not allowed\n"
    );
    assert_eq!(code, 254);
}

#[test]
fn unknown_option_is_a_usage_error() {
    let (_, err, code) = rcr(&["ecr", "get-login-password", "--registry-ids", "1"]);
    assert_eq!(code, 252);
    assert!(err.contains("Unknown options: --registry-ids"), "{err}");
}
