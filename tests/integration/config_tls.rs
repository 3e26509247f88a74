//! TLS against the capture server over HTTPS with a certificate the test
//! makes (with the openssl command line tool; a test CA signs a 127.0.0.1
//! leaf):
//! default verification refuses it, `--ca-bundle` / `AWS_CA_BUNDLE` /
//! `ca_bundle` trust it, `--no-verify-ssl` skips verification. A server
//! presenting the usual self-signed `openssl req -x509` certificate (CA:TRUE)
//! is trusted when the bundle holds that very certificate, as aws and curl
//! trust it; a blank CA bundle value is aws's `Invalid CA bundle` error.

use serde_json::json;

use crate::common::{CaptureServer, Home, Output, TestCertificates};

/// How aws answers a certificate it does not trust: 255, `SSL validation
/// failed`.
fn assert_ssl_refused(r: &Output) {
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
    assert!(
        r.stderr_str().contains("SSL validation failed"),
        "{}",
        r.stderr_str()
    );
}

#[test]
fn certificate_verification() {
    let home = Home::new("", "");
    let certificates = TestCertificates::new();
    let server = CaptureServer::start_tls(json!({"*": {}}), certificates.server_config());
    let url = server.url();
    let ca = certificates.ca_path();
    let ca = ca.to_str().expect("utf-8 path");
    let count = || server.requests().len();

    // Default: the system's roots do not know the test CA.
    let r = home.list_images(&url).env("AWS_MAX_ATTEMPTS", "1").run();
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
    let r = home.list_images(&url).args(["--ca-bundle", ca]).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 1);
    let r = home.list_images(&url).env("AWS_CA_BUNDLE", ca).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 2);
    home.write_config(&format!("[default]\nca_bundle = {ca}\n"));
    let r = home.list_images(&url).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 3);
    home.write_config("");

    // --no-verify-ssl: no verification at all.
    let r = home.list_images(&url).arg("--no-verify-ssl").run();
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
        .list_images(&url)
        .args(["--ca-bundle", bad.to_str().expect("utf-8")])
        .run();
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
    assert!(!r.stderr_str().contains("panicked"), "{}", r.stderr_str());
}

#[test]
fn self_signed_ca_certificate_given_as_bundle_is_trusted() {
    let home = Home::new("", "");
    let certificates = TestCertificates::self_signed();
    let cert = certificates.ca_path();
    let text = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(&cert)
        .output()
        .expect("openssl x509");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("CA:TRUE"),
        "the certificate should be a CA one, as openssl req -x509 makes it"
    );
    let server = CaptureServer::start_tls(json!({"*": {}}), certificates.server_config());
    let url = server.url();
    let cert = cert.to_str().expect("utf-8 path");
    let count = || server.requests().len();

    let r = home.list_images(&url).args(["--ca-bundle", cert]).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(r.stdout_str(), "", "an empty response prints nothing");
    assert_eq!(count(), 1);
    let r = home.list_images(&url).env("AWS_CA_BUNDLE", cert).run();
    assert_eq!(r.exit_code(), 0, "{}", r.stderr_str());
    assert_eq!(count(), 2);

    // The system's roots still refuse it, and so does a bundle without it.
    let r = home.list_images(&url).env("AWS_MAX_ATTEMPTS", "1").run();
    assert_ssl_refused(&r);
    let other = TestCertificates::self_signed();
    let other = other.ca_path();
    let r = home
        .list_images(&url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["--ca-bundle", other.to_str().expect("utf-8")])
        .run();
    assert_ssl_refused(&r);

    // Trusted for 127.0.0.1 only: the name must still match.
    let localhost = url.replace("127.0.0.1", "localhost");
    let r = home
        .list_images(&localhost)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["--ca-bundle", cert])
        .run();
    assert_ssl_refused(&r);
    assert_eq!(count(), 2);
}

#[test]
fn blank_ca_bundle_is_a_configuration_error() {
    let home = Home::new("", "");
    for value in ["", "   "] {
        let r = home
            .list_images("https://127.0.0.1:9")
            .env("AWS_CA_BUNDLE", value)
            .run();
        assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
        assert_eq!(
            r.stderr_str(),
            format!(
                "\nrcr: [ERROR]: Invalid CA bundle: '{value}': a CA bundle must be the path to a file of PEM certificates\n"
            )
        );
    }
    home.write_config("[default]\nca_bundle =\n");
    let r = home.list_images("https://127.0.0.1:9").run();
    assert_eq!(r.exit_code(), 255, "{}", r.stderr_str());
    assert!(
        r.stderr_str().contains("Invalid CA bundle: ''"),
        "{}",
        r.stderr_str()
    );
}
