//! The SDK configuration aws would use: region, credentials, endpoint,
//! retries, timeouts and the HTTP client, from [`ClientSettings`] (this
//! layer's own settings type: `crate::settings` builds it for commands, the
//! credential helper and the completer build it directly), the environment
//! and the profile files' contents read once per run.
//!
//! Loading goes through aws-config's providers (region chain, credential
//! chain with assume role, `credential_process`, web identity, SSO,
//! container and instance metadata; `AWS_ENDPOINT_URL*`, the profile's
//! `endpoint_url` and `services`, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, FIPS
//! and dual-stack), all handed the files' contents instead of their paths.
//! rcr adds what aws v2 does on top: `--profile` ignores the environment's
//! keys, a missing profile or region or credentials fails before anything is
//! sent with aws's codes, retry and TLS settings are read here (aws-config
//! panics on values aws reports), and the `--cli-*` timeouts apply.

pub mod credentials;
pub mod endpoint;
pub mod http;
pub mod profiles;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::debug;
use crate::error::Error;
use crate::model::Service;
use profiles::{ProfileFiles, ProfileSource, Selection};

/// Everything [`load`] needs, already checked: where a client's settings
/// come from and what the command line overrides.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// The config and credentials files, read once for the run.
    pub files: Arc<ProfileFiles>,
    pub profile: Selection,
    /// `--region` (the region chain decides otherwise).
    pub region: Option<String>,
    /// `--endpoint-url` (the endpoint rules decide otherwise).
    pub endpoint_url: Option<String>,
    /// `--no-sign-request`: no credentials, unsigned requests.
    pub no_sign_request: bool,
    pub tls: http::Tls,
    /// `--cli-connect-timeout`; `None` means no limit.
    pub connect_timeout: Option<Duration>,
    /// `--cli-read-timeout`; `None` means no limit.
    pub read_timeout: Option<Duration>,
}

/// aws's error when no region is configured anywhere.
pub fn no_region() -> Error {
    Error::Client {
        code: "NoRegion",
        message: "You must specify a region. You can also configure your region by running \"aws configure\".".into(),
        exit: 253,
    }
}

/// aws's default for both `--cli-*-timeout`s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

impl ClientSettings {
    /// The settings of a client that no command line shaped: the selected
    /// profile (`profile` as if given as `--profile`, else the
    /// environment's), the default timeouts, the system's TLS roots.
    pub fn new(files: Arc<ProfileFiles>, profile: Option<&str>) -> ClientSettings {
        ClientSettings {
            files,
            profile: Selection::choose(profile),
            region: None,
            endpoint_url: None,
            no_sign_request: false,
            tls: http::Tls::default(),
            connect_timeout: Some(DEFAULT_TIMEOUT),
            read_timeout: Some(DEFAULT_TIMEOUT),
        }
    }
}

/// The configuration for one run.
pub struct Resolved {
    pub sdk_config: SdkConfig,
    /// The region given was `''` (the SDK has [`EMPTY_REGION_STAND_IN`]):
    /// requests are signed for the empty region, as botocore signs them.
    pub empty_region: bool,
    /// The URL aws names in connection errors when no request was made yet:
    /// the endpoint and `/`.
    pub endpoint_for_errors: String,
}

/// The region the SDK is given when the region given is `''`: botocore
/// takes the empty name (and, with an endpoint URL, signs for it), while
/// the SDK's endpoint parameters refuse it. Only the endpoint parameters
/// see the stand-in; the signature is made for `''` (`sdk::ClientOptions`).
pub const EMPTY_REGION_STAND_IN: &str = "us-east-1";

pub async fn load(client: &ClientSettings, service: &Service) -> Result<Resolved, Error> {
    if let Some(url) = &client.endpoint_url {
        endpoint::check_argument(url)?;
    }
    let profile = client.profile.chosen.as_deref();
    if let Some(name) = profile
        && !client.files.exists(name)
    {
        return Err(Error::ProfileNotFound(name.to_string()));
    }
    let settings = client.files.profile(client.profile.name());
    debug::log(
        "rcr.config",
        &format!(
            "Profile: {} ({})",
            client.profile.name(),
            client.profile.source_name()
        ),
    );

    // 0 disables a limit outright (unset would fall back to the SDK's own
    // defaults, such as its 3.1 s connect timeout).
    let mut timeouts = TimeoutConfig::builder();
    timeouts = match client.connect_timeout {
        Some(limit) => timeouts.connect_timeout(limit),
        None => timeouts.disable_connect_timeout(),
    };
    timeouts = match client.read_timeout {
        Some(limit) => timeouts.read_timeout(limit),
        None => timeouts.disable_read_timeout(),
    };
    let timeouts = timeouts.build();
    // A bad retry setting is reported after a missing region, as aws does;
    // the loader meanwhile gets the default.
    let (retry, retry_error) = match retry_config(&settings) {
        Ok(retry) => (retry, None),
        Err(e) => (RetryConfig::standard(), Some(e)),
    };
    debug::log(
        "rcr.config",
        &format!(
            "Retry mode: {:?}, max attempts: {}",
            retry.mode(),
            retry.max_attempts()
        ),
    );
    let http_client = http::client(&client.tls, &settings)?;

    let sdk_files = client.files.for_sdk();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .profile_files(sdk_files.clone())
        .http_client(http_client.clone())
        .timeout_config(timeouts.clone())
        .retry_config(retry.clone());
    if let Some(name) = profile {
        loader = loader.profile_name(name);
    }
    let empty_region = client.region.as_deref() == Some("");
    if let Some(region) = &client.region {
        let region = if empty_region {
            EMPTY_REGION_STAND_IN
        } else {
            region
        };
        loader = loader.region(Region::new(region.to_string()));
    }
    if let Some(url) = &client.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if client.no_sign_request {
        loader = loader.no_credentials();
    }
    let config = loader.load().await;

    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(no_region());
    };
    let region = if empty_region { String::new() } else { region };
    debug::log("rcr.config", &format!("Region: {region}"));
    if !is_region_name(&region) {
        return Err(Error::Other(format!(
            "Provided region_name '{region}' doesn't match a supported format."
        )));
    }
    if let Some(e) = retry_error {
        return Err(e);
    }
    match config.endpoint_url() {
        Some(url) => endpoint::check_endpoint(url)?,
        // The endpoint botocore builds for the region `''` has an empty label.
        None if empty_region => {
            let url = default_endpoint(service, "");
            return Err(Error::Other(format!(
                "Invalid endpoint: {}",
                url.trim_end_matches('/')
            )));
        }
        None => {}
    }
    let from_flag = client.profile.source == ProfileSource::Flag;
    let config = match (profile, std::env::var_os("AWS_ACCESS_KEY_ID")) {
        (Some(name), Some(_)) if from_flag && !client.no_sign_request => {
            credentials::check_profile(&client.files, name)?;
            // v2: an explicit --profile wins over the environment's keys,
            // while AWS_PROFILE does not; the default chain reads the
            // environment first, so use the profile chain alone.
            let provider_config = ProviderConfig::without_region()
                .with_http_client(http_client)
                .with_region(Some(Region::new(region.clone())))
                .with_timeout_config(timeouts)
                .with_retry_config(retry);
            let provider = aws_config::profile::ProfileFileCredentialsProvider::builder()
                .configure(&provider_config)
                .profile_files(sdk_files)
                .profile_name(name)
                .build();
            config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build()
        }
        _ => {
            if !client.no_sign_request {
                credentials::check_environment_keys()?;
                if !credentials::environment_has_keys() {
                    credentials::check_profile(&client.files, client.profile.name())?;
                }
            }
            config
        }
    };
    let config = if client.no_sign_request {
        debug::log("rcr.config", "Credentials: none (--no-sign-request)");
        config
    } else {
        credentials::resolve(config).await?
    };
    if let Some(url) = config.endpoint_url() {
        endpoint::check_request(url)?;
    }
    let endpoint_for_errors = match config.endpoint_url() {
        Some(url) => with_root_path(url),
        None => default_endpoint(service, &region),
    };
    debug::log(
        "rcr.config",
        &format!(
            "Endpoint: {}",
            config.endpoint_url().unwrap_or("(from the endpoint rules)")
        ),
    );
    Ok(Resolved {
        sdk_config: config,
        empty_region,
        endpoint_for_errors,
    })
}

/// The endpoint aws uses without any override (for error messages only; the
/// SDK's endpoint rules decide where requests go).
fn default_endpoint(service: &Service, region: &str) -> String {
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    if service.cli_name == "ecr-public" {
        format!("https://api.ecr-public.{region}.{suffix}/")
    } else {
        format!("https://api.ecr.{region}.{suffix}/")
    }
}

/// Retries as aws v2 resolves them: `AWS_MAX_ATTEMPTS` / `max_attempts`
/// and `AWS_RETRY_MODE` / `retry_mode`, each on its own (an empty variable
/// counts as set); standard mode with 3 attempts by default. aws v2 knows
/// only `standard` and `adaptive` (botocore's `legacy` is refused), reads the
/// attempts as Python's `int()` does, and checks them before the mode.
fn retry_config(settings: &BTreeMap<String, String>) -> Result<RetryConfig, Error> {
    let pick = |env: &str, key: &str| {
        std::env::var(env)
            .ok()
            .or_else(|| settings.get(key).cloned())
    };
    let attempts = match pick("AWS_MAX_ATTEMPTS", "max_attempts") {
        None => 3,
        Some(v) => match crate::python::int_from_str(&v) {
            Some(n) if n >= 1 => u32::try_from(n).unwrap_or(u32::MAX),
            Some(n) => {
                return Err(Error::Other(format!(
                    "Value provided to \"max_attempts\": {n} must be an integer greater than or equal to one."
                )));
            }
            None => {
                return Err(Error::Other(format!(
                    "invalid literal for int() with base 10: {}",
                    crate::python::str_repr(&v)
                )));
            }
        },
    };
    let mode = match pick("AWS_RETRY_MODE", "retry_mode").as_deref() {
        None | Some("standard") => RetryMode::Standard,
        Some("adaptive") => RetryMode::Adaptive,
        Some(other) => {
            return Err(Error::Other(format!(
                "Invalid value provided to \"mode\": \"{other}\" must be one of: \"standard\" or \"adaptive\""
            )));
        }
    };
    Ok(RetryConfig::standard()
        .with_retry_mode(mode)
        .with_max_attempts(attempts))
}

/// botocore's region name test (the SDK's endpoint rules would refuse
/// the others with their internals): a host label of ASCII letters, digits
/// and inner hyphens, at most 63 characters, not all digits. The empty
/// name passes, as in botocore (see [`EMPTY_REGION_STAND_IN`]).
pub fn is_region_name(region: &str) -> bool {
    let bytes = region.as_bytes();
    if bytes.is_empty() {
        return true;
    }
    bytes.len() <= 63
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
        && !bytes.iter().all(u8::is_ascii_digit)
}

fn with_root_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
    if after_scheme.contains('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_as_botocore_takes_them() {
        for ok in [
            "us-east-1",
            "US-EAST-1",
            "a",
            "eu-west-2-x1",
            "1a",
            "1-2",
            "",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        for bad in [
            "us east",
            "é",
            "-",
            "a-",
            "-a",
            "us-east-1/x",
            "12",
            "123",
            &"a".repeat(64),
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn root_path() {
        assert_eq!(with_root_path("http://127.0.0.1:9"), "http://127.0.0.1:9/");
        assert_eq!(with_root_path("http://h/p"), "http://h/p");
    }
}
