//! The on-disk token cache of the credential helper.
//!
//! One file per (registry, identity) under `$XDG_CACHE_HOME/rcr/credential-helper/`
//! (`~/.cache/...` without the variable), so concurrent helpers never
//! rewrite each other's entries. The file name is a hash of the key; the
//! file repeats the key, and an entry whose key differs (a hash collision,
//! a hand-edited file) is a miss. Files are written to a unique temporary
//! name with mode 0600 and renamed into place, so a reader sees either the
//! old or the new entry, never half of one. A file that does not parse is a
//! miss and is replaced by the next fetch. A miss takes an exclusive
//! `flock` on the entry's lock file before fetching, so several clients
//! starting at once (a `docker compose pull`) cost one GetAuthorizationToken.
//!
//! The identity is read from the environment and the profile files without
//! aws-config (that is the point of the cache: no runtime, no provider
//! chain): the access key id of environment credentials, else the profile
//! (the one the profile map names, which environment keys do not
//! override, else `AWS_PROFILE`) with the settings that decide who it is (role ARN, source profile,
//! access key id, SSO account and role, `credential_process`), and the
//! endpoint override. Never a secret: secrets are not part of who you are.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::config::profiles::ProfileFiles;

/// The smallest safety margin: a token with less life left than this is
/// never handed out, whatever its lifetime.
const MIN_MARGIN_SECS: i64 = 5 * 60;

/// `RCR_CREDENTIAL_CACHE=off` (or `0`, `false`, `no`) turns the cache off.
pub fn enabled() -> bool {
    !matches!(
        std::env::var("RCR_CREDENTIAL_CACHE")
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .as_str(),
        "off" | "0" | "false" | "no"
    )
}

/// The cache directory, if a cache or home directory is known.
pub fn dir() -> Option<PathBuf> {
    crate::xdg::cache_dir("credential-helper")
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A token for one registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub username: String,
    pub secret: String,
    /// Unix seconds; `None` when the service gave no expiry (never cached).
    pub expires_at: Option<i64>,
    /// Unix seconds when it was fetched.
    pub fetched_at: i64,
}

impl Token {
    /// Whether the token may still be handed out at `now`: more than the
    /// safety margin of its lifetime (a quarter of it, at least five
    /// minutes) must remain, so a pull that starts now does not outlive it.
    pub fn fresh(&self, now: i64) -> bool {
        let Some(expires_at) = self.expires_at else {
            return false;
        };
        let lifetime = expires_at.saturating_sub(self.fetched_at);
        if lifetime <= 0 {
            return false;
        }
        let margin = (lifetime / 4).max(MIN_MARGIN_SECS);
        expires_at.saturating_sub(now) > margin
    }
}

/// The identity of the credentials the helper would use, as a string for
/// the cache key (no secrets): the default chain's, or with `mapped` (a
/// profile from the profile map) that profile's, which the environment's
/// keys do not override. `service_env` is the service-specific endpoint
/// variable (`AWS_ENDPOINT_URL_ECR`).
pub fn identity(service_env: &str, mapped: Option<&str>, files: &ProfileFiles) -> String {
    identity_from(
        service_env,
        mapped,
        |k| std::env::var(k).ok().filter(|v| !v.is_empty()),
        |name| files.profile(name),
        &[files.config_path.clone(), files.credentials_path.clone()],
    )
}

/// [`identity`] over given sources, so the rules can be tested without
/// touching the process environment.
fn identity_from(
    service_env: &str,
    mapped: Option<&str>,
    var: impl Fn(&str) -> Option<String>,
    profile_settings: impl Fn(&str) -> std::collections::BTreeMap<String, String>,
    files: &[Option<PathBuf>],
) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(url) = var(service_env).or_else(|| var("AWS_ENDPOINT_URL")) {
        parts.push(format!("endpoint={url}"));
    }
    // The default chain's order: environment keys, then the profile, then
    // web identity from the environment, then the container endpoint. A
    // mapped profile is `--profile`: environment keys do not count.
    if mapped.is_none()
        && let Some(akid) = var("AWS_ACCESS_KEY_ID")
    {
        parts.push(format!("env={akid}"));
        return parts.join("\n");
    }
    let profile = mapped
        .map(str::to_string)
        .or_else(|| var("AWS_PROFILE"))
        .or_else(|| var("AWS_DEFAULT_PROFILE"))
        .unwrap_or_else(|| "default".to_string());
    parts.push(format!("profile={profile}"));
    for path in files.iter().flatten() {
        parts.push(format!("file={}", path.display()));
    }
    // Follow source_profile a few steps: the role's base credentials are
    // part of who assumes it.
    let mut name = profile;
    for _ in 0..4 {
        let settings = profile_settings(&name);
        for key in [
            "role_arn",
            "aws_access_key_id",
            "sso_account_id",
            "sso_role_name",
            "sso_session",
            "credential_process",
            "credential_source",
            "web_identity_token_file",
            "role_session_name",
        ] {
            if let Some(v) = settings.get(key) {
                parts.push(format!("{name}.{key}={v}"));
            }
        }
        match settings.get("source_profile") {
            Some(next) if *next != name => name = next.clone(),
            _ => break,
        }
    }
    for key in [
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        if let Some(v) = var(key) {
            parts.push(format!("{key}={v}"));
        }
    }
    parts.join("\n")
}

/// FNV-1a, 64 bits: a stable file name for a key (std's hasher is not
/// promised to stay the same across Rust releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The cache of one (registry, identity) pair.
pub struct Entry {
    registry: String,
    identity: String,
    path: PathBuf,
    dir: PathBuf,
}

impl Entry {
    pub fn new(dir: PathBuf, registry: &str, identity: &str) -> Entry {
        let name = format!(
            "{:016x}",
            fnv1a(format!("{registry}\n{identity}").as_bytes())
        );
        Entry {
            registry: registry.to_string(),
            identity: identity.to_string(),
            path: dir.join(format!("{name}.json")),
            dir,
        }
    }

    /// The cached token, if the file exists, parses and holds this key.
    pub fn read(&self) -> Option<Token> {
        let text = fs::read(&self.path).ok()?;
        let v: Value = serde_json::from_slice(&text).ok()?;
        if v.get("registry")?.as_str()? != self.registry
            || v.get("identity")?.as_str()? != self.identity
        {
            return None;
        }
        token_of(&v)
    }

    /// Stores `token` (atomically; failures are ignored: the cache is an
    /// optimisation and the client still gets its token).
    pub fn write(&self, token: &Token) {
        let _ = self.try_write(token);
    }

    fn try_write(&self, token: &Token) -> std::io::Result<()> {
        create_dir(&self.dir)?;
        let doc = json!({
            "registry": self.registry,
            "identity": self.identity,
            "username": token.username,
            "secret": token.secret,
            "expiresAt": token.expires_at,
            "fetchedAt": token.fetched_at,
        });
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = self
            .path
            .with_extension(format!("tmp.{}.{nanos}", std::process::id()));
        let result = (|| {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)?;
            f.write_all(doc.to_string().as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// Takes the entry's exclusive lock (released when the value drops);
    /// `None` when the lock file cannot be made, and then the caller goes on
    /// unlocked: a lost race only costs one more token fetch.
    pub fn lock(&self) -> Option<File> {
        create_dir(&self.dir).ok()?;
        let f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(self.path.with_extension("lock"))
            .ok()?;
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a file descriptor this File owns for as long as
        // the call lasts; it blocks until the lock is free.
        let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
        (rc == 0).then_some(f)
    }
}

fn create_dir(dir: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

fn token_of(v: &Value) -> Option<Token> {
    Some(Token {
        username: v.get("username")?.as_str()?.to_string(),
        secret: v.get("secret")?.as_str()?.to_string(),
        expires_at: v.get("expiresAt").and_then(Value::as_i64),
        fetched_at: v.get("fetchedAt")?.as_i64()?,
    })
}

/// Every entry file in the cache directory as (registry, token), skipping
/// what does not parse.
pub fn all(dir: &Path) -> Vec<(String, PathBuf, Token)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().and_then(|x| x.to_str()) != Some("json") {
            continue;
        }
        let Ok(text) = fs::read(&path) else { continue };
        let Ok(v) = serde_json::from_slice::<Value>(&text) else {
            continue;
        };
        let (Some(registry), Some(token)) = (
            v.get("registry")
                .and_then(Value::as_str)
                .map(str::to_string),
            token_of(&v),
        ) else {
            continue;
        };
        out.push((registry, path, token));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(fetched_at: i64, expires_at: Option<i64>) -> Token {
        Token {
            username: "AWS".into(),
            secret: "s".into(),
            expires_at,
            fetched_at,
        }
    }

    #[test]
    fn freshness_keeps_a_margin() {
        let h = 3600;
        // A 12-hour token: reused for 9 hours, then refetched.
        assert!(token(0, Some(12 * h)).fresh(0));
        assert!(token(0, Some(12 * h)).fresh(9 * h - 1));
        assert!(!token(0, Some(12 * h)).fresh(9 * h));
        // A short token never comes closer than five minutes to its end.
        assert!(token(0, Some(600)).fresh(299));
        assert!(!token(0, Some(600)).fresh(300));
        assert!(!token(0, Some(240)).fresh(0));
        // Expired on arrival, or without an expiry: never reused.
        assert!(!token(100, Some(50)).fresh(0));
        assert!(!token(0, None).fresh(0));
    }

    #[test]
    fn identity_follows_roles_and_never_secrets() {
        use std::collections::BTreeMap;
        let files = [Some(PathBuf::from("/c")), None];
        let profiles = |name: &str| -> BTreeMap<String, String> {
            let pairs: &[(&str, &str)] = match name {
                "dev" => &[
                    ("role_arn", "arn:aws:iam::1:role/dev"),
                    ("source_profile", "base"),
                ],
                "ops" => &[
                    ("role_arn", "arn:aws:iam::1:role/ops"),
                    ("source_profile", "base"),
                ],
                "base" => &[
                    ("aws_access_key_id", "AKIDBASE"),
                    ("aws_secret_access_key", "SECRET"),
                ],
                "loop" => &[("source_profile", "loop")],
                _ => &[],
            };
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        // The identity with the environment `env` and, when given, a profile
        // the host maps to.
        let identity = |mapped: Option<&str>, env: &[(&str, &str)]| {
            let env: BTreeMap<String, String> = env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            identity_from(
                "AWS_ENDPOINT_URL_ECR",
                mapped,
                |k| env.get(k).cloned(),
                profiles,
                &files,
            )
        };
        let with = |env: &[(&str, &str)]| identity(None, env);
        let dev = with(&[("AWS_PROFILE", "dev")]);
        let ops = with(&[("AWS_PROFILE", "ops")]);
        assert_ne!(dev, ops);
        assert!(dev.contains("arn:aws:iam::1:role/dev") && dev.contains("AKIDBASE"));
        assert!(!dev.contains("SECRET"));
        // The same role always gives the same key (assumed-role sessions
        // change their keys, not their identity).
        assert_eq!(dev, with(&[("AWS_PROFILE", "dev")]));
        // Environment keys win over the profile, as in the default chain.
        assert_eq!(
            with(&[
                ("AWS_PROFILE", "dev"),
                ("AWS_ACCESS_KEY_ID", "AKIDENV"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET")
            ]),
            "env=AKIDENV"
        );
        assert_ne!(
            with(&[("AWS_ACCESS_KEY_ID", "A")]),
            with(&[
                ("AWS_ACCESS_KEY_ID", "A"),
                ("AWS_ENDPOINT_URL_ECR", "http://x")
            ])
        );
        assert_ne!(
            with(&[
                ("AWS_ROLE_ARN", "r1"),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")
            ]),
            with(&[
                ("AWS_ROLE_ARN", "r2"),
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")
            ])
        );
        // A mapped profile is the profile whatever the environment says.
        let mapped = |env: &[(&str, &str)]| identity(Some("ops"), env);
        assert_eq!(mapped(&[("AWS_ACCESS_KEY_ID", "AKIDENV")]), ops);
        assert_eq!(mapped(&[("AWS_PROFILE", "dev")]), ops);
        // A source_profile loop ends.
        assert!(with(&[("AWS_PROFILE", "loop")]).contains("profile=loop"));
    }

    #[test]
    fn file_names_are_stable() {
        // FNV-1a's published test vector: the name must not change between
        // builds or existing caches would all miss.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let a = Entry::new(PathBuf::from("/x"), "r", "i1");
        let b = Entry::new(PathBuf::from("/x"), "r", "i2");
        assert_ne!(a.path, b.path);
    }
}
