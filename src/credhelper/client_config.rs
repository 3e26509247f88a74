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
    read_checked(path, false)
}

/// [`read`] for a file that will be written back: also an error when a
/// number in it would not come back exactly (see [`numbers_kept`]).
pub fn read_for_edit(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    read_checked(path, true)
}

fn read_checked(path: &Path, exact: bool) -> Result<Option<Map<String, Value>>, String> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    if text.trim().is_empty() {
        return Ok(Some(Map::new()));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) if exact => match numbers_kept(&text) {
            Ok(()) => Ok(Some(map)),
            Err(number) => Err(format!(
                "{} holds the number {number}, which rcr could not write back exactly; add the credHelpers entries by hand",
                path.display()
            )),
        },
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(format!("{} is not a JSON object", path.display())),
        Err(e) => Err(format!("{} is not valid JSON: {e}", path.display())),
    }
}

/// Checks that every number of the JSON `text` reads as the value it
/// denotes: serde_json (without its `float_roundtrip` feature, which rcr
/// does not build with) may read a float one unit in the last place off,
/// and a rewrite would then change it. `Err` holds the first such number.
/// Docker's configs hold no floats in practice; this keeps the promise that
/// every value is kept.
fn numbers_kept(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // Skip the string, escapes included.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let token = &text[start..i];
                let integer = token.parse::<i64>().is_ok() || token.parse::<u64>().is_ok();
                if !integer {
                    let exact = token.parse::<f64>().ok();
                    let read = serde_json::from_str::<f64>(token).ok();
                    if exact.map(f64::to_bits) != read.map(f64::to_bits) {
                        return Err(token.to_string());
                    }
                }
            }
            _ => i += 1,
        }
    }
    Ok(())
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
    use proptest::prelude::*;
    use serde_json::json;

    fn json_value() -> impl Strategy<Value = Value> {
        let text = "[a-z \"\\\n\t\u{0}\u{e9}\u{1F600}/:.]{0,8}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            text.prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec((text, inner), 0..5)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever a config holds comes back as the same data, in the
        /// same order, with only the new credHelpers entries added.
        #[test]
        fn every_other_value_is_kept_as_data(
            doc in prop::collection::vec(("[a-zA-Z\"\\ ]{0,6}", json_value()), 0..6),
            helpers in prop::collection::vec(("[a-z.]{1,6}", "[a-z]{1,4}"), 0..4),
            hosts in prop::collection::vec("[a-z.:0-9]{1,8}", 1..4),
        ) {
            let mut doc: Map<String, Value> = doc.into_iter().collect();
            doc.insert(
                "credHelpers".into(),
                Value::Object(helpers.into_iter().map(|(k, v)| (k, Value::String(v))).collect()),
            );
            let before = doc.clone();
            add_helpers(&mut doc, &hosts).expect("credHelpers is an object");
            let text = to_text(&doc).expect("serializable");
            // What serde_json cannot read back exactly, configure refuses
            // to rewrite (Go's and Python's readers get the exact value).
            prop_assume!(numbers_kept(&text).is_ok());
            let back: Value = serde_json::from_str(&text).expect("valid JSON");
            prop_assert_eq!(&back, &Value::Object(doc.clone()));
            let back = back.as_object().cloned().unwrap_or_default();
            prop_assert_eq!(back.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>());
            for (k, v) in &before {
                if k != "credHelpers" {
                    prop_assert_eq!(&back[k], v);
                }
            }
            for h in &hosts {
                prop_assert_eq!(&back["credHelpers"][h], "rcr");
            }
        }
    }

    fn object(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn numbers_that_would_change_are_found() {
        assert_eq!(
            numbers_kept(
                "{\"a\": [1, -2, 1.5, 1e3, 18446744073709551615, \"2.761923856405285e+107\"]}"
            ),
            Ok(())
        );
        assert_eq!(
            numbers_kept("{\"x\\\"\": 2.7619238564052848e+107}"),
            Err("2.7619238564052848e+107".to_string())
        );
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
