//! argparse's habits, rcr against aws CLI v2 (2.36.7) live: each command
//! line runs through both programs against the same capture server, in the
//! same isolated environment, and must give the same stdout, the same
//! stderr (rcr's name for aws's) and the same exit code, and send the same
//! requests.
//!
//! The cases: abbreviated long options (globals and a command's own,
//! `--opt=value` forms, ambiguous prefixes, the global parser first),
//! required arguments reported before unknown words, invalid choices with
//! their `Maybe you meant:` suggestions, options between the service and
//! the operation, and the settings aws checks (timeouts, region, endpoint,
//! profile, output type) in aws's order and words.

use serde_json::{Value, json};

use crate::common::{AwsV2, CaptureServer, Output, Run};

/// An environment change: set (`Some`) or removed (`None`).
type Env<'a> = &'a [(&'a str, Option<&'a str>)];

const NO_CREDENTIALS: Env = &[("AWS_ACCESS_KEY_ID", None), ("AWS_SECRET_ACCESS_KEY", None)];

/// A server answering what the cases call.
fn server() -> CaptureServer {
    CaptureServer::start(json!({
        "DescribeRepositories": {"repositories": [
            {"repositoryName": "app", "repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/app"},
            {"repositoryName": "web", "repositoryUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"}
        ]},
        "GetAuthorizationToken": {"authorizationData": [
            {"authorizationToken": "QVdTOnNlY3JldA==", "proxyEndpoint": "https://123456789012.dkr.ecr.us-east-1.amazonaws.com"}
        ]},
        "DescribeImageScanFindings": {"imageScanStatus": {"status": "COMPLETE"}},
        "*": {}
    }))
}

fn run(mut run: Run, server: &CaptureServer, env: Env, args: &[&str]) -> Output {
    // The endpoint comes from the environment, so that every case, even one
    // whose own --endpoint-url is refused, can only reach the server.
    run.env("AWS_ENDPOINT_URL", server.url())
        .env("AWS_PAGER", "")
        .args(args);
    for (key, value) in env {
        match value {
            Some(v) => run.env(key, v),
            None => run.env_remove(key),
        };
    }
    run.run()
}

/// The requests received since the last call: target and body.
fn requests(server: &CaptureServer) -> Vec<(Option<String>, Value)> {
    server
        .take_requests()
        .into_iter()
        .map(|r| (r.target, r.body))
        .collect()
}

/// Runs every case through aws and rcr; fails listing each case that
/// differs, with both results.
fn compare(cases: &[(Env, &[&str])]) {
    let aws = AwsV2::new();
    let server = server();
    let mut failures = Vec::new();
    for (env, args) in cases {
        let expected = run(aws.command(), &server, env, args);
        let sent_by_aws = requests(&server);
        let actual = run(Run::rcr(), &server, env, args);
        let sent_by_rcr = requests(&server);
        let (out, err, code) = expected.utf8();
        let (rcr_out, rcr_err, rcr_code) = actual.utf8();
        let rcr_err = rcr_err.replace("rcr", "aws");
        if (&out, &err, code, &sent_by_aws) != (&rcr_out, &rcr_err, rcr_code, &sent_by_rcr) {
            failures.push(format!(
                "case {env:?} {args:?}\n-- aws ({code}):\n{out}{err}{sent_by_aws:?}\n-- rcr ({rcr_code}):\n{rcr_out}{rcr_err}{sent_by_rcr:?}\n"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from aws:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn abbreviated_options_parse_as_in_aws() {
    let policy = r#"{"rules":[{"rulePriority":1,"description":"expire old","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}"#;
    compare(&[
        (&[], &["ecr", "describe-repositories", "--out", "text"]),
        (&[], &["ecr", "describe-repositories", "--out=table"]),
        (&[], &["--out", "yaml", "ecr", "describe-repositories"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--quer",
                "repositories[0].repositoryName",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--q",
                "repositories[].repositoryName",
                "--o",
                "text",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--repository-name", "app"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--repository-name=app",
                "web",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "put-lifecycle-policy",
                "--repository-name",
                "app",
                "--lifecycle-policy",
                policy,
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "put-lifecycle-policy",
                "--repo",
                "app",
                "--lifecycle-policy-t",
                policy,
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-images",
                "--repository-name",
                "app",
                "--max-i",
                "1",
            ],
        ),
        (
            &[],
            &["ecr", "describe-images", "--repo", "app", "--max", "1"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-images",
                "--repository-name",
                "app",
                "--page",
                "5",
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--gen"]),
        (
            &[],
            &["ecr", "describe-repositories", "--generate-cli", "output"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-input-j",
                r#"{"repositoryNames": ["app"]}"#,
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--cli-input", "{}"]),
        (&[], &["ecr", "describe-repositories", "--c", "x"]),
        (&[], &["ecr", "describe-repositories", "--no"]),
        (&[], &["ecr", "describe-repositories", "--n=text"]),
        (
            &[],
            &["ecr", "describe-repositories", "--no-p", "--max-items", "1"],
        ),
        (&[], &["ecr", "describe-repositories", "--reg", "us-west-2"]),
        (&[], &["ecr", "describe-repositories", "--reg", "123"]),
        (
            &[],
            &[
                "ecr",
                "create-repository",
                "--repository-name",
                "app",
                "--image",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "create-repository",
                "--repository-name",
                "app",
                "--image-tag",
                "IMMUTABLE",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "delete-repository",
                "--repository-name",
                "app",
                "--for",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "delete-repository",
                "--repository-name",
                "app",
                "--no-f",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "delete-repository",
                "--repository-name",
                "app",
                "--f",
            ],
        ),
        (&[], &["ecr", "get-login-password", "--regi", "us-west-2"]),
        (
            &[],
            &[
                "ecr",
                "wait",
                "image-scan-complete",
                "--repo",
                "app",
                "--image-i",
                "imageTag=a",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-e",
                "json",
                "--output",
                "csv",
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--debugx"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--endpoint",
                "http://127.0.0.1:9",
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--prof", "default"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--max-items",
                "1",
                "--starting",
                "2",
            ],
        ),
        (&[], &["ecr-public", "describe-repositories", "--repo", "x"]),
        (
            &[],
            &[
                "ecr",
                "batch-delete-image",
                "--repository-name",
                "app",
                "--image-i",
                "imageTag=a",
                "imageTag=b",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-images",
                "--repository-name",
                "app",
                "--image-ids",
                "imageTag=a",
                "--image",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--repository-names",
                "--output",
                "text",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--no-paginate", "--no-pag"],
        ),
        (
            &[],
            &[
                "ecr",
                "delete-repository",
                "--repository-name",
                "app",
                "--force",
                "--no-force",
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--output="]),
        (&[], &["ecr", "describe-repositories", "--region"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--region",
                "--cli-error-format",
                "json",
            ],
        ),
        (&[], &["ecr", "describe-repositories", "--", "--out"]),
    ]);
}

#[test]
fn required_arguments_come_before_unknown_words() {
    compare(&[
        (&[], &["ecr", "describe-images"]),
        (&[], &["ecr", "describe-images", "--bogus"]),
        (
            &[],
            &["ecr", "describe-images", "--bogus", "x", "--force", "y"],
        ),
        (&[], &["ecr", "describe-repositories", "yes", "--bogus"]),
        (&[], &["ecr", "describe-repositories", "--bogus", "a", "b"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--bogus",
                "a",
                "b",
                "c",
                "--foo",
                "d",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--bogus", "a", "--x"],
        ),
        (&[], &["ecr", "get-login-password", "x", "--bogus"]),
        (
            &[],
            &[
                "ecr",
                "wait",
                "image-scan-complete",
                "--repository-name",
                "app",
                "--image-id",
                "imageTag=a",
                "--bogus",
                "a",
                "b",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "create-repository",
                "--repository-name",
                "app",
                "--no-image",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "delete-repository",
                "--repository-name",
                "app",
                "--force",
                "yes",
            ],
        ),
        (&[], &["ecr", "wait", "image-scan-complete", "--bogus"]),
        (
            &[],
            &[
                "ecr",
                "wait",
                "image-scan-complete",
                "--repository-name",
                "app",
                "--image-id",
                "imageTag=a",
                "--bogus",
            ],
        ),
        (&[], &["ecr", "get-login-password", "--bogus"]),
        (&[], &["ecr", "get-login-password", "--bogus", "x"]),
        (
            &[],
            &[
                "ecr",
                "get-login-password",
                "--bogus",
                "--cli-error-format",
                "json",
            ],
        ),
        (
            &[("AWS_PROFILE", Some("nope"))],
            &["ecr", "describe-images"],
        ),
    ]);
}

#[test]
fn invalid_choices_suggest_as_aws() {
    compare(&[
        (&[], &["ecr", "describe-repositoriez"]),
        (&[], &["ecr", "describe-repo"]),
        (&[], &["ecrr", "describe-repositories"]),
        (&[], &["ecr-publc", "describe-repositories"]),
        (&[], &["ec", "x"]),
        (&[], &["ecr2", "x"]),
        (&[], &["ecr", "wat"]),
        (&[], &["ecr", "batch-get-images"]),
        (&[], &["ecr", "put-image-scaning-configuration"]),
        (&[], &["ecr", "get-lifecycle-policy-previw"]),
        (&[], &["ecr", "get-login"]),
        (&[], &["ecr", "describe-repositories", "--output", "jsn"]),
        (&[], &["--output", "yaml-s", "ecr", "describe-repositories"]),
        (&[], &["ecr", "describe-repositories", "--output", "xml"]),
        (&[], &["ecr", "describe-repositories", "--output", "JSON"]),
        (&[], &["ecr", "describe-repositories", "--color", "of"]),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-binary-format",
                "base",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--cli-error-format", "jsn"],
        ),
        (&[], &["ecr", "wait", "image-scan-complet"]),
        (&[], &["ecr", "wait"]),
        (
            &[],
            &["ecr", "describe-repositoriez", "--cli-error-format", "json"],
        ),
        (&[], &["ecr", "describe-repoz", "--output", "csv"]),
        (&[], &["foo", "--version"]),
    ]);
}

#[test]
fn options_before_the_operation_parse_as_in_aws() {
    compare(&[
        (&[], &["ecr", "--output", "text", "describe-repositories"]),
        (&[], &["ecr", "--out", "text", "describe-repositories"]),
        (&[], &["ecr", "--region", "us-east-1", "get-login-password"]),
        (&[], &["ecr", "--no-include-email", "get-login"]),
        (&[], &["ecr", "--repository-name", "x", "describe-images"]),
        (&[], &["--repository-name", "x", "ecr", "describe-images"]),
        (&[], &["ecr", "--bogus", "describe-repositories"]),
        (
            &[],
            &[
                "ecr",
                "wait",
                "--repository-name",
                "x",
                "image-scan-complete",
            ],
        ),
    ]);
}

#[test]
fn settings_are_checked_in_aws_order_and_words() {
    compare(&[
        (
            &[],
            &["ecr", "describe-repositories", "--cli-read-timeout", "-1"],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--cli-read-timeout", "abc"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-connect-timeout",
                "abc",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-connect-timeout",
                "1.5",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-connect-timeout",
                "-5",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--cli-read-timeout", "0"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-read-timeout",
                " +1_0 ",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--region", "us east"],
        ),
        (&[], &["ecr", "describe-repositories", "--region", "12"]),
        (&[], &["ecr", "describe-repositories", "--region", ""]),
        (&[], &["ecr", "describe-repositories", "--endpoint-url", ""]),
        (
            &[],
            &["ecr", "describe-repositories", "--endpoint-url", "notaurl"],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--endpoint-url", "http://"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--endpoint-url",
                "localhost:4566",
            ],
        ),
        (
            &[],
            &["ecr", "describe-repositories", "--endpoint-url", "FTP://x"],
        ),
        (
            NO_CREDENTIALS,
            &["ecr", "describe-repositories", "--endpoint-url", "ftp://x"],
        ),
        (&[], &["ecr", "describe-repositories", "--profile", ""]),
        (&[], &["ecr", "describe-repositories", "--output", "csv"]),
        (
            NO_CREDENTIALS,
            &["ecr", "describe-repositories", "--output", "csv"],
        ),
        (
            &[
                ("AWS_DEFAULT_OUTPUT", Some("csv")),
                ("AWS_ACCESS_KEY_ID", None),
                ("AWS_SECRET_ACCESS_KEY", None),
            ],
            &["ecr", "describe-repositories"],
        ),
        (
            NO_CREDENTIALS,
            &["ecr", "describe-repositories", "--cli-read-timeout", "abc"],
        ),
        (
            NO_CREDENTIALS,
            &["ecr", "describe-repositories", "--region", "us east"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--endpoint-url",
                "notaurl",
                "--region",
                "us east",
                "--cli-read-timeout",
                "abc",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--region",
                "us east",
                "--cli-read-timeout",
                "abc",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-read-timeout",
                "-1",
                "--region",
                "us east",
            ],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--cli-read-timeout",
                "-1",
                "--endpoint-url",
                "http://",
            ],
        ),
        (
            &[("AWS_DEFAULT_OUTPUT", Some("csv"))],
            &["ecr", "describe-repositories", "--cli-read-timeout", "-1"],
        ),
        (
            &[("AWS_DEFAULT_REGION", None)],
            &["ecr", "describe-repositories", "--cli-read-timeout", "-1"],
        ),
        (
            &[("AWS_DEFAULT_REGION", None)],
            &["ecr", "describe-repositories", "--generate-cli-skeleton"],
        ),
        (
            &[],
            &["ecr", "describe-images", "--endpoint-url", "notaurl"],
        ),
        (&[], &["ecr", "describe-images", "--cli-read-timeout", "-1"]),
        (
            &[("AWS_DEFAULT_OUTPUT", Some("csv"))],
            &["ecr", "describe-images", "--repository-name", "x"],
        ),
        (
            &[("AWS_DEFAULT_OUTPUT", Some("csv"))],
            &["ecr", "get-lifecycle-policy", "--repository-name", "x"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repoz",
                "--query",
                "foo[",
                "--cli-read-timeout",
                "x",
            ],
        ),
        (&[], &["ecr", "describe-repoz", "--cli-read-timeout", "x"]),
        (&[], &["ecr", "get-login-password", "--region", "us east"]),
        (
            &[],
            &["ecr", "get-login-password", "--cli-connect-timeout", "-3"],
        ),
        (
            &[],
            &[
                "ecr",
                "wait",
                "image-scan-complete",
                "--repository-name",
                "app",
                "--image-id",
                "imageTag=a",
                "--region",
                "12",
            ],
        ),
        (
            &[("AWS_PROFILE", Some("nope"))],
            &["ecr", "describe-repositories"],
        ),
        (
            &[],
            &[
                "ecr",
                "describe-repositories",
                "--no-paginate",
                "--max-items",
                "1",
            ],
        ),
    ]);
}
