//! The login pipe end to end, with a real registry and a real container
//! client: moto_server issues the ECR authorization token; Debian's
//! `docker-registry` (Distribution) is configured with htpasswd auth for user
//! `AWS` and the password moto issues; then
//! `rcr ecr get-login-password | skopeo login --username AWS --password-stdin`
//! logs in, and a push and a tag listing that only an authenticated client
//! may do succeed (and fail without the login). Everything listens on
//! 127.0.0.1 over plain HTTP. A missing program fails the test
//! (scripts/setup-test-env.sh installs them), except moto with
//! `RCR_SKIP_MOTO=1`.

use std::path::Path;
use std::process::Stdio;

use base64::Engine as _;

use crate::common;
use crate::common::registry::{Registry, oci_image};
use crate::common::{Run, TempDir};

/// (stdout, stderr, success) of a finished run.
fn sh(run: &Run) -> (String, String, bool) {
    let out = run.run();
    (out.stdout_str(), out.stderr_str(), out.exit_code() == 0)
}

/// skopeo, isolated like every test child, with `authfile` as its auth file.
fn skopeo(authfile: &Path) -> Run {
    let mut run = Run::new("skopeo");
    run.env("REGISTRY_AUTH_FILE", authfile);
    run
}

/// `skopeo login` to `registry` as AWS, the password read from stdin.
fn skopeo_login(authfile: &Path, registry: &str) -> Run {
    let mut run = skopeo(authfile);
    run.args([
        "login",
        "--tls-verify=false",
        "--username",
        "AWS",
        "--password-stdin",
        registry,
    ]);
    run
}

#[test]
fn get_login_password_pipes_into_a_container_client_login() {
    common::require_program("skopeo", "skopeo");
    let moto_server = require_moto!();
    let moto = moto_server.url();
    let work = TempDir::new("login-e2e");

    // The password moto issues, read through the plain operation.
    let out = Run::rcr()
        .args(["--endpoint-url", &moto, "ecr", "get-authorization-token"])
        .run();
    assert_eq!(out.exit_code(), 0, "{}", out.stderr_str());
    let v: serde_json::Value = serde_json::from_str(&out.stdout_str()).unwrap();
    let token = v["authorizationData"][0]["authorizationToken"]
        .as_str()
        .unwrap();
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(token)
            .unwrap(),
    )
    .unwrap();
    let password = decoded.strip_prefix("AWS:").unwrap().to_string();

    // The registry, with htpasswd auth for AWS / that password.
    let registry_server = Registry::start("AWS", &password);
    let registry = registry_server.host();
    let authfile = work.join("auth.json");
    std::fs::write(&authfile, "{}").unwrap();

    let image = work.join("image");
    oci_image(&image);
    let push = |authfile: &Path| {
        sh(skopeo(authfile)
            .args(["copy", "--dest-tls-verify=false"])
            .arg(format!("oci:{}:v1", image.display()))
            .arg(format!("docker://{registry}/rcr/hello:v1")))
    };
    let list = |authfile: &Path| {
        sh(skopeo(authfile)
            .args(["list-tags", "--tls-verify=false"])
            .arg(format!("docker://{registry}/rcr/hello")))
    };

    // Not logged in: the registry refuses the push.
    let (_, err, ok) = push(&authfile);
    assert!(!ok, "an anonymous push succeeded: {err}");

    // The pipe: rcr ecr get-login-password | skopeo login --password-stdin.
    let mut rcr_run = Run::rcr();
    rcr_run.args(["--endpoint-url", &moto, "ecr", "get-login-password"]);
    let mut rcr_child = rcr_run
        .std_command()
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let rcr_stdout = rcr_child.stdout.take().unwrap();
    let login = skopeo_login(&authfile, &registry)
        .std_command()
        .stdin(rcr_stdout)
        .output()
        .unwrap();
    assert!(rcr_child.wait().unwrap().success());
    assert!(
        login.status.success(),
        "skopeo login failed: {}",
        String::from_utf8_lossy(&login.stderr)
    );

    // Logged in: push and list the tags.
    let (_, err, ok) = push(&authfile);
    assert!(ok, "push after login failed: {err}");
    let (out, err, ok) = list(&authfile);
    assert!(ok, "list-tags after login failed: {err}");
    let tags: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tags["Tags"], serde_json::json!(["v1"]));

    // A wrong password is refused, so the login above proved the password.
    let wrong = work.join("wrong.json");
    std::fs::write(&wrong, "{}").unwrap();
    let (_, _, ok) = sh(skopeo_login(&wrong, &registry).stdin("not-the-password\n"));
    assert!(!ok, "a login with a wrong password succeeded");
    let (_, _, ok) = list(&wrong);
    assert!(!ok, "list-tags without a login succeeded");
}
