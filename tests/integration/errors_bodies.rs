//! Answers that are not the service's JSON, and every error path a user can
//! meet, compared live with aws CLI v2 (the oracle): a proxy's HTML page, a
//! plain-text 503, an empty 5xx, a JSON error without `__type`, an
//! `x-amzn-ErrorType` header over a body that is not JSON, for ECR and ECR
//! Public; each `--cli-error-format`; a waiter and a paginated call meeting
//! such an error; a 200 whose body is not JSON or is empty, in each output
//! format; retries (which statuses, how many attempts: counted on the
//! server); connections refused, closed, reset, answered with garbage,
//! timed out, TLS spoken to a plain port; bad `--endpoint-url` forms; bad
//! retry settings and missing credentials.
//!
//! Every case runs aws v2 and rcr with the same command line, environment and
//! server (its script reset between the two runs) and requires the same
//! stdout, the same stderr (with `rcr` where aws names itself) and the same
//! exit code, and as many requests from each.

use std::io::Write;
use std::net::TcpStream;

use serde_json::{Value, json};

use crate::common::{self, AwsV2, CaptureServer, FaultServer, Output, Run};

/// Retries are kept short: two attempts, one back-off of at most a second.
const FAST: (&str, &str) = ("AWS_MAX_ATTEMPTS", "2");

const BAD_GATEWAY: &str = "<html><body><h1>502 Bad Gateway</h1></body></html>";

/// aws's text with `rcr` where aws names itself as the program: the
/// `aws: [ERROR]` prefix and the usage block. The commands its messages
/// suggest (`"aws configure"`, `"aws login"`) are aws's own, which rcr
/// names as they are.
fn as_rcr(text: &str) -> String {
    text.replace("aws: [ERROR]", "rcr: [ERROR]")
        .replace("usage: aws ", "usage: rcr ")
        .replace("\n  aws ", "\n  rcr ")
}

/// One command line run by both programs.
struct Case {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// The config file both programs read (empty when `None`).
    config: Option<&'static str>,
    /// The credentials file both programs read (empty when `None`).
    credentials: Option<&'static str>,
}

impl Case {
    fn new(name: &'static str, args: &[&str]) -> Case {
        Case {
            name,
            args: args.iter().map(|s| s.to_string()).collect(),
            env: vec![(FAST.0, FAST.1.to_string())],
            config: None,
            credentials: None,
        }
    }

    fn env(mut self, key: &'static str, value: &str) -> Case {
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, value.to_string()));
        self
    }

    fn without_env(mut self, key: &'static str) -> Case {
        self.env.retain(|(k, _)| *k != key);
        self.env.push((key, String::from("\u{0}remove")));
        self
    }

    fn config(mut self, text: &'static str) -> Case {
        self.config = Some(text);
        self
    }

    /// Credentials from the files alone: no keys in the environment.
    fn files(mut self, config: &'static str, credentials: &'static str) -> Case {
        self.config = Some(config);
        self.credentials = Some(credentials);
        self.without_env("AWS_ACCESS_KEY_ID")
            .without_env("AWS_SECRET_ACCESS_KEY")
            .without_env("AWS_SESSION_TOKEN")
    }

    fn arg(mut self, arg: &str) -> Case {
        self.args.push(arg.to_string());
        self
    }

    fn prepare(&self, mut run: Run) -> Run {
        run.args(&self.args);
        for (k, v) in &self.env {
            if v == "\u{0}remove" {
                run.env_remove(*k);
            } else {
                run.env(*k, v);
            }
        }
        if let Some(config) = self.config {
            run.write_config(config);
        }
        if let Some(credentials) = self.credentials {
            run.write_credentials(credentials);
        }
        run
    }

    fn run_aws(&self, aws: &AwsV2) -> Output {
        self.prepare(aws.command()).run()
    }

    fn run_rcr(&self) -> Output {
        self.prepare(Run::rcr()).run()
    }
}

/// What differs between aws's run and rcr's, if anything.
fn differences(
    case: &Case,
    aws: &Output,
    rcr: &Output,
    requests: (usize, usize),
) -> Option<String> {
    let mut diffs = Vec::new();
    let (aws_out, aws_err) = (aws.stdout_str(), as_rcr(&aws.stderr_str()));
    let (rcr_out, rcr_err) = (rcr.stdout_str(), rcr.stderr_str());
    if aws_out != rcr_out {
        diffs.push(format!("stdout:\n  aws: {aws_out:?}\n  rcr: {rcr_out:?}"));
    }
    if aws_err != rcr_err {
        diffs.push(format!("stderr:\n  aws: {aws_err:?}\n  rcr: {rcr_err:?}"));
    }
    if aws.exit_code() != rcr.exit_code() {
        diffs.push(format!(
            "exit code: aws {}, rcr {}",
            aws.exit_code(),
            rcr.exit_code()
        ));
    }
    if requests.0 != requests.1 {
        diffs.push(format!(
            "requests: aws sent {}, rcr {}",
            requests.0, requests.1
        ));
    }
    (!diffs.is_empty()).then(|| {
        format!(
            "{} ({}):\n{}",
            case.name,
            case.args.join(" "),
            diffs.join("\n")
        )
    })
}

/// Runs each `(script, case)` through aws and rcr against a capture server
/// answering from `script` (reset before each run), with `--endpoint-url`
/// added, and fails listing every case that differs.
#[track_caller]
fn compare_scripted(cases: Vec<(Value, Case)>) {
    let aws = AwsV2::new();
    let total = cases.len();
    let mut failures = Vec::new();
    for (script, case) in cases {
        let server = CaptureServer::start(script.clone());
        let case = case.arg("--endpoint-url").arg(&server.url());
        let aws_out = case.run_aws(&aws);
        let aws_requests = server.take_requests().len();
        server.set_script(script);
        let rcr_out = case.run_rcr();
        let rcr_requests = server.take_requests().len();
        if aws_requests == 0 && case.name.contains("retr") {
            failures.push(format!("{}: aws sent nothing", case.name));
        }
        failures.extend(differences(
            &case,
            &aws_out,
            &rcr_out,
            (aws_requests, rcr_requests),
        ));
    }
    common::assert_no_failures(&failures, total, "cases differ from aws v2", "\n\n");
}

/// A script answering `operation` with a raw body.
fn raw(operation: &str, status: u16, content_type: &str, body: &str) -> Value {
    json!({ operation: { "__status": status, "__content_type": content_type, "__raw": body } })
}

fn describe_repositories(service: &str) -> Vec<&str> {
    vec![service, "describe-repositories"]
}

#[test]
fn error_bodies_that_are_not_json_read_as_aws_reads_them() {
    let dr = "DescribeRepositories";
    let cases = vec![
        (
            raw(dr, 502, "text/html", BAD_GATEWAY),
            Case::new("502 html page, retried", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 502, "text/html", BAD_GATEWAY),
            Case::new(
                "502 html page, ecr-public, retried",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(
                dr,
                503,
                "text/plain",
                "Service Unavailable: try again later",
            ),
            Case::new("503 plain text, retried", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 503, "text/plain", "upstream down\nretry later\n"),
            Case::new(
                "503 plain text, ecr-public, retried",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(
                dr,
                403,
                "text/html",
                "<html><body>Forbidden by proxy policy</body></html>",
            ),
            Case::new("403 html from a proxy", &describe_repositories("ecr")),
        ),
        (
            raw(
                dr,
                403,
                "text/html",
                "<html><body>Forbidden by proxy policy</body></html>",
            ),
            Case::new(
                "403 html from a proxy, ecr-public",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(
                dr,
                404,
                "text/html",
                "<html><head><title>404</title></head><body>Not Found</body></html>",
            ),
            Case::new("404 html", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 429, "text/plain", "Too Many Requests"),
            Case::new("429 plain text, not retried", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 400, "text/plain", "Bad request"),
            Case::new("400 plain text", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 500, "application/x-amz-json-1.1", ""),
            Case::new("500 empty body, retried", &describe_repositories("ecr")),
        ),
        (
            raw(dr, 504, "text/plain", "  \n"),
            Case::new(
                "504 blank body, ecr-public, retried",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(dr, 400, "application/x-amz-json-1.1", ""),
            Case::new("400 empty body", &describe_repositories("ecr")),
        ),
        (
            raw(
                dr,
                500,
                "application/x-amz-json-1.1",
                r#"{"message":"no type here"}"#,
            ),
            Case::new(
                "500 json without __type, retried",
                &describe_repositories("ecr"),
            ),
        ),
        (
            raw(
                dr,
                400,
                "application/x-amz-json-1.1",
                r#"{"Message":"capital message"}"#,
            ),
            Case::new(
                "400 json without __type",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            json!({dr: {"__status": 400, "__type": "ThrottlingException", "__content_type": "text/plain", "__raw": "slow down"}}),
            Case::new(
                "x-amzn-ErrorType header over a text body",
                &describe_repositories("ecr"),
            ),
        ),
        (
            json!({dr: {"__status": 400, "__type": "RepositoryNotFoundException", "__content_type": "text/plain", "__raw": "<html>gone</html>"}}),
            Case::new(
                "x-amzn-ErrorType header over html, ecr-public",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(
                dr,
                400,
                "application/x-amz-json-1.1",
                r#"{"__type":"com.amazon.coral.availability#ThrottlingException:http://internal.amazon.com/","message":"Rate exceeded"}"#,
            ),
            Case::new(
                "namespaced throttling code, retried",
                &describe_repositories("ecr"),
            ),
        ),
        (
            raw(
                dr,
                503,
                "text/html",
                "<!DOCTYPE html>\n<html><body>maintenance</body></html>\n",
            ),
            Case::new(
                "503 doctype html is the message, retried",
                &describe_repositories("ecr"),
            ),
        ),
        (
            json!({dr: {"__status": 302, "__content_type": "text/html", "__headers": {"Location": "http://127.0.0.1:9/login"}, "__raw": "<html><body>Found</body></html>"}}),
            Case::new(
                "302 to a captive portal's login page",
                &describe_repositories("ecr"),
            ),
        ),
        (
            raw(dr, 407, "text/plain", "Proxy Authentication Required"),
            Case::new(
                "407 from a proxy, ecr-public",
                &describe_repositories("ecr-public"),
            ),
        ),
        (
            raw(dr, 500, "application/json", "[1, 2]"),
            Case::new(
                "500 json that is not an object, retried",
                &describe_repositories("ecr"),
            ),
        ),
        (
            raw(dr, 502, "text/html", BAD_GATEWAY),
            Case::new(
                "502 with one attempt: max retries 0",
                &describe_repositories("ecr"),
            )
            .env("AWS_MAX_ATTEMPTS", "1"),
        ),
        (
            raw(dr, 503, "text/plain", "busy"),
            Case::new("503 adaptive mode, retried", &describe_repositories("ecr"))
                .env("AWS_RETRY_MODE", "adaptive"),
        ),
        (
            raw("ListImages", 502, "text/html", BAD_GATEWAY),
            Case::new(
                "502 on list-images with a query",
                &[
                    "ecr",
                    "list-images",
                    "--repository-name",
                    "app",
                    "--query",
                    "imageIds[0]",
                ],
            ),
        ),
    ];
    compare_scripted(cases);
}

#[test]
fn each_error_format_for_an_error_body() {
    let mut cases = Vec::new();
    for format in ["legacy", "json", "yaml", "text", "table", "enhanced"] {
        for (status, content_type, body) in [
            (503, "text/plain", "upstream down\nretry later\n"),
            (502, "text/html", BAD_GATEWAY),
            (
                403,
                "text/html",
                "<html><body>Forbidden by proxy policy</body></html>",
            ),
            (500, "application/json", "[1]"),
        ] {
            let name = match status {
                503 => "503 text in a format, retried",
                502 => "502 html in a format, retried",
                500 => "500 json list in a format, not retried",
                _ => "403 html in a format",
            };
            cases.push((
                raw("DescribeRepositories", status, content_type, body),
                Case::new(
                    name,
                    &["ecr", "describe-repositories", "--cli-error-format", format],
                ),
            ));
        }
    }
    compare_scripted(cases);
}

#[test]
fn waiters_and_pages_meeting_an_error_body() {
    let page_one = json!({"repositories": [{"repositoryName": "app"}], "nextToken": "t2"});
    let second_page_fails = |status: u16, content_type: &str, body: &str| {
        json!({"DescribeRepositories": [
            {"__when_token": null, "repositories": page_one["repositories"], "nextToken": "t2"},
            {"__when_token": "t2", "__status": status, "__content_type": content_type, "__raw": body}
        ]})
    };
    let wait = [
        "ecr",
        "wait",
        "image-scan-complete",
        "--repository-name",
        "app",
        "--image-id",
        "imageTag=v1",
    ];
    let cases = vec![
        (
            raw("DescribeImageScanFindings", 502, "text/html", BAD_GATEWAY),
            Case::new("waiter meets a 502 page, retried", &wait),
        ),
        (
            raw(
                "DescribeImageScanFindings",
                404,
                "text/html",
                "<html>not here</html>",
            ),
            Case::new("waiter meets a 404 page", &wait),
        ),
        (
            second_page_fails(502, "text/html", BAD_GATEWAY),
            Case::new(
                "second page 502, json, retried",
                &["ecr", "describe-repositories"],
            ),
        ),
        (
            second_page_fails(503, "text/plain", "upstream down"),
            Case::new(
                "second page 503, text, retried",
                &["ecr", "describe-repositories", "--output", "text"],
            ),
        ),
        (
            second_page_fails(403, "text/html", "<html>denied</html>"),
            Case::new(
                "second page 403, yaml-stream",
                &["ecr", "describe-repositories", "--output", "yaml-stream"],
            ),
        ),
        (
            json!({"DescribeRepositories": [
                {"__status": 502, "__content_type": "text/html", "__raw": BAD_GATEWAY, "__times": 1},
                {"repositories": [{"repositoryName": "app"}]}
            ]}),
            Case::new(
                "502 once then success, retried",
                &["ecr", "describe-repositories"],
            ),
        ),
    ];
    compare_scripted(cases);
}

#[test]
fn success_bodies_that_are_not_json_are_documents_without_members() {
    let html = "<html><body>Welcome to the captive portal</body></html>";
    let mut cases = Vec::new();
    for output in ["json", "text", "table", "yaml", "yaml-stream"] {
        cases.push((
            raw("DescribeRepositories", 200, "text/html", html),
            Case::new(
                "200 html, paginated",
                &["ecr", "describe-repositories", "--output", output],
            ),
        ));
        cases.push((
            raw("DescribeRegistry", 200, "application/x-amz-json-1.1", ""),
            Case::new(
                "200 empty",
                &["ecr", "describe-registry", "--output", output],
            ),
        ));
    }
    cases.extend([
        (
            raw("GetAuthorizationToken", 200, "text/html", html),
            Case::new(
                "200 html with a query",
                &[
                    "ecr",
                    "get-authorization-token",
                    "--query",
                    "authorizationData",
                    "--output",
                    "text",
                ],
            ),
        ),
        (
            raw("DescribeRegistries", 200, "text/plain", "ok"),
            Case::new(
                "200 text, ecr-public",
                &["ecr-public", "describe-registries"],
            ),
        ),
        (
            raw("DescribeRepositories", 200, "application/json", "[1, 2]"),
            Case::new("200 json list", &["ecr", "describe-repositories"]),
        ),
        (
            raw("DescribeRegistry", 200, "application/json", "null"),
            Case::new("200 json null", &["ecr", "describe-registry"]),
        ),
        (
            raw("DescribeRegistries", 200, "application/json", "1.5"),
            Case::new(
                "200 json number, ecr-public",
                &["ecr-public", "describe-registries"],
            ),
        ),
        (
            raw(
                "DescribeRepositories",
                200,
                "application/x-amz-json-1.1",
                r#"{"repositories": [{"repositoryName": "a""#,
            ),
            Case::new("200 truncated json", &["ecr", "describe-repositories"]),
        ),
        (
            raw("GetAuthorizationToken", 200, "text/html", html),
            Case::new(
                "get-login-password meets 200 html",
                &["ecr", "get-login-password"],
            ),
        ),
        (
            raw(
                "GetAuthorizationToken",
                200,
                "application/x-amz-json-1.1",
                "",
            ),
            Case::new(
                "get-login-password meets 200 empty, ecr-public",
                &["ecr-public", "get-login-password"],
            ),
        ),
        (
            raw(
                "GetAuthorizationToken",
                200,
                "application/x-amz-json-1.1",
                r#"{"authorizationData": []}"#,
            ),
            Case::new(
                "get-login-password meets no authorization data",
                &["ecr", "get-login-password"],
            ),
        ),
        (
            raw(
                "GetAuthorizationToken",
                200,
                "application/x-amz-json-1.1",
                r#"{"authorizationData": [{}]}"#,
            ),
            Case::new(
                "get-login-password meets no token",
                &["ecr", "get-login-password"],
            ),
        ),
        (
            raw("GetAuthorizationToken", 502, "text/html", BAD_GATEWAY),
            Case::new(
                "get-login-password meets a 502 page, retried",
                &["ecr", "get-login-password"],
            ),
        ),
        (
            raw(
                "GetAuthorizationToken",
                503,
                "text/plain",
                "down for maintenance",
            ),
            Case::new(
                "get-login-password meets a 503, ecr-public, retried",
                &["ecr-public", "get-login-password"],
            ),
        ),
    ]);
    compare_scripted(cases);
}

/// The default retries, once: three attempts with aws's back-off.
#[test]
fn default_attempts_for_a_bad_gateway() {
    compare_scripted(vec![(
        raw("DescribeRepositories", 502, "text/html", BAD_GATEWAY),
        Case::new(
            "502 with the default attempts, retried",
            &["ecr", "describe-repositories"],
        )
        .without_env("AWS_MAX_ATTEMPTS"),
    )]);
}

/// `--debug` on an error body: the log differs (it is rcr's own), but the
/// run ends as aws's does, with the same last line.
#[test]
fn debug_on_an_error_body_does_not_crash() {
    let aws = AwsV2::new();
    for service in ["ecr", "ecr-public"] {
        let script = raw("DescribeRepositories", 502, "text/html", BAD_GATEWAY);
        let server = CaptureServer::start(script);
        let case = Case::new("debug", &[service, "describe-repositories", "--debug"])
            .arg("--endpoint-url")
            .arg(&server.url());
        let (a, r) = (case.run_aws(&aws), case.run_rcr());
        assert_eq!(a.exit_code(), r.exit_code(), "{a}\n{r}");
        assert_eq!(a.stdout_str(), r.stdout_str(), "{a}\n{r}");
        let last = |o: &Output| o.stderr_str().trim_end().lines().last().map(str::to_string);
        assert_eq!(last(&a).map(|l| as_rcr(&l)), last(&r), "{a}\n{r}");
        assert!(!r.stderr_str().contains("panicked"), "{r}");
    }
}

/// Runs `case` through both programs against `url` (added as
/// `--endpoint-url` unless `None`), counting requests with `count`.
fn compare_with(
    aws: &AwsV2,
    case: Case,
    url: Option<&str>,
    count: &dyn Fn() -> usize,
) -> Option<String> {
    let case = match url {
        Some(url) => case.arg("--endpoint-url").arg(url),
        None => case,
    };
    let before = count();
    let aws_out = case.run_aws(aws);
    let middle = count();
    let rcr_out = case.run_rcr();
    let after = count();
    differences(&case, &aws_out, &rcr_out, (middle - before, after - middle))
}

#[test]
fn connection_faults_read_as_aws_words_them() {
    let aws = AwsV2::new();
    let mut failures = Vec::new();
    let mut total = 0;
    let mut check = |case: Case, url: Option<&str>, count: &dyn Fn() -> usize| {
        total += 1;
        failures.extend(compare_with(&aws, case, url, count));
    };
    let dr = ["ecr", "describe-repositories"];
    let none = || 0;

    // A port nobody listens on.
    let closed = format!("http://127.0.0.1:{}", common::free_port());
    check(Case::new("connection refused", &dr), Some(&closed), &none);
    check(
        Case::new("connection refused, json error format", &dr)
            .arg("--cli-error-format")
            .arg("json"),
        Some(&closed),
        &none,
    );
    check(
        Case::new(
            "connection refused, ecr-public",
            &["ecr-public", "describe-repositories"],
        ),
        Some(&closed),
        &none,
    );

    let closes = FaultServer::start(|_, _, _| false);
    check(
        Case::new("closed without an answer, retried", &dr),
        Some(&closes.url()),
        &|| closes.heads().len(),
    );

    let garbage = FaultServer::start(|_, _, stream: &mut TcpStream| {
        let _ = stream.write_all(b"HELLO WORLD\r\n\r\n");
        false
    });
    check(
        Case::new("garbage for an answer, retried", &dr),
        Some(&garbage.url()),
        &|| garbage.heads().len(),
    );

    let bad_status = FaultServer::start(|_, _, stream: &mut TcpStream| {
        let _ = stream.write_all(b"HTTP/1.1 abc OK\r\nContent-Length: 2\r\n\r\n{}");
        false
    });
    check(
        Case::new("a status that is not a number, retried", &dr),
        Some(&bad_status.url()),
        &|| bad_status.heads().len(),
    );

    let cut = FaultServer::start(|_, head, stream: &mut TcpStream| {
        common::fault::read_body(stream, head);
        let _ = stream.write_all(format!("{}{{\"repo", common::fault::ok_head(100)).as_bytes());
        false
    });
    check(
        Case::new("body cut short, retried", &dr),
        Some(&cut.url()),
        &|| cut.heads().len(),
    );

    let reset = FaultServer::start(|_, _, stream: &mut TcpStream| {
        common::fault::reset_mid_response(stream)
    });
    check(
        Case::new("reset in the middle, retried", &dr),
        Some(&reset.url()),
        &|| reset.heads().len(),
    );

    let silent = FaultServer::start(|_, head, stream: &mut TcpStream| {
        common::fault::never_answer(stream, head, 5)
    });
    check(
        Case::new("read timeout, retried", &dr)
            .arg("--cli-read-timeout")
            .arg("1"),
        Some(&silent.url()),
        &|| silent.heads().len(),
    );

    // TLS spoken to a plain HTTP server, which answers the ClientHello
    // with a 400 page.
    let plain = FaultServer::answering_at_once(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad request",
    );
    let https = format!("https://{}", plain.authority());
    check(
        Case::new("https to a plain port, retried", &dr),
        Some(&https),
        &|| plain.heads().len(),
    );

    let srv = CaptureServer::start(json!({"*": {}}));
    let ftp = format!("ftp://{}", srv.addr());
    check(Case::new("ftp scheme", &dr), Some(&ftp), &none);
    for (name, url) in [
        ("scheme without a host", "http://"),
        ("no scheme", "127.0.0.1:5000"),
        ("empty endpoint", ""),
        ("port out of range", "http://127.0.0.1:99999"),
        ("port not a number", "http://127.0.0.1:abc"),
        ("unclosed ipv6 bracket", "http://[::1"),
    ] {
        check(Case::new(name, &dr), Some(url), &none);
    }
    drop(silent);
    common::assert_no_failures(&failures, total, "cases differ from aws v2", "\n\n");
}

#[test]
fn settings_and_credentials_errors_read_as_aws_words_them() {
    let aws = AwsV2::new();
    let server = CaptureServer::start(json!({"*": {}}));
    let count = || server.requests().len();
    let dr = ["ecr", "describe-repositories"];
    let cases = vec![
        Case::new("no credentials", &dr)
            .without_env("AWS_ACCESS_KEY_ID")
            .without_env("AWS_SECRET_ACCESS_KEY"),
        Case::new("no secret key", &dr).without_env("AWS_SECRET_ACCESS_KEY"),
        Case::new("no access key", &dr).without_env("AWS_ACCESS_KEY_ID"),
        Case::new("no region", &dr)
            .without_env("AWS_DEFAULT_REGION")
            .without_env("AWS_REGION"),
        Case::new(
            "region with a space",
            &["ecr", "describe-repositories", "--region", "us east"],
        ),
        Case::new(
            "region not ascii, before a bad retry setting",
            &["ecr", "describe-repositories", "--region", "é"],
        )
        .env("AWS_MAX_ATTEMPTS", "abc"),
        Case::new("region from the environment ending in a hyphen", &dr)
            .env("AWS_DEFAULT_REGION", "us-east-"),
        Case::new("legacy retry mode from the environment", &dr).env("AWS_RETRY_MODE", "legacy"),
        Case::new("unknown retry mode", &dr).env("AWS_RETRY_MODE", "bogus"),
        Case::new("legacy retry mode from the profile", &dr)
            .config("[default]\nretry_mode = legacy\n"),
        Case::new("max attempts not a number", &dr).env("AWS_MAX_ATTEMPTS", "abc"),
        Case::new("max attempts negative", &dr).env("AWS_MAX_ATTEMPTS", "-1"),
        Case::new("max attempts zero", &dr).env("AWS_MAX_ATTEMPTS", "0"),
        Case::new("max attempts in the profile", &dr)
            .without_env("AWS_MAX_ATTEMPTS")
            .config("[default]\nmax_attempts = x\n"),
        Case::new("access key alone in the credentials file", &dr)
            .files("", "[default]\naws_access_key_id = AKIDEXAMPLE\n"),
        Case::new("access key alone in the config file", &dr)
            .files("[default]\naws_access_key_id = AKIDEXAMPLE\n", ""),
        Case::new(
            "access key alone in a --profile",
            &["ecr", "describe-repositories", "--profile", "p"],
        )
        .files("[profile p]\naws_access_key_id = AKIDEXAMPLE\n", ""),
        Case::new("credential_process failing with a message", &dr).files(
            "[default]\ncredential_process = sh -c \"echo no credentials here >&2; exit 3\"\n",
            "",
        ),
        Case::new("credential_process failing silently", &dr)
            .files("[default]\ncredential_process = false\n", ""),
        Case::new("role without a source", &dr).files(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\n",
            "",
        ),
        Case::new("role whose source profile does not exist", &dr).files(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = gone\n",
            "",
        ),
    ];
    let total = cases.len();
    let failures: Vec<String> = cases
        .into_iter()
        .filter_map(|case| compare_with(&aws, case, Some(&server.url()), &count))
        .collect();
    common::assert_no_failures(&failures, total, "cases differ from aws v2", "\n\n");
}

#[test]
fn program_name_is_replaced_only_where_it_is_a_word() {
    assert_eq!(as_rcr("\naws: [ERROR]: x\n"), "\nrcr: [ERROR]: x\n");
    assert_eq!(as_rcr("usage: aws [options]"), "usage: rcr [options]");
    assert_eq!(as_rcr("running \"aws login\"."), "running \"aws login\".");
    assert_eq!(as_rcr("\n  aws help\n"), "\n  rcr help\n");
}

/// A control character in the keys cannot go into a header. aws's HTTP
/// client names the header's whole value (the signature, the token); rcr
/// says the same without it, and never panics in the SDK's signer.
#[test]
fn control_characters_in_the_keys_are_an_error_not_a_panic() {
    let server = CaptureServer::start(json!({"*": {}}));
    for (key, value) in [
        ("AWS_ACCESS_KEY_ID", "AKID\u{1}EXAMPLE"),
        ("AWS_SESSION_TOKEN", "tok\nen"),
    ] {
        let out = Run::rcr()
            .args([
                "ecr",
                "describe-repositories",
                "--endpoint-url",
                &server.url(),
            ])
            .env(key, value)
            .run();
        out.assert_error(
            255,
            "\nrcr: [ERROR]: An HTTP Client raised an unhandled exception: Invalid header value (redacted)\n",
        );
    }
    assert!(server.requests().is_empty());
}
