//! Region, credentials, profiles, endpoints, `--no-sign-request`, `--debug`
//! and `--version`, each checked by what reached a loopback server (the SigV4
//! credential scope `AKID/region/service`) or by exit code and message.

use serde_json::json;

use crate::common::{CaptureServer, Home};

const LIST: &[&str] = &["ecr", "list-images", "--repository-name", "shop/cart"];

/// A server answering every operation with `{}` (an empty success).
fn ok_server() -> CaptureServer {
    CaptureServer::start(json!({"*": {}}))
}

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v: Vec<&str> = LIST.to_vec();
    v.extend_from_slice(extra);
    v
}

#[test]
fn environment_keys_and_region_reach_the_server() {
    let server = ok_server();
    let home = Home::new("", "");
    home.rcr(&args(&["--endpoint-url", &server.url()]))
        .run()
        .assert_success();
    assert_eq!(server.creds(), vec!["AKIDEXAMPLE/us-east-1/ecr"]);
    assert_eq!(
        server.requests()[0].target.as_deref(),
        Some("AmazonEC2ContainerRegistry_V20150921.ListImages")
    );
}

#[test]
fn region_precedence() {
    let server = ok_server();
    let home = Home::new("[default]\nregion = eu-north-1\n", "");
    let url = server.url();
    // --region beats AWS_REGION beats AWS_DEFAULT_REGION beats the profile.
    home.rcr(&args(&["--endpoint-url", &url, "--region", "ap-south-1"]))
        .env("AWS_REGION", "eu-west-1")
        .run()
        .assert_success();
    home.rcr(&args(&["--endpoint-url", &url]))
        .env("AWS_REGION", "eu-west-1")
        .run()
        .assert_success();
    home.rcr(&args(&["--endpoint-url", &url]))
        .run()
        .assert_success();
    home.rcr(&args(&["--endpoint-url", &url]))
        .env_remove("AWS_DEFAULT_REGION")
        .run()
        .assert_success();
    assert_eq!(
        server.creds(),
        vec![
            "AKIDEXAMPLE/ap-south-1/ecr",
            "AKIDEXAMPLE/eu-west-1/ecr",
            "AKIDEXAMPLE/us-east-1/ecr",
            "AKIDEXAMPLE/eu-north-1/ecr",
        ]
    );
}

#[test]
fn no_region_is_253() {
    let home = Home::new("", "");
    let r = home.rcr(LIST).env_remove("AWS_DEFAULT_REGION").run();
    r.assert_error(
        253,
        "\nrcr: [ERROR]: An error occurred (NoRegion): You must specify a region. You can also configure your region by running \"aws configure\".\n"
    );
}

#[test]
fn no_credentials_is_253() {
    let server = ok_server();
    let home = Home::new("", "");
    let r = home
        .rcr(&args(&["--endpoint-url", &server.url()]))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .run();
    r.assert_error(
        253,
        "\nrcr: [ERROR]: An error occurred (NoCredentials): Unable to locate credentials. You can configure credentials by running \"aws login\".\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn unknown_profile_is_255() {
    let server = ok_server();
    let home = Home::new("[profile real]\n", "");
    for how in ["flag", "env"] {
        let mut cmd = home.rcr(&args(&["--endpoint-url", &server.url()]));
        if how == "flag" {
            cmd.args(["--profile", "ghost"]);
        } else {
            cmd.env("AWS_PROFILE", "ghost");
        }
        let r = cmd.run();
        assert_eq!(r.exit_code(), 255, "{how}");
        assert_eq!(
            r.stderr_str(),
            "\nrcr: [ERROR]: The config profile (ghost) could not be found\n"
        );
    }
    assert!(server.requests().is_empty());
}

const PROFILE_CREDS: &str =
    "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secretprofile\n";

#[test]
fn profile_flag_ignores_environment_keys() {
    let server = ok_server();
    let home = Home::new("[profile dev]\nregion = eu-west-3\n", PROFILE_CREDS);
    let url = server.url();
    // --profile: the profile's keys and region, not the environment's keys.
    home.rcr(&args(&["--endpoint-url", &url, "--profile", "dev"]))
        .run()
        .assert_success();
    // AWS_PROFILE: the environment's keys still win.
    home.rcr(&args(&["--endpoint-url", &url]))
        .env("AWS_PROFILE", "dev")
        .run()
        .assert_success();
    // AWS_PROFILE without environment keys: the profile's.
    home.rcr(&args(&["--endpoint-url", &url]))
        .env("AWS_DEFAULT_PROFILE", "dev")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .run()
        .assert_success();
    // AWS_DEFAULT_REGION beats the profile's region, as in aws.
    assert_eq!(
        server.creds(),
        vec![
            "AKIDPROFILE/us-east-1/ecr",
            "AKIDEXAMPLE/us-east-1/ecr",
            "AKIDPROFILE/us-east-1/ecr",
        ]
    );
}

#[test]
fn config_and_credentials_file_variables() {
    let server = ok_server();
    let home = Home::new("", "");
    let config = home.write("other-config", "[profile ci]\nregion = sa-east-1\n");
    let creds = home.write(
        "other-creds",
        "[ci]\naws_access_key_id = AKIDFILES\naws_secret_access_key = s\n",
    );
    home.rcr(&args(&["--endpoint-url", &server.url(), "--profile", "ci"]))
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .env_remove("AWS_DEFAULT_REGION")
        .run()
        .assert_success();
    assert_eq!(server.creds(), vec!["AKIDFILES/sa-east-1/ecr"]);
}

#[test]
fn credential_process() {
    let server = ok_server();
    let home = Home::new("", "");
    let script = home.write(
        "creds.sh",
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROCESS\", \"SecretAccessKey\": \"processsecret\", \"SessionToken\": \"processtoken\"}'\n",
    );
    let config = format!(
        "[profile proc]\ncredential_process = /bin/sh {}\n",
        script.display()
    );
    home.write_config(&config);
    home.rcr(&args(&[
        "--endpoint-url",
        &server.url(),
        "--profile",
        "proc",
    ]))
    .run()
    .assert_success();
    assert_eq!(server.creds(), vec!["AKIDPROCESS/us-east-1/ecr"]);
    assert_eq!(
        server.requests()[0].header("x-amz-security-token"),
        Some("processtoken")
    );
}

#[test]
fn assume_role_through_sts() {
    let moto = require_moto!();
    let server = ok_server();
    let home = Home::new(
        &format!(
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nservices = local\n\n[profile base]\nservices = local\n\n[services local]\nsts =\n  endpoint_url = {}\n",
            moto.url()
        ),
        "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n",
    );
    home.rcr(&args(&[
        "--endpoint-url",
        &server.url(),
        "--profile",
        "role",
    ]))
    .run()
    .assert_success();
    let creds = server.creds();
    assert_eq!(creds.len(), 1);
    // moto hands out temporary keys: not the source profile's, not the
    // environment's, and with a session token.
    assert!(creds[0].ends_with("/us-east-1/ecr"), "{creds:?}");
    assert!(!creds[0].starts_with("AKIDBASE") && !creds[0].starts_with("AKIDEXAMPLE"));
    assert!(
        server.requests()[0]
            .header("x-amz-security-token")
            .is_some()
    );
}

/// Environment variables a case sets.
type Env<'a> = Vec<(&'a str, String)>;

#[test]
fn endpoint_precedence() {
    let wanted = ok_server();
    let other = ok_server();
    let (w, o) = (wanted.url(), other.url());
    let home = Home::new(
        &format!(
            "[default]\nendpoint_url = {o}\n\n[profile svc]\nservices = s\n\n[services s]\necr =\n  endpoint_url = {w}\n\n[profile plain]\nendpoint_url = {w}\n"
        ),
        "",
    );
    let cases: Vec<(Vec<&str>, Env)> = vec![
        (
            vec!["--endpoint-url", &w],
            vec![("AWS_ENDPOINT_URL_ECR", o.clone())],
        ),
        (
            vec![],
            vec![
                ("AWS_ENDPOINT_URL_ECR", w.clone()),
                ("AWS_ENDPOINT_URL", o.clone()),
            ],
        ),
        (vec![], vec![("AWS_ENDPOINT_URL", w.clone())]),
        (vec![], vec![("AWS_PROFILE", "svc".to_string())]),
        (vec![], vec![("AWS_PROFILE", "plain".to_string())]),
    ];
    for (extra, env) in &cases {
        let mut cmd = home.rcr(&args(extra));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let r = cmd.run();
        assert_eq!(r.exit_code(), 0, "{extra:?} {env:?}: {}", r.stderr_str());
    }
    assert_eq!(wanted.requests().len(), cases.len());
    assert!(other.requests().is_empty());
    // AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: the profile's and the
    // environment's endpoints are ignored, --endpoint-url still applies.
    home.rcr(&args(&["--endpoint-url", &w]))
        .env("AWS_ENDPOINT_URL", &o)
        .env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")
        .run()
        .assert_success();
    assert!(other.requests().is_empty());
    assert_eq!(wanted.requests().len(), cases.len() + 1);
}

#[test]
fn ecr_public_endpoint_variable() {
    let server = ok_server();
    let other = ok_server();
    let home = Home::new("", "");
    home.rcr(&["ecr-public", "describe-registries"])
        .env("AWS_ENDPOINT_URL_ECR_PUBLIC", server.url())
        .env("AWS_ENDPOINT_URL_ECR", other.url())
        .run()
        .assert_success();
    assert_eq!(server.creds(), vec!["AKIDEXAMPLE/us-east-1/ecr-public"]);
    assert!(other.requests().is_empty());
}

#[test]
fn no_sign_request_sends_no_signature() {
    let server = ok_server();
    let home = Home::new("", "");
    home.rcr(&args(&[
        "--endpoint-url",
        &server.url(),
        "--no-sign-request",
    ]))
    .env_remove("AWS_ACCESS_KEY_ID")
    .env_remove("AWS_SECRET_ACCESS_KEY")
    .run()
    .assert_success();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("authorization"), None);
}

#[test]
fn debug_log_has_no_secrets() {
    let server = CaptureServer::start(json!({
        "*": r#"{"authorizationData":[{"authorizationToken":"QVdTOnNlY3JldHRva2Vu","expiresAt":1700000000,"proxyEndpoint":"https://1.dkr.ecr.us-east-1.amazonaws.com"}]}"#,
    }));
    let home = Home::new("", "");
    let r = home
        .rcr(&[
            "ecr",
            "get-authorization-token",
            "--debug",
            "--endpoint-url",
            &server.url(),
        ])
        .env("AWS_SECRET_ACCESS_KEY", "SECRETKEYVALUE")
        .env("AWS_SESSION_TOKEN", "SESSIONTOKENVALUE")
        .run();
    r.assert_success();
    let requests = server.requests();
    let request = &requests[0];
    let signature = request
        .header("authorization")
        .and_then(|a| a.split("Signature=").nth(1))
        .expect("signed")
        .to_string();
    assert!(r.stderr_str().contains("(redacted)"));
    assert!(r.stderr_str().contains("us-east-1"), "region in the log");
    assert!(
        r.stderr_str().contains(&server.url()),
        "endpoint in the log"
    );
    assert!(
        r.stderr_str().contains("AKIDEXAMPLE"),
        "credential source in the log"
    );
    for secret in [
        "SECRETKEYVALUE",
        "SESSIONTOKENVALUE",
        "QVdTOnNlY3JldHRva2Vu",
        &signature,
    ] {
        assert!(
            !r.stderr_str().contains(secret),
            "{secret} leaked:\n{}",
            r.stderr_str()
        );
    }
    // The token still reaches stdout: that is the command's output.
    assert!(r.stdout_str().contains("QVdTOnNlY3JldHRva2Vu"));
    // Without --debug, nothing on stderr.
    let r = home
        .rcr(&[
            "ecr",
            "get-authorization-token",
            "--endpoint-url",
            &server.url(),
        ])
        .run();
    assert_eq!(r.stderr_str(), "");
}

#[test]
fn version_line() {
    let home = Home::new("", "");
    let r = home
        .rcr(&["--version"])
        .env("AWS_CONFIG_FILE", "/nonexistent/dir")
        .run();
    assert_eq!(r.exit_code(), 0);
    let stdout = r.stdout_str();
    let line = stdout.trim_end();
    let words: Vec<&str> = line.split(' ').collect();
    assert_eq!(words.len(), 4, "{line}");
    assert_eq!(words[0], concat!("rcr/", env!("CARGO_PKG_VERSION")));
    assert!(words[1].starts_with("Rust/1."), "{line}");
    assert!(words[2].starts_with("Linux/"), "{line}");
    assert!(
        words[3].starts_with(&format!("source/{}", std::env::consts::ARCH)),
        "{line}"
    );
}

#[test]
fn bad_global_values_are_usage_errors() {
    // As aws 2.36.7: a choice is argparse's (252); a timeout is read by
    // Python's int() after parsing (255, its words).
    let home = Home::new("", "");
    for (flags, code, message) in [
        (
            ["--cli-read-timeout", "soon"],
            255,
            "\nrcr: [ERROR]: invalid literal for int() with base 10: 'soon'\n",
        ),
        (
            ["--color", "pink"],
            252,
            "argument --color: Found invalid choice 'pink'",
        ),
    ] {
        let r = home.rcr(&args(&flags)).run();
        r.assert_exit(code);
        assert!(r.stderr_str().contains(message), "{r}");
    }
}

#[test]
fn web_identity_through_sts() {
    let moto = require_moto!();
    let server = ok_server();
    let home = Home::new("", "");
    let token = home.write("token", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ0ZXN0In0.");
    home.rcr(&args(&["--endpoint-url", &server.url()]))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token)
        .env("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci")
        .env("AWS_ROLE_SESSION_NAME", "test")
        .env("AWS_ENDPOINT_URL_STS", moto.url())
        .run()
        .assert_success();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let cred = requests[0].cred.clone().unwrap_or_default();
    assert!(
        cred.ends_with("/us-east-1/ecr") && !cred.starts_with("AKIDEXAMPLE"),
        "{cred}"
    );
    assert!(requests[0].header("x-amz-security-token").is_some());
}
