//! The `--version` line.

/// `rcr/<version>` and the platform, in the shape of aws's version line
/// (`aws-cli/2.36.7 Python/3.11.7 Linux/6.18.44 source/x86_64.debian.12`):
/// the compiler where aws names Python, and the distribution as aws's source
/// builds show it.
pub fn version_line() -> String {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows",
        other => other,
    };
    let mut source = std::env::consts::ARCH.to_string();
    if let Ok(release) = std::fs::read_to_string("/etc/os-release") {
        let field = |key: &str| {
            release.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|v| v.strip_prefix('='))
                    .map(|v| v.trim_matches('"').to_string())
            })
        };
        if let (Some(id), Some(version)) = (field("ID"), field("VERSION_ID")) {
            let major = version.split('.').next().unwrap_or_default();
            source = format!("{source}.{id}.{major}");
        }
    }
    format!(
        "rcr/{} Rust/{} {os}/{} source/{source}",
        env!("CARGO_PKG_VERSION"),
        env!("RCR_RUSTC_VERSION"),
        kernel.trim(),
    )
}
