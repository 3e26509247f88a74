//! `docker-credential-rcr`: rcr as a Docker credential helper.
//!
//! Docker, podman, skopeo, buildah and other container clients run
//! `docker-credential-NAME get` for the registries their config maps to
//! `NAME`. Installed as a link named `docker-credential-rcr`, rcr answers
//! with an ECR token: recognise the registry (or look it up in the alias
//! map), pick its AWS profile (the profile map, else the default chain),
//! take the token from the on-disk cache while it has enough life left,
//! else fetch it with GetAuthorizationToken through the same configuration
//! (`config::load` with a `ClientSettings` the helper builds itself: the
//! registry's region, the mapped profile as `--profile`) and generated
//! bridge as every other command. The AWS config and credentials files are
//! read once per request, and the profile map check, the cache key and the
//! SDK configuration all use those contents.
//!
//! `rcr credential-helper configure` and `doctor` (the [`command`] module)
//! set the helper up and explain what it would do.
//!
//! The cached path is what clients hit on every pull and push, so it stays
//! small: no tokio runtime, no aws-config, no model lookups, only a few
//! file reads. Everything heavy lives behind [`fetch`].

pub mod alias;
pub mod cache;
pub mod cli;
pub mod client_config;
pub mod command;
pub mod config_file;
pub mod configure;
pub mod doctor;
pub mod profile_map;
pub mod protocol;
pub mod registry;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::config::ClientSettings;
use crate::config::profiles::{ProfileFiles, Selection};
use crate::error::Error;
use crate::timestamp::TimestampFormat;
use protocol::Verb;
use registry::Registry;

/// Whether this process was started under the helper's name (argv[0]'s
/// file name), which is how container clients run it.
pub fn invoked_as_helper() -> bool {
    let Some(arg0) = std::env::args_os().next() else {
        return false;
    };
    std::path::Path::new(&arg0)
        .file_name()
        .is_some_and(|n| n == protocol::PROGRAM)
}

/// Runs the helper with the process's arguments and stdin; the exit code
/// is the protocol's: 0, or 1 with the message on stdout.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let result = Verb::parse(&args).and_then(|verb| {
        let mut input = Vec::new();
        if verb.reads_input() {
            std::io::stdin()
                .read_to_end(&mut input)
                .map_err(|e| format!("cannot read the input: {e}"))?;
        }
        run(verb, &String::from_utf8_lossy(&input))
    });
    let mut stdout = std::io::stdout().lock();
    match result {
        Ok(out) => {
            let _ = stdout.write_all(out.as_bytes());
            let _ = stdout.flush();
            ExitCode::SUCCESS
        }
        Err(message) => {
            let _ = writeln!(stdout, "{message}");
            let _ = stdout.flush();
            ExitCode::from(1)
        }
    }
}

/// One verb with its input; `Ok` is what goes to stdout.
fn run(verb: Verb, input: &str) -> Result<String, String> {
    match verb {
        Verb::Version => Ok(protocol::version()),
        Verb::Store => protocol::check_store(input).map(|()| String::new()),
        Verb::Get => {
            let url = protocol::server_url(input)?;
            let config = config_file::read().map_err(helper_error)?;
            let Some(registry) = resolve(url, &config)? else {
                return Err(protocol::NOT_FOUND.to_string());
            };
            // The AWS config and credentials files, read once for the run.
            let files = ProfileFiles::of_this_run();
            let profile = profile_for(&registry, &config, &files).map_err(helper_error)?;
            let token = token_for(&registry, profile.as_deref(), &files)?;
            Ok(protocol::credentials(url, &token.username, &token.secret))
        }
        Verb::Erase => {
            let url = protocol::server_url(input)?;
            let config = config_file::read().unwrap_or_default();
            // Nothing is stored, but forgetting the cached token makes
            // `docker logout` force a fresh one on the next pull.
            if let (Ok(Some(registry)), Some(dir)) = (resolve(url, &config), cache::dir()) {
                for (host, path, _) in cache::all(&dir) {
                    if host == registry.host() {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
            Ok(String::new())
        }
        Verb::List => Ok(protocol::list(&listing())),
    }
}

fn helper_error(e: String) -> String {
    format!("rcr credential helper: {e}")
}

/// The registry a server URL names directly or through the alias map of
/// the helper's `config` file; `None` for any other host (no AWS call is
/// made for those).
pub fn resolve(url: &str, config: &str) -> Result<Option<Registry>, String> {
    if let Some(r) = registry::recognise(url) {
        return Ok(Some(r));
    }
    let Some(authority) = registry::authority(url) else {
        return Ok(None);
    };
    let aliases = alias::parse(config)
        .map_err(|e| helper_error(format!("{}: {e}", config_file::display_path())))?;
    let Some(target) = alias::lookup(&aliases, &authority) else {
        return Ok(None);
    };
    match registry::recognise(target) {
        Some(r) => Ok(Some(r)),
        None => Err(format!(
            "rcr credential helper: the alias {authority} maps to {target}, which is not an ECR registry"
        )),
    }
}

/// The profile the helper's `config` file maps `registry` to, checked to
/// exist; `None` when it maps nothing (the default chain applies).
pub fn profile_for(
    registry: &Registry,
    config: &str,
    files: &ProfileFiles,
) -> Result<Option<String>, String> {
    let map = profile_map::parse_file(config)?;
    let Some(mapping) = profile_map::lookup(&map, registry) else {
        return Ok(None);
    };
    profile_map::check_defined(mapping, files)?;
    Ok(Some(mapping.profile.clone()))
}

/// The registries with a fresh cached token, and the aliases of each.
fn listing() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Some(dir) = cache::dir().filter(|_| cache::enabled()) else {
        return out;
    };
    let now = cache::now();
    for (host, _, token) in cache::all(&dir) {
        if token.fresh(now) {
            out.insert(host, token.username);
        }
    }
    if let Ok(aliases) = alias::load() {
        for (key, target) in aliases {
            let user = registry::recognise(&target).and_then(|r| out.get(r.host()).cloned());
            if let Some(user) = user {
                out.insert(key, user);
            }
        }
    }
    out
}

/// The endpoint variable for the registry's service, part of the cache key.
pub fn endpoint_env(registry: &Registry) -> &'static str {
    match registry {
        Registry::Public => "AWS_ENDPOINT_URL_ECR_PUBLIC",
        Registry::Private { .. } => "AWS_ENDPOINT_URL_ECR",
    }
}

/// A token for `registry` with `profile` (or the default chain): from the
/// cache while fresh, else fetched (once, under the entry's lock) and cached.
fn token_for(
    registry: &Registry,
    profile: Option<&str>,
    files: &Arc<ProfileFiles>,
) -> Result<cache::Token, String> {
    let entry = match cache::dir().filter(|_| cache::enabled()) {
        Some(dir) => cache::Entry::new(
            dir,
            registry.host(),
            &cache::identity(endpoint_env(registry), profile, files),
        ),
        None => return fetch(registry, profile, files).map_err(report),
    };
    if let Some(token) = entry.read().filter(|t| t.fresh(cache::now())) {
        return Ok(token);
    }
    let _lock = entry.lock();
    // Another helper may have fetched it while this one waited.
    if let Some(token) = entry.read().filter(|t| t.fresh(cache::now())) {
        return Ok(token);
    }
    let token = fetch(registry, profile, files).map_err(report)?;
    if token.fresh(cache::now()) {
        entry.write(&token);
    }
    Ok(token)
}

/// An error as one line for the protocol's stdout.
fn report(e: Error) -> String {
    e.report().trim().to_string()
}

/// Whether instance metadata is the only credential source left: nothing in
/// the environment or the selected profile (`profile`, the mapped one, else
/// `AWS_PROFILE`), and IMDS not disabled. Then the chain's IMDS probe is
/// cut short (see [`fetch`]).
fn only_instance_metadata(profile: Option<&str>, files: &ProfileFiles) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if std::env::var("AWS_EC2_METADATA_DISABLED").is_ok_and(|v| v.eq_ignore_ascii_case("true")) {
        return false;
    }
    if [
        "AWS_ACCESS_KEY_ID",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ]
    .iter()
    .any(|k| set(k))
    {
        return false;
    }
    let settings = files.profile(Selection::choose(profile).name());
    ![
        "aws_access_key_id",
        "role_arn",
        "credential_process",
        "credential_source",
        "sso_session",
        "sso_start_url",
        "sso_account_id",
        "web_identity_token_file",
        "login_session",
    ]
    .iter()
    .any(|k| settings.contains_key(*k))
}

/// How long the instance metadata service may take when it is the only
/// source: on an instance its three requests take milliseconds; elsewhere
/// aws-config waits for its 1 s connect or read timeout (measured: 1.1 s
/// against a loopback endpoint that accepts and never answers), and the
/// helper promises a clear error within a second.
const IMDS_ONLY_LIMIT: Duration = Duration::from_millis(750);

/// The service whose GetAuthorizationToken serves `registry`.
pub fn service_of(registry: &Registry) -> Result<&'static crate::model::Service, Error> {
    let service_name = match registry {
        Registry::Public => "ecr-public",
        Registry::Private { .. } => "ecr",
    };
    crate::sdk::service(service_name)
        .ok_or_else(|| Error::internal(format!("no {service_name} model")))
}

/// The client settings the helper runs with for `registry`: its region
/// and, when mapped, its profile (exactly as `--profile NAME` would be),
/// else the environment's; aws's default timeouts and TLS trust.
pub fn client_settings_for(
    registry: &Registry,
    profile: Option<&str>,
    files: Arc<ProfileFiles>,
) -> ClientSettings {
    ClientSettings {
        region: Some(registry.region().to_string()),
        ..ClientSettings::new(files, profile)
    }
}

/// GetAuthorizationToken with a loaded configuration, through the generated
/// bridge; the raw response.
pub async fn request_token(
    service: &'static crate::model::Service,
    resolved: &crate::config::Resolved,
) -> Result<Value, Error> {
    let operation = service
        .operation("get-authorization-token")
        .ok_or_else(|| Error::internal("no GetAuthorizationToken in the model"))?;
    // Epoch seconds for expiresAt, not the local-time text commands print.
    let options = crate::sdk::ClientOptions::of(resolved, TimestampFormat::Wire);
    let client = crate::sdk::ServiceClient::new(service, &resolved.sdk_config, options);
    client.call(operation, &json!({})).await
}

/// GetAuthorizationToken for `registry`, through `config::load` (region
/// from the host name, `profile` when mapped) and the generated bridge.
fn fetch(
    registry: &Registry,
    profile: Option<&str>,
    files: &Arc<ProfileFiles>,
) -> Result<cache::Token, Error> {
    let service = service_of(registry)?;
    if let Registry::Private { fips: true, .. } = registry
        && std::env::var_os("AWS_USE_FIPS_ENDPOINT").is_none()
    {
        // A FIPS registry's users expect the FIPS API endpoint too.
        // SAFETY: no other thread exists yet (the runtime is built below).
        unsafe { std::env::set_var("AWS_USE_FIPS_ENDPOINT", "true") };
    }
    let client_settings = client_settings_for(registry, profile, files.clone());
    let imds_only = only_instance_metadata(profile, files);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
    let fetched_at = cache::now();
    let response = runtime.block_on(async {
        let load = crate::config::load(&client_settings, service);
        let resolved = if imds_only {
            match tokio::time::timeout(IMDS_ONLY_LIMIT, load).await {
                Ok(r) => r?,
                Err(_) => {
                    return Err(Error::Client {
                        code: "NoCredentials",
                        message: format!(
                            "Unable to locate credentials: none are configured and the instance metadata service did not answer within {} ms. You can configure credentials by running \"aws login\".",
                            IMDS_ONLY_LIMIT.as_millis()
                        ),
                        exit: 253,
                    });
                }
            }
        } else {
            load.await?
        };
        request_token(service, &resolved).await
    })?;
    token_of(&response, fetched_at)
}

/// The user name, password and expiry in a GetAuthorizationToken response
/// (a list of authorization data for ECR, one object for ECR Public).
pub fn token_of(response: &Value, fetched_at: i64) -> Result<cache::Token, Error> {
    let login = crate::custom::login::decode(response)?;
    Ok(cache::Token {
        username: login.username,
        secret: login.password,
        // Whole seconds are plenty for a margin measured in minutes.
        expires_at: login.expires_at.map(|f| f as i64),
        fetched_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_response_shapes() {
        let private = json!({"authorizationData": [{
            "authorizationToken": "QVdTOnNlY3JldDpwYXJ0", "expiresAt": 1700000000.5,
            "proxyEndpoint": "https://x"}]});
        let t = token_of(&private, 5).expect("valid response");
        assert_eq!(
            (t.username.as_str(), t.secret.as_str(), t.expires_at),
            ("AWS", "secret:part", Some(1_700_000_000))
        );
        let public = json!({"authorizationData": {"authorizationToken": "QVdTOnB3"}});
        let t = token_of(&public, 5).expect("valid response");
        assert_eq!((t.secret.as_str(), t.expires_at), ("pw", None));
        assert!(token_of(&json!({"authorizationData": []}), 0).is_err());
        assert!(
            token_of(
                &json!({"authorizationData": [{"authorizationToken": "!!"}]}),
                0
            )
            .is_err()
        );
        assert!(
            token_of(
                &json!({"authorizationData": [{"authorizationToken": "QVdT"}]}),
                0
            )
            .is_err()
        );
    }
}
