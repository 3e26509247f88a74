//! TLS against a loopback HTTPS server whose certificate the test makes
//! (with the openssl command line tool; a test CA signs a 127.0.0.1 leaf):
//! default verification refuses it, `--ca-bundle` / `AWS_CA_BUNDLE` /
//! `ca_bundle` trust it, `--no-verify-ssl` skips verification. A server
//! presenting the usual self-signed `openssl req -x509` certificate (CA:TRUE)
//! is trusted when the bundle holds that very certificate, as aws and curl
//! trust it; a blank CA bundle value is aws's `Invalid CA bundle` error.

#[path = "config_support/mod.rs"]
mod support;

use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use support::{Home, Reply, Request, read_request, run, write_reply};

fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Writes ca.pem, cert.pem and key.pem into `dir`; false without openssl.
fn make_certificates(dir: &Path) -> bool {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .expect("ext file");
    let mut ca = vec!["req", "-x509"];
    ca.extend_from_slice(&ec);
    ca.extend_from_slice(&[
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=rcr test CA",
    ]);
    let mut leaf = vec!["req"];
    leaf.extend_from_slice(&ec);
    leaf.extend_from_slice(&[
        "-keyout",
        "key.pem",
        "-out",
        "leaf.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(dir, &ca)
        && openssl(dir, &leaf)
        && openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "cert.pem",
                "-days",
                "2",
                "-extfile",
                "leaf.ext",
            ],
        )
}

/// A loopback HTTPS server answering `{}`; returns its port and requests.
fn https_server(dir: &Path) -> (u16, Arc<Mutex<Vec<Request>>>) {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("cert.pem"))
        .expect("cert file")
        .collect::<Result<_, _>>()
        .expect("certs");
    let key = PrivateKeyDer::from_pem_file(dir.join("key.pem")).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let recorded = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            let recorded = recorded.clone();
            std::thread::spawn(move || {
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let mut tls = rustls::StreamOwned::new(conn, stream);
                loop {
                    let mut reader = BufReader::new(&mut tls);
                    let Some(request) = read_request(&mut reader) else {
                        return;
                    };
                    drop(reader);
                    if let Ok(mut r) = recorded.lock() {
                        r.push(request);
                    }
                    if write_reply(&mut tls, &Reply::json(200, "{}")).is_err() {
                        return;
                    }
                    let _ = tls.flush();
                }
            });
        }
    });
    (port, requests)
}

#[test]
fn certificate_verification() {
    let home = Home::new("", "");
    assert!(
        make_certificates(&home.dir),
        "the openssl command line tool is needed to make the test certificates"
    );
    let (port, requests) = https_server(&home.dir);
    let url = format!("https://127.0.0.1:{port}");
    let ca = home.path("ca.pem");
    let ca = ca.to_str().expect("utf-8 path");
    let list = [
        "ecr",
        "list-images",
        "--repository-name",
        "shop/cart",
        "--endpoint-url",
        &url,
    ];
    let count = || requests.lock().map(|r| r.len()).unwrap_or(0);

    // Default: the system's roots do not know the test CA.
    let r = run(home.rcr(&list).env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!(
            "\nrcr: [ERROR]: SSL validation failed for {url}/ "
        )),
        "{}",
        r.stderr
    );
    assert_eq!(count(), 0);

    // --ca-bundle, AWS_CA_BUNDLE and the profile's ca_bundle trust it.
    let r = run(home.rcr(&list).args(["--ca-bundle", ca]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(), 1);
    let r = run(home.rcr(&list).env("AWS_CA_BUNDLE", ca));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(), 2);
    std::fs::write(
        home.path(".aws/config"),
        format!("[default]\nca_bundle = {ca}\n"),
    )
    .expect("config");
    let r = run(home.rcr(&list));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(), 3);
    std::fs::write(home.path(".aws/config"), "").expect("config");

    // --no-verify-ssl: no verification at all.
    let r = run(home.rcr(&list).arg("--no-verify-ssl"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(), 4);
    let req = requests.lock().expect("lock")[3].clone();
    assert_eq!(req.cred().as_deref(), Some("AKIDEXAMPLE/us-east-1/ecr"));

    // A bundle that is not PEM fails cleanly (no panic): 255.
    let bad = home.write(
        "bad.pem",
        "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n",
    );
    let r = run(home
        .rcr(&list)
        .args(["--ca-bundle", bad.to_str().expect("utf-8")]));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// Writes a self-signed cert.pem (CA:TRUE, as `openssl req -x509` makes it
/// by default) and its key.pem into `dir`.
fn make_self_signed(dir: &Path) -> bool {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
    )
}

#[test]
fn self_signed_ca_certificate_given_as_bundle_is_trusted() {
    let home = Home::new("", "");
    assert!(
        make_self_signed(&home.dir),
        "the openssl command line tool is needed to make the test certificate"
    );
    let text = Command::new("openssl")
        .args(["x509", "-noout", "-text", "-in"])
        .arg(home.path("cert.pem"))
        .output()
        .expect("openssl x509");
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("CA:TRUE"),
        "the certificate should be a CA one, as openssl req -x509 makes it"
    );
    let (port, requests) = https_server(&home.dir);
    let url = format!("https://127.0.0.1:{port}");
    let cert = home.path("cert.pem");
    let cert = cert.to_str().expect("utf-8 path");
    let list = [
        "ecr",
        "list-images",
        "--repository-name",
        "shop/cart",
        "--endpoint-url",
        &url,
    ];
    let count = || requests.lock().map(|r| r.len()).unwrap_or(0);

    let r = run(home.rcr(&list).args(["--ca-bundle", cert]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "", "an empty response prints nothing");
    assert_eq!(count(), 1);
    let r = run(home.rcr(&list).env("AWS_CA_BUNDLE", cert));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(count(), 2);

    // The system's roots still refuse it, and so does a bundle without it.
    let r = run(home.rcr(&list).env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stderr.contains("SSL validation failed"), "{}", r.stderr);
    let other = Home::new("", "");
    assert!(make_self_signed(&other.dir), "openssl");
    let other_cert = other.path("cert.pem");
    let r = run(home
        .rcr(&list)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["--ca-bundle", other_cert.to_str().expect("utf-8")]));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stderr.contains("SSL validation failed"), "{}", r.stderr);

    // Trusted for 127.0.0.1 only: the name must still match.
    let r = run(home
        .rcr(&[
            "ecr",
            "list-images",
            "--repository-name",
            "shop/cart",
            "--endpoint-url",
            &format!("https://localhost:{port}"),
        ])
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["--ca-bundle", cert]));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stderr.contains("SSL validation failed"), "{}", r.stderr);
    assert_eq!(count(), 2);
}

#[test]
fn blank_ca_bundle_is_a_configuration_error() {
    let home = Home::new("", "");
    let list = [
        "ecr",
        "list-images",
        "--repository-name",
        "shop/cart",
        "--endpoint-url",
        "https://127.0.0.1:9",
    ];
    for value in ["", "   "] {
        let r = run(home.rcr(&list).env("AWS_CA_BUNDLE", value));
        assert_eq!(r.code, 255, "{}", r.stderr);
        assert_eq!(
            r.stderr,
            format!(
                "\nrcr: [ERROR]: Invalid CA bundle: '{value}': a CA bundle must be the path to a file of PEM certificates\n"
            )
        );
    }
    std::fs::write(home.path(".aws/config"), "[default]\nca_bundle =\n").expect("config");
    let r = run(home.rcr(&list));
    assert_eq!(r.code, 255, "{}", r.stderr);
    assert!(r.stderr.contains("Invalid CA bundle: ''"), "{}", r.stderr);
}
