//! `rcr credential-helper doctor`: why would a pull fail? One line per
//! check of what a pull depends on, each failure with what to do.
//!
//! Checks, in the order a pull meets them: `docker-credential-rcr` is on
//! `PATH` and is this rcr; the helper's config file reads; for each
//! registry, Docker's config and the containers auth file route it to rcr,
//! the host is recognised (private, public, alias) with its region, the
//! profile and identity the helper would use, credentials resolve, a token
//! can be fetched, and the cached token's age. The network steps build the
//! helper's own `ClientSettings` (the registry's region, the mapped profile)
//! with the user's TLS options, over the run's profile files, and run under
//! short time limits, so doctor ends within seconds without a network.
//! Nothing is written: a token doctor fetches is not cached.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use super::client_config::{self, ClientFile, Route};
use super::command::Report;
use super::registry::{self, Registry};
use super::{alias, cache, config_file, profile_map, protocol};
use crate::cli::Globals;
use crate::config::ClientSettings;
use crate::config::profiles::ProfileFiles;
use crate::error::Error;
use crate::settings::Settings;

/// How long resolving credentials may take (an assume-role or SSO call,
/// a `credential_process`, instance metadata that may not answer).
const CREDENTIALS_LIMIT: Duration = Duration::from_secs(2);
/// How long GetAuthorizationToken may take, retries included.
const TOKEN_LIMIT: Duration = Duration::from_secs(3);
/// How long the helper found on `PATH` may take to say its version.
const VERSION_LIMIT: Duration = Duration::from_secs(2);

/// The command that installs the helper next to rcr.
pub const LINK_FIX: &str =
    "ln -s \"$(command -v rcr)\" \"$(dirname \"$(command -v rcr)\")/docker-credential-rcr\"";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Ok,
    Fail,
    /// Neither pass nor fail: something worth knowing.
    Info,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Fail => "FAIL",
            Status::Info => "info",
        }
    }
}

struct Check {
    subject: String,
    check: &'static str,
    status: Status,
    detail: String,
    fix: Option<String>,
}

#[derive(Default)]
struct Checks(Vec<Check>);

impl Checks {
    fn push(
        &mut self,
        subject: &str,
        check: &'static str,
        status: Status,
        detail: impl Into<String>,
        fix: Option<String>,
    ) {
        self.0.push(Check {
            subject: subject.to_string(),
            check,
            status,
            detail: detail.into(),
            fix: if status == Status::Fail { fix } else { None },
        });
    }
}

/// The first `docker-credential-rcr` on `PATH` that is a file.
pub fn helper_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|d| !d.as_os_str().is_empty())
        .map(|d| d.join(protocol::PROGRAM))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

pub fn run(hosts: &[String], settings: &Settings) -> Report {
    act_as_the_helper_environment(settings.flags());
    let files = &settings.files;
    let mut checks = Checks::default();
    check_helper(&mut checks);
    let config = check_config(&mut checks, files);
    let docker = client_config::docker(None);
    let podman = client_config::podman();
    let docker_doc = docker.as_ref().ok().map(read_client);
    let podman_doc = podman.as_ref().ok().map(read_client);
    let hosts: Vec<String> = if hosts.is_empty() {
        let mut routed: Vec<String> = Vec::new();
        for doc in [&docker_doc, &podman_doc].into_iter().flatten() {
            if let Ok(Some(doc)) = doc {
                for h in client_config::routed_hosts(doc) {
                    if !routed.contains(&h) {
                        routed.push(h);
                    }
                }
            }
        }
        if routed.is_empty() {
            checks.push(
                "registries",
                "routing",
                Status::Fail,
                "no registry is routed to rcr by Docker's config or the containers auth file",
                Some(
                    "rcr credential-helper configure --registry HOST (add --podman for podman)"
                        .into(),
                ),
            );
        }
        routed
    } else {
        hosts.to_vec()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    for host in &hosts {
        let subject = registry::authority(host).unwrap_or_else(|| host.clone());
        check_routing(
            &mut checks,
            &subject,
            (&docker, &docker_doc),
            (&podman, &podman_doc),
        );
        let Some(registry) = check_registry(&mut checks, &subject, &config) else {
            continue;
        };
        let Some(profile) = check_profile(&mut checks, &subject, &registry, &config, files) else {
            continue;
        };
        match &runtime {
            Ok(rt) => check_network(
                &mut checks,
                rt,
                &subject,
                &registry,
                profile.as_deref(),
                settings,
            ),
            Err(e) => checks.push(
                &subject,
                "credentials",
                Status::Fail,
                format!("could not start the runtime: {e}"),
                None,
            ),
        }
        check_cache(&mut checks, &subject, &registry, profile.as_deref(), files);
    }
    report(checks)
}

fn report(checks: Checks) -> Report {
    let ok = checks.0.iter().all(|c| c.status != Status::Fail);
    let lines = checks
        .0
        .iter()
        .map(|c| {
            let fix = c
                .fix
                .as_ref()
                .map(|f| format!(" => fix: {f}"))
                .unwrap_or_default();
            format!(
                "{:<5} {}: {}: {}{fix}",
                c.status.word(),
                c.subject,
                c.check,
                c.detail
            )
        })
        .collect();
    let document = json!({
        "ok": ok,
        "checks": checks.0.iter().map(|c| json!({
            "subject": c.subject,
            "check": c.check,
            "status": c.status.word().to_ascii_lowercase(),
            "detail": c.detail,
            "fix": c.fix,
        })).collect::<Vec<Value>>(),
    });
    Report {
        lines,
        document,
        ok,
    }
}

/// The helper reads who it is and where to go from its environment
/// (a client starts it with the client's). `--profile` and `--endpoint-url`
/// check the setup as if the helper ran with `AWS_PROFILE` and
/// `AWS_ENDPOINT_URL` set to them, so every rule (environment keys before
/// `AWS_PROFILE`, the profile map before both, the cache key) is the
/// helper's own. `--region` has no say: a registry's host names its region.
fn act_as_the_helper_environment(globals: &Globals) {
    for (var, value) in [
        ("AWS_PROFILE", &globals.profile),
        ("AWS_ENDPOINT_URL", &globals.endpoint_url),
    ] {
        if let Some(value) = value {
            // SAFETY: called first thing in doctor, before any thread
            // (runtime, resolver, child) is started.
            unsafe { std::env::set_var(var, value) };
        }
    }
}

/// `docker-credential-rcr` on `PATH`, and whether it is this rcr: the same
/// file, or a program that reports this rcr's helper version.
fn check_helper(checks: &mut Checks) {
    let subject = protocol::PROGRAM;
    let Some(found) = helper_on_path() else {
        checks.push(
            subject,
            "on PATH",
            Status::Fail,
            "not found on PATH, so container clients cannot run it",
            Some(LINK_FIX.to_string()),
        );
        return;
    };
    let this = std::env::current_exe().and_then(std::fs::canonicalize).ok();
    let real = std::fs::canonicalize(&found).ok();
    if this.is_some() && this == real {
        checks.push(
            subject,
            "on PATH",
            Status::Ok,
            format!("{} is this rcr", found.display()),
            None,
        );
        return;
    }
    let relink = Some(format!(
        "ln -sf {} {}",
        this.as_deref().unwrap_or(Path::new("rcr")).display(),
        found.display()
    ));
    match version_of(&found) {
        Some(v) if v == protocol::version() => checks.push(
            subject,
            "on PATH",
            Status::Ok,
            format!("{} is a copy of this rcr ({})", found.display(), v.trim()),
            None,
        ),
        Some(v) => checks.push(
            subject,
            "on PATH",
            Status::Fail,
            format!(
                "{} is another program or version: it says {:?}, this rcr is {:?}",
                found.display(),
                v.trim(),
                protocol::version().trim()
            ),
            relink,
        ),
        None => checks.push(
            subject,
            "on PATH",
            Status::Fail,
            format!(
                "{} did not answer `version` within {} s",
                found.display(),
                VERSION_LIMIT.as_secs()
            ),
            relink,
        ),
    }
}

/// What `program version` prints, if it ends within the limit.
fn version_of(program: &Path) -> Option<String> {
    use std::io::Read;
    let mut child = std::process::Command::new(program)
        .arg("version")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + VERSION_LIMIT;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child.stdout.take()?.read_to_string(&mut out).ok()?;
    Some(out)
}

/// The helper's config file: readable, its tables valid, every mapped
/// profile defined. Its text, for the host checks.
fn check_config(checks: &mut Checks, files: &ProfileFiles) -> String {
    let path = config_file::display_path();
    let text = match config_file::read() {
        Ok(t) => t,
        Err(e) => {
            checks.push(
                "config",
                "helper config",
                Status::Fail,
                e,
                Some(format!("make {path} readable")),
            );
            return String::new();
        }
    };
    let fix = || Some(format!("correct that line of {path}"));
    let aliases = match alias::parse(&text) {
        Ok(a) => a,
        Err(e) => {
            checks.push(
                "config",
                "helper config",
                Status::Fail,
                format!("{path}: [aliases] {e}"),
                fix(),
            );
            return text;
        }
    };
    let profiles = match profile_map::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            checks.push(
                "config",
                "helper config",
                Status::Fail,
                format!("{path}: [profiles] {e}"),
                fix(),
            );
            return text;
        }
    };
    for mapping in &profiles {
        if let Err(e) = profile_map::check_defined(mapping, files) {
            checks.push(
                "config",
                "helper config",
                Status::Fail,
                e,
                Some(format!(
                    "define the profile (aws configure --profile {}) or correct line {} of {path}",
                    mapping.profile, mapping.line
                )),
            );
        }
    }
    checks.push(
        "config",
        "helper config",
        Status::Info,
        if text.is_empty() {
            format!("{path}: none (no aliases, no profiles: every registry uses the default credentials)")
        } else {
            format!("{path}: {} aliases, {} profiles", aliases.len(), profiles.len())
        },
        None,
    );
    text
}

type ClientDoc = Result<Option<serde_json::Map<String, Value>>, String>;

fn read_client(file: &ClientFile) -> ClientDoc {
    client_config::read(&file.path)
}

/// Whether Docker's config and the containers auth file route `host` to
/// rcr. containers/image also reads Docker's config, so podman is routed
/// through it when its own file says nothing about the host.
fn check_routing(
    checks: &mut Checks,
    host: &str,
    docker: (&Result<ClientFile, String>, &Option<ClientDoc>),
    podman: (&Result<ClientFile, String>, &Option<ClientDoc>),
) {
    let fix = |podman: bool| {
        Some(format!(
            "rcr credential-helper configure --registry {host}{}",
            if podman { " --podman" } else { "" }
        ))
    };
    let describe = |route: &Route| match route {
        Route::Helper(h) => format!("credHelpers sends it to docker-credential-{h}"),
        Route::Store(s) => format!("credsStore sends it to docker-credential-{s}"),
        Route::Nothing => "nothing routes it to a credential helper".to_string(),
    };
    // What a client's own file says: Ok when it routes the host to rcr,
    // otherwise where it goes and the command that fixes it.
    let own_route = |route: &Route, file: &ClientFile, podman: bool| {
        if route.is_rcr() {
            (
                Status::Ok,
                format!("{} routes it to rcr", file.path.display()),
                None,
            )
        } else {
            (
                Status::Fail,
                format!("{}: {}", file.path.display(), describe(route)),
                fix(podman),
            )
        }
    };
    let mut routed = false;
    let mut used = false;
    let docker_route = match docker {
        (Err(e), _) | (_, Some(Err(e))) => {
            checks.push(host, "docker", Status::Fail, e.clone(), None);
            used = true;
            None
        }
        (Ok(file), Some(Ok(Some(doc)))) => {
            used = true;
            let route = client_config::route(doc, host);
            routed |= route.is_rcr();
            let (status, detail, fix) = own_route(&route, file, false);
            checks.push(host, "docker", status, detail, fix);
            Some(route)
        }
        (Ok(file), _) => {
            checks.push(
                host,
                "docker",
                Status::Info,
                format!("no {} (Docker not set up)", file.path.display()),
                None,
            );
            None
        }
    };
    match podman {
        (Err(e), _) | (_, Some(Err(e))) => {
            used = true;
            checks.push(host, "podman", Status::Fail, e.clone(), None);
        }
        (Ok(file), Some(Ok(Some(doc)))) => {
            used = true;
            let route = client_config::route(doc, host);
            routed |= route.is_rcr();
            let (status, detail, fix) = if route == Route::Nothing
                && docker_route.as_ref().is_some_and(Route::is_rcr)
            {
                (
                    Status::Ok,
                    format!(
                        "{} names no helper for it; containers/image then reads Docker's config, which routes it to rcr",
                        file.path.display()
                    ),
                    None,
                )
            } else {
                own_route(&route, file, true)
            };
            checks.push(host, "podman", status, detail, fix);
        }
        (Ok(file), _) => {
            let via_docker = docker_route.as_ref().is_some_and(Route::is_rcr);
            checks.push(
                host,
                "podman",
                Status::Info,
                if via_docker {
                    format!(
                        "no {}; containers/image reads Docker's config, which routes it to rcr",
                        file.path.display()
                    )
                } else {
                    format!("no {} (podman not set up)", file.path.display())
                },
                None,
            );
        }
    }
    if !used && !routed {
        checks.push(
            host,
            "routing",
            Status::Fail,
            "neither Docker's config nor the containers auth file exists",
            fix(true),
        );
    }
}

/// What the host is; `None` (after a failed check) when rcr has no token
/// for it.
fn check_registry(checks: &mut Checks, host: &str, config: &str) -> Option<Registry> {
    let describe = |r: &Registry| match r {
        Registry::Private {
            account,
            region,
            fips,
            ..
        } => format!(
            "private registry of account {account}, region {region}{}",
            if *fips { " (FIPS endpoint)" } else { "" }
        ),
        Registry::Public => "ECR Public (its token comes from us-east-1)".to_string(),
    };
    if let Some(r) = registry::recognise(host) {
        checks.push(host, "registry", Status::Ok, describe(&r), None);
        return Some(r);
    }
    let path = config_file::display_path();
    let target = alias::parse(config)
        .ok()
        .and_then(|aliases| alias::lookup(&aliases, host).map(str::to_string));
    match target.as_deref().map(|t| (t, registry::recognise(t))) {
        Some((t, Some(r))) => {
            checks.push(
                host,
                "registry",
                Status::Ok,
                format!("alias of {t}: {}", describe(&r)),
                None,
            );
            Some(r)
        }
        Some((t, None)) => {
            checks.push(
                host,
                "registry",
                Status::Fail,
                format!("the alias maps it to {t}, which is not an ECR registry"),
                Some(format!("correct its [aliases] line in {path}")),
            );
            None
        }
        None => {
            checks.push(
                host,
                "registry",
                Status::Fail,
                format!("not an ECR registry host and not in [aliases] of {path}: the helper answers \"credentials not found\""),
                Some(format!("check the spelling, or add \"{host}\" = \"<ECR registry>\" under [aliases] in {path}")),
            );
            None
        }
    }
}

/// The profile the helper would use: `Some(None)` for the default chain.
fn check_profile(
    checks: &mut Checks,
    host: &str,
    registry: &Registry,
    config: &str,
    files: &ProfileFiles,
) -> Option<Option<String>> {
    match super::profile_for(registry, config, files) {
        Ok(Some(p)) => {
            let line = profile_map::parse(config)
                .ok()
                .and_then(|m| profile_map::lookup(&m, registry).map(profile_map::Mapping::describe))
                .unwrap_or_default();
            checks.push(
                host,
                "profile",
                Status::Ok,
                format!(
                    "profile {p}, as --profile {p} (from {line}; environment keys do not apply)"
                ),
                None,
            );
            Some(Some(p))
        }
        Ok(None) => {
            let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
            let chain = match (
                env("AWS_ACCESS_KEY_ID"),
                env("AWS_PROFILE").or_else(|| env("AWS_DEFAULT_PROFILE")),
            ) {
                (Some(akid), _) => format!("environment keys ({akid})"),
                (None, Some(p)) => format!("profile {p} (AWS_PROFILE)"),
                (None, None) => "profile default".to_string(),
            };
            checks.push(
                host,
                "profile",
                Status::Ok,
                format!("not in [profiles]: the default chain, {chain}"),
                None,
            );
            Some(None)
        }
        Err(e) => {
            checks.push(
                host,
                "profile",
                Status::Fail,
                e,
                Some(format!(
                    "define the profile or correct the line in {}",
                    config_file::display_path()
                )),
            );
            None
        }
    }
}

/// Credentials, then a token, each under its time limit.
fn check_network(
    checks: &mut Checks,
    runtime: &tokio::runtime::Runtime,
    host: &str,
    registry: &Registry,
    profile: Option<&str>,
    user: &Settings,
) {
    let service = match super::service_of(registry) {
        Ok(s) => s,
        Err(e) => {
            checks.push(host, "credentials", Status::Fail, one_line(&e), None);
            return;
        }
    };
    // The user's TLS options apply; short limits unless given (their
    // values were checked before doctor started).
    let flags = user.flags();
    let limit = |name: &str, given: &Option<String>, default: u64| match given {
        Some(v) => {
            crate::settings::timeout(name, Some(v)).unwrap_or(Some(Duration::from_secs(default)))
        }
        None => Some(Duration::from_secs(default)),
    };
    let client_settings = ClientSettings {
        tls: crate::config::http::Tls {
            no_verify_ssl: flags.no_verify_ssl,
            ca_bundle: flags.ca_bundle.clone(),
        },
        connect_timeout: limit("cli-connect-timeout", &flags.cli_connect_timeout, 2),
        read_timeout: limit("cli-read-timeout", &flags.cli_read_timeout, 3),
        ..super::client_settings_for(registry, profile, user.files.clone())
    };
    let who = match profile {
        Some(p) => format!("profile {p}"),
        None => "the default chain".to_string(),
    };
    let cred_fix = match profile {
        Some(p) => format!("give profile {p} credentials (aws configure --profile {p}, or aws sso login --profile {p})"),
        None => "configure credentials (AWS_PROFILE, keys, aws configure), or map the registry to a profile under [profiles]".to_string(),
    };
    runtime.block_on(async {
        let loaded = tokio::time::timeout(CREDENTIALS_LIMIT, crate::config::load(&client_settings, service)).await;
        let resolved = match loaded {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                checks.push(host, "credentials", Status::Fail, format!("{who}: {}", one_line(&e)), Some(cred_fix));
                return;
            }
            Err(_) => {
                checks.push(
                    host,
                    "credentials",
                    Status::Fail,
                    format!("{who}: no credentials within {} s (an unreachable SSO, STS or instance metadata endpoint?)", CREDENTIALS_LIMIT.as_secs()),
                    Some(cred_fix),
                );
                return;
            }
        };
        let identity = match resolved.sdk_config.credentials_provider() {
            Some(p) => {
                use aws_credential_types::provider::ProvideCredentials as _;
                match p.provide_credentials().await {
                    Ok(c) => format!(
                        "access key id {} from {}",
                        c.access_key_id(),
                        crate::config::credentials::source_name(&c)
                    ),
                    Err(_) => "resolved".to_string(),
                }
            }
            None => "resolved".to_string(),
        };
        checks.push(host, "credentials", Status::Ok, format!("{who}: {identity}"), None);
        let endpoint = resolved.endpoint_for_errors.clone();
        let fetched_at = cache::now();
        match tokio::time::timeout(TOKEN_LIMIT, super::request_token(service, &resolved)).await {
            Ok(Ok(response)) => match super::token_of(&response, fetched_at) {
                Ok(t) => checks.push(
                    host,
                    "token",
                    Status::Ok,
                    format!(
                        "GetAuthorizationToken answered (user {}{})",
                        t.username,
                        t.expires_at
                            .map(|e| format!(", valid for {}", duration(e - fetched_at)))
                            .unwrap_or_default()
                    ),
                    None,
                ),
                Err(e) => checks.push(host, "token", Status::Fail, one_line(&e), None),
            },
            Ok(Err(e)) => {
                let fix = match &e {
                    Error::Service { .. } => format!("allow ecr:GetAuthorizationToken for {who}'s identity"),
                    _ => format!("check the network and the endpoint ({endpoint})"),
                };
                checks.push(host, "token", Status::Fail, one_line(&e), Some(fix));
            }
            Err(_) => checks.push(
                host,
                "token",
                Status::Fail,
                format!("no answer from {endpoint} within {} s", TOKEN_LIMIT.as_secs()),
                Some(format!("check the network, proxy settings and the endpoint ({endpoint})")),
            ),
        }
    });
}

/// The cached token the helper would hand out, and its age.
fn check_cache(
    checks: &mut Checks,
    host: &str,
    registry: &Registry,
    profile: Option<&str>,
    files: &ProfileFiles,
) {
    let detail = match cache::dir() {
        _ if !cache::enabled() => "the cache is off (RCR_CREDENTIAL_CACHE)".to_string(),
        None => "no cache directory (no HOME)".to_string(),
        Some(dir) => {
            let identity = cache::identity(super::endpoint_env(registry), profile, files);
            let entry = cache::Entry::new(dir, registry.host(), &identity);
            let now = cache::now();
            match entry.read() {
                None => "no cached token: the next pull fetches one".to_string(),
                Some(t) => {
                    let age = duration(now - t.fetched_at);
                    match t.expires_at {
                        Some(e) if t.fresh(now) => format!(
                            "cached token fetched {age} ago, handed out for {} more",
                            duration(e - now - margin(&t))
                        ),
                        Some(e) if e > now => format!(
                            "cached token fetched {age} ago, too close to expiry: the next pull fetches a new one"
                        ),
                        _ => format!(
                            "cached token fetched {age} ago has expired: the next pull fetches a new one"
                        ),
                    }
                }
            }
        }
    };
    checks.push(host, "cache", Status::Info, detail, None);
}

/// The part of a token's lifetime the cache keeps as a margin.
fn margin(t: &cache::Token) -> i64 {
    let lifetime = t.expires_at.unwrap_or(t.fetched_at) - t.fetched_at;
    (lifetime / 4).max(5 * 60)
}

/// Seconds as `3 h 5 min`, `12 min`, `40 s`.
fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    match (secs / 3600, (secs % 3600) / 60) {
        (0, 0) => format!("{secs} s"),
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// An error's report as one line, without the `rcr: [ERROR]: ` prefix.
fn one_line(e: &Error) -> String {
    let text = e.report();
    let text = text.trim();
    let text = text.strip_prefix("rcr: [ERROR]: ").unwrap_or(text);
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(duration(40), "40 s");
        assert_eq!(duration(12 * 60 + 5), "12 min");
        assert_eq!(duration(3 * 3600), "3 h");
        assert_eq!(duration(3 * 3600 + 5 * 60), "3 h 5 min");
        assert_eq!(duration(-5), "0 s");
    }
}
