//! End to end with real container tooling: a local Distribution registry
//! (`docker-registry`) with htpasswd auth for user AWS and moto's token as
//! the password, skopeo configured with `credHelpers` for that registry,
//! written by `rcr credential-helper configure --podman`, and the alias
//! map pointing the registry at a moto ECR registry. skopeo
//! pushes an image and lists its tags without any `login`; without the
//! helper the registry refuses it.
//!
//! The registry, htpasswd and skopeo come from Debian (docker-registry,
//! apache2-utils, skopeo; scripts/setup-test-env.sh installs them); the test
//! fails when one is missing.

use std::path::Path;

use crate::common;
use crate::common::credhelper::*;
use crate::common::registry::{Registry, oci_image};
use crate::common::{Run, TempDir};

/// moto's GetAuthorizationToken password for its default account.
const MOTO_PASSWORD: &str = "123456789012-auth-token";
const MOTO_REGISTRY: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

#[test]
fn skopeo_pushes_and_lists_through_the_helper_without_login() {
    common::require_program("skopeo", "skopeo");
    let moto = require_moto!();
    let dir = TempDir::new("credhelper-e2e");
    let registry = Registry::start("AWS", MOTO_PASSWORD);
    let host = registry.host();
    oci_image(&dir.join("oci"));
    let policy = dir.write(
        "policy.json",
        r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
    );
    let with_helper = dir.join("auth.json");
    let without = dir.write("no-auth.json", "{}");
    let alias_config = format!("[aliases]\n\"{host}\" = \"{MOTO_REGISTRY}\"\n");

    // The auth file is written by `configure`, as a user would set up.
    let mut configure = Run::rcr();
    configure
        .args([
            "credential-helper",
            "configure",
            "--podman",
            "--registry",
            &host,
        ])
        .arg("--docker-config")
        .arg(dir.join("docker"))
        .env("REGISTRY_AUTH_FILE", &with_helper);
    write_helper_config(&configure, &alias_config);
    let out = configure.run();
    out.assert_exit(0)
        .assert_stdout_contains(&format!("auth.json: credHelpers {host}: added"));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&with_helper).expect("auth file"))
            .expect("auth file is JSON");
    assert_eq!(written, serde_json::json!({"credHelpers": {&host: "rcr"}}));

    // doctor agrees that the setup is sound, moto's token included.
    let mut doctor = Run::rcr();
    doctor
        .args(["credential-helper", "doctor", &host])
        .env("HOME", configure.home_dir())
        .env("DOCKER_CONFIG", dir.join("docker"))
        .env("REGISTRY_AUTH_FILE", &with_helper)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        );
    let out = doctor.run();
    assert_eq!(out.exit_code(), 0, "doctor on the end-to-end setup:\n{out}");
    out.assert_stdout_contains(&format!("alias of {MOTO_REGISTRY}"));

    let skopeo = |auth: &Path, args: &[&str]| {
        let mut run = Run::new("skopeo");
        run.arg("--policy").arg(&policy).args(args);
        // The helper runs as skopeo's child and inherits this environment:
        // found on PATH by name, moto as its endpoint, the alias map
        // sending the local registry to moto's registry.
        let path = std::env::var("PATH").unwrap_or_default();
        run.env("PATH", format!("{}:{path}", bin_dir().display()))
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("REGISTRY_AUTH_FILE", auth);
        write_helper_config(&run, &alias_config);
        run.run()
    };

    let oci = format!("oci:{}:v1", dir.join("oci").display());
    let repo = format!("docker://{host}/demo");

    // Without the helper the registry wants a login.
    let out = skopeo(
        &without,
        &[
            "copy",
            "--dest-tls-verify=false",
            &oci,
            &format!("{repo}:v1"),
        ],
    );
    assert_ne!(
        out.exit_code(),
        0,
        "the registry must refuse anonymous pushes:\n{out}"
    );
    assert!(
        out.stderr_str().contains("unauthorized")
            || out.stderr_str().contains("authentication required"),
        "{out}"
    );

    let out = skopeo(
        &with_helper,
        &[
            "copy",
            "--dest-tls-verify=false",
            &oci,
            &format!("{repo}:v1"),
        ],
    );
    assert_eq!(
        out.exit_code(),
        0,
        "push through the helper:\n{out}\n{}",
        registry.log()
    );

    let out = skopeo(&with_helper, &["list-tags", "--tls-verify=false", &repo]);
    assert_eq!(out.exit_code(), 0, "list-tags through the helper:\n{out}");
    let tags = out.stdout_json();
    assert_eq!(tags["Tags"], serde_json::json!(["v1"]), "{out}");

    let out = skopeo(&without, &["list-tags", "--tls-verify=false", &repo]);
    assert_ne!(out.exit_code(), 0, "anonymous list-tags must fail:\n{out}");
}
