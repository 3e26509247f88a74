//! The run's settings, resolved once: from the global options
//! ([`Globals`], the command line's low-level view), the environment and the
//! selected profile to typed values the lower layers take (in the spirit of
//! ripgrep's low-level → high-level arguments).
//!
//! [`Settings::resolve`] reads the config and credentials files once
//! ([`ProfileFiles`]) and chooses the profile (name and source); every other
//! setting is read from those contents, never from the files again, and the
//! same contents reach aws-config through [`ClientSettings`]. aws checks its
//! settings at different moments, and its error order is kept by resolving
//! each group when the command first needs it, once:
//! - at once (no errors): profile, timestamp format, pager, paging switch,
//!   debug;
//! - [`Settings::output`]: output format (incl. `off`) and the compiled
//!   `--query`, before the input is built;
//! - [`Settings::binary_format`]: `--cli-binary-format` / profile;
//! - [`Settings::client`]: `--color`, the `--cli-*` timeouts (252 on bad
//!   values), then region, endpoint, TLS, `--no-sign-request` for
//!   `config::load` (which checks the profile exists, retries, the CA bundle).
//!
//! The error format ([`error_format`]) is resolved when a command fails,
//! from the command line (the run's settings may not exist then) and the
//! same file contents ([`ProfileFiles::of_this_run`]).

use std::sync::Arc;
use std::time::Duration;

use crate::cli::Globals;
use crate::cli::globals::ERROR_FORMATS;
use crate::config::ClientSettings;
use crate::config::http::Tls;
use crate::config::profiles::{ProfileFiles, Selection};
use crate::error::Error;
use crate::output::{Format, Query};
use crate::params::BinaryFormat;
use crate::timestamp::TimestampFormat;

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The global options as given (for the groups resolved later).
    flags: Globals,
    /// The config and credentials files, read once.
    pub files: Arc<ProfileFiles>,
    /// The profile and where its name came from.
    pub profile: Selection,
    /// `--debug`.
    pub debug: bool,
    /// `--no-paginate`.
    pub no_paginate: bool,
    /// The profile's `cli_timestamp_format`.
    pub timestamps: TimestampFormat,
    /// The pager command when stdout is a terminal (`None`: no pager).
    pub pager: Option<String>,
}

/// How a command's result is printed.
pub struct OutputSettings {
    pub format: Format,
    pub query: Option<Query>,
}

impl Settings {
    /// Reads the profile files (once per process) and resolves what cannot
    /// fail.
    pub fn resolve(flags: &Globals) -> Settings {
        Settings::with_files(flags, ProfileFiles::of_this_run())
    }

    /// [`Settings::resolve`] over files already read.
    pub fn with_files(flags: &Globals, files: Arc<ProfileFiles>) -> Settings {
        // aws reads an empty `--profile` as none given.
        let profile = Selection::choose(flags.profile.as_deref().filter(|p| !p.is_empty()));
        let setting = |key: &str| files.setting(profile.name(), key);
        let timestamps = match setting("cli_timestamp_format").as_deref() {
            Some("wire") => TimestampFormat::Wire,
            _ => TimestampFormat::Iso8601,
        };
        let pager = pager_command(flags.no_cli_pager, || setting("cli_pager"));
        Settings {
            flags: flags.clone(),
            debug: flags.debug,
            no_paginate: flags.no_paginate,
            timestamps,
            pager,
            profile,
            files,
        }
    }

    /// The global options as given.
    pub fn flags(&self) -> &Globals {
        &self.flags
    }

    /// A setting of the selected profile (credentials file over config).
    pub fn profile_setting(&self, key: &str) -> Option<String> {
        self.files.setting(self.profile.name(), key)
    }

    /// `--output`, else `AWS_DEFAULT_OUTPUT`, else the profile's `output`,
    /// else json; and the compiled `--query`.
    pub fn output(&self) -> Result<OutputSettings, Error> {
        let configured = match std::env::var("AWS_DEFAULT_OUTPUT") {
            Ok(v) => Some(v),
            Err(_) => self.profile_setting("output"),
        };
        let format = Format::resolve(self.flags.output.as_deref(), configured.as_deref())?;
        let query = match &self.flags.query {
            Some(q) => Some(Query::compile(q)?),
            None => None,
        };
        Ok(OutputSettings { format, query })
    }

    /// `--output` only (`None` without the flag) and the compiled `--query`:
    /// for reports meant to be read, whose format the environment and the
    /// profile (set for service responses) do not switch.
    pub fn flag_output(&self) -> Result<(Option<Format>, Option<Query>), Error> {
        let format = match self.flags.output.as_deref() {
            Some(f) => Some(Format::parse(f)?),
            None => None,
        };
        let query = match &self.flags.query {
            Some(q) => Some(Query::compile(q)?),
            None => None,
        };
        Ok((format, query))
    }

    /// `--cli-binary-format`, else the profile's `cli_binary_format`, else
    /// v2's default, base64.
    pub fn binary_format(&self) -> Result<BinaryFormat, Error> {
        if let Some(s) = &self.flags.cli_binary_format {
            return BinaryFormat::parse(s);
        }
        match self.profile_setting("cli_binary_format") {
            Some(s) => BinaryFormat::parse(&s),
            None => Ok(BinaryFormat::Base64),
        }
    }

    /// The region the client will use: the one given (see
    /// [`Settings::given_region`]), else the profile's.
    fn region(&self) -> Option<String> {
        self.given_region()
            .or_else(|| self.profile_setting("region"))
    }

    /// A region given on the command line or in the environment, taken as
    /// it is: `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`. As in
    /// botocore an empty one (`--region ''`, `AWS_REGION=`) is the region
    /// `''`, which requests are signed for, not "no region".
    fn given_region(&self) -> Option<String> {
        self.flags
            .region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
    }

    /// aws's checks when it creates the client, in its order (after the
    /// command line parsed, before the output format from the environment
    /// or profile, the input's validation and the credentials): a region
    /// (253), its form, the endpoint's host, then timeouts below 0 (255).
    pub fn check_client(&self) -> Result<(), Error> {
        let Some(region) = self.region() else {
            return Err(crate::config::no_region());
        };
        if !crate::config::is_region_name(&region) {
            return Err(Error::Other(format!(
                "Provided region_name '{region}' doesn't match a supported format."
            )));
        }
        if let Some(url) = &self.flags.endpoint_url {
            crate::config::endpoint::check_endpoint(url)?;
        }
        timeout("read", self.flags.cli_read_timeout.as_deref())?;
        timeout("connect", self.flags.cli_connect_timeout.as_deref())?;
        Ok(())
    }

    /// The values aws's argparse checks (252: `--color`), the timeouts,
    /// then the client's settings for `config::load`.
    pub fn client(&self) -> Result<ClientSettings, Error> {
        if let Some(color) = &self.flags.color
            && !matches!(color.as_str(), "on" | "off" | "auto")
        {
            return Err(Error::usage(format!(
                "argument --color: Found invalid choice '{color}'\n"
            )));
        }
        let read_timeout = timeout("read", self.flags.cli_read_timeout.as_deref())?;
        let connect_timeout = timeout("connect", self.flags.cli_connect_timeout.as_deref())?;
        Ok(ClientSettings {
            files: self.files.clone(),
            profile: self.profile.clone(),
            region: self.given_region(),
            endpoint_url: self.flags.endpoint_url.clone(),
            no_sign_request: self.flags.no_sign_request,
            tls: Tls {
                no_verify_ssl: self.flags.no_verify_ssl,
                ca_bundle: self.flags.ca_bundle.clone(),
            },
            connect_timeout,
            read_timeout,
        })
    }
}

/// `--cli-read-timeout` / `--cli-connect-timeout` (`kind` is `read` or
/// `connect`): whole seconds as Python's `int()` reads them, 0 = no limit
/// (`None`), 60 when absent; aws's words (255) for text that is not a
/// number and for a negative number.
pub fn timeout(kind: &str, value: Option<&str>) -> Result<Option<Duration>, Error> {
    let Some(value) = value else {
        return Ok(Some(crate::config::DEFAULT_TIMEOUT));
    };
    match python_int(value) {
        Some(0) => Ok(None),
        Some(n) if n > 0 => Ok(Some(Duration::from_secs(
            u64::try_from(n).unwrap_or(u64::MAX),
        ))),
        Some(n) => Err(Error::Other(format!(
            "Attempted to set {kind} timeout to {n}, but the timeout cannot be set to a value less than or equal to 0."
        ))),
        None => Err(Error::Other(format!(
            "invalid literal for int() with base 10: {}",
            crate::python::str_repr(value)
        ))),
    }
}

/// Python's `int(text)`: surrounding whitespace, a sign, ASCII digits with
/// single underscores between them. `None` where Python raises (and past
/// i128, which no timeout reaches).
fn python_int(text: &str) -> Option<i128> {
    let t = text.trim();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return None;
    }
    let n: i128 = digits.replace('_', "").parse().ok()?;
    Some(if negative { -n } else { n })
}

/// aws's checks of global option values made as soon as the command line
/// parsed, before the operation's words are looked at: a `--query` that
/// does not compile and an `--endpoint-url` without a scheme (252), then
/// the timeouts that are not numbers (255; the read timeout first).
pub fn check_command_line(args: &[String]) -> Result<(), Error> {
    use crate::cli::globals::last_value;
    if let Some(query) = last_value(args, "query") {
        Query::compile(query)?;
    }
    if let Some(url) = last_value(args, "endpoint-url") {
        crate::config::endpoint::check_argument(url)?;
    }
    for (name, kind) in [
        ("cli-read-timeout", "read"),
        ("cli-connect-timeout", "connect"),
    ] {
        if let Some(value) = last_value(args, name)
            && python_int(value).is_none()
        {
            timeout(kind, Some(value))?;
        }
    }
    Ok(())
}

/// aws v2's pager: none with `--no-cli-pager`, else `AWS_PAGER`, else the
/// profile's `cli_pager`, else `PAGER`, else `less`; an empty value is none.
fn pager_command(
    no_cli_pager: bool,
    profile_pager: impl FnOnce() -> Option<String>,
) -> Option<String> {
    if no_cli_pager {
        return None;
    }
    let chosen = match std::env::var("AWS_PAGER") {
        Ok(v) => v,
        Err(_) => match profile_pager() {
            Some(v) => v,
            None => std::env::var("PAGER").unwrap_or_else(|_| "less".into()),
        },
    };
    let chosen = chosen.trim().to_string();
    (!chosen.is_empty()).then_some(chosen)
}

/// The error format and any warning to print first, as aws's
/// `errorhandler` resolves it: `flag` (a valid `--cli-error-format` of a
/// command line whose global options parsed), else `AWS_CLI_ERROR_FORMAT`
/// (even when empty, which hides the profile as botocore's providers do),
/// else the profile's `cli_error_format` (asked of `profile_setting` only
/// then: this runs when a command fails), else `enhanced`. Values from the
/// environment and the profile are lowercased; an unknown one is aws's
/// warning and `enhanced`.
pub fn error_format(
    flag: Option<String>,
    profile_setting: impl FnOnce() -> Option<String>,
) -> (String, String) {
    if let Some(flag) = flag
        && ERROR_FORMATS.contains(&flag.as_str())
    {
        return (flag, String::new());
    }
    let configured = match std::env::var("AWS_CLI_ERROR_FORMAT") {
        Ok(v) => Some(v),
        Err(_) => profile_setting(),
    };
    match configured.map(|v| v.to_lowercase()) {
        Some(v) if v.is_empty() => ("enhanced".into(), String::new()),
        Some(v) if ERROR_FORMATS.contains(&v.as_str()) => (v, String::new()),
        Some(v) => (
            "enhanced".into(),
            format!("Invalid cli_error_format: '{v}'. Using 'enhanced' format.\n"),
        ),
        None => ("enhanced".into(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(flags: Globals, config: &str) -> Settings {
        Settings::with_files(&flags, Arc::new(ProfileFiles::from_contents(config, "")))
    }

    /// The settings of `flags` alone (no profile files).
    fn from_flags(flags: Globals) -> Settings {
        settings(flags, "")
    }

    #[test]
    fn timeouts() {
        assert_eq!(
            timeout("x", None).ok().flatten(),
            Some(Duration::from_secs(60))
        );
        assert_eq!(timeout("x", Some("0")).ok().flatten(), None);
        assert_eq!(
            timeout("x", Some("5")).ok().flatten(),
            Some(Duration::from_secs(5))
        );
        assert!(timeout("x", Some("five")).is_err());
        assert_eq!(python_int(" +1_000 "), Some(1000));
        assert_eq!(python_int("-007"), Some(-7));
        for bad in ["", "1.5", "1__0", "_1", "1_", "abc", "- 1"] {
            assert_eq!(python_int(bad), None, "{bad}");
        }
        assert_eq!(
            timeout("read", Some("-1"))
                .expect_err("negative")
                .to_string(),
            "rcr: [ERROR]: Attempted to set read timeout to -1, but the timeout cannot be set to a value less than or equal to 0."
        );
        assert_eq!(
            timeout("connect", Some("abc'x"))
                .expect_err("text")
                .to_string(),
            "rcr: [ERROR]: invalid literal for int() with base 10: \"abc'x\""
        );
    }

    #[test]
    fn profile_settings_come_from_the_contents() {
        let flags = Globals {
            profile: Some("dev".into()),
            no_cli_pager: true,
            ..Globals::default()
        };
        let s = settings(
            flags,
            "[profile dev]\ncli_timestamp_format = wire\ncli_binary_format = raw-in-base64-out\noutput = text\n",
        );
        assert_eq!(s.profile.name(), "dev");
        assert_eq!(s.timestamps, TimestampFormat::Wire);
        assert_eq!(s.binary_format().ok(), Some(BinaryFormat::RawInBase64Out));
        assert_eq!(s.pager, None);
        let bad = from_flags(Globals {
            cli_binary_format: Some("hex".into()),
            ..Globals::default()
        });
        assert!(bad.binary_format().is_err());
    }

    #[test]
    fn client_checks_color_then_timeouts() {
        let s = from_flags(Globals {
            color: Some("blue".into()),
            cli_read_timeout: Some("x".into()),
            ..Globals::default()
        });
        let e = s.client().expect_err("bad color");
        assert!(e.to_string().contains("--color"), "{e}");
        let s = from_flags(Globals {
            cli_connect_timeout: Some("0".into()),
            region: Some("eu-west-1".into()),
            ..Globals::default()
        });
        let client = s.client().expect("valid");
        assert_eq!(client.connect_timeout, None);
        assert_eq!(client.read_timeout, Some(Duration::from_secs(60)));
        assert_eq!(client.region.as_deref(), Some("eu-west-1"));
    }
}
