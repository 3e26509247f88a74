//! TLS against a loopback HTTPS server whose certificate the test makes
//! (with the openssl command line tool; a test CA signs a 127.0.0.1 leaf):
//! default verification refuses it, `--ca-bundle` / `AWS_CA_BUNDLE` /
//! `ca_bundle` trust it, `--no-verify-ssl` skips verification.

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
    if !make_certificates(&home.dir) {
        eprintln!("openssl not available; skipping");
        return;
    }
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
