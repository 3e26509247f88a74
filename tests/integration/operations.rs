//! Every operation of both services, end to end through the real binary.
//!
//! For each of the 62 ECR and 23 ECR Public operations of the models: a full
//! input document (every member set, recursively) given with
//! `--cli-input-json` must reach a loopback capture server as the same JSON
//! body the aws CLI v1 sends for it, and a full response (every member set)
//! must print as the aws CLI prints it. aws v1 runs with
//! `cli_timestamp_format = iso8601`, which makes its JSON output the bytes v2
//! prints; its botocore carries the same models as rcr's (see
//! scripts/setup-test-env.sh).

use crate::common;
use crate::common::model_docs::{Model, json_eq};
use crate::common::{AwsV1, CaptureServer, Run};
use serde_json::{Value, json};

const ECR_OPERATIONS: usize = 62;
const ECR_PUBLIC_OPERATIONS: usize = 23;

#[test]
fn the_models_have_the_sdk_operation_counts() {
    assert_eq!(Model::load("ecr").operations().len(), ECR_OPERATIONS);
    assert_eq!(
        Model::load("ecr-public").operations().len(),
        ECR_PUBLIC_OPERATIONS
    );
}

/// Every model operation is a command of rcr: it reaches the server.
#[test]
fn every_operation_is_a_command() {
    for service in ["ecr", "ecr-public"] {
        let model = Model::load(service);
        let server = CaptureServer::empty();
        let mut count = 0;
        for op in model.operations() {
            let cli = xform(&op);
            // A complete input, so that client-side validation lets it through.
            let input = model.full_input(&op).to_string();
            let out = Run::rcr()
                .args([
                    service,
                    cli.as_str(),
                    "--cli-input-json",
                    input.as_str(),
                    "--cli-binary-format",
                    "raw-in-base64-out",
                    "--no-paginate",
                    "--endpoint-url",
                    server.url().as_str(),
                ])
                .run();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            assert!(
                !stderr.contains("invalid choice"),
                "{service} {cli}: {stderr}"
            );
            count += 1;
        }
        let targets: Vec<String> = server
            .requests()
            .iter()
            .filter_map(|r| r.target.clone())
            .collect();
        for op in model.operations() {
            let target = format!("{}.{op}", model.target_prefix());
            assert!(
                targets.contains(&target),
                "{service}: {op} never reached the server"
            );
        }
        assert_eq!(
            count,
            if service == "ecr" {
                ECR_OPERATIONS
            } else {
                ECR_PUBLIC_OPERATIONS
            }
        );
    }
}

#[test]
fn every_operation_sends_and_prints_like_aws_v1() {
    let Some(aws) = AwsV1::new_or_skip() else {
        return;
    };
    let data_path = AwsV1::data_path();
    let mut compared = 0;
    let mut failures = Vec::new();
    for service in ["ecr", "ecr-public"] {
        let model = Model::load(service);
        for op in model.operations() {
            let cli = xform(&op);
            let input = model.full_input(&op);
            let response = model.full_output(&op);
            let server = CaptureServer::start(json!({ op.clone(): response }));
            let url = server.url();
            let input_text = input.to_string();
            let common_args = [
                service,
                cli.as_str(),
                "--cli-input-json",
                input_text.as_str(),
                "--endpoint-url",
                url.as_str(),
                "--no-paginate",
                "--output",
                "json",
            ];
            let ours = Run::rcr()
                .args(common_args)
                .args(["--cli-binary-format", "raw-in-base64-out"])
                .run();
            let our_requests = server.requests();
            server.clear_requests();
            let theirs = aws
                .command()
                .env("AWS_DATA_PATH", data_path.path())
                .args(common_args)
                .run();
            let their_requests = server.requests();
            compared += 1;

            let mut problems = Vec::new();
            if ours.code != theirs.code {
                problems.push(format!(
                    "exit {:?} vs aws {:?}; rcr stderr: {}; aws stderr: {}",
                    ours.code,
                    theirs.code,
                    String::from_utf8_lossy(&ours.stderr),
                    String::from_utf8_lossy(&theirs.stderr)
                ));
            }
            if ours.stdout != theirs.stdout {
                problems.push(format!(
                    "stdout differs\n--- rcr\n{}\n--- aws\n{}",
                    String::from_utf8_lossy(&ours.stdout),
                    String::from_utf8_lossy(&theirs.stdout)
                ));
            }
            let body = |reqs: &[common::CapturedRequest]| -> Option<(Option<String>, Value)> {
                reqs.first().map(|r| (r.target.clone(), r.body.clone()))
            };
            match (body(&our_requests), body(&their_requests)) {
                (Some((t1, b1)), Some((t2, b2))) => {
                    if t1 != t2 {
                        problems.push(format!("target {t1:?} vs aws {t2:?}"));
                    }
                    if !json_eq(&b1, &b2) {
                        problems.push(format!(
                            "request body differs\n--- rcr\n{b1}\n--- aws\n{b2}"
                        ));
                    }
                }
                (a, b) => problems.push(format!(
                    "requests: rcr {} vs aws {}",
                    a.is_some(),
                    b.is_some()
                )),
            }
            if !problems.is_empty() {
                failures.push(format!("{service} {cli}:\n  {}", problems.join("\n  ")));
            }
        }
    }
    eprintln!("compared {compared} operations with aws v1");
    assert_eq!(compared, ECR_OPERATIONS + ECR_PUBLIC_OPERATIONS);
    common::assert_no_failures(&failures, compared, "operations differ", "\n\n");
}

/// The aws CLI's command name of an operation (`ListTagsForResource` →
/// `list-tags-for-resource`); the models' names need only the simple rule.
fn xform(op: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = op.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || next_lower {
                out.push('-');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A model member the SDK crate lacks (`deleteReplication`) and a member
/// holding its Smithy default (`scanOnPush: false`, which the SDK omits) both
/// reach the server as aws sends them.
#[test]
fn members_the_sdk_would_drop_are_sent() {
    let server = CaptureServer::start(
        json!({"PutReplicationConfiguration": {}, "PutImageScanningConfiguration": {}}),
    );
    let input = r#"{"replicationConfiguration":{"rules":[{"destinations":[{"region":"us-west-2","registryId":"123456789012"}],"deleteReplication":{"enabled":true}}]}}"#;
    let out = Run::rcr()
        .args([
            "ecr",
            "put-replication-configuration",
            "--cli-input-json",
            input,
            "--endpoint-url",
            server.url().as_str(),
        ])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr_str());
    let sent = &server.requests()[0].body;
    assert!(
        json_eq(sent, &serde_json::from_str::<Value>(input).expect("json")),
        "{sent}"
    );

    server.clear_requests();
    let out = Run::rcr()
        .args([
            "ecr",
            "put-image-scanning-configuration",
            "--repository-name",
            "repo",
            "--image-scanning-configuration",
            r#"{"scanOnPush": false}"#,
            "--endpoint-url",
            server.url().as_str(),
        ])
        .run();
    assert_eq!(out.code, Some(0), "{}", out.stderr_str());
    assert_eq!(
        server.requests()[0].body,
        json!({"repositoryName": "repo", "imageScanningConfiguration": {"scanOnPush": false}})
    );
}
