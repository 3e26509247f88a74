//! Shared support for rcr's integration tests, the one place for test
//! servers and drivers: isolated process runs (`run`, and `home` for a HOME
//! several runs share), the scripted AWS JSON 1.1 capture server over HTTP
//! or HTTPS (`capture`, `tls`), the fault server for broken connections
//! (`fault`), moto_server (`moto`), the aws CLI v2 oracle (`awsv2`) and the
//! aws CLI v1 (`awsv1`), a real container registry (`registry`), the
//! recorded AWS CLI v2 reference cases (`reference`), shell-like splitting
//! of command lines (`shell`) and the comparison of an aws v2 run with
//! rcr's (`differential`), and helpers of single areas (`credhelper`,
//! `model_docs`).
//! Write no other server, moto starter or process runner in a test: extend
//! these.
//!
//! The integration tests are modules of one test binary,
//! `tests/integration/main.rs`, which declares this module as `common` at
//! its root (see tests/README.md). A separate test file in `tests/` can
//! still use it with `mod common;`: the module must be named `common` at the
//! crate root, since the exported macros refer to `crate::common`.
//! Everything here uses only crates rcr already depends on.
//!
//! Nothing here ever talks to anything but 127.0.0.1, and every child process
//! runs with `AWS_EC2_METADATA_DISABLED=true` so no credential chain can probe
//! the instance-metadata address.

// A test binary uses only part of this module; without these allows every
// unused helper would warn, and clippy runs with `-D warnings`.
#![allow(dead_code, unused_imports, unused_macros)]

pub mod awsv1;
pub mod awsv2;
pub mod capture;
pub mod credhelper;
pub mod differential;
pub mod fault;
pub mod home;
pub mod http;
pub mod model_docs;
pub mod moto;
pub mod proc;
pub mod reference;
pub mod registry;
pub mod run;
pub mod shell;
pub mod tempdir;
pub mod tls;

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

pub use awsv1::AwsV1;
pub use awsv2::AwsV2;
pub use capture::{CaptureServer, CapturedRequest};
pub use differential::Observed;
pub use fault::FaultServer;
pub use home::Home;
pub use http::{HttpResponse, aws_json_call, http_request};
pub use moto::MotoServer;
pub use reference::{AwsV2Result, ReferenceCase, reference_case, reference_cases};
pub use registry::Registry;
pub use run::{Output, Run, Running, SIGINT, SIGKILL, SIGTERM};
pub use shell::{ShellCommand, split_command};
pub use tempdir::TempDir;
pub use tls::TestCertificates;

/// Env var that, set to `1`, makes tests needing the Python test venv (moto,
/// aws CLI v1) print a reason and pass instead of failing.
pub const SKIP_MOTO_ENV: &str = "RCR_SKIP_MOTO";

/// Env var overriding the location of the Python test venv.
pub const VENV_ENV: &str = "RCR_TEST_VENV";

/// Fails, listing them, when any of the `total` compared cases failed:
/// `<n> of <total> <what>:` and the failures, `separator` between them.
#[track_caller]
pub fn assert_no_failures(failures: &[String], total: usize, what: &str, separator: &str) {
    assert!(
        failures.is_empty(),
        "{} of {total} {what}:{separator}{}",
        failures.len(),
        failures.join(separator)
    );
}

/// The arguments `ecr <operation> --repository-name <repository>
/// --endpoint-url <url>` followed by `extra`: the call most tests make of a
/// local server.
pub fn repository_call<'a>(
    operation: &'a str,
    repository: &'a str,
    url: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "ecr",
        operation,
        "--repository-name",
        repository,
        "--endpoint-url",
        url,
    ];
    args.extend_from_slice(extra);
    args
}

/// The repository root (the `rcr` package's manifest directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Path of the `rcr` binary cargo built for this test run.
pub fn rcr_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rcr"))
}

/// The Python venv holding moto_server and aws v1: `$RCR_TEST_VENV`, else
/// `<repo>/.venv-test` (what `scripts/setup-test-env.sh` creates).
pub fn test_venv() -> PathBuf {
    match std::env::var_os(VENV_ENV) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => repo_root().join(".venv-test"),
    }
}

/// A program in the test venv's `bin/`.
pub fn venv_bin(name: &str) -> PathBuf {
    test_venv().join("bin").join(name)
}

/// True when `RCR_SKIP_MOTO=1`: tests needing the Python venv should skip.
pub fn skip_python_tools() -> bool {
    std::env::var(SKIP_MOTO_ENV)
        .map(|v| v == "1")
        .unwrap_or(false)
}

/// Checks that a venv program exists. `Ok(Some(path))` when it does;
/// `Ok(None)` when it does not but `RCR_SKIP_MOTO=1` (after printing why);
/// panics with setup instructions otherwise, so a machine that silently lacks
/// the tools can never pass the suite by accident.
pub(crate) fn require_venv_tool(name: &str, test_what: &str) -> Option<PathBuf> {
    let path = venv_bin(name);
    if path.is_file() {
        return Some(path);
    }
    if skip_python_tools() {
        eprintln!(
            "SKIPPED ({test_what}): {} not found and {SKIP_MOTO_ENV}=1",
            path.display()
        );
        return None;
    }
    panic!("{}", missing_tool_message(&path, test_what));
}

/// The failure message for a missing venv program: says how to fix it.
pub(crate) fn missing_tool_message(path: &Path, test_what: &str) -> String {
    format!(
        "{} not found: the Python test venv is missing. Run scripts/setup-test-env.sh \
         (or point {VENV_ENV} at a venv with moto[server] and awscli), or set \
         {SKIP_MOTO_ENV}=1 to skip tests that need it ({test_what}).",
        path.display()
    )
}

/// True when `name` is a program on PATH (or in /usr/bin, which a non-root
/// PATH may lack).
pub fn have_program(name: &str) -> bool {
    let on_path = std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
        .unwrap_or(false);
    on_path || Path::new("/usr/bin").join(name).is_file()
}

/// Fails the test, saying which Debian package provides it, unless the
/// system program `name` is installed. A test that needs a tool never
/// passes without it (scripts/setup-test-env.sh installs them all).
#[track_caller]
pub fn require_program(name: &str, debian_package: &str) {
    assert!(
        have_program(name),
        "`{name}` is not installed: run scripts/setup-test-env.sh \
         (or apt-get install {debian_package})"
    );
}

/// A TCP port on 127.0.0.1 that was free a moment ago. Ports handed out by
/// this process are never handed out twice, so parallel tests in one binary
/// cannot race each other for the same port (other processes still can, which
/// callers like `MotoServer` handle by retrying).
pub fn free_port() -> u16 {
    static GIVEN: OnceLock<Mutex<HashSet<u16>>> = OnceLock::new();
    let given = GIVEN.get_or_init(|| Mutex::new(HashSet::new()));
    for _ in 0..1000 {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("free_port: cannot bind 127.0.0.1:0: {e}"));
        let port = match listener.local_addr() {
            Ok(addr) => addr.port(),
            Err(e) => panic!("free_port: local_addr failed: {e}"),
        };
        let mut given = given.lock().unwrap_or_else(|e| e.into_inner());
        if given.insert(port) {
            return port;
        }
    }
    panic!("free_port: no unused port after 1000 tries");
}

/// Path of a file in `tests/fixtures/`.
pub fn fixture_path(rel: impl AsRef<Path>) -> PathBuf {
    repo_root().join("tests").join("fixtures").join(rel)
}

/// Starts a `MotoServer`, or makes the calling test return early (passing,
/// with a printed reason) when moto is missing and `RCR_SKIP_MOTO=1`.
/// Fails the test when moto is missing otherwise.
///
/// ```ignore
/// let moto = require_moto!();
/// ```
#[macro_export]
macro_rules! require_moto {
    () => {
        match $crate::common::MotoServer::start_or_skip() {
            Some(server) => server,
            None => return,
        }
    };
}

/// Like `require_moto!` for the aws CLI v1 oracle: evaluates to an `AwsV1`.
#[macro_export]
macro_rules! require_aws_v1 {
    () => {
        match $crate::common::AwsV1::new_or_skip() {
            Some(aws) => aws,
            None => return,
        }
    };
}
