//! The alias map: other registry hosts (pull-through proxies, mirrors in
//! front of ECR) whose credentials are an ECR registry's token.
//!
//! It lives in rcr's own config file, `$XDG_CONFIG_HOME/rcr/credential-helper.toml`
//! (`~/.config/rcr/...` without the variable), in a small TOML subset read
//! here by hand so the helper needs no parser crate and stays cheap:
//!
//! ```toml
//! [aliases]
//! "mirror.example.com" = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
//! "127.0.0.1:5000" = "public.ecr.aws"
//! ```
//!
//! Keys are `host` or `host:port`; a key with a port matches only that port,
//! one without matches any port. Other sections are ignored, so the file can
//! grow later settings.

use std::path::PathBuf;

/// The file the aliases are read from, if a config directory is known.
pub fn config_path() -> Option<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME") {
        // The XDG spec says a relative value is to be ignored.
        Some(d) if PathBuf::from(&d).is_absolute() => PathBuf::from(d),
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".config"),
    };
    Some(base.join("rcr").join("credential-helper.toml"))
}

/// One `"host" = "registry"` line's value with quotes and a trailing
/// comment removed.
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

/// The `[aliases]` entries of `text` as (key, target), keys lower-cased;
/// an error names the first line that is not `key = value`.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut inside = false;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            inside = line.split('#').next().unwrap_or_default().trim() == "[aliases]";
            continue;
        }
        if !inside {
            continue;
        }
        let parsed = split_key_value(line);
        match parsed {
            Some((key, value)) => out.push((key.to_ascii_lowercase(), value)),
            None => {
                return Err(format!(
                    "line {}: expected `\"host\" = \"registry\"`, found `{line}`",
                    n + 1
                ));
            }
        }
    }
    Ok(out)
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

/// The target of `authority` (`host[:port]`, lower case) in `aliases`: an
/// exact `host:port` entry first, then the bare host.
pub fn lookup<'a>(aliases: &'a [(String, String)], authority: &str) -> Option<&'a str> {
    let host = super::registry::host_of(authority);
    aliases
        .iter()
        .find(|(k, _)| k == authority)
        .or_else(|| aliases.iter().find(|(k, _)| k == host))
        .map(|(_, v)| v.as_str())
}

/// Reads the alias file: empty when it does not exist, an error when it
/// exists but cannot be read or parsed (a typo should not silently send a
/// mirror's pulls out unauthenticated).
pub fn load() -> Result<Vec<(String, String)>, String> {
    let Some(path) = config_path() else {
        return Ok(Vec::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_format() {
        let text = "# mirrors\n[other]\nx = \"y\"\n[aliases]\n\"Mirror.example.com\" = \"123456789012.dkr.ecr.eu-west-1.amazonaws.com\" # eu\n127.0.0.1:5000 = public.ecr.aws\n\n[later]\nz = 1\n";
        let aliases = parse(text).expect("valid file");
        assert_eq!(
            aliases,
            vec![
                (
                    "mirror.example.com".to_string(),
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com".to_string()
                ),
                ("127.0.0.1:5000".to_string(), "public.ecr.aws".to_string()),
            ]
        );
        assert_eq!(lookup(&aliases, "127.0.0.1:5000"), Some("public.ecr.aws"));
        assert_eq!(lookup(&aliases, "127.0.0.1:5001"), None);
        assert_eq!(
            lookup(&aliases, "mirror.example.com:8443"),
            Some("123456789012.dkr.ecr.eu-west-1.amazonaws.com")
        );
    }

    #[test]
    fn reports_bad_lines() {
        for text in [
            "[aliases]\njust-a-host\n",
            "[aliases]\n\"unterminated = \"x\"\n",
            "[aliases]\na = \"b\" trailing\n",
            "[aliases]\n= \"b\"\n",
            "[aliases]\na = \n",
        ] {
            let err = parse(text).expect_err(text);
            assert!(err.starts_with("line 2:"), "{err}");
        }
        assert_eq!(parse("").map(|v| v.len()), Ok(0));
        assert_eq!(parse("[x]\ngarbage garbage\n").map(|v| v.len()), Ok(0));
    }
}
