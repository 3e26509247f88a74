//! Which profiles the config and credentials files define.
//!
//! aws v2 refuses a `--profile` (or `AWS_PROFILE`) that no file defines
//! before doing anything else: `The config profile (NAME) could not be found`.

use std::path::PathBuf;

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

pub fn config_file() -> Option<PathBuf> {
    match std::env::var_os("AWS_CONFIG_FILE") {
        Some(p) => Some(PathBuf::from(p)),
        None => home().map(|h| h.join(".aws").join("config")),
    }
}

pub fn credentials_file() -> Option<PathBuf> {
    match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => Some(PathBuf::from(p)),
        None => home().map(|h| h.join(".aws").join("credentials")),
    }
}

/// The profile names of a config file (`[default]`, `[profile x]`) or a
/// credentials file (`[x]`).
pub fn section_names(text: &str, config_style: bool) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let inner = line.strip_prefix('[')?.split(']').next()?.trim();
            if !config_style {
                return Some(inner.to_string());
            }
            if inner == "default" {
                return Some(inner.to_string());
            }
            let rest = inner.strip_prefix("profile")?;
            rest.starts_with([' ', '\t'])
                .then(|| rest.trim().to_string())
        })
        .collect()
}

pub fn exists(name: &str) -> bool {
    let read = |p: Option<PathBuf>| {
        p.and_then(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default()
    };
    section_names(&read(config_file()), true)
        .iter()
        .any(|n| n == name)
        || section_names(&read(credentials_file()), false)
            .iter()
            .any(|n| n == name)
}

/// A setting of `profile`'s section in the config file (`output`,
/// `cli_timestamp_format`, ...), for the settings aws-config does not read.
pub fn setting(profile: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(config_file()?).ok()?;
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = section_names(line, true).first().map(String::as_str) == Some(profile);
            continue;
        }
        if !in_section || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some((k, v)) = line.split_once('=')
            && k.trim() == key
        {
            return Some(v.trim().to_string());
        }
    }
    None
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
}
