//! The config and credentials files: which profiles they define and the
//! settings of the selected one.
//!
//! aws v2 refuses a `--profile` (or `AWS_PROFILE`) that no file defines
//! before doing anything else: `The config profile (NAME) could not be found`.
//! aws-config reads the files again for credentials, region and endpoints;
//! this small reader serves the settings rcr applies itself (`ca_bundle`,
//! `cli_pager`, `max_attempts`, `retry_mode`) and `--debug`, without
//! panicking on values aws-config would reject.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// `AWS_CONFIG_FILE`, else `~/.aws/config`. An empty variable means no file.
pub fn config_file() -> Option<PathBuf> {
    match std::env::var_os("AWS_CONFIG_FILE") {
        Some(p) => Some(PathBuf::from(p)),
        None => home().map(|h| h.join(".aws").join("config")),
    }
}

/// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
pub fn credentials_file() -> Option<PathBuf> {
    match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => Some(PathBuf::from(p)),
        None => home().map(|h| h.join(".aws").join("credentials")),
    }
}

/// The profile name a section header names: `[default]`, `[profile x]` in a
/// config file, `[x]` in a credentials file; `None` for other sections
/// (`[sso-session s]`, `[services s]`).
fn profile_of_header(inner: &str, config_style: bool) -> Option<String> {
    let inner = inner.trim();
    if !config_style || inner == "default" {
        return Some(inner.to_string());
    }
    let rest = inner.strip_prefix("profile")?;
    rest.starts_with([' ', '\t'])
        .then(|| rest.trim().to_string())
}

/// The text between `[` and `]` when `line` is a section header.
fn header(line: &str) -> Option<&str> {
    let line = line.trim();
    line.strip_prefix('[')?.split(']').next()
}

/// The profile names of a config file (`[default]`, `[profile x]`) or a
/// credentials file (`[x]`).
pub fn section_names(text: &str, config_style: bool) -> Vec<String> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(header)
        .filter_map(|inner| profile_of_header(inner, config_style))
        .collect()
}

/// The top-level `key = value` settings of profile `name` in one file;
/// indented lines (sub-sections such as `s3 =\n  x = y`) are skipped.
pub fn settings(text: &str, config_style: bool, name: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(inner) = header(trimmed) {
            inside = profile_of_header(inner, config_style).as_deref() == Some(name);
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((key, value)) = trimmed.split_once('=') {
            out.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    out
}

fn read(path: Option<PathBuf>) -> String {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}

pub fn exists(name: &str) -> bool {
    section_names(&read(config_file()), true)
        .iter()
        .any(|n| n == name)
        || section_names(&read(credentials_file()), false)
            .iter()
            .any(|n| n == name)
}

/// The settings of profile `name`: the credentials file's keys over the
/// config file's, as aws merges them.
pub fn profile(name: &str) -> BTreeMap<String, String> {
    let mut merged = settings(&read(config_file()), true, name);
    merged.extend(settings(&read(credentials_file()), false, name));
    merged
}

/// The profile the run uses: `--profile`, `AWS_PROFILE`,
/// `AWS_DEFAULT_PROFILE`; `None` means `default`.
pub fn selected(flag: Option<&str>) -> Option<String> {
    flag.map(str::to_string)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty()))
        .or_else(|| {
            std::env::var("AWS_DEFAULT_PROFILE")
                .ok()
                .filter(|s| !s.is_empty())
        })
}

/// A setting of `profile` (`output`, `cli_timestamp_format`, ...), for the
/// settings aws-config does not read.
pub fn setting(profile: &str, key: &str) -> Option<String> {
    self::profile(profile).remove(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections() {
        let config = "[default]\nregion=x\n[profile dev]\n[sso-session s]\n[profilex]\n";
        assert_eq!(section_names(config, true), vec!["default", "dev"]);
        assert_eq!(
            section_names("[ci]\naws_access_key_id=a\n", false),
            vec!["ci"]
        );
    }

    #[test]
    fn reads_settings_of_one_profile() {
        let config = "[default]\nregion = a\n[profile dev]\nregion=b\n# c\nservices = s\necr =\n  endpoint_url = x\ncli_pager =\n[services s]\nendpoint_url = y\n";
        let dev = settings(config, true, "dev");
        assert_eq!(dev.get("region").map(String::as_str), Some("b"));
        assert_eq!(dev.get("cli_pager").map(String::as_str), Some(""));
        assert_eq!(dev.get("ecr").map(String::as_str), Some(""));
        assert!(!dev.contains_key("endpoint_url"));
        assert_eq!(
            settings(config, true, "default")
                .get("region")
                .map(String::as_str),
            Some("a")
        );
        assert!(settings("[dev]\nregion=z\n", true, "dev").is_empty());
    }
}
