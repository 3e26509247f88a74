//! The SDK configuration aws would use: region, credentials, endpoint,
//! retries, timeouts and the HTTP client, from the global options, the
//! environment and the profile files.
//!
//! Loading goes through aws-config's providers; rcr adds what aws v2 does on
//! top: `--profile` ignores the environment's keys, a missing profile or
//! region or credentials fails before anything is sent, with aws's codes.

pub mod profiles;

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::cli::Globals;
use crate::error::Error;
use crate::model::Service;

/// The configuration for one run.
pub struct Resolved {
    pub sdk_config: SdkConfig,
    /// The URL aws names in connection errors: the endpoint and `/`.
    pub endpoint_for_errors: String,
}

pub async fn load(globals: &Globals, service: &Service) -> Result<Resolved, Error> {
    let profile = globals
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty()))
        .or_else(|| {
            std::env::var("AWS_DEFAULT_PROFILE")
                .ok()
                .filter(|s| !s.is_empty())
        });
    if let Some(name) = &profile
        && !profiles::exists(name)
    {
        return Err(Error::ProfileNotFound(name.clone()));
    }

    let mut loader = aws_config::defaults(BehaviorVersion::latest()).http_client(http_client());
    if let Some(name) = &profile {
        loader = loader.profile_name(name);
    }
    if let Some(region) = &globals.region {
        loader = loader.region(Region::new(region.clone()));
    } else if let Ok(region) = std::env::var("AWS_DEFAULT_REGION")
        && !region.is_empty()
        && std::env::var_os("AWS_REGION").is_none()
    {
        loader = loader.region(Region::new(region));
    }
    if let Some(url) = &globals.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    // aws's defaults: 60 s to connect, 60 s per read.
    loader = loader.timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(60))
            .read_timeout(Duration::from_secs(60))
            .build(),
    );
    if let (Some(name), Some(_)) = (&globals.profile, std::env::var_os("AWS_ACCESS_KEY_ID")) {
        // v2: an explicit --profile wins over the environment's keys.
        let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
            .profile_name(name)
            .build();
        loader = loader.credentials_provider(provider);
    }
    let config = loader.load().await;

    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(Error::Client {
            code: "NoRegion",
            message: "You must specify a region. You can also configure your region by running \"aws configure\".".into(),
            exit: 253,
        });
    };
    let config = resolve_credentials(config).await?;
    let endpoint_for_errors = match &globals.endpoint_url {
        Some(url) => with_root_path(url),
        None => format!(
            "https://api.{}.{region}.amazonaws.com/",
            service.signing_name
        ),
    };
    Ok(Resolved {
        sdk_config: config,
        endpoint_for_errors,
    })
}

/// Resolves credentials once, before any request, so that their absence is
/// aws's `NoCredentials` (253) rather than an error from inside the SDK.
async fn resolve_credentials(config: SdkConfig) -> Result<SdkConfig, Error> {
    let no_credentials = || Error::Client {
        code: "NoCredentials",
        message:
            "Unable to locate credentials. You can configure credentials by running \"aws login\"."
                .into(),
        exit: 253,
    };
    let Some(provider) = config.credentials_provider() else {
        return Err(no_credentials());
    };
    match provider.provide_credentials().await {
        Ok(credentials) => Ok(config
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(credentials))
            .build()),
        Err(CredentialsError::CredentialsNotLoaded(_)) => Err(no_credentials()),
        Err(e) => Err(Error::Other(format!(
            "Error when retrieving credentials: {}",
            display_chain(&e)
        ))),
    }
}

fn display_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        source = cause.source();
    }
    s
}

fn with_root_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    if after_scheme.contains('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// HTTPS through rustls with ring: no C toolchain needed, and quick to start.
fn http_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::tls;
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}
