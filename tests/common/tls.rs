//! `TestCertificates`: a throwaway certificate authority and a `127.0.0.1`
//! leaf it signs, made with the openssl command line tool, plus the rustls
//! server configuration that `CaptureServer::start_tls` serves them with.
//! Tests of `--ca-bundle`, `AWS_CA_BUNDLE` and `--no-verify-ssl` trust or
//! refuse the CA.
//!
//! openssl missing is a test failure (scripts/setup-test-env.sh's machines
//! have it), never a skip.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::tempdir::TempDir;

/// `ca.pem`, `cert.pem` and `key.pem` in a directory of their own.
pub struct TestCertificates {
    dir: TempDir,
}

impl TestCertificates {
    /// Makes a CA and a leaf for IP 127.0.0.1, valid for two days; fails the
    /// test when openssl is missing or fails.
    pub fn new() -> TestCertificates {
        super::require_program("openssl", "openssl");
        let dir = TempDir::new("tls");
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        dir.write(
            "leaf.ext",
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        );
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
        openssl(dir.path(), &ca);
        openssl(dir.path(), &leaf);
        openssl(
            dir.path(),
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
        );
        TestCertificates { dir }
    }

    /// One self-signed certificate for IP 127.0.0.1 made the usual way,
    /// `openssl req -x509` (which marks it CA:TRUE), presented by the
    /// server itself, as local HTTPS endpoints do; `ca_path` is that same
    /// certificate.
    pub fn self_signed() -> TestCertificates {
        super::require_program("openssl", "openssl");
        let dir = TempDir::new("tls");
        openssl(
            dir.path(),
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
        );
        let cert = std::fs::read(dir.join("cert.pem")).expect("cert.pem");
        dir.write("ca.pem", cert);
        TestCertificates { dir }
    }

    /// The CA certificate (PEM), for `--ca-bundle`.
    pub fn ca_path(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// A rustls server configuration presenting the leaf.
    pub fn server_config(&self) -> Arc<rustls::ServerConfig> {
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(self.dir.join("cert.pem"))
                .expect("cert file")
                .collect::<Result<_, _>>()
                .expect("certs");
        let key = PrivateKeyDer::from_pem_file(self.dir.join("key.pem")).expect("key");
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
        Arc::new(config)
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run openssl: {e}"));
    assert!(
        out.status.success(),
        "openssl {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
