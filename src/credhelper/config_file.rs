//! The helper's own config file, `$XDG_CONFIG_HOME/rcr/credential-helper.toml`
//! (`~/.config/rcr/...` without the variable): where it is, and its tables
//! of `key = value` lines, read by hand in a small TOML subset so that the
//! helper's cached path needs no parser crate and stays cheap.
//!
//! ```toml
//! [aliases]
//! "mirror.example.com" = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
//! [profiles]
//! "123456789012" = "dev"
//! ```
//!
//! Keys and values may be quoted or bare; a `#` starts a comment. Tables
//! other than the one asked for are skipped, so the file can grow later
//! settings. What each table means is up to [`super::alias`] and
//! [`super::profile_map`].

use std::path::PathBuf;

/// The file's path, if a config directory is known.
pub fn path() -> Option<PathBuf> {
    crate::xdg::config_path("credential-helper.toml")
}

/// The file's text: empty when it does not exist (or no home is known), an
/// error when it exists but cannot be read (a typo or a permission problem
/// must not silently send pulls out with other credentials).
pub fn read() -> Result<String, String> {
    let Some(path) = path() else {
        return Ok(String::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// The path for messages: the file's, or a description when none is known.
pub fn display_path() -> String {
    path()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "credential-helper.toml (no HOME)".to_string())
}

/// One `key = value` line of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number, for messages.
    pub line: usize,
    pub key: String,
    pub value: String,
}

/// The entries of table `name` in `text`, in file order; an error names
/// the first line of that table that is not `key = value` and shows the
/// form expected (`example`).
pub fn table(text: &str, name: &str, example: &str) -> Result<Vec<Entry>, String> {
    let header = format!("[{name}]");
    let mut out = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            inside = line.split('#').next().unwrap_or_default().trim() == header;
            continue;
        }
        if !inside {
            continue;
        }
        match split_key_value(line) {
            Some((key, value)) => out.push(Entry {
                line: n + 1,
                key,
                value,
            }),
            None => {
                return Err(format!(
                    "line {}: expected `{example}`, found `{line}`",
                    n + 1
                ));
            }
        }
    }
    Ok(out)
}

/// One value with quotes and a trailing comment removed.
fn unquote(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix('"') {
        let end = rest.find('"')?;
        let after = rest[end + 1..].trim();
        if !(after.is_empty() || after.starts_with('#')) {
            return None;
        }
        return Some(rest[..end].to_string());
    }
    let bare = raw.split('#').next().unwrap_or_default().trim();
    (!bare.is_empty() && !bare.contains(char::is_whitespace)).then(|| bare.to_string())
}

fn split_key_value(line: &str) -> Option<(String, String)> {
    // The key may be quoted and contain `=`-free text such as `host:5000`.
    let (key, value) = if let Some(rest) = line.strip_prefix('"') {
        let end = rest.find('"')?;
        let key = &rest[..end];
        let value = rest[end + 1..].trim_start().strip_prefix('=')?;
        (key.to_string(), value)
    } else {
        let (key, value) = line.split_once('=')?;
        (unquote(key)?, value)
    };
    let value = unquote(value)?;
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_table_and_skips_the_others() {
        let text = "[aliases]\na = \"b\"\n[profiles] # who\n\"123456789012\" = \"dev\" # eu\nx=y\n[later]\nz = 1\n";
        let got = table(text, "profiles", "k = v").expect("valid");
        assert_eq!(
            got,
            vec![
                Entry {
                    line: 4,
                    key: "123456789012".into(),
                    value: "dev".into()
                },
                Entry {
                    line: 5,
                    key: "x".into(),
                    value: "y".into()
                },
            ]
        );
        let err = table("[profiles]\n\"a\" = \n", "profiles", "k = v").expect_err("bad");
        assert_eq!(err, "line 2: expected `k = v`, found `\"a\" =`");
    }
}
