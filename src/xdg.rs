//! The XDG base directories rcr keeps its own files under: the credential
//! helper's settings (`$XDG_CONFIG_HOME`), and the completer's and the
//! credential helper's caches (`$XDG_CACHE_HOME`), with the spec's
//! fallbacks below `$HOME`.

use std::path::PathBuf;

/// `$XDG_CACHE_HOME/rcr/<name>`, else `~/.cache/rcr/<name>`; None when
/// neither is known.
pub fn cache_dir(name: &str) -> Option<PathBuf> {
    Some(base("XDG_CACHE_HOME", ".cache")?.join("rcr").join(name))
}

/// `$XDG_CONFIG_HOME/rcr/<name>`, else `~/.config/rcr/<name>`; None when
/// neither is known.
pub fn config_path(name: &str) -> Option<PathBuf> {
    Some(base("XDG_CONFIG_HOME", ".config")?.join("rcr").join(name))
}

fn base(variable: &str, below_home: &str) -> Option<PathBuf> {
    match std::env::var_os(variable) {
        // The XDG spec says a relative value is to be ignored.
        Some(d) if PathBuf::from(&d).is_absolute() => Some(PathBuf::from(d)),
        _ => Some(PathBuf::from(std::env::var_os("HOME")?).join(below_home)),
    }
}
