//! Values the completer knows without asking a service: regions and
//! profiles (as aws_completer offers them), `file://` paths, and what aws
//! does not offer: the choices of global options, enum members of the
//! model, the keys of image-identifier shorthand.

use std::path::Path;

use crate::config::profiles;
use crate::model::{Member, Service, ShapeKind};

/// The regions botocore 1.44.8's `endpoints.json` lists for each service in
/// the `aws` partition (what aws_completer offers for `--region`).
const ECR_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];
const ECR_PUBLIC_REGIONS: &[&str] = &["us-east-1", "us-west-2"];

pub fn regions(service: Option<&Service>) -> Vec<String> {
    let list = match service.map(|s| s.cli_name) {
        Some("ecr-public") => ECR_PUBLIC_REGIONS,
        _ => ECR_REGIONS,
    };
    list.iter().map(|r| r.to_string()).collect()
}

/// The profiles of the config and credentials files, config first, each once.
pub fn profiles() -> Vec<String> {
    profiles::ProfileFiles::of_this_run().names()
}

/// The choices of a global option (aws checks them but offers none).
pub fn global_choices(name: &str) -> &'static [&'static str] {
    match name {
        "output" => crate::cli::globals::OUTPUT_FORMATS,
        "cli-error-format" => crate::cli::globals::ERROR_FORMATS,
        "cli-binary-format" => &["base64", "raw-in-base64-out"],
        "color" => &["on", "off", "auto"],
        "generate-cli-skeleton" => &["input", "yaml-input", "output"],
        _ => &[],
    }
}

/// The enum members of a member's shape, or of its list's items.
pub fn enum_values(service: &Service, member: &Member) -> &'static [&'static str] {
    let mut kind = &service.shape(member.shape).kind;
    if let ShapeKind::List { member, .. } = kind {
        kind = &service.shape(*member).kind;
    }
    match kind {
        ShapeKind::String { enum_values, .. } => enum_values,
        _ => &[],
    }
}

/// `file://` and `fileb://` paths as aws_completer offers them: the entries
/// of the typed directory whose names start with the typed part, a `/` after
/// directories, `~/` for a lone `~`.
pub fn file_paths(fragment: &str) -> Option<Vec<String>> {
    let (scheme, typed) = ["file://", "fileb://"]
        .iter()
        .find_map(|s| fragment.strip_prefix(s).map(|rest| (*s, rest)))?;
    if typed == "~" {
        return Some(vec![format!("{scheme}~/")]);
    }
    let (dir_part, name_part) = match typed.rfind('/') {
        Some(i) => (&typed[..=i], &typed[i + 1..]),
        None => ("", typed),
    };
    let dir = match dir_part.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => Path::new(&home).join(rest),
            None => return Some(Vec::new()),
        },
        None if dir_part.is_empty() => Path::new(".").to_path_buf(),
        None => Path::new(dir_part).to_path_buf(),
    };
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.starts_with(name_part) {
                return None;
            }
            let slash = if entry.path().is_dir() { "/" } else { "" };
            Some(format!("{scheme}{dir_part}{name}{slash}"))
        })
        .collect();
    out.sort();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_values_of_scalars_and_lists() {
        let ecr = crate::sdk::service("ecr").expect("ecr");
        let input = |op: &str| {
            ecr.shape(ecr.operation(op).expect("op").input)
                .kind
                .members()
        };
        let mutability = input("create-repository")
            .iter()
            .find(|m| m.name == "imageTagMutability")
            .expect("member");
        assert!(enum_values(ecr, mutability).contains(&"IMMUTABLE"));
        let name = input("create-repository")
            .iter()
            .find(|m| m.name == "repositoryName")
            .expect("member");
        assert!(enum_values(ecr, name).is_empty());
    }

    #[test]
    fn file_paths_in_a_directory() {
        let dir = std::env::temp_dir().join(format!("rcr-completer-files-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("sub"));
        let _ = std::fs::write(dir.join("policy.json"), "{}");
        let typed = format!("file://{}/p", dir.display());
        assert_eq!(
            file_paths(&typed),
            Some(vec![format!("file://{}/policy.json", dir.display())])
        );
        let typed = format!("fileb://{}/s", dir.display());
        assert_eq!(
            file_paths(&typed),
            Some(vec![format!("fileb://{}/sub/", dir.display())])
        );
        assert_eq!(file_paths("file://~"), Some(vec!["file://~/".to_string()]));
        assert_eq!(file_paths("--x"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
