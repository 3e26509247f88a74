//! The completer's answers from services, kept a short while on disk, so a
//! second TAB (and the next line's) costs a file read, not a service call.
//!
//! One file per key under `$XDG_CACHE_HOME/rcr/completions/` (else
//! `~/.cache/rcr/completions/`), named by a stable hash of the key; the file
//! repeats the key and a file holding another key (a collision) is a miss.
//! Keys hold the service, the call, the expression and the settings that
//! decide where the call goes and as whom (profile, region, endpoint, access
//! key id; never a secret). Entries live `RCR_COMPLETER_CACHE_SECONDS`
//! (default 60; 0 turns the cache off). Files are written to a temporary
//! name and renamed, so a reader never sees half of one.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

const DEFAULT_LIFETIME_SECS: u64 = 60;

/// The cache directory, if a cache or home directory is known.
pub fn dir() -> Option<PathBuf> {
    crate::xdg::cache_dir("completions")
}

/// How long an entry is good for, in seconds; 0 when the cache is off.
pub fn lifetime() -> u64 {
    std::env::var("RCR_COMPLETER_CACHE_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_LIFETIME_SECS)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// FNV-1a, 64 bits: a file name that stays the same across Rust releases.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{:016x}.json", fnv1a(key.as_bytes())))
}

/// The values cached under `key` while fresh.
pub fn read(key: &str) -> Option<Vec<String>> {
    let lifetime = lifetime();
    if lifetime == 0 {
        return None;
    }
    let text = std::fs::read_to_string(path(&dir()?, key)).ok()?;
    let entry: Value = serde_json::from_str(&text).ok()?;
    if entry["key"].as_str() != Some(key) {
        return None;
    }
    let fetched = entry["fetched_at"].as_u64()?;
    let now = now();
    if fetched > now || now - fetched >= lifetime {
        return None;
    }
    Some(
        entry["values"]
            .as_array()?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
    )
}

/// Keeps `values` under `key`; failures are ignored (the cache is a help,
/// not a promise).
pub fn write(key: &str, values: &[String]) {
    if lifetime() == 0 {
        return;
    }
    let Some(dir) = dir() else {
        return;
    };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let entry = json!({"key": key, "fetched_at": now(), "values": values});
    let target = path(&dir, key);
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id()
    ));
    if std::fs::write(&temp, entry.to_string()).is_ok() && std::fs::rename(&temp, &target).is_err()
    {
        let _ = std::fs::remove_file(&temp);
    }
}
