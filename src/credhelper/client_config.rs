//! The container clients' config files: where Docker's config and the
//! containers auth file (podman, skopeo, buildah) are, whether they route a
//! registry to rcr, and adding `credHelpers` entries to them.
//!
//! An edit keeps every other key and entry as data (serde_json keeps key
//! order), replaces the file atomically (a temporary file in the same
//! directory, renamed over it, so a client never reads half a file) with
//! the file's mode, and writes nothing when nothing changes. Files are
//! written as Docker and containers/image write them: JSON indented with
//! tabs.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::registry;

/// The name container clients are given for rcr (`docker-credential-rcr`).
pub const HELPER: &str = "rcr";

/// Which client reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Client {
    Docker,
    Podman,
}

impl Client {
    pub fn name(self) -> &'static str {
        match self {
            Client::Docker => "docker",
            Client::Podman => "podman",
        }
    }

    /// The command that removes a stored login for `host`.
    pub fn logout(self, host: &str, path: &Path) -> String {
        match self {
            Client::Docker => format!("docker logout {host}"),
            Client::Podman => format!("podman logout --authfile {} {host}", path.display()),
        }
    }
}

/// A client's config file and why it is that one.
#[derive(Debug, Clone)]
pub struct ClientFile {
    pub client: Client,
    pub path: PathBuf,
}

fn home() -> Result<PathBuf, String> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .ok_or_else(|| "HOME is not set".to_string())
}

fn var(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Docker's `config.json`: in `dir` (`--docker-config`), else
/// `$DOCKER_CONFIG`, else `~/.docker`.
pub fn docker(dir: Option<&str>) -> Result<ClientFile, String> {
    let dir = match dir.map(PathBuf::from).or_else(|| var("DOCKER_CONFIG")) {
        Some(d) => d,
        None => home()?.join(".docker"),
    };
    Ok(ClientFile {
        client: Client::Docker,
        path: dir.join("config.json"),
    })
}

/// The containers auth file: `REGISTRY_AUTH_FILE`, else
/// `$XDG_RUNTIME_DIR/containers/auth.json`, else
/// `~/.config/containers/auth.json` (containers/image's order on Linux).
pub fn podman() -> Result<ClientFile, String> {
    let path = match (var("REGISTRY_AUTH_FILE"), var("XDG_RUNTIME_DIR")) {
        (Some(file), _) => file,
        (None, Some(runtime)) => runtime.join("containers").join("auth.json"),
        (None, None) => home()?.join(".config").join("containers").join("auth.json"),
    };
    Ok(ClientFile {
        client: Client::Podman,
        path,
    })
}

/// A file's JSON object: `None` when the file does not exist; an empty
/// file is an empty object, as Docker reads it; anything but a JSON object
/// is an error (rcr will not rewrite what it cannot read).
pub fn read(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if text.trim().is_empty() {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(format!("{} is not a JSON object", path.display())),
        Err(e) => Err(format!("{} is not valid JSON: {e}", path.display())),
    }
}

/// How a config routes a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `credHelpers` names a helper for it.
    Helper(String),
    /// `credsStore` sends every registry to a helper.
    Store(String),
    Nothing,
}

impl Route {
    pub fn is_rcr(&self) -> bool {
        matches!(self, Route::Helper(h) | Route::Store(h) if h == HELPER)
    }
}

/// How `doc` routes `host` (`credHelpers` first, as clients look it up).
pub fn route(doc: &Map<String, Value>, host: &str) -> Route {
    if let Some(Value::String(h)) = doc.get("credHelpers").and_then(|c| c.get(host)) {
        return Route::Helper(h.clone());
    }
    match doc.get("credsStore") {
        Some(Value::String(s)) if !s.is_empty() => Route::Store(s.clone()),
        _ => Route::Nothing,
    }
}

/// The hosts whose `credHelpers` entry names rcr.
pub fn routed_hosts(doc: &Map<String, Value>) -> Vec<String> {
    doc.get("credHelpers")
        .and_then(Value::as_object)
        .map(|helpers| {
            helpers
                .iter()
                .filter(|(_, v)| v.as_str() == Some(HELPER))
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The `auths` keys that store a login for `host` (keys may carry a
/// scheme and path: `https://host/v1/`).
pub fn stale_logins(doc: &Map<String, Value>, host: &str) -> Vec<String> {
    let want = registry::authority(host);
    doc.get("auths")
        .and_then(Value::as_object)
        .map(|auths| {
            auths
                .keys()
                .filter(|k| registry::authority(k) == want)
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// What an edit did to one host's entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added,
    /// It named another helper before.
    Replaced(String),
    Unchanged,
}

/// Names rcr for each host in `doc`'s `credHelpers` (created when absent,
/// appended to in order, other entries untouched).
pub fn add_helpers(doc: &mut Map<String, Value>, hosts: &[String]) -> Result<Vec<Change>, String> {
    let helpers = doc
        .entry("credHelpers")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(helpers) = helpers else {
        return Err("its credHelpers is not a JSON object".to_string());
    };
    let mut changes = Vec::new();
    for host in hosts {
        let change = match helpers.get(host) {
            Some(Value::String(h)) if h == HELPER => Change::Unchanged,
            Some(Value::String(h)) => Change::Replaced(h.clone()),
            Some(other) => Change::Replaced(other.to_string()),
            None => Change::Added,
        };
        if change != Change::Unchanged {
            helpers.insert(host.clone(), Value::String(HELPER.to_string()));
        }
        changes.push(change);
    }
    Ok(changes)
}

/// `doc` as Docker writes it: tab-indented JSON.
pub fn to_text(doc: &Map<String, Value>) -> Result<String, String> {
    // Two-space indentation turned into tabs: a JSON string holds no raw
    // newline, so every line's leading spaces are indentation.
    let pretty = serde_json::to_string_pretty(doc).map_err(|e| e.to_string())?;
    let lines: Vec<String> = pretty
        .lines()
        .map(|line| {
            let body = line.trim_start_matches(' ');
            let depth = (line.len() - body.len()) / 2;
            format!("{}{body}", "\t".repeat(depth))
        })
        .collect();
    Ok(lines.join("\n"))
}

/// Replaces the file at `path` with `text` atomically, keeping its mode
/// (0600 for a new file, in a new 0700 directory). A symbolic link is
/// followed, so the link stays and its target is replaced.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let target = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => path.to_path_buf(),
    };
    let mode = fs::metadata(&target)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0o600);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(fail)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.json".to_string());
    let tmp = dir.join(format!(".{name}.rcr-{}.tmp", std::process::id()));
    let result = (|| {
        let _ = fs::remove_file(&tmp);
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        // The umask does not apply to set_permissions.
        f.set_permissions(fs::Permissions::from_mode(mode))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn adds_entries_and_keeps_everything_else() {
        let mut doc = object(json!({
            "zeta": {"b": 1, "a": [1.5, null, "x"]},
            "credHelpers": {"gcr.io": "gcloud", "h2": "ecr-login"},
            "auths": {"https://h1/v1/": {"auth": "x"}, "other": {}},
            "alpha": true,
        }));
        let hosts = ["h1".to_string(), "h2".to_string(), "gcr.io".to_string()];
        let mut d2 = doc.clone();
        let changes = add_helpers(&mut doc, &hosts).expect("an object");
        assert_eq!(
            changes,
            [
                Change::Added,
                Change::Replaced("ecr-login".into()),
                Change::Replaced("gcloud".into())
            ]
        );
        assert_eq!(
            to_text(&doc).expect("serializable"),
            "{\n\t\"zeta\": {\n\t\t\"b\": 1,\n\t\t\"a\": [\n\t\t\t1.5,\n\t\t\tnull,\n\t\t\t\"x\"\n\t\t]\n\t},\n\t\"credHelpers\": {\n\t\t\"gcr.io\": \"rcr\",\n\t\t\"h2\": \"rcr\",\n\t\t\"h1\": \"rcr\"\n\t},\n\t\"auths\": {\n\t\t\"https://h1/v1/\": {\n\t\t\t\"auth\": \"x\"\n\t\t},\n\t\t\"other\": {}\n\t},\n\t\"alpha\": true\n}"
        );
        assert_eq!(stale_logins(&doc, "h1"), ["https://h1/v1/"]);
        assert!(route(&doc, "h1").is_rcr());
        assert_eq!(route(&d2, "h1"), Route::Nothing);
        d2.insert("credsStore".into(), json!("rcr"));
        assert!(route(&d2, "h1").is_rcr());
        let again = add_helpers(&mut doc, &hosts).expect("an object");
        assert!(again.iter().all(|c| *c == Change::Unchanged));
        let mut bad = object(json!({"credHelpers": []}));
        assert!(add_helpers(&mut bad, &hosts).is_err());
    }
}
