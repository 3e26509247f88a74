//! The credential helper's test pieces: the helper
//! program (a `docker-credential-rcr` link to the built rcr), isolated runs
//! of it, and scripted GetAuthorizationToken answers.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde_json::{Value, json};

use super::{CaptureServer, Run, rcr_bin};

pub const PROGRAM: &str = "docker-credential-rcr";
pub const NOT_FOUND: &str = "credentials not found in native keychain\n";
pub const REGISTRY: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

/// The directory holding the `docker-credential-rcr` link (to put on PATH
/// for clients that look the helper up by name).
pub fn bin_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("credhelper-bin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let link = dir.join(PROGRAM);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(rcr_bin(), &link)
            .unwrap_or_else(|e| panic!("cannot link {}: {e}", link.display()));
        dir
    })
}

pub fn program() -> PathBuf {
    bin_dir().join(PROGRAM)
}

/// A run of the helper with `verb`, in a fresh isolated HOME.
pub fn helper(verb: &str) -> Run {
    let mut run = Run::new(program());
    run.arg(verb);
    run
}

/// A `get` run that sends `input` (the registry asked for) and calls
/// `server` for tokens.
pub fn get_via(server: &CaptureServer, input: impl Into<Vec<u8>>) -> Run {
    let mut run = helper("get");
    run.env("AWS_ENDPOINT_URL", server.url()).stdin(input);
    run
}

/// The XDG cache directory the helper uses under a run's HOME.
pub fn cache_dir(run: &Run) -> PathBuf {
    run.home_dir().join(".cache/rcr/credential-helper")
}

/// The cache entry files (`*.json`) under a run's HOME.
pub fn cache_files(run: &Run) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(cache_dir(run))
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// A private ECR GetAuthorizationToken answer for user AWS and `password`,
/// expiring `expires_in` seconds from now.
pub fn ecr_token(password: &str, expires_in: i64) -> Value {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("AWS:{password}"));
    json!({"authorizationData": [{
        "authorizationToken": token,
        "expiresAt": now() + expires_in,
        "proxyEndpoint": format!("https://{REGISTRY}"),
    }]})
}

/// A server answering GetAuthorizationToken for user AWS and `password`,
/// valid for 12 hours (the helper caches it).
pub fn token_server(password: &str) -> CaptureServer {
    CaptureServer::start(json!({"GetAuthorizationToken": ecr_token(password, 43200)}))
}

/// The same for ECR Public (one object, not a list).
pub fn public_token(password: &str, expires_in: i64) -> Value {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("AWS:{password}"));
    json!({"authorizationData": {
        "authorizationToken": token,
        "expiresAt": now() + expires_in,
    }})
}

/// The secret of a successful `get`'s answer.
#[track_caller]
pub fn secret_of(out: &super::Output) -> String {
    out.assert_exit(0);
    let v = out.stdout_json();
    assert_eq!(v["Username"], "AWS", "{out}");
    v["Secret"].as_str().unwrap_or_default().to_string()
}

/// Writes the helper's own config file (`[aliases]`, `[profiles]`) under a
/// run's HOME.
pub fn write_helper_config(run: &Run, text: &str) -> PathBuf {
    run.write_file("home/.config/rcr/credential-helper.toml", text)
}

/// A run of `rcr credential-helper <args>`.
pub fn rcr_credential_helper(args: &[&str]) -> Run {
    let mut run = Run::rcr();
    run.arg("credential-helper").args(args);
    run
}

/// The `AKID/region/service` scopes of every request `server` received.
pub fn scopes(server: &crate::common::CaptureServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .map(|r| r.cred.unwrap_or_default())
        .collect()
}
