//! `AwsV2`: the real aws CLI v2 (2.36.7), the oracle for every byte rcr
//! prints under `ecr` and `ecr-public`. `scripts/setup-test-env.sh` installs
//! it with `../shared/oracle/install-aws-v2.sh`; a test finds it at
//! `$RCR_AWS_V2`, else at that script's default place
//! (`${XDG_CACHE_HOME:-$HOME/.cache}/rcr-oracle/aws-v2-2.36.7/bin/aws`).
//!
//! It runs in exactly the isolated environment `Run` gives rcr (an empty
//! config file, no credentials unless the test writes them), so a case is
//! the same command line, the same server and the same environment for both.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::run::{Output, Run};

/// Env var naming the aws v2 executable, overriding the default place.
pub const AWS_V2_ENV: &str = "RCR_AWS_V2";

/// The version the oracle must be: another would answer other questions.
pub const VERSION: &str = "2.36.7";

pub struct AwsV2 {
    bin: PathBuf,
}

impl AwsV2 {
    /// Where `install-aws-v2.sh` puts `aws` when given no directory.
    pub fn default_path() -> PathBuf {
        let cache = match std::env::var_os("XDG_CACHE_HOME") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"),
        };
        cache
            .join("rcr-oracle")
            .join(format!("aws-v2-{VERSION}"))
            .join("bin")
            .join("aws")
    }

    /// The oracle's `aws`; fails the test when it is missing (there is no
    /// skipping: a missing oracle is a broken machine, fixed by
    /// `bash scripts/setup-test-env.sh`).
    pub fn new() -> AwsV2 {
        let bin = match std::env::var_os(AWS_V2_ENV) {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => Self::default_path(),
        };
        assert!(
            bin.is_file(),
            "aws CLI v2 (the oracle) not found at {}: run `bash scripts/setup-test-env.sh` \
             (or `bash ../shared/oracle/install-aws-v2.sh`), or set {AWS_V2_ENV}",
            bin.display()
        );
        AwsV2 { bin }
    }

    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// The oracle's Python (the venv's), which has the jmespath aws uses.
    pub fn python(&self) -> PathBuf {
        self.bin.with_file_name("python")
    }

    /// `aws_completer`, beside `aws`.
    pub fn completer(&self) -> PathBuf {
        self.bin.with_file_name("aws_completer")
    }

    /// A `Run` of aws v2 with the isolated environment; add args/env and
    /// `.run()` it.
    pub fn command(&self) -> Run {
        let mut run = Run::new(&self.bin);
        // Python picks its stdio encoding from the locale, which the
        // cleared environment leaves unset; force UTF-8 so non-ASCII output
        // is byte-comparable with rcr's.
        run.env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONUTF8", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1");
        run
    }

    /// Runs `aws <args>` and returns what it did.
    pub fn run<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command().args(args).run()
    }
}
