//! `rcr credential-helper configure`: names rcr in the `credHelpers` of
//! Docker's config and, with `--podman`, of the containers auth file, for
//! the registries given (or, with none given, the registry of the
//! configured credentials' account and region).
//!
//! The registries are checked before any file is touched: a `--registry`
//! must be an ECR registry host or a host of the alias map (the helper
//! answers nothing else), an `--account` a 12-digit id with a region. The
//! file edits themselves are [`super::client_config`]'s.

use serde_json::{Value, json};

use super::cli::ConfigureArgs;
use super::client_config::{self, Change, ClientFile};
use super::command::Report;
use super::{alias, config_file, registry};
use crate::error::Error;
use crate::settings::Settings;

pub fn run(args: &ConfigureArgs, settings: &Settings, argv: &[String]) -> Result<Report, Error> {
    let hosts = hosts(args, settings, argv)?;
    let mut files =
        vec![client_config::docker(args.docker_config.as_deref()).map_err(Error::Other)?];
    if args.podman {
        files.push(client_config::podman().map_err(Error::Other)?);
    }
    let mut lines = Vec::new();
    let mut documents = Vec::new();
    for file in &files {
        let (file_lines, document) = configure_file(file, &hosts)?;
        lines.extend(file_lines);
        documents.push(document);
    }
    if super::doctor::helper_on_path().is_none() {
        lines.push(format!(
            "note: {} is not on PATH, so clients cannot run it yet: {}",
            super::protocol::PROGRAM,
            super::doctor::LINK_FIX
        ));
    }
    Ok(Report {
        lines,
        document: json!({"registries": hosts, "files": documents}),
        ok: true,
    })
}

/// Edits one file; its report lines and document.
fn configure_file(file: &ClientFile, hosts: &[String]) -> Result<(Vec<String>, Value), Error> {
    let path = file.path.display().to_string();
    let fail = |e: String| Error::Other(format!("{path}: {e}"));
    let existed = client_config::read_for_edit(&file.path).map_err(Error::Other)?;
    let mut doc = existed.clone().unwrap_or_default();
    let changes = client_config::add_helpers(&mut doc, hosts).map_err(fail)?;
    let changed = existed.is_none() || changes.iter().any(|c| *c != Change::Unchanged);
    if changed {
        let text = client_config::to_text(&doc).map_err(fail)?;
        client_config::write_atomically(&file.path, &text).map_err(Error::Other)?;
    }
    let mut lines = Vec::new();
    let mut entries = Vec::new();
    let mut stale = Vec::new();
    for (host, change) in hosts.iter().zip(&changes) {
        let (status, previous, text) = match change {
            Change::Added => ("added", None, "added".to_string()),
            Change::Replaced(old) => (
                "replaced",
                Some(old.clone()),
                format!("now rcr (was {old})"),
            ),
            Change::Unchanged => ("unchanged", None, "already rcr".to_string()),
        };
        lines.push(format!("{path}: credHelpers {host}: {text}"));
        entries.push(json!({"registry": host, "status": status, "previous": previous}));
        for key in client_config::stale_logins(&doc, host) {
            let remove = file.client.logout(host, &file.path);
            lines.push(format!(
                "{path}: note: \"auths\" still holds a stored login for {key}; {} asks rcr for {host} now, but other tools may still use that login: remove it with `{remove}`",
                file.client.name()
            ));
            stale.push(json!({"registry": host, "key": key, "remove": remove}));
        }
    }
    lines.push(format!(
        "{path}: {}",
        if changed { "written" } else { "unchanged" }
    ));
    let document = json!({
        "client": file.client.name(),
        "path": path,
        "written": changed,
        "registries": entries,
        "staleLogins": stale,
    });
    Ok((lines, document))
}

/// The registry hosts asked for, checked and in order, without repeats.
fn hosts(args: &ConfigureArgs, settings: &Settings, argv: &[String]) -> Result<Vec<String>, Error> {
    let mut hosts: Vec<String> = Vec::new();
    if !args.registries.is_empty() {
        let config = config_file::read().map_err(Error::Other)?;
        for given in &args.registries {
            hosts.push(registry_host(given, &config)?);
        }
    }
    for (account, regions) in &args.accounts {
        if !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Error::usage(format!(
                "argument --account: '{account}' is not a 12-digit account id"
            )));
        }
        let regions = match regions.as_slice() {
            [] => vec![default_region(args, settings).ok_or_else(|| {
                Error::usage(format!(
                    "argument --account: no region for {account}: give --region after it, or configure a default region"
                ))
            })?],
            given => given.to_vec(),
        };
        for region in regions {
            let host = format!("{account}.dkr.ecr.{region}.{}", dns_suffix(&region));
            match registry::recognise(&host) {
                Some(r) => hosts.push(r.host().to_string()),
                None => {
                    return Err(Error::usage(format!(
                        "argument --region: '{region}' is not a region name"
                    )));
                }
            }
        }
    }
    if args.registries.is_empty() && args.accounts.is_empty() {
        hosts.push(own_registry(settings, argv)?);
    }
    let mut seen = std::collections::HashSet::new();
    hosts.retain(|h| seen.insert(h.clone()));
    Ok(hosts)
}

/// A `--registry` value as `credHelpers` keys it: an ECR registry's
/// canonical host, or an alias (kept with its port).
fn registry_host(given: &str, config: &str) -> Result<String, Error> {
    if let Some(r) = registry::recognise(given) {
        return Ok(r.host().to_string());
    }
    let authority = registry::authority(given).unwrap_or_default();
    let aliases = alias::parse(config)
        .map_err(|e| Error::Other(format!("{}: {e}", config_file::display_path())))?;
    if !authority.is_empty() && aliases.iter().any(|(k, _)| *k == authority) {
        return Ok(authority);
    }
    Err(Error::usage(format!(
        "argument --registry: '{given}' is neither an ECR registry host nor a host of [aliases] in {}",
        config_file::display_path()
    )))
}

/// The region for an `--account` without its own: a `--region` before any
/// `--account`, else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's.
fn default_region(args: &ConfigureArgs, settings: &Settings) -> Option<String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    args.default_region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| settings.profile_setting("region").filter(|r| !r.is_empty()))
}

/// The DNS suffix of a region's partition.
fn dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else if region.starts_with("us-isob-") {
        "sc2s.sgov.gov"
    } else if region.starts_with("us-isof-") {
        "csp.hci.ic.gov"
    } else if region.starts_with("us-iso-") {
        "c2s.ic.gov"
    } else if region.starts_with("eu-isoe-") {
        "cloud.adc-e.uk"
    } else {
        "amazonaws.com"
    }
}

/// The registry of the configured credentials' account in the configured
/// region: the `proxyEndpoint` of an ECR GetAuthorizationToken call made
/// with the global options, as `get-login-password` makes it.
fn own_registry(settings: &Settings, argv: &[String]) -> Result<String, Error> {
    let service = crate::sdk::service("ecr").ok_or_else(|| Error::internal("no ecr model"))?;
    let operation = service
        .operation("get-authorization-token")
        .ok_or_else(|| Error::internal("no GetAuthorizationToken in the model"))?;
    // `--debug` is on already (see `command`); off here so the session
    // does not log the command line a second time.
    let mut settings = settings.clone();
    settings.debug = false;
    let response = crate::session::with_client(&settings, service, argv, async |client| {
        client.call(operation, &json!({})).await
    })?;
    let endpoint = response
        .get("authorizationData")
        .and_then(|d| d.get(0))
        .and_then(|d| d.get("proxyEndpoint"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    match registry::recognise(endpoint) {
        Some(r) => Ok(r.host().to_string()),
        None => Err(Error::Other(format!(
            "GetAuthorizationToken named no registry (proxyEndpoint {endpoint:?}); give --registry or --account"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_have_their_suffix() {
        for (region, host) in [
            ("eu-west-1", "1.dkr.ecr.eu-west-1.amazonaws.com"),
            ("cn-north-1", "1.dkr.ecr.cn-north-1.amazonaws.com.cn"),
            ("us-iso-east-1", "1.dkr.ecr.us-iso-east-1.c2s.ic.gov"),
            ("us-isob-east-1", "1.dkr.ecr.us-isob-east-1.sc2s.sgov.gov"),
        ] {
            assert_eq!(format!("1.dkr.ecr.{region}.{}", dns_suffix(region)), host);
        }
    }
}
