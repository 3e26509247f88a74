//! Resolving credentials once, before any request, and refreshing them when
//! they expire during a long run.
//!
//! aws reports missing credentials as `NoCredentials` (253) before sending
//! anything, so rcr asks the provider chain up front. The answer is handed to
//! the SDK's identity cache through [`Primed`], so the first request does not
//! run the chain (an assume-role call, a `credential_process`) a second time,
//! while expiring credentials are still fetched again from the real chain.

use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{
    ProvideCredentials, SharedCredentialsProvider, future as cred_future,
};
use aws_types::SdkConfig;

use super::profiles::ProfileFiles;
use crate::debug;
use crate::error::Error;

fn no_credentials() -> Error {
    Error::Client {
        code: "NoCredentials",
        message:
            "Unable to locate credentials. You can configure credentials by running \"aws login\"."
                .into(),
        exit: 253,
    }
}

/// botocore's environment provider, first in the chain: an access key
/// without a secret key is an error of its own (255), not a reason to try
/// the next provider.
pub fn check_environment_keys() -> Result<(), Error> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("AWS_ACCESS_KEY_ID") && !set("AWS_SECRET_ACCESS_KEY") {
        return Err(Error::Other(
            "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY".into(),
        ));
    }
    Ok(())
}

/// Whether the environment holds a whole key pair (botocore's first
/// provider then answers, and the profile is never read).
pub fn environment_has_keys() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY")
}

/// The profile's credential settings that botocore's providers refuse, in
/// the order of its chain (assume role, the credentials file, the config
/// file), with its words (255).
pub fn check_profile(files: &ProfileFiles, name: &str) -> Result<(), Error> {
    let merged = files.profile(name);
    if merged.contains_key("role_arn") {
        match merged.get("source_profile") {
            Some(source) if !files.exists(source) => {
                return Err(Error::Other(format!(
                    "The source_profile \"{source}\" referenced in the profile \"{name}\" does not exist."
                )));
            }
            None if !merged.contains_key("credential_source") => {
                return Err(Error::Other(
                    "Partial credentials found in assume-role, missing: source_profile or credential_source"
                        .into(),
                ));
            }
            _ => return Ok(()),
        }
    }
    for (in_credentials_file, provider) in
        [(true, "shared-credentials-file"), (false, "config-file")]
    {
        let profile = files.profile_in(name, in_credentials_file);
        if profile.contains_key("aws_access_key_id") {
            if !profile.contains_key("aws_secret_access_key") {
                return Err(Error::Other(format!(
                    "Partial credentials found in {provider}, missing: aws_secret_access_key"
                )));
            }
            return Ok(());
        }
        // botocore asks credential_process between the two files.
        if in_credentials_file && merged.contains_key("credential_process") {
            return Ok(());
        }
    }
    Ok(())
}

/// The access key id goes into the Authorization header and the session
/// token into its own: a control character in either cannot be sent (the
/// SDK's signer would panic on the first). aws's HTTP client reports such
/// a header as below, with the value, which rcr leaves out: it holds the
/// signature or the token.
fn check_header_values(credentials: &Credentials) -> Result<(), Error> {
    let bad = |text: &str| text.chars().any(|c| c.is_ascii_control() && c != '\t');
    if bad(credentials.access_key_id()) || credentials.session_token().is_some_and(bad) {
        return Err(Error::Other(
            "An HTTP Client raised an unhandled exception: Invalid header value (redacted)".into(),
        ));
    }
    Ok(())
}

/// A `credential_process` that failed, in botocore's words: its exit
/// status is not told, only what it wrote to stderr.
fn process_failure(chain: &str) -> Option<String> {
    if !chain.contains("external process exited with code") {
        return None;
    }
    let stderr = chain.split_once("Stderr: ").map_or("", |(_, s)| s);
    Some(format!(
        "Error when retrieving credentials from custom-process: {stderr}"
    ))
}

/// Resolves the credentials of `config` or fails with aws's error.
pub async fn resolve(config: SdkConfig) -> Result<SdkConfig, Error> {
    let Some(provider) = config.credentials_provider() else {
        return Err(no_credentials());
    };
    match provider.provide_credentials().await {
        Ok(credentials) => {
            check_header_values(&credentials)?;
            debug::log(
                "rcr.credentials",
                &format!(
                    "Found credentials from {} (access key id {}, session token: {})",
                    source_name(&credentials),
                    credentials.access_key_id(),
                    if credentials.session_token().is_some() {
                        "(redacted)"
                    } else {
                        "none"
                    }
                ),
            );
            let primed = Primed {
                first: Arc::new(Mutex::new(Some(credentials))),
                inner: provider,
            };
            Ok(config
                .into_builder()
                .credentials_provider(SharedCredentialsProvider::new(primed))
                .build())
        }
        Err(CredentialsError::CredentialsNotLoaded(_)) => Err(no_credentials()),
        Err(e) => {
            let chain = crate::error::cause_chain(&e);
            Err(Error::Other(process_failure(&chain).unwrap_or_else(|| {
                format!("Error when retrieving credentials: {chain}")
            })))
        }
    }
}

/// aws's names for where credentials came from, as `--debug` shows them.
pub fn source_name(credentials: &Credentials) -> String {
    // The provider name is only exposed through Debug (which redacts the
    // secret): `Credentials { provider_name: "Environment", .. }`.
    let debug = format!("{credentials:?}");
    let name = debug
        .split("provider_name: \"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("unknown");
    match name {
        "Environment" => "env".to_string(),
        "ProfileFile" => "shared-credentials-file".to_string(),
        other => other.to_string(),
    }
}

/// Gives the credentials resolved up front on the first request, then asks
/// the real chain (the identity cache calls again only when they expire).
#[derive(Debug)]
struct Primed {
    first: Arc<Mutex<Option<Credentials>>>,
    inner: SharedCredentialsProvider,
}

impl ProvideCredentials for Primed {
    fn provide_credentials<'a>(&'a self) -> cred_future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        // A poisoned lock only means another thread panicked while holding
        // it; the Option inside is still valid.
        let first = match self.first.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        match first {
            Some(credentials) => cred_future::ProvideCredentials::ready(Ok(credentials)),
            None => self.inner.provide_credentials(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primed_gives_first_then_inner() {
        let inner =
            SharedCredentialsProvider::new(Credentials::new("AKIDINNER", "s", None, None, "test"));
        let first = Credentials::new("AKIDFIRST", "s", None, None, "test");
        let primed = Primed {
            first: Arc::new(Mutex::new(Some(first))),
            inner,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime always builds");
        let a = rt.block_on(primed.provide_credentials());
        let b = rt.block_on(primed.provide_credentials());
        assert_eq!(
            a.map(|c| c.access_key_id().to_string()).ok().as_deref(),
            Some("AKIDFIRST")
        );
        assert_ne!(
            b.map(|c| c.access_key_id().to_string()).ok().as_deref(),
            Some("AKIDFIRST")
        );
    }
}
