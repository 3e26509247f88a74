//! The HTTP client: TLS trust as aws configures it.
//!
//! By default the system's roots verify the server. `--ca-bundle`, else
//! `AWS_CA_BUNDLE`, else the profile's `ca_bundle` replace them with the
//! certificates of one PEM file (as botocore does). `--no-verify-ssl` skips
//! verification; the SDK's client has no switch for that, so a small client
//! on hyper with a rustls configuration that accepts any certificate serves
//! that case alone.
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

use crate::cli::Globals;
use crate::debug;
use crate::error::Error;

/// The client for this run's options.
pub fn client(
    globals: &Globals,
    settings: &BTreeMap<String, String>,
) -> Result<SharedHttpClient, Error> {
    if globals.no_verify_ssl {
        debug::log("rcr.http", "TLS verification disabled (--no-verify-ssl)");
        return Ok(SharedHttpClient::new(InsecureClient));
    }
    let bundle = globals
        .ca_bundle
        .clone()
        .or_else(|| {
            std::env::var("AWS_CA_BUNDLE")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| settings.get("ca_bundle").cloned().filter(|s| !s.is_empty()));
    let builder = aws_smithy_http_client::Builder::new().tls_provider(tls::Provider::Rustls(
        tls::rustls_provider::CryptoMode::Ring,
    ));
    let Some(path) = bundle else {
        return Ok(LazyTls::wrap(builder.build_https()));
    };
    debug::log("rcr.http", &format!("CA bundle: {path}"));
    let pem = std::fs::read(&path).map_err(|e| {
        Error::Other(format!(
            "SSL validation failed: could not read the CA bundle {path}: {e}"
        ))
    })?;
    check_pem(&pem).map_err(|e| {
        Error::Other(format!(
            "SSL validation failed: the CA bundle {path} is not valid: {e}"
        ))
    })?;
    let context = tls::TlsContext::builder()
        .with_trust_store(
            tls::TrustStore::empty()
                .with_native_roots(false)
                .with_pem_certificate(pem),
        )
        .build()
        .map_err(|e| Error::Other(format!("could not set up TLS: {e}")))?;
    Ok(LazyTls::wrap(builder.tls_context(context).build_https()))
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

/// The SDK's client panics on a PEM file it cannot use; check it first.
fn check_pem(pem: &[u8]) -> Result<(), String> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem) {
        let cert = cert.map_err(|e| e.to_string())?;
        roots.add(cert).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// `--no-verify-ssl`: HTTPS without certificate checks.
#[derive(Debug)]
struct InsecureClient;

impl HttpClient for InsecureClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(InsecureConnector::new(
            settings.connect_timeout(),
            settings.read_timeout(),
        ))
    }
}

type HyperClient = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    SdkBody,
>;

struct InsecureConnector {
    client: HyperClient,
    read_timeout: Option<Duration>,
}

impl std::fmt::Debug for InsecureConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InsecureConnector")
            .field("read_timeout", &self.read_timeout)
            .finish()
    }
}

impl InsecureConnector {
    fn new(connect_timeout: Option<Duration>, read_timeout: Option<Duration>) -> Self {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map(|b| {
                b.dangerous()
                    .with_custom_certificate_verifier(Arc::new(AcceptAny(provider.clone())))
                    .with_no_client_auth()
            });
        let config = match config {
            Ok(c) => c,
            // ring supports the default protocol versions; keep a usable
            // value rather than panic if that ever changes.
            Err(_) => rustls::ClientConfig::builder()
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
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
        InsecureConnector {
            client,
            read_timeout,
        }
    }
}

impl HttpConnector for InsecureConnector {
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

/// Accepts every certificate (and its signatures): `--no-verify-ssl`.
#[derive(Debug)]
struct AcceptAny(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Ok(rustls::client::danger::HandshakeSignatureValid::assertion())
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_pem() {
        assert!(
            check_pem(b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")
                .is_err()
        );
        assert!(check_pem(b"").is_ok());
    }
}
