//! The alias map: other registry hosts (pull-through proxies, mirrors in
//! front of ECR) whose credentials are an ECR registry's token.
//!
//! It is the `[aliases]` table of rcr's own config file,
//! `$XDG_CONFIG_HOME/rcr/credential-helper.toml`:
//!
//! ```toml
//! [aliases]
//! "mirror.example.com" = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
//! "127.0.0.1:5000" = "public.ecr.aws"
//! ```
//!
//! Keys are `host` or `host:port`; a key with a port matches only that port,
//! one without matches any port. The file is read by [`super::config_file`].

use super::config_file;

/// The form of an alias line, for error messages.
const EXAMPLE: &str = "\"host\" = \"registry\"";

/// The `[aliases]` entries of `text` as (key, target), keys lower-cased;
/// an error names the first line that is not `key = value`.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, String> {
    Ok(config_file::table(text, "aliases", EXAMPLE)?
        .into_iter()
        .map(|e| (e.key.to_ascii_lowercase(), e.value))
        .collect())
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

/// Reads the alias map: empty when the file does not exist, an error when
/// it exists but cannot be read or parsed (a typo should not silently send a
/// mirror's pulls out unauthenticated).
pub fn load() -> Result<Vec<(String, String)>, String> {
    let text = config_file::read()?;
    parse(&text).map_err(|e| format!("{}: {e}", config_file::display_path()))
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
