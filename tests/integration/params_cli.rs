//! Parameter input through the real binary, against a loopback capture
//! server: request bodies and errors compared with aws CLI v1 runs
//! (`tests/fixtures/params/aws-v1-requests.json`, recorded with awscli
//! 1.46.3 against a capture server), and aws v2-only behaviour (exit codes,
//! `--cli-binary-format`, skeletons, YAML input) against the recorded v2 runs.
//!
//! The capture server (tests/common) records the `X-Amz-Target` and JSON
//! body of each request and answers `{}`.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

use crate::common;
use crate::common::{CaptureServer, Run, TempDir};

#[derive(Debug, Clone, PartialEq)]
struct Request {
    target: String,
    body: Value,
}

/// The requests a recording lists (`[{"target", "body"}]`; none when absent).
fn recorded_requests(requests: &Value) -> Vec<Request> {
    requests
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| Request {
                    target: r["target"].as_str().unwrap_or_default().to_string(),
                    body: r["body"].clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A capture server answering every request with `{}`.
fn capture() -> CaptureServer {
    capture_answering(json!({}))
}

/// A capture server answering every request with `reply`.
fn capture_answering(reply: Value) -> CaptureServer {
    CaptureServer::start(json!({ "*": reply }))
}

/// The requests `server` received since the last call: target and body.
fn take(server: &CaptureServer) -> Vec<Request> {
    server
        .take_requests()
        .into_iter()
        .map(|r| Request {
            target: r.target.unwrap_or_default(),
            body: r.body,
        })
        .collect()
}

fn rcr<S: AsRef<OsStr>>(home: &Path, endpoint: Option<&str>, args: &[S]) -> Output {
    let mut run = Run::rcr();
    if let Some(url) = endpoint {
        run.arg("--endpoint-url").arg(url);
    }
    run.args(args)
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env_remove("NO_COLOR")
        .std_command()
        .output()
        .expect("run rcr")
}

/// Asserts a usage error (252) whose message contains `message`.
#[track_caller]
fn assert_usage_error(out: &Output, message: &str) {
    assert_eq!(out.status.code(), Some(252));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(message), "{stderr}");
}

fn fixture(path: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(p).expect("fixture")).expect("fixture JSON")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Messages where aws v2 deliberately differs from v1 (v1 crashes with a
/// Python error where v2's cliinput.py checks the type).
fn v2_message(args: &[String]) -> Option<&'static str> {
    if args.iter().any(|a| a == "[1, 2]") {
        return Some(
            "rcr: [ERROR]: An error occurred (ParamValidation): Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>\n",
        );
    }
    None
}

#[test]
fn request_bodies_and_errors_match_aws_v1() {
    let data = fixture("tests/fixtures/params/aws-v1-requests.json");
    let files = TempDir::new("params-files");
    let home = TempDir::new("params-home");
    for (name, content) in data["files"].as_object().expect("files") {
        std::fs::write(
            files.path().join(name),
            content.as_str().unwrap_or_default(),
        )
        .expect("write");
    }
    let dir = files.path().display().to_string();
    let server = capture();
    let mut failures = Vec::new();
    let cases = data["cases"].as_array().expect("cases");
    for case in cases {
        let args: Vec<String> = strings(&case["args"])
            .into_iter()
            .map(|a| a.replace("{dir}", &dir))
            .collect();
        let out = rcr(home.path(), Some(&server.url()), &args);
        let got = take(&server);
        let stderr = String::from_utf8_lossy(&out.stderr).replace(&dir, "{dir}");
        let code = out.status.code().unwrap_or(-1);
        let want: Vec<Request> = recorded_requests(&case["requests"]);
        let label = args.join(" ");
        if !want.is_empty() {
            if got != want || code != 0 {
                failures.push(format!(
                    "{label}\n  want {want:?}\n  got  {got:?} exit {code} {stderr}"
                ));
            }
            continue;
        }
        if !got.is_empty() {
            failures.push(format!("{label}\n  sent {got:?} but aws sent nothing"));
        }
        let v1 = case["stderr_v1"].as_str().unwrap_or_default().trim();
        let (message_ok, want_code) = match v2_message(&args) {
            Some(m) => (stderr.ends_with(m), 252),
            // An uncaught Python ValueError in awscli (exit 255): rcr keeps the
            // message and rejects it as the usage error it is (252).
            None => (stderr.contains(v1), 252),
        };
        if !message_ok || code != want_code {
            failures.push(format!(
                "{label}\n  want exit {want_code} with {v1:?}\n  got  exit {code} with {stderr:?}"
            ));
        }
    }
    common::assert_no_failures(&failures, cases.len(), "cases differ from aws v1", "\n");
}

/// The recorded aws v2 runs about blobs (`--cli-binary-format`) and the
/// yaml-input skeleton, replayed.
#[test]
fn aws_v2_reference_runs() {
    let home = TempDir::new("params-v2");
    for name in [
        "binary-format-base64.json",
        "binary-format-raw.json",
        "skeleton-yaml-input.json",
        "err-required.json",
    ] {
        let rec = fixture(&format!("tests/fixtures/aws-v2-reference/{name}"));
        let args: Vec<String> = strings(&rec["command"]).into_iter().skip(1).collect();
        // Each recording answers one operation; reply with its answer.
        let reply = rec["server_responses"]
            .as_object()
            .and_then(|m| m.values().next())
            .cloned()
            .unwrap_or_else(|| json!({}));
        let server = capture_answering(reply);
        let out = rcr(home.path(), Some(&server.url()), &args);
        let v2 = &rec["aws_v2"];
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            v2["stdout"].as_str().unwrap_or_default(),
            "{name} stdout"
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            v2["stderr"]
                .as_str()
                .unwrap_or_default()
                .replace("aws", "rcr"),
            "{name} stderr"
        );
        assert_eq!(
            i64::from(out.status.code().unwrap_or(-1)),
            v2["exit_code"].as_i64().unwrap_or(-2),
            "{name} exit code"
        );
        let got = take(&server);
        let want: Vec<Request> = recorded_requests(&v2["requests"]);
        assert_eq!(got, want, "{name} requests");
    }
}

#[test]
fn skeletons_need_no_configuration_or_network() {
    let home = TempDir::new("params-skel");
    // No endpoint, no region, no credentials: nothing may be needed.
    let out = Run::rcr()
        .args(["ecr", "create-repository", "--generate-cli-skeleton"])
        .env("HOME", home.path())
        .env("AWS_CONFIG_FILE", home.path().join("config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            home.path().join("credentials"),
        )
        .env_remove("PATH")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PAGER")
        .env_remove("TZ")
        .env_remove("NO_COLOR")
        .std_command()
        .output()
        .expect("run rcr");
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON skeleton");
    assert_eq!(v["encryptionConfiguration"]["encryptionType"], "AES256");

    // `rcr ecr <words> --generate-cli-skeleton <kind>`, with no endpoint.
    let skeleton = |words: &[&str], kind: &str| {
        let args = [&["ecr"][..], words, &["--generate-cli-skeleton", kind]].concat();
        rcr(home.path(), None, &args)
    };
    let out = skeleton(&["get-authorization-token"], "yaml-input");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "registryIds:  # A list of Amazon Web Services account IDs that are associated with the registries for which to get AuthorizationData objects.\n- ''\n"
    );

    // `output` keeps the required arguments and prints the fake response.
    let out = skeleton(&["put-image-tag-mutability"], "output");
    assert_usage_error(
        &out,
        "the following arguments are required: --repository-name, --image-tag-mutability",
    );
    let out = skeleton(
        &[
            "put-image-tag-mutability",
            "--repository-name",
            "ab",
            "--image-tag-mutability",
            "MUTABLE",
        ],
        "output",
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON output skeleton");
    assert_eq!(v["repositoryName"], "repositoryName");
}

#[test]
fn cli_input_yaml_with_flags_overriding() {
    let home = TempDir::new("params-yaml");
    let server = capture();
    let yaml_file = home.path().join("in.yaml");
    std::fs::write(
        &yaml_file,
        "repositoryName: from-yaml\nimageTagMutability: IMMUTABLE\ntags:\n- Key: a\n  Value: b\nimageScanningConfiguration:\n  scanOnPush: yes\n",
    )
    .expect("write");
    let yaml_arg = format!("file://{}", yaml_file.display());
    let args = [
        "ecr",
        "create-repository",
        "--cli-input-yaml",
        &yaml_arg,
        "--repository-name",
        "flag-wins",
    ];
    // YAML 1.2: `yes` is a string, so validation rejects it as botocore would.
    let out = rcr(home.path(), Some(&server.url()), &args);
    assert_usage_error(
        &out,
        "Invalid type for parameter imageScanningConfiguration.scanOnPush, value: yes, type: <class 'str'>, valid types: <class 'bool'>",
    );
    assert!(take(&server).is_empty());

    std::fs::write(
        &yaml_file,
        "repositoryName: from-yaml\nimageTagMutability: IMMUTABLE\ntags:\n- Key: a\n  Value: b\n",
    )
    .expect("write");
    let out = rcr(home.path(), Some(&server.url()), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = take(&server);
    assert_eq!(
        got[0].body,
        serde_json::json!({"repositoryName": "flag-wins", "imageTagMutability": "IMMUTABLE", "tags": [{"Key": "a", "Value": "b"}]})
    );

    for (text, message) in [
        (
            "a: [1",
            "Error parsing parameter 'cli-input-yaml': Invalid YAML received.",
        ),
        (
            "- 1",
            "Error parsing parameter '--cli-input-yaml': Invalid type: expecting map, received <class 'list'>",
        ),
    ] {
        let args = ["ecr", "describe-repositories", "--cli-input-yaml", text];
        let out = rcr(home.path(), Some(&server.url()), &args);
        assert_usage_error(&out, message);
    }
    let describe = ["ecr", "describe-repositories", "--cli-input-json", "{"];
    let both = [&describe[..], &["--cli-input-yaml", "a: 1"]].concat();
    let out = rcr(home.path(), Some(&server.url()), &both);
    assert_usage_error(&out, "Only one --cli-input- parameter may be specified.");
    let out = rcr(home.path(), Some(&server.url()), &describe);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("Error parsing parameter 'cli-input-json': Invalid JSON received.")
    );
    assert!(take(&server).is_empty());
}

/// Malformed words of many kinds: never a panic, never a request, exit 252
/// (also for Python's own int() failure, which aws v1 lets escape with 255).
#[test]
fn malformed_input_is_rejected_without_sending() {
    let home = TempDir::new("params-bad");
    let server = capture();
    let bad = [
        "scanOnPush=[",
        "scanOnPush={",
        "=",
        "a='",
        "a=\"",
        "scanOnPush=true,",
        ",,,",
        "{\"scanOnPush\":",
        "scanOnPush=true scanOnPush=false",
        "\u{1}",
        "scanOnPush=\\",
        "[",
        "]",
    ];
    let create = [
        "ecr",
        "create-repository",
        "--repository-name",
        "ab",
        "--image-scanning-configuration",
    ];
    for word in bad {
        let out = rcr(
            home.path(),
            Some(&server.url()),
            &[&create[..], &[word]].concat(),
        );
        let code = out.status.code();
        assert!(
            code == Some(252),
            "{word:?}: exit {code:?} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    }
    assert!(take(&server).is_empty());
}

/// Every operation of both services: `--generate-cli-skeleton output` with
/// the input skeleton as `--cli-input-json`, against aws v1 (same code path
/// as v2 for this option). Most skeleton inputs break a model `min`, so this
/// also compares botocore's validation reports, and the fake-response
/// validation aws's Stubber does. Operations newer than aws v1's model are
/// skipped.
#[test]
fn output_skeletons_and_validation_match_aws_v1_for_every_operation() {
    let home = TempDir::new("params-out");
    let cases = fixture("tests/fixtures/params/aws-v1-output-skeletons.json");
    let mut failures = Vec::new();
    let mut compared = 0;
    for case in cases.as_array().expect("cases") {
        if case["skip"].as_bool().unwrap_or(false) {
            continue;
        }
        let svc = case["service"].as_str().unwrap_or_default();
        let op = case["operation"].as_str().unwrap_or_default();
        let input = case["input"].as_str().unwrap_or_default();
        let args = [
            svc,
            op,
            "--cli-input-json",
            input,
            "--generate-cli-skeleton",
            "output",
        ]
        .map(String::from);
        let out = rcr(home.path(), None, &args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let want_err = case["stderr"].as_str().unwrap_or_default().trim();
        let ok = if want_err.is_empty() {
            stdout == case["stdout"].as_str().unwrap_or_default() && out.status.code() == Some(0)
        } else {
            stderr.trim()
                == format!("rcr: [ERROR]: An error occurred (ParamValidation): {want_err}")
                && out.status.code() == Some(252)
        };
        compared += 1;
        if !ok {
            failures.push(format!(
                "{svc} {op}:\n want {want_err}\n got {stderr}{stdout}"
            ));
        }
    }
    assert!(compared >= 75, "only {compared} compared");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Python's text inside parameter errors (`repr` of strings with quotes,
/// backslashes and non-printable characters, `str` of lists and dicts,
/// `True`/`None`, float repr, `int()`'s rules) against a live aws v1 run:
/// the same botocore and awscli code as v2.
#[test]
fn python_text_in_parameter_errors_matches_aws_v1() {
    let aws = require_aws_v1!();
    let server = capture();
    let url = server.url();
    let cases: &[&[&str]] = &[
        &["--max-results", "1_.5"],
        &["--max-results", "x\u{200b}\u{85}"],
        &["--max-results", "\\x\u{3000}y'"],
        &["--max-results", "a'b\"\u{e0041}\u{f0000}"],
        &[
            "--cli-input-json",
            r#"{"repositoryNames": "a\\b", "maxResults": [true, null, {"k\u00ad": -0.0, "\ue000": 1.5e300}]}"#,
        ],
        &[
            "--cli-input-json",
            r#"{"repositoryNames": [["a\u200bb\u00a0c\u2066", 1e16, 1e-05, 100.0, "it's", "q\"'", "\t\u0000\u007f"]]}"#,
        ],
    ];
    for case in cases {
        let mut args = vec!["ecr", "describe-repositories", "--endpoint-url", &url];
        args.extend_from_slice(case);
        let v1 = aws.run(&args);
        let ours = Run::rcr().args(&args).run();
        let v1_message = v1.stderr_str().trim().to_string();
        assert!(!v1_message.is_empty(), "{case:?}: aws v1 {v1}");
        assert_eq!(ours.exit_code(), 252, "{case:?}: {ours}");
        assert_eq!(
            ours.stderr_str(),
            format!("\nrcr: [ERROR]: An error occurred (ParamValidation): {v1_message}\n"),
            "{case:?}"
        );
    }
    assert!(take(&server).is_empty(), "nothing is sent");
}
