//! The config and credentials files: read once per run ([`ProfileFiles`]),
//! which profiles they define, the settings of the selected one, and which
//! profile is selected ([`Selection`]).
//!
//! aws v2 refuses a `--profile` (or `AWS_PROFILE`) that no file defines
//! before doing anything else: `The config profile (NAME) could not be found`.
//! The same contents are handed to aws-config ([`ProfileFiles::for_sdk`]) for
//! credentials, region and endpoints, so no provider opens the files again;
//! this small reader serves the settings rcr applies itself (`ca_bundle`,
//! `cli_pager`, `max_attempts`, `retry_mode`, `output`, ...) and `--debug`,
//! without panicking on values aws-config would reject.

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

fn read(path: Option<&PathBuf>) -> String {
    path.and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}

/// The config and credentials files of one run, each read once (a missing
/// or unreadable file is an empty one, as for aws).
#[derive(Debug, Clone, Default)]
pub struct ProfileFiles {
    pub config_path: Option<PathBuf>,
    pub credentials_path: Option<PathBuf>,
    config: String,
    credentials: String,
}

impl ProfileFiles {
    /// Reads `AWS_CONFIG_FILE` (else `~/.aws/config`) and
    /// `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`).
    pub fn read() -> ProfileFiles {
        let config_path = config_file();
        let credentials_path = credentials_file();
        ProfileFiles {
            config: read(config_path.as_ref()),
            credentials: read(credentials_path.as_ref()),
            config_path,
            credentials_path,
        }
    }

    /// The files of this process, read on first use and shared after: the
    /// run's settings, and the error report of a run that failed before or
    /// after them, see the same contents and never open the files twice.
    /// (Contents only: no setting is chosen or changed here.)
    pub fn of_this_run() -> std::sync::Arc<ProfileFiles> {
        static FILES: std::sync::OnceLock<std::sync::Arc<ProfileFiles>> =
            std::sync::OnceLock::new();
        FILES
            .get_or_init(|| std::sync::Arc::new(ProfileFiles::read()))
            .clone()
    }

    /// Files with the given contents (tests).
    pub fn from_contents(config: &str, credentials: &str) -> ProfileFiles {
        ProfileFiles {
            config: config.to_string(),
            credentials: credentials.to_string(),
            ..ProfileFiles::default()
        }
    }

    /// Whether either file defines profile `name`.
    pub fn exists(&self, name: &str) -> bool {
        section_names(&self.config, true).iter().any(|n| n == name)
            || section_names(&self.credentials, false)
                .iter()
                .any(|n| n == name)
    }

    /// The profile names of both files, config first, each once.
    pub fn names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in section_names(&self.config, true)
            .into_iter()
            .chain(section_names(&self.credentials, false))
        {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// The settings of profile `name`: the credentials file's keys over the
    /// config file's, as aws merges them.
    pub fn profile(&self, name: &str) -> BTreeMap<String, String> {
        let mut merged = settings(&self.config, true, name);
        merged.extend(settings(&self.credentials, false, name));
        merged
    }

    /// The settings of profile `name` in one file: the credentials file's
    /// (`from_credentials_file`) or the config file's.
    pub fn profile_in(&self, name: &str, from_credentials_file: bool) -> BTreeMap<String, String> {
        if from_credentials_file {
            settings(&self.credentials, false, name)
        } else {
            settings(&self.config, true, name)
        }
    }

    /// A setting of `profile` (`output`, `cli_timestamp_format`, ...), for
    /// the settings aws-config does not read.
    pub fn setting(&self, profile: &str, key: &str) -> Option<String> {
        self.profile(profile).remove(key)
    }

    /// The same contents for aws-config's providers (loader, region chain,
    /// profile credentials), which would otherwise open the files again.
    /// (aws-config's names are deprecated aliases of aws-runtime's
    /// `EnvConfigFiles`, a crate rcr does not depend on directly.)
    #[allow(deprecated)]
    pub fn for_sdk(&self) -> aws_config::profile::profile_file::ProfileFiles {
        use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles as SdkFiles};
        SdkFiles::builder()
            .with_contents(ProfileFileKind::Config, self.config.clone())
            .with_contents(ProfileFileKind::Credentials, self.credentials.clone())
            .build()
    }
}

/// Where the selected profile came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSource {
    /// `--profile` (or a profile the credential helper maps a registry to,
    /// which behaves exactly like it).
    Flag,
    /// `AWS_PROFILE` / `AWS_DEFAULT_PROFILE`.
    Environment,
    /// Nothing chose one: `default`.
    Default,
}

/// The profile a run uses and where that choice came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The chosen name; `None` means `default` by default.
    pub chosen: Option<String>,
    pub source: ProfileSource,
}

impl Selection {
    /// `flag` (`--profile`), else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`
    /// (empty values skipped), else `default`.
    pub fn choose(flag: Option<&str>) -> Selection {
        if let Some(name) = flag {
            return Selection {
                chosen: Some(name.to_string()),
                source: ProfileSource::Flag,
            };
        }
        match selected(None) {
            Some(name) => Selection {
                chosen: Some(name),
                source: ProfileSource::Environment,
            },
            None => Selection {
                chosen: None,
                source: ProfileSource::Default,
            },
        }
    }

    /// The profile's name (`default` when none was chosen).
    pub fn name(&self) -> &str {
        self.chosen.as_deref().unwrap_or("default")
    }

    /// How `--debug` names the source.
    pub fn source_name(&self) -> &'static str {
        match self.source {
            ProfileSource::Flag => "--profile",
            ProfileSource::Environment => "AWS_PROFILE / AWS_DEFAULT_PROFILE",
            ProfileSource::Default => "default",
        }
    }
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

    #[test]
    fn files_merge_credentials_over_config() {
        let files = ProfileFiles::from_contents(
            "[default]\nregion = a\noutput = text\n[profile dev]\n",
            "[default]\nregion = b\n[ci]\n",
        );
        assert_eq!(files.setting("default", "region").as_deref(), Some("b"));
        assert_eq!(files.setting("default", "output").as_deref(), Some("text"));
        assert!(files.exists("dev") && files.exists("ci") && !files.exists("x"));
        assert_eq!(files.names(), vec!["default", "dev", "ci"]);
    }
}
