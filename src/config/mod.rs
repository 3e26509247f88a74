//! The SDK configuration aws would use: region, credentials, endpoint,
//! retries, timeouts and the HTTP client, from the global options, the
//! environment and the profile files.
//!
//! Loading goes through aws-config's providers (region chain, credential
//! chain with assume role, `credential_process`, web identity, SSO,
//! container and instance metadata; `AWS_ENDPOINT_URL*`, the profile's
//! `endpoint_url` and `services`, `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`, FIPS
//! and dual-stack). rcr adds what aws v2 does on top: `--profile` ignores the
//! environment's keys, a missing profile or region or credentials fails
//! before anything is sent with aws's codes, retry and TLS settings are read
//! here (aws-config panics on values aws reports), and the `--cli-*` timeouts
//! apply.

pub mod credentials;
pub mod http;
pub mod profiles;

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::cli::Globals;
use crate::debug;
use crate::error::Error;
use crate::model::Service;

/// The configuration for one run.
pub struct Resolved {
    pub sdk_config: SdkConfig,
    /// The URL aws names in connection errors when no request was made yet:
    /// the endpoint and `/`.
    pub endpoint_for_errors: String,
}

/// The global options whose values are checked the way aws's argparse does
/// (252 on a bad value), before anything is loaded.
pub fn check_globals(globals: &Globals) -> Result<(), Error> {
    if let Some(color) = &globals.color
        && !matches!(color.as_str(), "on" | "off" | "auto")
    {
        return Err(Error::usage(format!(
            "argument --color: Found invalid choice '{color}'\n"
        )));
    }
    timeout_arg("cli-read-timeout", globals.cli_read_timeout.as_deref())?;
    timeout_arg(
        "cli-connect-timeout",
        globals.cli_connect_timeout.as_deref(),
    )?;
    Ok(())
}

/// `--cli-read-timeout` / `--cli-connect-timeout`: whole seconds, 0 = no
/// limit, 60 when absent.
fn timeout_arg(name: &str, value: Option<&str>) -> Result<Option<Duration>, Error> {
    let Some(value) = value else {
        return Ok(Some(Duration::from_secs(60)));
    };
    match value.trim().parse::<i64>() {
        Ok(0) => Ok(None),
        Ok(n) if n > 0 => Ok(Some(Duration::from_secs(n.unsigned_abs()))),
        // A negative value: Python's socket refuses it; treat as no limit
        // is wrong, so report it like a bad value.
        _ => Err(Error::usage(format!(
            "argument --{name}: invalid int value: '{value}'"
        ))),
    }
}

pub async fn load(globals: &Globals, service: &Service) -> Result<Resolved, Error> {
    check_globals(globals)?;
    let profile = profiles::selected(globals.profile.as_deref());
    if let Some(name) = &profile
        && !profiles::exists(name)
    {
        return Err(Error::ProfileNotFound(name.clone()));
    }
    let settings = profiles::profile(profile.as_deref().unwrap_or("default"));
    debug::log(
        "rcr.config",
        &format!(
            "Profile: {} ({})",
            profile.as_deref().unwrap_or("default"),
            match (&globals.profile, &profile) {
                (Some(_), _) => "--profile",
                (None, Some(_)) => "AWS_PROFILE / AWS_DEFAULT_PROFILE",
                (None, None) => "default",
            }
        ),
    );

    // 0 disables a limit outright (unset would fall back to the SDK's own
    // defaults, such as its 3.1 s connect timeout).
    let mut timeouts = TimeoutConfig::builder();
    timeouts = match timeout_arg(
        "cli-connect-timeout",
        globals.cli_connect_timeout.as_deref(),
    )? {
        Some(limit) => timeouts.connect_timeout(limit),
        None => timeouts.disable_connect_timeout(),
    };
    timeouts = match timeout_arg("cli-read-timeout", globals.cli_read_timeout.as_deref())? {
        Some(limit) => timeouts.read_timeout(limit),
        None => timeouts.disable_read_timeout(),
    };
    let timeouts = timeouts.build();
    let retry = retry_config(&settings)?;
    debug::log(
        "rcr.config",
        &format!(
            "Retry mode: {:?}, max attempts: {}",
            retry.mode(),
            retry.max_attempts()
        ),
    );
    let http_client = http::client(globals, &settings)?;

    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client.clone())
        .timeout_config(timeouts.clone())
        .retry_config(retry.clone());
    if let Some(name) = &profile {
        loader = loader.profile_name(name);
    }
    if let Some(region) = &globals.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &globals.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if globals.no_sign_request {
        loader = loader.no_credentials();
    }
    let config = loader.load().await;

    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(Error::Client {
            code: "NoRegion",
            message: "You must specify a region. You can also configure your region by running \"aws configure\".".into(),
            exit: 253,
        });
    };
    debug::log("rcr.config", &format!("Region: {region}"));
    let config = match (&globals.profile, std::env::var_os("AWS_ACCESS_KEY_ID")) {
        (Some(name), Some(_)) if !globals.no_sign_request => {
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
                .profile_name(name)
                .build();
            config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(provider))
                .build()
        }
        _ => config,
    };
    let config = if globals.no_sign_request {
        debug::log("rcr.config", "Credentials: none (--no-sign-request)");
        config
    } else {
        credentials::resolve(config).await?
    };
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
/// and `AWS_RETRY_MODE` / `retry_mode`, each on its own; standard mode with 3
/// attempts by default, `legacy` with 5 (it retries the same errors with
/// the same exponential backoff here).
/// Whether this run uses botocore's `legacy` retry mode, which says
/// `(reached max retries: N)` only for errors it would have retried
/// (standard mode says it whenever the last allowed attempt failed).
pub fn legacy_retries() -> bool {
    LEGACY_RETRIES.get().copied().unwrap_or(false)
}

static LEGACY_RETRIES: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn retry_config(settings: &BTreeMap<String, String>) -> Result<RetryConfig, Error> {
    let pick = |env: &str, key: &str| {
        std::env::var(env)
            .ok()
            .filter(|v| !v.is_empty())
            .or_else(|| settings.get(key).cloned())
    };
    let mode = pick("AWS_RETRY_MODE", "retry_mode");
    let (mode, default_attempts) = match mode.as_deref().map(str::trim) {
        None | Some("standard") => (RetryMode::Standard, 3),
        Some("adaptive") => (RetryMode::Adaptive, 3),
        Some("legacy") => {
            let _ = LEGACY_RETRIES.set(true);
            (RetryMode::Standard, 5)
        }
        Some(other) => {
            return Err(Error::Other(format!(
                "Invalid value '{other}' for retry_mode; valid values are: legacy, standard, adaptive"
            )));
        }
    };
    let attempts = match pick("AWS_MAX_ATTEMPTS", "max_attempts") {
        None => default_attempts,
        Some(v) => match v.trim().parse::<u32>() {
            // botocore makes one attempt when told zero.
            Ok(n) => n.max(1),
            Err(_) => {
                return Err(Error::Other(format!(
                    "Invalid value '{v}' for max_attempts: it must be an integer"
                )));
            }
        },
    };
    Ok(RetryConfig::standard()
        .with_retry_mode(mode)
        .with_max_attempts(attempts))
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
    fn timeouts() {
        assert_eq!(
            timeout_arg("x", None).ok().flatten(),
            Some(Duration::from_secs(60))
        );
        assert_eq!(timeout_arg("x", Some("0")).ok().flatten(), None);
        assert_eq!(
            timeout_arg("x", Some("5")).ok().flatten(),
            Some(Duration::from_secs(5))
        );
        assert!(timeout_arg("x", Some("five")).is_err());
    }

    #[test]
    fn root_path() {
        assert_eq!(with_root_path("http://127.0.0.1:9"), "http://127.0.0.1:9/");
        assert_eq!(with_root_path("http://h/p"), "http://h/p");
    }
}
