//! TLS against the capture server over HTTPS with a certificate the test
//! makes (with the openssl command line tool; a test CA signs a 127.0.0.1
//! leaf):
//! default verification refuses it, `--ca-bundle` / `AWS_CA_BUNDLE` /
//! `ca_bundle` trust it, `--no-verify-ssl` skips verification.

use serde_json::json;

use crate::common::{CaptureServer, Home, TestCertificates};

#[test]
fn certificate_verification() {
    let home = Home::new("", "");
    let certificates = TestCertificates::new();
    let server = CaptureServer::start_tls(json!({"*": {}}), certificates.server_config());
    let url = server.url();
    let ca = certificates.ca_path();
    let ca = ca.to_str().expect("utf-8 path");
    let list = [
        "ecr",
        "list-images",
        "--repository-name",
        "shop/cart",
        "--endpoint-url",
        &url,
    ];
    let count = || server.requests().len();

    // Default: the system's roots do not know the test CA.
    let r = home.rcr(&list).env("AWS_MAX_ATTEMPTS", "1").run();
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
    assert!(
        r.stderr_str().starts_with(&format!(
            "\nrcr: [ERROR]: SSL validation failed for {url}/ "
        )),
        "{}",
        r.stderr_str()
    );
    assert_eq!(count(), 0);

    // --ca-bundle, AWS_CA_BUNDLE and the profile's ca_bundle trust it.
    let r = home.rcr(&list).args(["--ca-bundle", ca]).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 1);
    let r = home.rcr(&list).env("AWS_CA_BUNDLE", ca).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 2);
    home.write_config(&format!("[default]\nca_bundle = {ca}\n"));
    let r = home.rcr(&list).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 3);
    home.write_config("");

    // --no-verify-ssl: no verification at all.
    let r = home.rcr(&list).arg("--no-verify-ssl").run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 4);
    let req = server.requests()[3].clone();
    assert_eq!(req.cred.as_deref(), Some("AKIDEXAMPLE/us-east-1/ecr"));

    // A bundle that is not PEM fails cleanly (no panic): 255.
    let bad = home.write(
        "bad.pem",
        "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n",
    );
    let r = home
        .rcr(&list)
        .args(["--ca-bundle", bad.to_str().expect("utf-8")])
        .run();
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
    assert!(!r.stderr_str().contains("panicked"), "{}", r.stderr_str());
}
