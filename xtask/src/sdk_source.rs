//! What the SDK crates really declare, read from their source.
//!
//! The botocore model does not say everything the bridge must know about the
//! generated SDK types: whether a field is `Option<T>` or a plain `T` (Smithy
//! `@required` and primitive `@default` members are plain), and whether a
//! builder's `build()` returns a `Result`. The generator reads the SDK crates'
//! source (located with `cargo metadata`) for those facts and checks that every
//! model member is present, so an SDK update that drifts from the models fails
//! here instead of compiling into a wrong bridge.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A struct of the SDK: its public fields (identifier → optional?) and
/// whether its builder's `build()` is fallible.
#[derive(Debug, Default)]
pub struct SdkStruct {
    pub fields: HashMap<String, bool>,
    pub build_is_fallible: bool,
}

/// All structs of one SDK crate, by Rust type name.
#[derive(Debug, Default)]
pub struct SdkCrate {
    pub structs: HashMap<String, SdkStruct>,
    /// Client methods (one per operation), by identifier.
    pub client_methods: Vec<String>,
    /// Enum type names.
    pub enums: Vec<String>,
}

impl SdkCrate {
    /// The SDK's name for a model shape: the same letters, but Smithy
    /// re-cases acronyms (`RCTAppliedFor` becomes `RctAppliedFor`).
    pub fn type_name(&self, shape: &str) -> Option<String> {
        let wanted = shape.to_ascii_lowercase();
        self.structs
            .keys()
            .chain(self.enums.iter())
            .find(|name| name.to_ascii_lowercase() == wanted)
            .cloned()
    }
}

pub fn locate_crate(root: &Path, package: &str) -> Result<PathBuf, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--format-version", "1"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let meta: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata output: {e}"))?;
    let packages = meta["packages"]
        .as_array()
        .ok_or("cargo metadata: no packages")?;
    for p in packages {
        if p["name"] == package {
            let manifest = p["manifest_path"].as_str().ok_or("no manifest_path")?;
            return Ok(Path::new(manifest)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default());
        }
    }
    Err(format!("package {package} not found by cargo metadata"))
}

pub fn read_crate(dir: &Path) -> Result<SdkCrate, String> {
    let mut krate = SdkCrate::default();
    let src = dir.join("src");
    let mut files = Vec::new();
    collect_rs(&src.join("types"), &mut files)?;
    collect_rs(&src.join("operation"), &mut files)?;
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        parse_structs(&text, &mut krate);
    }
    let mut client_files = Vec::new();
    collect_rs(&src.join("client"), &mut client_files)?;
    for file in &client_files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        for line in text.lines() {
            let line = line.trim_start();
            // Each file under client/ holds one operation's method, whose
            // signature may be wrapped over several lines.
            if let Some(rest) = line.strip_prefix("pub fn ")
                && let Some(name) = rest.split('(').next()
            {
                krate.client_methods.push(name.to_string());
            }
        }
    }
    Ok(krate)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads `pub struct Name { pub field: Type, ... }` blocks and the builders'
/// `build()` signatures from one generated file.
fn parse_structs(text: &str, krate: &mut SdkCrate) {
    let mut current: Option<(String, SdkStruct)> = None;
    let mut builder_of: Option<String> = None;
    let mut in_build_signature = false;
    let mut pending = String::new();
    for line in text.lines() {
        if let Some((name, mut st)) = current.take() {
            if line == "}" {
                krate
                    .structs
                    .entry(name)
                    .or_default()
                    .fields
                    .extend(st.fields.drain());
                continue;
            }
            let trimmed = line.trim();
            if trimmed.starts_with("pub ") || !pending.is_empty() {
                pending.push_str(trimmed);
                if pending.ends_with(',') {
                    if let Some(rest) = pending.strip_prefix("pub ")
                        && let Some((field, ty)) = rest.split_once(':')
                    {
                        let optional = ty.trim().starts_with("::std::option::Option<");
                        st.fields.insert(field.trim().to_string(), optional);
                    }
                    pending.clear();
                }
            }
            current = Some((name, st));
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub struct ")
            && let Some(name) = rest.strip_suffix(" {}")
        {
            krate.structs.entry(name.trim().to_string()).or_default();
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub struct ")
            && let Some(name) = rest.strip_suffix(" {")
        {
            current = Some((name.trim().to_string(), SdkStruct::default()));
            continue;
        }
        if let Some(rest) = line.strip_prefix("impl ")
            && let Some(name) = rest.strip_suffix("Builder {")
        {
            builder_of = Some(name.to_string());
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub enum ")
            && let Some(name) = rest.strip_suffix(" {")
        {
            krate.enums.push(name.trim().to_string());
            continue;
        }
        // The builder's `build` signature, possibly wrapped over several lines.
        if builder_of.is_some() && line.trim_start().starts_with("pub fn build(") {
            in_build_signature = true;
        }
        if in_build_signature && let Some(owner) = &builder_of {
            if line.contains("::std::result::Result<") {
                krate
                    .structs
                    .entry(owner.clone())
                    .or_default()
                    .build_is_fallible = true;
            }
            if line.trim_end().ends_with('{') {
                in_build_signature = false;
            }
        }
    }
}
