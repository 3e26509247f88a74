//! The recorded AWS CLI v2 runs in tests/fixtures/aws-v2-reference/: loading
//! them, and replaying one against rcr with a `CaptureServer` scripted from
//! the recording. They are the ground truth for what v1 cannot show (yaml,
//! v2 exit codes and error wording, tokens, skeletons); the format is
//! described in that directory's README.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::capture::CaptureServer;
use super::run::{Output, Run};

/// What AWS CLI v2 did in a recorded case.
#[derive(Debug, Clone)]
pub struct AwsV2Result {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// `{"target", "body", "cred"}` per request that reached the server;
    /// compare with `CaptureServer::requests_json()`.
    pub requests: Vec<Value>,
}

/// One recorded command line.
#[derive(Debug, Clone)]
pub struct ReferenceCase {
    /// File name without `.json`, e.g. `describe-images-yaml`.
    pub name: String,
    pub path: PathBuf,
    /// argv with `aws` first.
    pub command: Vec<String>,
    /// Changes to the base environment: `None` means removed.
    pub env: BTreeMap<String, Option<String>>,
    /// `--endpoint-url <server>` or `none`.
    pub endpoint: String,
    /// The capture-server script (`server_responses`).
    pub server_responses: Value,
    pub aws_v2: AwsV2Result,
}

/// Directory of the reference cases.
pub fn reference_dir() -> PathBuf {
    super::fixture_path("aws-v2-reference")
}

/// Every `*.json` case, sorted by name. Fails the test on an unreadable or
/// malformed file, naming it.
pub fn reference_cases() -> Vec<ReferenceCase> {
    let dir = reference_dir();
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| ReferenceCase::load(p)).collect()
}

/// The case named `name` (file stem), failing the test if there is none.
pub fn reference_case(name: &str) -> ReferenceCase {
    ReferenceCase::load(&reference_dir().join(format!("{name}.json")))
}

impl ReferenceCase {
    /// Loads one case file; fails the test with the file name on error.
    pub fn load(path: &Path) -> ReferenceCase {
        let fail = |what: &str| -> ! { panic!("reference case {}: {what}", path.display()) };
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(&e.to_string()));
        let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| fail(&e.to_string()));
        let command = match v.get("command").and_then(Value::as_array) {
            Some(args) => args
                .iter()
                .map(|a| {
                    a.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| a.to_string())
                })
                .collect(),
            None => fail("missing `command` list"),
        };
        let env = match v.get("env") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, val)| {
                    let val = match val {
                        Value::Null => None,
                        Value::String(s) => Some(s.clone()),
                        other => Some(other.to_string()),
                    };
                    (k.clone(), val)
                })
                .collect(),
            Some(_) => fail("`env` is not an object"),
        };
        let endpoint = v
            .get("endpoint")
            .and_then(Value::as_str)
            .unwrap_or("none")
            .to_owned();
        let server_responses = v.get("server_responses").cloned().unwrap_or(Value::Null);
        let Some(aws) = v.get("aws_v2") else {
            fail("missing `aws_v2`")
        };
        let text_field = |k: &str| aws.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let exit_code = aws
            .get("exit_code")
            .and_then(Value::as_i64)
            .and_then(|c| i32::try_from(c).ok())
            .unwrap_or_else(|| fail("missing or bad `aws_v2.exit_code`"));
        let requests = aws
            .get("requests")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        ReferenceCase {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            path: path.to_owned(),
            command,
            env,
            endpoint,
            server_responses,
            aws_v2: AwsV2Result {
                stdout: text_field("stdout"),
                stderr: text_field("stderr"),
                exit_code,
                requests,
            },
        }
    }

    /// Whether the recording passed `--endpoint-url <server>`.
    pub fn uses_endpoint_url(&self) -> bool {
        self.endpoint.starts_with("--endpoint-url")
    }

    /// The arguments after the program name, with `--endpoint-url URL`
    /// inserted before the service name when the recording used it.
    pub fn args(&self, endpoint_url: &str) -> Vec<String> {
        let mut args = Vec::new();
        if self.uses_endpoint_url() {
            args.push("--endpoint-url".to_owned());
            args.push(endpoint_url.to_owned());
        }
        args.extend(self.command.iter().skip(1).cloned());
        args
    }

    /// v2's stderr with `aws` replaced by `rcr` where the CLI names itself
    /// (`aws: [ERROR]`, `usage: aws`), i.e. what rcr should print.
    pub fn expected_stderr_for_rcr(&self) -> String {
        self.aws_v2
            .stderr
            .replace("aws: [ERROR]", "rcr: [ERROR]")
            .replace("usage: aws ", "usage: rcr ")
            .replace("\n  aws help", "\n  rcr help")
            .replace("\n  aws <command>", "\n  rcr <command>")
    }

    /// A `Run` of rcr set up like the recording (env changes and args),
    /// pointed at `endpoint_url`.
    pub fn rcr_command(&self, endpoint_url: &str) -> Run {
        let mut run = Run::rcr();
        run.env_changes(&self.env).args(self.args(endpoint_url));
        run
    }

    /// Replays the case against rcr: starts a `CaptureServer` scripted with
    /// `server_responses`, runs rcr, and returns its output and the server
    /// (whose `requests_json()` should equal `aws_v2.requests`).
    pub fn run_rcr(&self) -> (Output, CaptureServer) {
        let server = CaptureServer::start(self.server_responses.clone());
        let out = self.rcr_command(&server.url()).run();
        (out, server)
    }
}
