//! Param files: `file://path` (text) and `fileb://path` (raw bytes) in place
//! of any argument value, as aws reads them. Files are only ever read.

use crate::error::Error;

/// An argument's value after param-file resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgText {
    Text(String),
    /// From `fileb://`: raw bytes, meaningful for blob members.
    Bytes(Vec<u8>),
}

impl ArgText {
    pub fn as_text(&self) -> &str {
        match self {
            ArgText::Text(s) => s,
            ArgText::Bytes(b) => std::str::from_utf8(b).unwrap_or_default(),
        }
    }

    pub fn into_text(self) -> String {
        match self {
            ArgText::Text(s) => s,
            ArgText::Bytes(b) => String::from_utf8_lossy(&b).into_owned(),
        }
    }
}

/// Resolves one argument of `--flag`.
pub fn resolve_arg(flag: &str, value: &str) -> Result<ArgText, Error> {
    if let Some(path) = value.strip_prefix("fileb://") {
        return read(flag, value, path).map(ArgText::Bytes);
    }
    if let Some(path) = value.strip_prefix("file://") {
        let bytes = read(flag, value, path)?;
        return String::from_utf8(bytes).map(ArgText::Text).map_err(|_| Error::Client {
            code: "ParamValidation",
            message: format!(
                "Error parsing parameter '--{flag}': Unable to load paramfile {value}: the file is not valid UTF-8 text (use fileb:// for binary files)"
            ),
            exit: 252,
        });
    }
    Ok(ArgText::Text(value.to_string()))
}

/// Resolves an argument that must be text (`--cli-input-json`).
pub fn resolve_text(flag: &str, value: &str) -> Result<String, Error> {
    resolve_arg(flag, value).map(ArgText::into_text)
}

fn read(flag: &str, value: &str, path: &str) -> Result<Vec<u8>, Error> {
    let expanded = expand_home(path);
    std::fs::read(&expanded).map_err(|e| {
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("[Errno 2] No such file or directory: '{expanded}'")
            }
            std::io::ErrorKind::PermissionDenied => {
                format!("[Errno 13] Permission denied: '{expanded}'")
            }
            _ => format!("{e}: '{expanded}'"),
        };
        Error::Client {
            code: "ParamValidation",
            message: format!(
                "Error parsing parameter '--{flag}': Unable to load paramfile {value}: {reason}"
            ),
            exit: 252,
        }
    })
}

/// `~` and `~/...` as aws expands them.
fn expand_home(path: &str) -> String {
    if (path == "~" || path.starts_with("~/"))
        && let Some(home) = std::env::var_os("HOME")
    {
        return format!("{}{}", home.to_string_lossy(), &path[1..]);
    }
    path.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_pass_through() {
        assert_eq!(
            resolve_arg("x", "hello").ok(),
            Some(ArgText::Text("hello".into()))
        );
    }

    #[test]
    fn missing_file_is_a_252_error() {
        let e = resolve_arg("policy-text", "file:///nonexistent/rcr-test").expect_err("must fail");
        assert_eq!(e.exit_code(), 252);
        assert!(
            e.report()
                .contains("Unable to load paramfile file:///nonexistent/rcr-test")
        );
    }

    #[test]
    fn reads_text_and_bytes() {
        let dir = std::env::temp_dir().join(format!("rcr-paramfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("p.bin");
        std::fs::write(&path, [0xffu8, 0x00, 0x41]).expect("write");
        let arg = format!("fileb://{}", path.display());
        assert_eq!(
            resolve_arg("x", &arg).ok(),
            Some(ArgText::Bytes(vec![0xff, 0x00, 0x41]))
        );
        std::fs::write(&path, "text").expect("write");
        let arg = format!("file://{}", path.display());
        assert_eq!(
            resolve_arg("x", &arg).ok(),
            Some(ArgText::Text("text".into()))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
