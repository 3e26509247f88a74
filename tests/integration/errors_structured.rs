//! aws v2.34's error output: `--cli-error-format` in each format (from the
//! flag, `AWS_CLI_ERROR_FORMAT` or the profile) for service errors with
//! modeled members, usage errors and connection errors; `--output off`; the
//! unknown-options layout; a bad output type from the environment or the
//! profile; `(reached max retries: N)`; `--page-size` checked as the limit
//! member; JMESPath errors worded as aws's Python jmespath words them
//! (compared with the aws CLI v1, which uses the same library).
//!
//! Every case runs the real binary against a capture server on 127.0.0.1
//! and checks stderr byte for byte and the exit code.

use crate::common::{self, CaptureServer, Output, Run, repository_call};
use serde_json::json;

const KMS_LINE: &str = "rcr: [ERROR]: An error occurred (KmsException) when calling the CreateRepository operation: The KMS key is disabled.";

fn kms_server() -> CaptureServer {
    CaptureServer::start(json!({
        "CreateRepository": {
            "__status": 400,
            "__type": "KmsException",
            "message": "The KMS key is disabled.",
            "kmsError": "DisabledException"
        },
        "UploadLayerPart": {
            "__status": 400,
            "__type": "InvalidLayerPartException",
            "message": "The layer part is not valid.",
            "registryId": "123456789012",
            "repositoryName": "shop/cart",
            "uploadId": "u-1",
            "lastValidByteReceived": 41,
            "unmodeled": "dropped"
        },
        "ListImages": {"imageIds": [{"imageTag": "v1", "imageDigest": "sha256:aa"}]},
        "DescribeRegistry": {"registryId": "123456789012"}
    }))
}

fn rcr(server: &CaptureServer, args: &[&str]) -> Run {
    let mut run = Run::rcr();
    run.args(args).args(["--endpoint-url", &server.url()]);
    run
}

/// `ecr <operation> --repository-name shop/cart` followed by `extra`.
fn on_cart<'a>(operation: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["ecr", operation, "--repository-name", "shop/cart"];
    args.extend_from_slice(extra);
    args
}

const CREATE: &[&str] = &["ecr", "create-repository", "--repository-name", "shop/cart"];

#[track_caller]
fn expect(out: &Output, code: i32, stderr: &str) {
    assert_eq!(out.exit_code(), code, "{out}");
    assert_eq!(out.stderr_str(), stderr, "{out}");
    assert_eq!(out.stdout_str(), "", "{out}");
}

/// Runs `args` once with each `--cli-error-format` of `cases` and expects
/// exit `code` with that format's stderr.
#[track_caller]
fn expect_in_each_format(
    server: &CaptureServer,
    args: &[&str],
    code: i32,
    cases: &[(&str, String)],
) {
    for (format, stderr) in cases {
        let out = rcr(server, args).args(["--cli-error-format", format]).run();
        expect(&out, code, stderr);
    }
}

#[test]
fn service_error_in_each_format() {
    let server = kms_server();
    let enhanced =
        format!("\n{KMS_LINE}\n\nAdditional error details:\nkmsError: DisabledException\n");
    expect(&rcr(&server, CREATE).run(), 254, &enhanced);
    let formats = [
        ("enhanced", enhanced.clone()),
        ("legacy", format!("\n{KMS_LINE}\n")),
        (
            "json",
            "{\n    \"Message\": \"The KMS key is disabled.\",\n    \"Code\": \"KmsException\",\n    \"message\": \"The KMS key is disabled.\",\n    \"kmsError\": \"DisabledException\"\n}\n".into(),
        ),
        (
            "yaml",
            "Code: KmsException\nMessage: The KMS key is disabled.\nkmsError: DisabledException\nmessage: The KMS key is disabled.\n".into(),
        ),
        (
            "text",
            "KmsException\tThe KMS key is disabled.\tDisabledException\tThe KMS key is disabled.\n".into(),
        ),
        (
            "table",
            "------------------------------------------\n|                  error                 |\n+-----------+----------------------------+\n|  Code     |  KmsException              |\n|  Message  |  The KMS key is disabled.  |\n|  kmsError |  DisabledException         |\n|  message  |  The KMS key is disabled.  |\n+-----------+----------------------------+\n".into(),
        ),
    ];
    expect_in_each_format(&server, CREATE, 254, &formats);
    // One request per run: a KmsException is not retried.
    assert_eq!(server.requests().len(), formats.len() + 1);
}

#[test]
fn invalid_layer_part_lists_its_four_members() {
    let server = kms_server();
    let upload = on_cart(
        "upload-layer-part",
        &[
            "--upload-id",
            "u-1",
            "--part-first-byte",
            "0",
            "--part-last-byte",
            "1",
            "--layer-part-blob",
            "aGk=",
        ],
    );
    let line = "rcr: [ERROR]: An error occurred (InvalidLayerPartException) when calling the UploadLayerPart operation: The layer part is not valid.";
    expect(
        &rcr(&server, &upload).run(),
        254,
        &format!(
            "\n{line}\n\nAdditional error details:\nregistryId: 123456789012\nrepositoryName: shop/cart\nuploadId: u-1\nlastValidByteReceived: 41\n"
        ),
    );
    let formats = [
        (
            "json",
            "{\n    \"Message\": \"The layer part is not valid.\",\n    \"Code\": \"InvalidLayerPartException\",\n    \"registryId\": \"123456789012\",\n    \"repositoryName\": \"shop/cart\",\n    \"uploadId\": \"u-1\",\n    \"lastValidByteReceived\": 41,\n    \"message\": \"The layer part is not valid.\"\n}\n".into(),
        ),
        (
            "yaml",
            "Code: InvalidLayerPartException\nMessage: The layer part is not valid.\nlastValidByteReceived: 41\nmessage: The layer part is not valid.\nregistryId: '123456789012'\nrepositoryName: shop/cart\nuploadId: u-1\n".into(),
        ),
    ];
    expect_in_each_format(&server, &upload, 254, &formats);
}

const USAGE_BLOCK: &str = "usage: rcr [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  rcr help\n  rcr <command> help\n  rcr <command> <subcommand> help\n";

#[test]
fn usage_error_in_each_format() {
    let server = kms_server();
    let args = on_cart("put-image-tag-mutability", &[]);
    let message = "the following arguments are required: --image-tag-mutability";
    let enhanced =
        format!("\nrcr: [ERROR]: An error occurred (ParamValidation): {message}\n\n{USAGE_BLOCK}");
    expect(&rcr(&server, &args).run(), 252, &enhanced);
    let json_message = format!("{message}\n\n{USAGE_BLOCK}").replace('\n', "\\n");
    let cases = [
        ("enhanced", enhanced.clone()),
        (
            "legacy",
            format!("\nrcr: [ERROR]: {message}\n\n{USAGE_BLOCK}"),
        ),
        (
            "json",
            format!(
                "{{\n    \"Code\": \"ParamValidation\",\n    \"Message\": \"{json_message}\"\n}}\n"
            ),
        ),
        (
            "text",
            format!("ParamValidation\t{message}\n\n{USAGE_BLOCK}\n"),
        ),
    ];
    expect_in_each_format(&server, &args, 252, &cases);
    // Validation errors are ParamValidation documents too.
    let out = rcr(
        &server,
        &["ecr", "create-repository", "--repository-name", "x"],
    )
    .args(["--cli-error-format", "json"])
    .run();
    expect(
        &out,
        252,
        "{\n    \"Code\": \"ParamValidation\",\n    \"Message\": \"Parameter validation failed:\\nInvalid length for parameter repositoryName, value: 1, valid min length: 2\"\n}\n",
    );
    assert!(server.requests().is_empty(), "nothing is sent");
}

#[test]
fn connection_errors_keep_the_plain_line() {
    let port = common::free_port();
    let url = format!("http://127.0.0.1:{port}");
    for format in ["enhanced", "legacy", "json", "yaml", "text", "table"] {
        let out = Run::rcr()
            .args(["ecr", "describe-registry", "--endpoint-url", &url])
            .args(["--cli-error-format", format])
            .env("AWS_MAX_ATTEMPTS", "1")
            .run();
        expect(
            &out,
            255,
            &format!("\nrcr: [ERROR]: Could not connect to the endpoint URL: \"{url}/\"\n"),
        );
    }
}

#[test]
fn flag_then_environment_then_profile() {
    let server = kms_server();
    let legacy = format!("\n{KMS_LINE}\n");
    let json_start = "{\n    \"Message\": \"The KMS key is disabled.\",";
    // Profile alone.
    let out = rcr(&server, CREATE)
        .write_config("[default]\ncli_error_format = legacy\n")
        .run();
    expect(&out, 254, &legacy);
    // A named profile's setting (AWS_PROFILE: the environment's keys still
    // sign).
    let out = rcr(&server, CREATE)
        .env("AWS_PROFILE", "p")
        .write_config(
            "[default]\ncli_error_format = json\n[profile p]\ncli_error_format = legacy\n",
        )
        .run();
    expect(&out, 254, &legacy);
    // The environment over the profile, lowercased as aws does.
    let out = rcr(&server, CREATE)
        .write_config("[default]\ncli_error_format = legacy\n")
        .env("AWS_CLI_ERROR_FORMAT", "JSON")
        .run();
    assert!(out.stderr_str().starts_with(json_start), "{out}");
    // The flag over both.
    let out = rcr(&server, CREATE)
        .write_config("[default]\ncli_error_format = json\n")
        .env("AWS_CLI_ERROR_FORMAT", "json")
        .args(["--cli-error-format", "legacy"])
        .run();
    expect(&out, 254, &legacy);
    // An unknown configured value: aws's warning, then enhanced.
    let out = rcr(&server, CREATE)
        .env("AWS_CLI_ERROR_FORMAT", "xml")
        .run();
    expect(
        &out,
        254,
        &format!(
            "Invalid cli_error_format: 'xml'. Using 'enhanced' format.\n\n{KMS_LINE}\n\nAdditional error details:\nkmsError: DisabledException\n"
        ),
    );
    for (flags, message) in [
        // An unknown flag value is a usage error, written in the configured
        // format.
        (
            &["--cli-error-format", "xml"][..],
            "argument --cli-error-format: Found invalid choice 'xml'",
        ),
        // An error in the global options leaves aws without them: the flag
        // is not read, the environment decides.
        (
            &["--output", "csv", "--cli-error-format", "json"],
            "argument --output: Found invalid choice 'csv'",
        ),
    ] {
        let out = rcr(&server, CREATE).args(flags).run();
        expect(
            &out,
            252,
            &format!(
                "\nrcr: [ERROR]: An error occurred (ParamValidation): {message}\n\n\n{USAGE_BLOCK}"
            ),
        );
    }
    let out = rcr(&server, CREATE)
        .args(["--cli-error-format", "xml"])
        .env("AWS_CLI_ERROR_FORMAT", "json")
        .run();
    assert_eq!(out.exit_code(), 252, "{out}");
    assert!(
        out.stderr_str().starts_with(
            "{\n    \"Code\": \"ParamValidation\",\n    \"Message\": \"argument --cli-error-format: Found invalid choice 'xml'\\n\\n\\nusage: rcr"
        ),
        "{out}"
    );
}

#[test]
fn query_does_not_apply_to_error_documents() {
    // aws 2.36.7 writes the whole error document whatever `--query` says
    // (checked for service, validation, NoRegion and usage errors).
    let server = kms_server();
    let out = rcr(&server, CREATE)
        .args(["--cli-error-format", "json", "--query", "kmsError"])
        .run();
    expect(
        &out,
        254,
        "{\n    \"Message\": \"The KMS key is disabled.\",\n    \"Code\": \"KmsException\",\n    \"message\": \"The KMS key is disabled.\",\n    \"kmsError\": \"DisabledException\"\n}\n",
    );
}

#[test]
fn output_off_prints_nothing_on_stdout() {
    let server = kms_server();
    let list = on_cart("list-images", &[]);
    let out = rcr(&server, &list).args(["--output", "off"]).run();
    expect(&out, 0, "");
    let out = rcr(&server, &list).env("AWS_DEFAULT_OUTPUT", "off").run();
    expect(&out, 0, "");
    let out = rcr(&server, &list)
        .write_config("[default]\noutput = off\n")
        .run();
    expect(&out, 0, "");
    let out = rcr(&server, &["ecr", "describe-registry", "--output", "off"]).run();
    expect(&out, 0, "");
    assert_eq!(server.requests().len(), 4, "the calls are made");
    // Errors and exit codes as usual.
    let out = rcr(&server, CREATE).args(["--output", "off"]).run();
    expect(
        &out,
        254,
        &format!("\n{KMS_LINE}\n\nAdditional error details:\nkmsError: DisabledException\n"),
    );
    let out = rcr(&server, &list)
        .args(["--output", "off", "--query", "length(a, b)"])
        .run();
    expect(&out, 0, "");
    // The input skeleton is not command output: it still prints.
    let out = rcr(
        &server,
        &["ecr", "describe-registry", "--generate-cli-skeleton"],
    )
    .args(["--output", "off"])
    .run();
    assert_eq!(out.exit_code(), 0, "{out}");
    assert_eq!(out.stdout_str(), "{}\n", "{out}");
}

#[test]
fn unknown_options_print_the_usage_first() {
    let server = kms_server();
    let expected = format!("\n{USAGE_BLOCK}\n\nrcr: [ERROR]: Unknown options: yes\n");
    let args = on_cart("delete-repository", &["--force", "yes"]);
    expect(&rcr(&server, &args).run(), 252, &expected);
    // Never a document.
    let out = rcr(&server, &args)
        .args(["--cli-error-format", "json"])
        .run();
    expect(&out, 252, &expected);
    let out = rcr(&server, &["ecr", "describe-registry", "--bogus"]).run();
    expect(
        &out,
        252,
        &format!("\n{USAGE_BLOCK}\n\nrcr: [ERROR]: Unknown options: --bogus\n"),
    );
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_output_type_from_environment_or_profile() {
    let server = kms_server();
    let unknown = "\nrcr: [ERROR]: Unknown output type: csv\n";
    // Not paginated: aws calls, then fails to print.
    let out = rcr(&server, &["ecr", "describe-registry"])
        .env("AWS_DEFAULT_OUTPUT", "csv")
        .run();
    expect(&out, 255, unknown);
    assert_eq!(server.requests().len(), 1);
    let out = rcr(&server, &["ecr", "describe-registry"])
        .write_config("[default]\noutput = csv\n")
        .run();
    expect(&out, 255, unknown);
    assert_eq!(server.requests().len(), 2);
    // Paginated: the formatter is made before the first page is fetched.
    let out = rcr(&server, &on_cart("list-images", &[]))
        .env("AWS_DEFAULT_OUTPUT", "csv")
        .run();
    expect(&out, 255, unknown);
    assert_eq!(server.requests().len(), 2);
    // The flag is argparse's choice check.
    let out = rcr(&server, &["ecr", "describe-registry", "--output", "csv"]).run();
    expect(
        &out,
        252,
        &format!(
            "\nrcr: [ERROR]: An error occurred (ParamValidation): argument --output: Found invalid choice 'csv'\n\n\n{USAGE_BLOCK}"
        ),
    );
    // The flag wins over a bad configured value.
    let out = rcr(&server, &["ecr", "describe-registry", "--output", "json"])
        .env("AWS_DEFAULT_OUTPUT", "csv")
        .run();
    assert_eq!(out.exit_code(), 0, "{out}");
}

#[test]
fn reached_max_retries_when_the_last_allowed_attempt_failed() {
    let not_found = json!({
        "__status": 400,
        "__type": "RepositoryNotFoundException",
        "message": "gone"
    });
    let server = CaptureServer::start(json!({ "DescribeImages": not_found }));
    let args = on_cart("describe-images", &[]);
    let line = "rcr: [ERROR]: An error occurred (RepositoryNotFoundException) when calling the DescribeImages operation";
    // One attempt allowed: every service error says so.
    let out = rcr(&server, &args).env("AWS_MAX_ATTEMPTS", "1").run();
    expect(
        &out,
        254,
        &format!("\n{line} (reached max retries: 0): gone\n"),
    );
    // The default three: an error not retried ends after the first.
    let out = rcr(&server, &args).run();
    expect(&out, 254, &format!("\n{line}: gone\n"));
    assert_eq!(server.requests().len(), 2);
    // A retried failure, then the same error on the last allowed attempt.
    server.set_response(
        "DescribeImages",
        json!([
            {"__status": 500, "__type": "ServerException", "message": "busy", "__times": 1},
            not_found
        ]),
    );
    server.clear_requests();
    let out = rcr(&server, &args).env("AWS_MAX_ATTEMPTS", "2").run();
    expect(
        &out,
        254,
        &format!("\n{line} (reached max retries: 1): gone\n"),
    );
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn page_size_is_checked_as_the_limit_member() {
    let server = kms_server();
    let out = rcr(&server, &on_cart("describe-images", &["--page-size", "0"])).run();
    expect(
        &out,
        252,
        "\nrcr: [ERROR]: An error occurred (ParamValidation): Parameter validation failed:\nInvalid value for parameter maxResults, value: 0, valid min value: 1\n",
    );
    assert!(server.requests().is_empty(), "nothing is sent");
    // botocore checks `min` only: a size above the model's max is sent.
    let out = rcr(&server, &on_cart("list-images", &["--page-size", "5"])).run();
    assert_eq!(out.exit_code(), 0, "{out}");
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body["maxResults"], json!(5));
}

/// JMESPath runtime errors: rcr's message must be aws v1's (the same Python
/// jmespath as v2), which v1 prints after a blank line and v2 after
/// `aws: [ERROR]: `.
#[test]
fn jmespath_errors_match_python_jmespath() {
    let aws = require_aws_v1!();
    let response = json!({
        "imageIds": [
            {"imageTag": "v1", "imageDigest": "sha256:aa"},
            {"imageTag": "v2", "imageDigest": "sha256:bb"}
        ],
        "nextToken": null
    });
    let server = CaptureServer::start(json!({ "ListImages": response }));
    let expressions = [
        "length(imageIds, imageIds)",
        "length()",
        "join(',')",
        "not_null()",
        "merge()",
        "sum(imageIds[].imageTag)",
        "avg(imageIds[].imageTag)",
        "abs(imageIds)",
        "abs(imageIds[0].imageTag)",
        "keys(imageIds)",
        "values(imageIds[0].imageTag)",
        "length(`1`)",
        "length(`true`)",
        "length(`null`)",
        "max(imageIds)",
        "min(`[1, \"a\"]`)",
        "sort(`[\"a\", 1]`)",
        "sort(`[{\"a\": 1}]`)",
        "join(`1`, imageIds[].imageTag)",
        "join(',', `[1, 2]`)",
        "join(',', `[\"it's\", 2]`)",
        "starts_with(imageIds, 'x')",
        "ends_with('x', `1.5`)",
        "reverse(`1`)",
        "ceil('x')",
        "floor(`{\"k\": [1, null, true]}`)",
        "contains(`\"abc\"`, `1`)",
        "contains(`1`, `1`)",
        "map(&imageTag)",
        "map(imageIds, &imageTag)",
        "sort_by(imageIds, imageTag)",
        "sort_by(imageIds, &missing)",
        "sort_by(`[{\"k\": 1}, {\"k\": \"a\"}]`, &k)",
        "min_by(imageIds, &missing)",
        "max_by(`[{\"k\": 1}, {\"k\": \"a\"}]`, &k)",
        "min_by(`[{\"k\": [1]}]`, &k)",
        "foo(imageIds)",
        "to_string(imageIds, imageIds)",
    ];
    let mut compared = 0;
    for expr in expressions {
        let url = server.url();
        let args = repository_call("list-images", "shop/cart", &url, &["--query", expr]);
        let v1 = aws.run(&args);
        let ours = Run::rcr().args(&args).run();
        assert_eq!(v1.exit_code(), 255, "{expr}: aws v1 {v1}");
        let v1_message = v1.stderr_str().trim().to_string();
        assert_eq!(ours.exit_code(), 255, "{expr}: {ours}");
        assert_eq!(
            ours.stderr_str(),
            format!("\nrcr: [ERROR]: {v1_message}\n"),
            "{expr}"
        );
        assert_eq!(ours.stdout_str(), "", "{expr}");
        compared += 1;
    }
    assert_eq!(compared, expressions.len());
}
