//! `AwsV1`: runs the aws CLI v1 from the Python test venv as an output oracle
//! for rcr. With `cli_timestamp_format = iso8601` v1 prints the same bytes as
//! v2 for json/text/table output and sends the same request bodies (see
//! /work/shared/AWS-V2-NOTES.md for where it differs: exit codes, yaml,
//! pager, binary format).
//!
//! It runs in exactly the isolated environment `Run` gives rcr, so comparing
//! the two is comparing like with like.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::run::{Output, Run};
use super::tempdir::TempDir;

pub struct AwsV1 {
    bin: PathBuf,
}

impl AwsV1 {
    /// The config file every v1 run starts with: v2's timestamp format, so
    /// v1's output bytes match v2's.
    pub const CONFIG: &'static str =
        "[default]\nregion = us-east-1\ncli_timestamp_format = iso8601\n";

    /// Same without the region, for no-region tests (remove
    /// `AWS_DEFAULT_REGION` too).
    pub const CONFIG_NO_REGION: &'static str = "[default]\ncli_timestamp_format = iso8601\n";

    /// A botocore data directory holding rcr's models, for `AWS_DATA_PATH`:
    /// v1's vendored botocore may be a few releases older, and with this it
    /// knows every operation rcr knows, with the same shapes.
    pub fn data_path() -> TempDir {
        let root = TempDir::new("aws-data");
        for (service, version) in [("ecr", "2015-09-21"), ("ecr-public", "2020-10-30")] {
            let dir = root.join(service).join(version);
            std::fs::create_dir_all(&dir).expect("create the aws data dir");
            let models = super::repo_root().join("models").join(service);
            for entry in std::fs::read_dir(&models).expect("models dir") {
                let path = entry.expect("models entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    std::fs::copy(&path, dir.join(path.file_name().expect("file name")))
                        .expect("copy a model");
                }
            }
        }
        root
    }

    /// The venv's `aws`; fails the test if it is missing (whatever
    /// `RCR_SKIP_MOTO` says: use `new_or_skip` / `require_aws_v1!` to honour it).
    pub fn new() -> AwsV1 {
        let bin = super::venv_bin("aws");
        if !bin.is_file() {
            panic!("{}", super::missing_tool_message(&bin, "aws CLI v1"));
        }
        AwsV1 { bin }
    }

    /// The venv's `aws`, or None (after printing why) when it is missing and
    /// `RCR_SKIP_MOTO=1`; fails the test when it is missing otherwise.
    pub fn new_or_skip() -> Option<AwsV1> {
        let bin = super::require_venv_tool("aws", "aws CLI v1")?;
        Some(AwsV1 { bin })
    }

    pub fn bin(&self) -> &Path {
        &self.bin
    }

    /// A `Run` of aws v1 with the isolated environment and `CONFIG` already
    /// written to its `AWS_CONFIG_FILE`; add args/env and `.run()` it. A
    /// test that writes its own config should start from `AwsV1::CONFIG`.
    pub fn command(&self) -> Run {
        let mut run = Run::new(&self.bin);
        run.write_config(Self::CONFIG)
            // Python picks its stdio encoding from the locale, which the
            // cleared environment leaves unset; force UTF-8 so non-ASCII
            // output is byte-comparable with rcr's.
            .env("PYTHONIOENCODING", "utf-8")
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
