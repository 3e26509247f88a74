//! Secrets never reach the terminal: runs that use a secret access key, a
//! session token and a response carrying an authorization token, with
//! `--debug`, with service errors, malformed responses, broken credential
//! files and panics, and grep ALL of stdout and stderr for the secret key,
//! the session token, each request's signature (taken from the
//! Authorization header the server received), the authorization token and
//! the password inside it. The one exception: get-login-password prints the
//! password, on stdout only.

use std::time::Duration;

use crate::common::{CaptureServer, Output, Run};
use serde_json::{Value, json};

const SECRET: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY0001";
const SESSION: &str = "FwoGZXIvYXdzSESSIONTOKEN0002abcdefghijklmnop";
const PASSWORD: &str = "eyJwYXlsb2FkIjoiUEFTU1dPUkQwMDAzIn0PASSWORD";

/// base64("AWS:" + PASSWORD), as GetAuthorizationToken returns it.
fn auth_token() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("AWS:{PASSWORD}"))
}

fn token_response() -> Value {
    json!({"authorizationData": [{
        "authorizationToken": auth_token(),
        "expiresAt": 1717171800.0,
        "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"
    }]})
}

fn rcr(server: &CaptureServer, args: &[&str]) -> Run {
    let mut run = Run::rcr();
    run.args(args)
        .args(["--endpoint-url", &server.url()])
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", SESSION)
        .env("AWS_MAX_ATTEMPTS", "2")
        .timeout(Duration::from_secs(60));
    run
}

/// The `Signature=` values of every request the server received.
fn signatures(server: &CaptureServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter_map(|r| r.header("authorization").map(str::to_string))
        .filter_map(|a| {
            a.split_once("Signature=")
                .map(|(_, s)| s.trim().to_string())
        })
        .collect()
}

/// Fails if any secret appears anywhere in the run's output; `password_on`
/// allows the password on stdout (and only there, and only as the whole
/// output line).
#[track_caller]
fn assert_no_secrets(what: &str, out: &Output, server: &CaptureServer, password_on_stdout: bool) {
    let token = auth_token();
    let stdout = out.stdout_str();
    let stderr = out.stderr_str();
    let mut secrets = vec![
        ("secret access key", SECRET.to_string()),
        ("session token", SESSION.to_string()),
        ("authorization token", token.clone()),
        // A prefix of the token catches a truncated or re-wrapped copy.
        ("authorization token prefix", token[..24].to_string()),
    ];
    for s in signatures(server) {
        assert!(s.len() >= 64, "signature {s}");
        secrets.push(("request signature", s));
    }
    for (name, secret) in &secrets {
        assert!(!stdout.contains(secret), "{what}: {name} on stdout:\n{out}");
        assert!(!stderr.contains(secret), "{what}: {name} on stderr:\n{out}");
    }
    assert!(
        !stderr.contains(PASSWORD),
        "{what}: password on stderr:\n{out}"
    );
    if password_on_stdout {
        assert_eq!(stdout, format!("{PASSWORD}\n"), "{what}");
    } else {
        assert!(
            !stdout.contains(PASSWORD),
            "{what}: password on stdout:\n{out}"
        );
    }
}

#[test]
fn get_login_password_prints_the_password_only_on_stdout() {
    let server = CaptureServer::start(json!({ "GetAuthorizationToken": token_response() }));
    for debug in [false, true] {
        let mut args = vec!["ecr", "get-login-password"];
        if debug {
            args.push("--debug");
        }
        let out = rcr(&server, &args).run();
        out.assert_success();
        assert_no_secrets(&args.join(" "), &out, &server, true);
        if debug {
            // The log did run, and shows the request was signed.
            assert!(out.stderr_str().contains("Signature=(redacted)"), "{out}");
            assert!(out.stderr_str().contains("(redacted)"), "{out}");
        }
    }
    // The signed request carried the session token; it was really used.
    let req = &server.requests()[0];
    assert_eq!(req.header("x-amz-security-token"), Some(SESSION));
}

#[test]
fn debug_log_of_get_authorization_token_hides_the_token() {
    let server = CaptureServer::start(json!({ "GetAuthorizationToken": token_response() }));
    let out = rcr(
        &server,
        &[
            "ecr",
            "get-authorization-token",
            "--debug",
            "--output",
            "text",
        ],
    )
    .run();
    out.assert_success();
    // The operation's own output is the token: that is what was asked for.
    assert!(out.stdout_str().contains(&auth_token()));
    let stderr = out.stderr_str();
    assert!(!stderr.contains(&auth_token()[..24]), "{out}");
    assert!(
        !stderr.contains(SECRET) && !stderr.contains(SESSION),
        "{out}"
    );
    for s in signatures(&server) {
        assert!(!stderr.contains(&s), "{out}");
    }
}

#[test]
fn errors_with_debug_show_no_secret() {
    let token = auth_token();
    let truncated =
        format!(r#"{{"authorizationData": [{{"authorizationToken": "{token}", "expiresAt": 17"#);
    let wrong_type = format!(
        r#"{{"authorizationData": [{{"authorizationToken": "{token}", "expiresAt": "yesterday"}}]}}"#
    );
    let token_as_number = format!(r#"{{"authorizationData": [{{"expiresAt": "{token}"}}]}}"#);
    let cases: Vec<(&str, Value)> = vec![
        (
            "access denied",
            json!({"__status": 400, "__type": "AccessDeniedException",
                   "message": "User is not authorized to perform ecr:GetAuthorizationToken"}),
        ),
        (
            "throttled",
            json!({"__status": 400, "__type": "ThrottlingException", "message": "slow down"}),
        ),
        (
            "server error",
            json!({"__status": 500, "__type": "ServerException"}),
        ),
        ("truncated token body", json!({ "__raw": truncated })),
        (
            "token in a wrong-type member",
            json!({ "__raw": wrong_type }),
        ),
        ("token as a timestamp", json!({ "__raw": token_as_number })),
        (
            "token in an error message",
            json!({"__status": 400, "__type": "InvalidParameterException", "__raw":
                   format!(r#"{{"__type": "InvalidParameterException", "message": "bad", "authorizationToken": "{token}"}}"#)}),
        ),
        ("closed", json!({"__disconnect": true})),
        ("html", json!({"__raw": format!("<html>{token}</html>")})),
    ];
    for (what, response) in cases {
        let server = CaptureServer::start(json!({ "GetAuthorizationToken": response }));
        for args in [
            &["ecr", "get-login-password", "--debug"][..],
            &["ecr", "get-login-password"][..],
            &["ecr", "get-authorization-token", "--debug"][..],
        ] {
            // --debug logs response bodies with secret *members* hidden; a
            // token in a member that is not secret cannot be recognized.
            if ["token as a timestamp", "html"].contains(&what) && args.contains(&"--debug") {
                continue;
            }
            let out = rcr(&server, args).run();
            // A 200 body that is not JSON is, as in aws, a document without
            // members: get-authorization-token prints nothing and succeeds.
            let not_json = ["truncated token body", "html"].contains(&what);
            if !(not_json && args[1] == "get-authorization-token") {
                assert_ne!(out.exit_code(), 0, "{what}: {out}");
            }
            assert_no_secrets(&format!("{what}: {}", args.join(" ")), &out, &server, false);
        }
    }
}

#[test]
fn timeouts_and_refused_connections_with_debug_show_no_secret() {
    let server = CaptureServer::start(json!({ "GetAuthorizationToken": {"__delay_ms": 5000} }));
    let out = rcr(
        &server,
        &[
            "ecr",
            "get-login-password",
            "--debug",
            "--cli-read-timeout",
            "1",
        ],
    )
    .run();
    out.assert_exit(255);
    assert_no_secrets("read timeout", &out, &server, false);
    let mut run = Run::rcr();
    let out = run
        .args(["ecr", "get-login-password", "--debug"])
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_SESSION_TOKEN", SESSION)
        .env("AWS_MAX_ATTEMPTS", "1")
        .run();
    out.assert_exit(255);
    let all = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert!(!all.contains(SECRET) && !all.contains(SESSION), "{out}");
}

#[test]
fn credentials_from_files_and_broken_files_show_no_secret() {
    let server = CaptureServer::start(json!({ "GetAuthorizationToken": token_response() }));
    let files: Vec<(&str, String, String)> = vec![
        (
            "good profile",
            String::new(),
            format!(
                "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = {SECRET}\naws_session_token = {SESSION}\n"
            ),
        ),
        (
            "garbage line after the secret",
            String::new(),
            format!(
                "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = {SECRET}\n\u{0}{SECRET} ][ = =\n"
            ),
        ),
        (
            "secret outside any section",
            String::new(),
            format!(
                "aws_secret_access_key = {SECRET}\n[default]\naws_access_key_id = AKIDEXAMPLE\n"
            ),
        ),
        (
            "key without secret",
            String::new(),
            format!("[default]\naws_access_key_id = AKIDEXAMPLE\naws_session_token = {SESSION}\n"),
        ),
        (
            "secret in a broken config",
            format!("[default\naws_secret_access_key = {SECRET}\n[profile x]]\n{SESSION}\n"),
            String::new(),
        ),
        (
            "credential_process printing garbage",
            format!(
                "[default]\ncredential_process = printf '{{\"Version\": 1, \"AccessKeyId\": \"AKIDEXAMPLE\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{SESSION}\"'\n"
            ),
            String::new(),
        ),
        (
            "credential_process with wrong types",
            format!(
                "[default]\ncredential_process = printf '{{\"Version\": 2, \"AccessKeyId\": 5, \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"{SESSION}\", \"Expiration\": \"{SECRET}\"}}'\n"
            ),
            String::new(),
        ),
        (
            // Its stdout (where credentials go) is never echoed; its stderr
            // is, as aws does, so it holds only the process's own message.
            "credential_process failing",
            format!(
                "[default]\ncredential_process = sh -c 'echo token expired >&2; echo {SECRET} {SESSION}; exit 3'\n"
            ),
            String::new(),
        ),
    ];
    for (what, config, credentials) in files {
        for debug in [false, true] {
            let mut run = Run::rcr();
            run.args(["ecr", "get-login-password", "--endpoint-url", &server.url()])
                .env_remove("AWS_ACCESS_KEY_ID")
                .env_remove("AWS_SECRET_ACCESS_KEY")
                .env("AWS_MAX_ATTEMPTS", "1")
                .write_config(&config)
                .write_credentials(&credentials);
            if debug {
                run.arg("--debug");
            }
            let out = run.run();
            let ok = out.exit_code() == 0;
            assert_no_secrets(&format!("{what} (debug {debug})"), &out, &server, ok);
            if !ok {
                assert!(
                    [253, 255].contains(&out.exit_code()),
                    "{what}: exit code:\n{out}"
                );
            }
        }
    }
}

#[test]
fn a_panic_shows_neither_its_message_nor_any_state() {
    // RCR_TEST_PANIC (debug builds) panics with its value as the message,
    // standing for a Debug dump of credentials in a real bug.
    for backtrace in ["0", "1", "full"] {
        let mut run = Run::rcr();
        let out = run
            .args(["ecr", "describe-repositories"])
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("RCR_TEST_PANIC", format!("{SECRET} {SESSION}"))
            .env("RUST_BACKTRACE", backtrace)
            .run();
        out.assert_exit(255);
        let all = format!("{}{}", out.stdout_str(), out.stderr_str());
        assert!(!all.contains(SECRET) && !all.contains(SESSION), "{out}");
        assert!(
            out.stderr_str()
                .starts_with("\nrcr: [ERROR]: internal error at "),
            "{out}"
        );
        assert!(!all.contains("panicked"), "{out}");
    }
}
