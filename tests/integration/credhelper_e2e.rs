//! End to end with real container tooling: a local Distribution registry
//! (`docker-registry`) with htpasswd auth for user AWS and moto's token as
//! the password, skopeo configured with `credHelpers` for that registry,
//! and the alias map pointing the registry at a moto ECR registry. skopeo
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
    let with_helper = dir.write(
        "auth.json",
        format!(r#"{{"credHelpers":{{"{host}":"rcr"}}}}"#),
    );
    let without = dir.write("no-auth.json", "{}");

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
        run.write_file(
            "home/.config/rcr/credential-helper.toml",
            format!("[aliases]\n\"{host}\" = \"{MOTO_REGISTRY}\"\n"),
        );
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
