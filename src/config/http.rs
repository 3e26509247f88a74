//! The HTTP client: TLS trust as aws configures it.
//!
//! By default the system's roots verify the server, through the SDK's own
//! client. `--ca-bundle`, else `AWS_CA_BUNDLE`, else the profile's
//! `ca_bundle`, else `REQUESTS_CA_BUNDLE` replace them with the certificates
//! of one PEM file (as botocore does), checked the way OpenSSL checks them:
//! a chain to one of them, or the server presenting one of them itself (a
//! self-signed `openssl req -x509` certificate, which webpki alone refuses as
//! `CaUsedAsEndEntity`). `--no-verify-ssl` skips verification. The SDK's
//! client cannot take a custom verifier, so a small client on hyper with
//! rustls serves these two cases.
//!
//! Loading the system's roots (parsing some 140 PEM certificates) costs
//! about as much CPU as the rest of a small call, so it is deferred to the
//! first `https://` request: a run against an `http://` endpoint never pays
//! for it (see [`LazyTls`]).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};

use crate::debug;
use crate::error::Error;

/// The TLS options of the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tls {
    /// `--no-verify-ssl`.
    pub no_verify_ssl: bool,
    /// `--ca-bundle` (the environment and the profile are read by
    /// [`client`], in botocore's order).
    pub ca_bundle: Option<String>,
}

/// The client for this run's options (`settings`: the selected profile's).
pub fn client(tls: &Tls, settings: &BTreeMap<String, String>) -> Result<SharedHttpClient, Error> {
    if tls.no_verify_ssl {
        debug::log("rcr.http", "TLS verification disabled (--no-verify-ssl)");
        return Ok(SharedHttpClient::new(RustlsClient(Verification::AcceptAny)));
    }
    let builder = aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::Ring,
    ));
    let Some(path) = ca_bundle(tls, settings)? else {
        return Ok(LazyTls::wrap(builder.build_https()));
    };
    debug::log("rcr.http", &format!("CA bundle: {path}"));
    let pem = std::fs::read(&path).map_err(|e| {
        Error::Other(format!(
            "SSL validation failed: could not read the CA bundle {path}: {e}"
        ))
    })?;
    let anchors = bundle_certificates(&pem).map_err(|e| {
        Error::Other(format!(
            "SSL validation failed: the CA bundle {path} is not valid: {e}"
        ))
    })?;
    // The bundle's certificates alone, checked as OpenSSL checks them; a
    // plain HTTP endpoint never needs them.
    Ok(LazyTls::wrap(SharedHttpClient::new(RustlsClient(
        Verification::Bundle(Arc::new(anchors)),
    ))))
}

/// `--ca-bundle`, else `AWS_CA_BUNDLE`, else the profile's `ca_bundle`, else
/// `REQUESTS_CA_BUNDLE`, as botocore resolves its `verify` value: the first
/// one set wins, even when empty. An empty (or blank) value is botocore's
/// `InvalidConfigError` (aws v2.36.6), not a file that cannot be read.
fn ca_bundle(tls: &Tls, settings: &BTreeMap<String, String>) -> Result<Option<String>, Error> {
    let value = tls
        .ca_bundle
        .clone()
        .or_else(|| std::env::var("AWS_CA_BUNDLE").ok())
        .or_else(|| settings.get("ca_bundle").cloned())
        .or_else(|| std::env::var("REQUESTS_CA_BUNDLE").ok());
    match value {
        Some(v) if v.trim().is_empty() => Err(Error::Other(format!(
            "Invalid CA bundle: {}: a CA bundle must be the path to a file of PEM certificates",
            crate::python::str_repr(&v)
        ))),
        other => Ok(other),
    }
}

/// An HTTPS client whose TLS setup (the trust store) happens on the first
/// `https://` request; `http://` requests go through a plain client. The
/// SDK asks its HTTP client for a connector while it builds the client, so
/// without this every run would load the roots, needed or not.
#[derive(Debug)]
struct LazyTls {
    plain: SharedHttpClient,
    tls: SharedHttpClient,
}

impl LazyTls {
    fn wrap(tls: SharedHttpClient) -> SharedHttpClient {
        SharedHttpClient::new(LazyTls {
            plain: aws_smithy_http_client::Builder::new().build_http(),
            tls,
        })
    }
}

impl HttpClient for LazyTls {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(SchemeRouter {
            plain: self.plain.http_connector(settings, components),
            tls_client: self.tls.clone(),
            tls: OnceLock::new(),
            settings: settings.clone(),
            components: components.clone(),
        })
    }

    /// The SDK's client builds its TLS connector here, "so that native
    /// certs load at client initialization time": exactly the work this
    /// type defers, so only the plain client is checked.
    fn validate_base_client_config(
        &self,
        runtime_components: &RuntimeComponentsBuilder,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.plain
            .validate_base_client_config(runtime_components, cfg)
    }

    fn validate_final_config(
        &self,
        runtime_components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.tls.validate_final_config(runtime_components, cfg)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.tls.connector_metadata()
    }
}

/// Sends each request through the plain or the TLS connector by its scheme,
/// creating the TLS one on first use.
struct SchemeRouter {
    plain: SharedHttpConnector,
    tls_client: SharedHttpClient,
    tls: OnceLock<SharedHttpConnector>,
    settings: HttpConnectorSettings,
    components: RuntimeComponents,
}

impl std::fmt::Debug for SchemeRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemeRouter")
            .field("tls_ready", &self.tls.get().is_some())
            .finish()
    }
}

impl HttpConnector for SchemeRouter {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        if request.uri().starts_with("http://") {
            return self.plain.call(request);
        }
        self.tls
            .get_or_init(|| {
                self.tls_client
                    .http_connector(&self.settings, &self.components)
            })
            .call(request)
    }
}

/// The certificates of a PEM bundle; an error for a bundle rustls cannot
/// use as trust anchors (empty bundles included: nothing could be trusted).
fn bundle_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let mut certs = Vec::new();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| e.to_string())?;
        roots.add(cert.clone()).map_err(|e| e.to_string())?;
        certs.push(cert);
    }
    Ok(certs)
}

/// How a [`RustlsClient`] checks the server's certificate.
#[derive(Debug, Clone)]
enum Verification {
    /// `--no-verify-ssl`: not at all.
    AcceptAny,
    /// A CA bundle: chains to its certificates, or one of them itself.
    Bundle(Arc<Vec<CertificateDer<'static>>>),
}

/// HTTPS through hyper and rustls with a verifier of rcr's own, for what
/// the SDK's client cannot be told: no verification, or OpenSSL's
/// acceptance of a trusted certificate presented as the server's own.
#[derive(Debug)]
struct RustlsClient(Verification);

impl HttpClient for RustlsClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(RustlsConnector::new(
            &self.0,
            settings.connect_timeout(),
            settings.read_timeout(),
        ))
    }
}

type HyperClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    SdkBody,
>;

struct RustlsConnector {
    client: HyperClient,
    read_timeout: Option<Duration>,
}

impl std::fmt::Debug for RustlsConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RustlsConnector")
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

impl RustlsConnector {
    fn new(
        verification: &Verification,
        connect_timeout: Option<Duration>,
        read_timeout: Option<Duration>,
    ) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(match verification {
            Verification::AcceptAny => Verifier {
                provider: provider.clone(),
                trust: Trust::Everything,
            },
            Verification::Bundle(anchors) => {
                Verifier::for_anchors(anchors.clone(), provider.clone())
            }
        });
        let config = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map(|b| {
                b.dangerous()
                    .with_custom_certificate_verifier(verifier.clone())
                    .with_no_client_auth()
            });
        let config = match config {
            Ok(c) => c,
            // ring supports the default protocol versions; keep a usable
            // value rather than panic if that ever changes.
            Err(_) => rustls::ClientConfig::builder()
                .dangerous()
                .with_custom_certificate_verifier(verifier)
                .with_no_client_auth(),
        };
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(connect_timeout);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(https);
        RustlsConnector {
            client,
            read_timeout,
        }
    }
}

impl HttpConnector for RustlsConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let client = self.client.clone();
        let read_timeout = self.read_timeout;
        HttpConnectorFuture::new(async move {
            let request = request
                .try_into_http1x()
                .map_err(|e| ConnectorError::user(e.into()))?;
            let sent = client.request(request);
            let response = match read_timeout {
                Some(limit) => tokio::time::timeout(limit, sent)
                    .await
                    .map_err(|_| ConnectorError::timeout("read timed out".into()))?,
                None => sent.await,
            };
            let response = response.map_err(|e| {
                if e.is_connect() {
                    ConnectorError::io(e.into())
                } else {
                    ConnectorError::other(e.into(), None)
                }
            })?;
            HttpResponse::try_from(response.map(SdkBody::from_body_1_x))
                .map_err(|e| ConnectorError::other(e.into(), None))
        })
    }
}

/// The server-certificate check of a [`RustlsClient`]: one verifier whose
/// [`Trust`] decides each certificate and handshake signature.
#[derive(Debug)]
struct Verifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
    trust: Trust,
}

/// What a [`Verifier`] accepts.
#[derive(Debug)]
enum Trust {
    /// `--no-verify-ssl`: every certificate and signature.
    Everything,
    /// A bundle without one usable certificate: nothing.
    Nothing,
    /// Normal chain validation against the bundle's certificates, plus what
    /// OpenSSL (and so aws and curl) accepts and webpki refuses: a server
    /// presenting, as its own, a certificate that is exactly one of the
    /// bundle's, even a CA one (the `CA:TRUE` of every `openssl req -x509`
    /// certificate, webpki's `CaUsedAsEndEntity`). Its name must still match
    /// the server's, its dates were checked before that refusal, and the
    /// handshake signatures prove the server holds its key.
    Bundle {
        chain: Arc<rustls::client::WebPkiServerVerifier>,
        anchors: Arc<Vec<CertificateDer<'static>>>,
    },
}

/// rustls's check of a TLS 1.2 or 1.3 handshake signature.
type SignatureCheck = fn(
    &[u8],
    &CertificateDer<'_>,
    &rustls::DigitallySignedStruct,
    &rustls::crypto::WebPkiSupportedAlgorithms,
) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error>;

impl Verifier {
    /// The verifier for `anchors` (one that refuses everything when none
    /// of them is usable).
    fn for_anchors(
        anchors: Arc<Vec<CertificateDer<'static>>>,
        provider: Arc<rustls::crypto::CryptoProvider>,
    ) -> Verifier {
        let mut roots = rustls::RootCertStore::empty();
        roots.add_parsable_certificates(anchors.iter().cloned());
        let trust = match rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            provider.clone(),
        )
        .build()
        {
            Ok(chain) => Trust::Bundle { chain, anchors },
            // No usable anchor (checked before, so not expected): nothing
            // can be trusted.
            Err(_) => Trust::Nothing,
        };
        Verifier { provider, trust }
    }

    /// A handshake signature checked by `check` against a bundle; the fixed
    /// answer otherwise.
    fn signature(
        &self,
        check: SignatureCheck,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        match &self.trust {
            Trust::Everything => Ok(rustls::client::danger::HandshakeSignatureValid::assertion()),
            Trust::Nothing => Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::BadSignature,
            )),
            Trust::Bundle { .. } => check(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        }
    }
}

/// The trait's handshake-signature methods, one per TLS version: each
/// named like the rustls function that checks its version's signatures,
/// which it hands to [`Verifier::signature`] (a function cannot write a
/// trait's methods).
macro_rules! handshake_signature_checks {
    ($($check:ident),*) => {$(
        fn $check(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &rustls::DigitallySignedStruct,
        ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
            self.signature(rustls::crypto::$check, message, cert, dss)
        }
    )*};
}

impl rustls::client::danger::ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        let (chain, anchors) = match &self.trust {
            Trust::Everything => {
                return Ok(rustls::client::danger::ServerCertVerified::assertion());
            }
            Trust::Nothing => {
                return Err(rustls::Error::InvalidCertificate(
                    rustls::CertificateError::UnknownIssuer,
                ));
            }
            Trust::Bundle { chain, anchors } => (chain, anchors),
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(e)
                if format!("{e:?}").contains("CaUsedAsEndEntity")
                    && anchors.iter().any(|a| a.as_ref() == end_entity.as_ref()) =>
            {
                let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
                rustls::client::verify_server_name(&parsed, server_name)?;
                Ok(rustls::client::danger::ServerCertVerified::assertion())
            }
            other => other,
        }
    }

    handshake_signature_checks!(verify_tls12_signature, verify_tls13_signature);

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_pem() {
        assert!(
            bundle_certificates(
                b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n"
            )
            .is_err()
        );
        assert!(bundle_certificates(b"").is_ok_and(|c| c.is_empty()));
    }

    #[test]
    fn blank_bundle_values_are_invalid() {
        let tls = Tls {
            ca_bundle: Some("  ".into()),
            ..Tls::default()
        };
        let e = ca_bundle(&tls, &BTreeMap::new()).expect_err("blank");
        assert!(e.to_string().contains("Invalid CA bundle: '  '"), "{e}");
        assert_eq!(e.exit_code(), 255);
    }
}
