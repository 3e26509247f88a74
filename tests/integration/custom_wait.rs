//! `rcr ecr wait ...` against a scripted capture server: success after
//! retries, terminal failure, unmatched service error, max attempts, SIGINT,
//! and aws v2's recorded failure (err-waiter-timeout-shape.json). The delay
//! between attempts is shortened with RCR_WAITER_DELAY_OVERRIDE.

#[path = "custom_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use serde_json::json;
use support::{CaptureServer, Reply, rcr, reference, run};

const SCAN: &str = "DescribeImageScanFindings";

fn scan(status: &str) -> Reply {
    Reply::ok(&format!(
        "{{\"repositoryName\":\"shop/cart\",\"imageId\":{{\"imageTag\":\"v1\"}},\"imageScanStatus\":{{\"status\":\"{status}\",\"description\":\"d\"}}}}"
    ))
}

fn wait_scan(server: &CaptureServer, delay: &str) -> std::process::Command {
    let mut cmd = rcr(&[
        "--endpoint-url",
        &server.url,
        "ecr",
        "wait",
        "image-scan-complete",
        "--repository-name",
        "shop/cart",
        "--image-id",
        r#"{"imageTag":"v1"}"#,
    ]);
    cmd.env("RCR_WAITER_DELAY_OVERRIDE", delay);
    cmd
}

#[test]
fn success_after_in_progress() {
    let server = CaptureServer::start(&[(
        SCAN,
        vec![scan("IN_PROGRESS"), scan("IN_PROGRESS"), scan("COMPLETE")],
    )]);
    let (out, err, code) = run(&mut wait_scan(&server, "0.01"));
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(
            s.target,
            "AmazonEC2ContainerRegistry_V20150921.DescribeImageScanFindings"
        );
        assert_eq!(
            s.body,
            json!({"repositoryName": "shop/cart", "imageId": {"imageTag": "v1"}})
        );
        assert_eq!(s.cred, "AKIDEXAMPLE/us-east-1/ecr");
    }
}

#[test]
fn terminal_failure_state() {
    let server = CaptureServer::start(&[(SCAN, vec![scan("IN_PROGRESS"), scan("FAILED")])]);
    let (out, err, code) = run(&mut wait_scan(&server, "0.01"));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "\nrcr: [ERROR]: Waiter ImageScanComplete failed: Waiter encountered a terminal failure state: For expression \"imageScanStatus.status\" we matched expected path: \"FAILED\"\n"
    );
    assert_eq!(code, 255);
    assert_eq!(server.seen().len(), 2);
}

#[test]
fn unmatched_service_error_ends_the_wait() {
    let server = CaptureServer::start(&[(
        SCAN,
        vec![Reply::error(
            "RepositoryNotFoundException",
            "The repository does not exist",
        )],
    )]);
    let (_, err, code) = run(&mut wait_scan(&server, "0.01"));
    assert_eq!(
        err,
        "\nrcr: [ERROR]: Waiter ImageScanComplete failed: An error occurred (RepositoryNotFoundException): The repository does not exist\n"
    );
    assert_eq!(code, 255);
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn max_attempts_from_the_model() {
    // ImageScanComplete: 60 attempts.
    let server = CaptureServer::start(&[(SCAN, vec![scan("IN_PROGRESS")])]);
    let (_, err, code) = run(&mut wait_scan(&server, "0"));
    assert_eq!(
        err,
        "\nrcr: [ERROR]: Waiter ImageScanComplete failed: Max attempts exceeded\n"
    );
    assert_eq!(code, 255);
    assert_eq!(server.seen().len(), 60);
}

#[test]
fn model_delay_without_override() {
    // The model's 5 s delay: a second attempt must not come within a second.
    let server = CaptureServer::start(&[(SCAN, vec![scan("IN_PROGRESS")])]);
    let mut cmd = wait_scan(&server, "");
    cmd.env_remove("RCR_WAITER_DELAY_OVERRIDE");
    let mut child = cmd.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let n = server.seen().len();
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(n, 1);
}

#[test]
fn sigint_exits_130_promptly() {
    let server = CaptureServer::start(&[(SCAN, vec![scan("IN_PROGRESS")])]);
    let child = wait_scan(&server, "60")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while server.seen().is_empty() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.seen().len(), 1);
    std::thread::sleep(Duration::from_millis(100));
    let sent = Instant::now();
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(sent.elapsed() < Duration::from_secs(3));
    assert_eq!(out.status.code(), Some(130));
}

#[test]
fn recorded_lifecycle_policy_preview_failure() {
    let r = reference("err-waiter-timeout-shape.json");
    let reply = r["server_responses"]["GetLifecyclePolicyPreview"].to_string();
    let server = CaptureServer::start(&[("GetLifecyclePolicyPreview", vec![Reply::ok(&reply)])]);
    let args: Vec<String> = r["command"].as_array().unwrap()[1..]
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let mut all = vec!["--endpoint-url".to_string(), server.url.clone()];
    all.extend(args);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let (out, err, code) = run(&mut rcr(&refs));
    let v2 = &r["aws_v2"];
    assert_eq!(out, v2["stdout"].as_str().unwrap());
    assert_eq!(
        err,
        v2["stderr"]
            .as_str()
            .unwrap()
            .replace("aws: [ERROR]", "rcr: [ERROR]")
    );
    assert_eq!(i64::from(code), v2["exit_code"].as_i64().unwrap());
    let seen = server.seen();
    let expected = v2["requests"].as_array().unwrap();
    assert_eq!(seen.len(), expected.len());
    for (s, e) in seen.iter().zip(expected) {
        assert_eq!(s.target, e["target"].as_str().unwrap());
        assert_eq!(s.body, e["body"]);
        assert_eq!(s.cred, e["cred"].as_str().unwrap());
    }
}

#[test]
fn usage_errors() {
    let (_, err, code) = run(&mut rcr(&[
        "ecr",
        "wait",
        "image-scan-complete",
        "--repository-name",
        "x",
    ]));
    assert_eq!(code, 252);
    assert!(
        err.contains("the following arguments are required: --image-id"),
        "{err}"
    );
    let (_, err, code) = run(&mut rcr(&["ecr", "wait", "no-such-waiter"]));
    assert_eq!(code, 252);
    assert!(
        err.contains("Found invalid choice 'no-such-waiter'"),
        "{err}"
    );
    // ECR Public has no waiters, so no wait command.
    let (_, err, code) = run(&mut rcr(&["ecr-public", "wait", "x"]));
    assert_eq!(code, 252);
    assert!(err.contains("Found invalid choice 'wait'"), "{err}");
}
