//! Closed pipes and interrupts: `rcr ... | head -c 10` ends quietly (no
//! panic, no "Broken pipe"), and SIGINT during a request, between the pages
//! of a listing, during a wait and during get-login-password exits 130 with
//! aws's lone newline on stderr.
//!
//! tests/output_differential.rs covers text and json listings into a closed
//! pipe; this file adds the other formats, --query, a single large page,
//! help, skeletons, get-login-password and --debug, through a real shell
//! pipeline whose reader exits early.

use std::time::{Duration, Instant};

use crate::common;
use crate::common::{CaptureServer, Output, Run, SIGINT, repository_call};
use serde_json::{Value, json};

/// `pages` pages of `per_page` image ids each, chained by nextToken.
fn listing(pages: usize, per_page: usize) -> Value {
    let pages: Vec<Value> = (0..pages)
        .map(|p| {
            let ids: Vec<Value> = (0..per_page)
                .map(|i| json!({"imageDigest": format!("sha256:{p:04}{i:060}"), "imageTag": format!("t{i}")}))
                .collect();
            let token = if p == 0 {
                Value::Null
            } else {
                Value::String(format!("p{p}"))
            };
            let mut page = json!({"__when_token": token, "imageIds": ids});
            if p + 1 < pages {
                page["nextToken"] = Value::String(format!("p{}", p + 1));
            }
            page
        })
        .collect();
    json!({ "ListImages": pages })
}

/// Runs `rcr <args> | head -c 10` in bash and returns the run plus rcr's
/// own exit status (from PIPESTATUS).
fn into_closed_pipe(args: &[&str], env: &[(&str, &str)]) -> (Output, i32) {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let script = format!(
        "'{}' {} | head -c 10 > /dev/null; echo \"rc=${{PIPESTATUS[0]}}\" >&2",
        common::rcr_bin().display(),
        quoted.join(" ")
    );
    let mut run = Run::new("bash");
    run.args(["-c", &script]).timeout(Duration::from_secs(60));
    for (k, v) in env {
        run.env(k, v);
    }
    let out = run.run();
    let err = out.stderr_str();
    let code = err
        .rsplit_once("rc=")
        .and_then(|(_, c)| c.trim().parse().ok())
        .unwrap_or(-1);
    (out, code)
}

#[track_caller]
fn assert_quiet(what: &str, out: &Output, code: i32) {
    let err = out.stderr_str();
    let rcr_err = err.rsplit_once("rc=").map(|(e, _)| e).unwrap_or(&err);
    for bad in [
        "panicked",
        "Broken pipe",
        "broken pipe",
        "os error",
        "[ERROR]",
    ] {
        assert!(!rcr_err.contains(bad), "{what}: stderr has {bad:?}:\n{out}");
    }
    assert_eq!(code, 0, "{what}: rcr's exit status:\n{out}");
}

#[test]
fn every_output_format_ends_quietly_into_a_closed_pipe() {
    let server = CaptureServer::start(listing(20, 1000));
    let url = server.url();
    for format in ["json", "text", "table", "yaml", "yaml-stream"] {
        let (out, code) = into_closed_pipe(
            &repository_call("list-images", "repo", &url, &["--output", format]),
            &[],
        );
        assert_quiet(format, &out, code);
    }
    // --query and --no-paginate go through other printing paths.
    for extra in [
        &["--query", "imageIds[].imageDigest"][..],
        &["--no-paginate"][..],
        &["--page-size", "100", "--output", "text"][..],
    ] {
        let args = repository_call("list-images", "repo", &url, extra);
        let (out, code) = into_closed_pipe(&args, &[]);
        assert_quiet(&extra.join(" "), &out, code);
    }
}

#[test]
fn a_large_single_response_ends_quietly_into_a_closed_pipe() {
    let images: Vec<Value> = (0..20_000)
        .map(|i| json!({"repositoryName": "repo", "imageDigest": format!("sha256:{i:064}"), "imageTags": ["a", "b"], "imageSizeInBytes": i}))
        .collect();
    let server = CaptureServer::start(json!({"DescribeImages": {"imageDetails": images}}));
    let url = server.url();
    let (out, code) = into_closed_pipe(&repository_call("describe-images", "repo", &url, &[]), &[]);
    assert_quiet("describe-images", &out, code);
    // --debug writes to stderr as well; the closed stdout still ends quietly.
    let (out, code) = into_closed_pipe(
        &repository_call("describe-images", "repo", &url, &["--debug"]),
        &[],
    );
    let err = out.stderr_str();
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{out}"
    );
    assert_eq!(code, 0, "{out}");
}

#[test]
fn help_skeletons_and_login_password_end_quietly_into_a_closed_pipe() {
    let server = CaptureServer::start(json!({
        "GetAuthorizationToken": {"authorizationData": [{
            "authorizationToken": "QVdTOnNlY3JldA==", "proxyEndpoint": "https://1.dkr.ecr.us-east-1.amazonaws.com",
            "expiresAt": 1717171800.0}]}
    }));
    let url = server.url();
    let cases: Vec<Vec<&str>> = vec![
        vec!["ecr", "help"],
        vec!["ecr", "put-lifecycle-policy", "help"],
        vec![
            "ecr",
            "put-replication-configuration",
            "--generate-cli-skeleton",
        ],
        vec![
            "ecr",
            "put-replication-configuration",
            "--generate-cli-skeleton",
            "yaml-input",
        ],
        vec![
            "ecr",
            "describe-images",
            "--repository-name",
            "repo",
            "--generate-cli-skeleton",
            "output",
        ],
        vec!["ecr", "get-login-password", "--endpoint-url", &url],
    ];
    for args in cases {
        let (out, code) = into_closed_pipe(&args, &[]);
        assert_quiet(&args.join(" "), &out, code);
    }
}

/// Spawns rcr, waits until the server has seen `requests` requests, sends
/// SIGINT and checks aws's 130 and lone newline.
#[track_caller]
fn interrupt_after(server: &CaptureServer, args: &[&str], env: &[(&str, &str)], requests: usize) {
    let mut run = Run::rcr();
    run.args(args)
        .args(["--endpoint-url", &server.url()])
        .timeout(Duration::from_secs(60));
    for (k, v) in env {
        run.env(k, v);
    }
    let child = run.spawn();
    let seen = server.wait_for_requests(requests, Duration::from_secs(20));
    assert!(seen.len() >= requests, "only {} requests", seen.len());
    // The request is now in flight (or the waiter is sleeping).
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    assert!(child.signal(SIGINT));
    let out = child.wait();
    out.assert_exit(130);
    assert_eq!(out.stderr_str(), "\n", "{out}");
    assert!(start.elapsed() < Duration::from_secs(5), "{out}");
}

#[test]
fn sigint_during_a_paginated_listing_is_130() {
    // Page 1 answers at once; page 2 takes 30 s, so SIGINT lands between
    // pages, with page 1 possibly printed already.
    let mut script = listing(3, 10);
    script["ListImages"][1]["__delay_ms"] = json!(30_000);
    let server = CaptureServer::start(script);
    interrupt_after(
        &server,
        &[
            "ecr",
            "list-images",
            "--repository-name",
            "repo",
            "--output",
            "text",
        ],
        &[],
        2,
    );
}

#[test]
fn sigint_during_a_slow_request_is_130() {
    for (operation, args) in [
        (
            "DescribeRepositories",
            &["ecr", "describe-repositories"][..],
        ),
        ("GetAuthorizationToken", &["ecr", "get-login-password"][..]),
        (
            "GetAuthorizationToken",
            &["ecr-public", "get-login-password", "--region", "us-east-1"][..],
        ),
    ] {
        let server = CaptureServer::start(json!({ operation: {"__delay_ms": 30_000} }));
        interrupt_after(&server, args, &[], 1);
    }
}

#[test]
fn sigint_while_a_waiter_sleeps_between_polls_is_130() {
    let server = CaptureServer::start(json!({
        "DescribeImageScanFindings": {"repositoryName": "repo", "imageId": {"imageTag": "v1"},
            "imageScanStatus": {"status": "IN_PROGRESS"}}
    }));
    interrupt_after(
        &server,
        &[
            "ecr",
            "wait",
            "image-scan-complete",
            "--repository-name",
            "repo",
            "--image-id",
            "imageTag=v1",
        ],
        &[("RCR_WAITER_DELAY_OVERRIDE", "60")],
        1,
    );
}

#[test]
fn sigint_while_blocked_writing_to_a_full_pipe_is_130() {
    // The reader never reads: rcr fills the pipe and blocks in write(2),
    // outside the async runtime. aws's KeyboardInterrupt ends it with 130;
    // so must SIGINT here, at once, not when the reader goes away.
    let images: Vec<Value> = (0..20_000)
        .map(|i| json!({"repositoryName": "repo", "imageDigest": format!("sha256:{i:064}")}))
        .collect();
    let server = CaptureServer::start(json!({"DescribeImages": {"imageDetails": images}}));
    let script = format!(
        "'{}' ecr describe-images --repository-name repo --endpoint-url {} > >(sleep 30) 2> \"$ERR\" & p=$!; \
         sleep 3; start=$SECONDS; kill -INT $p; wait $p; echo \"rc=$? after=$((SECONDS - start))\"",
        common::rcr_bin().display(),
        server.url()
    );
    let mut run = Run::new("bash");
    let err_file = run.dir().join("rcr.err");
    run.args(["-c", &script])
        .env("ERR", &err_file)
        .timeout(Duration::from_secs(60));
    let out = run.run();
    assert_eq!(server.requests().len(), 1, "{out}");
    let report = out.stdout_str();
    assert!(report.starts_with("rc=130 "), "{out}");
    let after: u64 = report
        .trim()
        .rsplit_once("after=")
        .and_then(|(_, s)| s.parse().ok())
        .unwrap_or(99);
    assert!(after <= 2, "took {after} s: {out}");
    assert_eq!(std::fs::read_to_string(&err_file).unwrap_or_default(), "\n");
}
