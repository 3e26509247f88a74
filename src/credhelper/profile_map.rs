//! The profile map: which AWS profile the helper uses for a registry.
//!
//! Docker hands a credential helper nothing but the registry's host name,
//! so a team with one role per account cannot pick credentials per
//! registry with `AWS_PROFILE`. The `[profiles]` table of the helper's
//! config file does it instead:
//!
//! ```toml
//! [profiles]
//! "123456789012.dkr.ecr.eu-west-1.amazonaws.com" = "prod-eu"
//! "210987654321" = "dev"          # every registry of that account
//! "public.ecr.aws" = "public"
//! ```
//!
//! A registry host entry wins over its account's entry. A mapped registry's
//! credentials are resolved exactly as `--profile NAME` resolves them (the
//! environment's keys do not override it); unmapped registries use the
//! default chain as before. An entry rcr cannot use (a key that is neither a
//! registry host nor an account id, an empty or odd profile name, a profile
//! no AWS file defines) is an error, never a fall back to other credentials.

use super::config_file;
use super::registry::{self, Registry};

/// The form of a profile line, for error messages.
const EXAMPLE: &str = "\"registry host or account id\" = \"profile\"";

/// What an entry's key names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A registry's canonical host (`….dkr.ecr.….amazonaws.com`,
    /// `public.ecr.aws`).
    Host(String),
    /// A 12-digit account id: all of its private registries.
    Account(String),
}

/// One entry of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub key: Key,
    pub profile: String,
    /// The key as written, and its line, for messages.
    pub written: String,
    pub line: usize,
}

impl Mapping {
    /// `[profiles] "KEY" = "PROFILE" (line N)`, naming the entry in messages.
    pub fn describe(&self) -> String {
        format!(
            "[profiles] \"{}\" = \"{}\" (line {})",
            self.written, self.profile, self.line
        )
    }
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Profile names as the AWS config files can hold them in a section
/// header: not empty, no whitespace, no brackets.
fn is_profile_name(s: &str) -> bool {
    !s.is_empty() && !s.contains(|c: char| c.is_whitespace() || c == '[' || c == ']')
}

/// The `[profiles]` entries of `text`; an error names the first bad line.
pub fn parse(text: &str) -> Result<Vec<Mapping>, String> {
    let mut out: Vec<Mapping> = Vec::new();
    for entry in config_file::table(text, "profiles", EXAMPLE)? {
        let written = entry.key.trim().to_string();
        let key = if is_account_id(&written) {
            Key::Account(written.clone())
        } else {
            // As clients name registries: with or without scheme, port, path.
            match registry::recognise(&written) {
                Some(r) => Key::Host(r.host().to_string()),
                None => {
                    return Err(format!(
                        "line {}: `{written}` is neither a 12-digit account id nor an ECR registry host (such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com or public.ecr.aws)",
                        entry.line
                    ));
                }
            }
        };
        if !is_profile_name(&entry.value) {
            return Err(format!(
                "line {}: `{}` is not a profile name",
                entry.line, entry.value
            ));
        }
        if let Some(earlier) = out.iter().find(|m| m.key == key) {
            return Err(format!(
                "line {}: `{written}` is mapped already on line {}",
                entry.line, earlier.line
            ));
        }
        out.push(Mapping {
            key,
            profile: entry.value,
            written,
            line: entry.line,
        });
    }
    Ok(out)
}

/// The entry for `registry`: its host's, else its account's.
pub fn lookup<'a>(map: &'a [Mapping], registry: &Registry) -> Option<&'a Mapping> {
    let host = Key::Host(registry.host().to_string());
    map.iter()
        .find(|m| m.key == host)
        .or_else(|| match registry {
            Registry::Private { account, .. } => {
                let account = Key::Account(account.clone());
                map.iter().find(|m| m.key == account)
            }
            Registry::Public => None,
        })
}

/// Parses the table of the config file's `text`, with the file named in
/// errors.
pub fn parse_file(text: &str) -> Result<Vec<Mapping>, String> {
    parse(text).map_err(|e| format!("{}: {e}", config_file::display_path()))
}

/// Checks that the profile of `mapping` is defined in the AWS config or
/// credentials file, as `--profile` requires.
pub fn check_defined(
    mapping: &Mapping,
    files: &crate::config::profiles::ProfileFiles,
) -> Result<(), String> {
    if files.exists(&mapping.profile) {
        return Ok(());
    }
    let files: Vec<String> = [files.config_path.clone(), files.credentials_path.clone()]
        .into_iter()
        .flatten()
        .map(|p| p.display().to_string())
        .collect();
    Err(format!(
        "{}: {}: the profile {} is not defined in {}",
        config_file::display_path(),
        mapping.describe(),
        mapping.profile,
        if files.is_empty() {
            "any AWS config file (no HOME)".to_string()
        } else {
            files.join(" or ")
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any file is read or refused with a line number; never a panic.
        #[test]
        fn any_text_parses_or_names_its_line(text in "([\\[\\]\"#= a-z0-9.:\n]|profiles|aliases){0,60}") {
            if let Err(e) = parse(&text) {
                prop_assert!(e.starts_with("line "), "{}", e);
            }
            let _ = crate::credhelper::alias::parse(&text);
        }
    }

    const EU: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    #[test]
    fn host_entries_win_over_account_entries() {
        let text = format!(
            "[aliases]\nm = \"{EU}\"\n[profiles]\n\"123456789012\" = \"acct\"\n\"{}\" = \"eu\" # comment\npublic.ecr.aws = pub\n",
            EU.to_uppercase()
        );
        let map = parse(&text).expect("valid");
        let profile = |host: &str| {
            let r = registry::recognise(host).expect("a registry");
            lookup(&map, &r).map(|m| m.profile.clone())
        };
        assert_eq!(profile(EU).as_deref(), Some("eu"));
        assert_eq!(
            profile("123456789012.dkr.ecr.us-east-1.amazonaws.com").as_deref(),
            Some("acct")
        );
        assert_eq!(profile("public.ecr.aws").as_deref(), Some("pub"));
        assert_eq!(
            profile("210987654321.dkr.ecr.us-east-1.amazonaws.com"),
            None
        );
        assert_eq!(
            map[1].describe(),
            format!("[profiles] \"{}\" = \"eu\" (line 5)", EU.to_uppercase())
        );
    }

    #[test]
    fn bad_entries_are_errors() {
        for (text, want) in [
            (
                "[profiles]\nmirror.example.com = \"x\"\n",
                "neither a 12-digit",
            ),
            (
                "[profiles]\n\"12345678901\" = \"x\"\n",
                "neither a 12-digit",
            ),
            (
                "[profiles]\n\"123456789012.dkr.ecr.eu-west-1.example.com\" = \"x\"\n",
                "neither a 12-digit",
            ),
            (
                "[profiles]\n\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/v2/\" = \"x\"\n\"123456789012.dkr.ecr.eu-west-1.amazonaws.com:443\" = y\n",
                "line 3: `123456789012.dkr.ecr.eu-west-1.amazonaws.com:443` is mapped already on line 2",
            ),
            (
                "[profiles]\n\"123456789012\" = \"two words\"\n",
                "not a profile name",
            ),
            (
                "[profiles]\n\"123456789012\" = \"[x]\"\n",
                "not a profile name",
            ),
            ("[profiles]\n\"123456789012\" =\n", "expected"),
            (
                "[profiles]\n\"123456789012\" = a\n123456789012 = b\n",
                "mapped already on line 2",
            ),
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.contains(want), "{text}: {err}");
            assert!(err.starts_with("line "), "{err}");
        }
    }
}
