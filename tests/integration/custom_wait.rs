//! `rcr ecr wait ...` against a scripted capture server: success after
//! retries, terminal failure, unmatched service error, max attempts, SIGINT,
//! and aws v2's recorded failure (err-waiter-timeout-shape.json). The delay
//! between attempts is shortened with RCR_WAITER_DELAY_OVERRIDE.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{CaptureServer, Run, SIGINT, reference_case};

const SCAN: &str = "DescribeImageScanFindings";

fn scan(status: &str) -> Value {
    json!({
        "repositoryName": "shop/cart",
        "imageId": {"imageTag": "v1"},
        "imageScanStatus": {"status": status, "description": "d"},
    })
}

fn error(code: &str, message: &str) -> Value {
    json!({"__status": 400, "__type": code, "message": message})
}

/// A server answering `operation` with `replies` in order, the last one
/// for every further request.
fn server(operation: &str, replies: Vec<Value>) -> CaptureServer {
    let last = replies.len() - 1;
    let script: Vec<Value> = replies
        .into_iter()
        .enumerate()
        .map(|(i, mut reply)| {
            if i < last {
                reply["__times"] = json!(1);
            }
            reply
        })
        .collect();
    CaptureServer::start(json!({ operation: script }))
}

/// rcr's stdout, stderr and exit code for `args`.
fn rcr(args: &[&str]) -> (String, String, i32) {
    Run::rcr().args(args).run().utf8()
}

fn wait_scan(server: &CaptureServer, delay: &str) -> Run {
    let mut cmd = Run::rcr();
    cmd.args([
        "--endpoint-url",
        &server.url(),
        "ecr",
        "wait",
        "image-scan-complete",
        "--repository-name",
        "shop/cart",
        "--image-id",
        r#"{"imageTag":"v1"}"#,
    ])
    .env("RCR_WAITER_DELAY_OVERRIDE", delay);
    cmd
}

#[test]
fn success_after_in_progress() {
    let server = server(
        SCAN,
        vec![scan("IN_PROGRESS"), scan("IN_PROGRESS"), scan("COMPLETE")],
    );
    let (out, err, code) = wait_scan(&server, "0.01").run().utf8();
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    server.assert_calls(
        3,
        "AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings",
        "AKIDEXAMPLE/us-east-1/ecr",
        &json!({"repositoryName": "shop/cart", "imageId": {"imageTag": "v1"}}),
    );
}

/// Runs the ImageScanComplete wait, checks that it fails with 255 and aws's
/// message `Waiter ImageScanComplete failed: <reason>` after `requests`
/// polls, and returns what it printed on stdout.
fn scan_wait_fails(server: &CaptureServer, delay: &str, reason: &str, requests: usize) -> String {
    let (out, err, code) = wait_scan(server, delay).run().utf8();
    assert_eq!(
        err,
        format!("\nrcr: [ERROR]: Waiter ImageScanComplete failed: {reason}\n")
    );
    assert_eq!(code, 255);
    assert_eq!(server.requests().len(), requests);
    out
}

#[test]
fn terminal_failure_state() {
    let server = server(SCAN, vec![scan("IN_PROGRESS"), scan("FAILED")]);
    let out = scan_wait_fails(
        &server,
        "0.01",
        "Waiter encountered a terminal failure state: For expression \"imageScanStatus.status\" we matched expected path: \"FAILED\"",
        2,
    );
    assert_eq!(out, "");
}

#[test]
fn unmatched_service_error_ends_the_wait() {
    let server = server(
        SCAN,
        vec![error(
            "RepositoryNotFoundException",
            "The repository does not exist",
        )],
    );
    scan_wait_fails(
        &server,
        "0.01",
        "An error occurred (RepositoryNotFoundException): The repository does not exist",
        1,
    );
}

#[test]
fn max_attempts_from_the_model() {
    // ImageScanComplete: 60 attempts.
    let server = server(SCAN, vec![scan("IN_PROGRESS")]);
    scan_wait_fails(&server, "0", "Max attempts exceeded", 60);
}

#[test]
fn model_delay_without_override() {
    // The model's 5 s delay: a second attempt must not come within a second.
    let server = server(SCAN, vec![scan("IN_PROGRESS")]);
    let mut cmd = wait_scan(&server, "");
    cmd.env_remove("RCR_WAITER_DELAY_OVERRIDE");
    let child = cmd.spawn();
    std::thread::sleep(Duration::from_millis(1500));
    let n = server.requests().len();
    // Dropping the running child kills it.
    drop(child);
    assert_eq!(n, 1);
}

#[test]
fn sigint_exits_130_promptly() {
    let server = server(SCAN, vec![scan("IN_PROGRESS")]);
    let child = wait_scan(&server, "60").spawn();
    let start = Instant::now();
    while server.requests().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.requests().len(), 1);
    std::thread::sleep(Duration::from_millis(100));
    let sent = Instant::now();
    assert!(child.signal(SIGINT));
    let out = child.wait();
    assert!(sent.elapsed() < Duration::from_secs(3));
    assert_eq!(out.code, Some(130));
}

#[test]
fn recorded_lifecycle_policy_preview_failure() {
    let r = reference_case("err-waiter-timeout-shape");
    let reply = r.server_responses["GetLifecyclePolicyPreview"].clone();
    let server = server("GetLifecyclePolicyPreview", vec![reply]);
    let args: Vec<String> = r.command[1..].to_vec();
    let mut all = vec!["--endpoint-url".to_string(), server.url()];
    all.extend(args);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let (out, err, code) = rcr(&refs);
    let v2 = &r.aws_v2;
    assert_eq!(out, v2.stdout);
    assert_eq!(err, v2.stderr.replace("aws: [ERROR]", "rcr: [ERROR]"));
    assert_eq!(code, v2.exit_code);
    let seen = server.requests();
    let expected = &v2.requests;
    assert_eq!(seen.len(), expected.len());
    for (s, e) in seen.iter().zip(expected) {
        assert_eq!(s.target.as_deref(), e["target"].as_str());
        assert_eq!(s.body, e["body"]);
        assert_eq!(s.cred.as_deref(), e["cred"].as_str());
    }
}

#[test]
fn usage_errors() {
    let (_, err, code) = rcr(&[
        "ecr",
        "wait",
        "image-scan-complete",
        "--repository-name",
        "x",
    ]);
    assert_eq!(code, 252);
    assert!(
        err.contains("the following arguments are required: --image-id"),
        "{err}"
    );
    let (_, err, code) = rcr(&["ecr", "wait", "no-such-waiter"]);
    assert_eq!(code, 252);
    assert!(
        err.contains("Found invalid choice 'no-such-waiter'"),
        "{err}"
    );
    // ECR Public has no waiters, so no wait command.
    let (_, err, code) = rcr(&["ecr-public", "wait", "x"]);
    assert_eq!(code, 252);
    assert!(err.contains("Found invalid choice 'wait'"), "{err}");
}
