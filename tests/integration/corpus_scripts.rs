//! The script corpus (tests/fixtures/corpus/, described in its README):
//! command lines as people write them with `aws ecr` and `aws ecr-public`,
//! each run by the aws CLI v2 oracle and by rcr with the same words, the
//! same environment and the same server (moto seeded through the ECR API
//! for read-only cases, a fresh capture server per run for the rest), and
//! compared byte for byte: stdout, stderr with the program's name aside,
//! the exit code, and for capture cases the requests sent.
//!
//! Cases run on a few threads (aws v2 takes most of a second to start).
//! `RCR_CORPUS_FILTER=text` runs only the cases whose name or command line
//! contains `text`; `RCR_CORPUS_THREADS=n` sets the threads;
//! `RCR_CORPUS_REPORT=path` writes every case's two runs there as JSON
//! lines, for studying the differences.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::differential::{Observed, compare_runs, stderr_as_rcr};
use crate::common::http::aws_json_call;
use crate::common::shell::{sh_words, split_command};
use crate::common::{AwsV2, CaptureServer, MotoServer, Run, assert_no_failures, fixture_path};

/// Which server a case runs against.
#[derive(Debug, Clone, PartialEq)]
enum ServerSpec {
    /// The shared, seeded moto_server (read-only cases).
    Moto,
    /// A fresh capture server per run, scripted by `servers.json[name]`.
    Capture(String),
}

/// One command line of the corpus and how to run it.
#[derive(Debug, Clone)]
struct Case {
    /// `file.txt:line`.
    name: String,
    line: String,
    server: ServerSpec,
    env: Vec<(String, String)>,
    unset: Vec<String>,
    stdin: Option<String>,
    config: Option<String>,
    /// The words after `aws`.
    args: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    fixture_path("corpus")
}

/// Every case of every `*.txt` file, in file and line order.
fn load_cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("read tests/fixtures/corpus")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        parse_file(&file, &mut cases);
    }
    cases
}

fn json_string_arg(directive: &str, rest: &str, at: &str) -> String {
    serde_json::from_str::<String>(rest.trim())
        .unwrap_or_else(|e| panic!("{at}: {directive} takes a JSON string: {e}"))
}

fn parse_file(path: &Path, cases: &mut Vec<Case>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut server: Option<ServerSpec> = None;
    let (mut stdin, mut config, mut unset) = (None, None, Vec::new());
    let mut lines = text.lines().enumerate();
    while let Some((index, raw)) = lines.next() {
        let at = format!("{file}:{}", index + 1);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix('@') {
            let (directive, rest) = rest.split_once(' ').unwrap_or((rest, ""));
            match directive {
                "server" => {
                    let words: Vec<&str> = rest.split_whitespace().collect();
                    server = Some(match words.as_slice() {
                        ["moto"] => ServerSpec::Moto,
                        ["capture", name] => ServerSpec::Capture((*name).to_owned()),
                        _ => panic!("{at}: @server moto | @server capture NAME"),
                    });
                }
                "stdin" => stdin = Some(json_string_arg("@stdin", rest, &at)),
                "config" => config = Some(json_string_arg("@config", rest, &at)),
                "unset" => unset.extend(rest.split_whitespace().map(str::to_owned)),
                other => panic!("{at}: unknown directive @{other}"),
            }
            continue;
        }
        // A trailing backslash continues the command on the next line.
        let mut line = raw.to_owned();
        while line.ends_with('\\') {
            let (_, next) = lines
                .next()
                .unwrap_or_else(|| panic!("{at}: continued past the end"));
            line.push('\n');
            line.push_str(next);
        }
        let command = split_command(&line).unwrap_or_else(|e| panic!("{at}: {e}"));
        assert_eq!(
            command.words[0], "aws",
            "{at}: a case runs `aws`, not {:?}",
            command.words[0]
        );
        let server = server
            .clone()
            .unwrap_or_else(|| panic!("{at}: no @server before the first case"));
        cases.push(Case {
            name: at,
            line: line.clone(),
            server,
            env: command.env,
            unset: std::mem::take(&mut unset),
            stdin: stdin.take(),
            config: config.take(),
            args: command.words[1..].to_vec(),
        });
    }
}

/// A read-only moto_server holding what the `@server moto` cases read:
/// repositories with scanning and mutability settings, and images (tagged,
/// multi-tagged, untagged) pushed in a known order, in us-east-1, and one
/// repository in eu-west-1.
fn seed_moto(moto: &MotoServer) {
    let call = |region: &str, operation: &str, body: Value| {
        let target = format!("AmazonEC2ContainerRegistry_V20150921.{operation}");
        let response = aws_json_call(&moto.url(), &target, region, "ecr", &body)
            .unwrap_or_else(|e| panic!("seeding moto: {operation}: {e}"));
        assert_eq!(
            response.status,
            200,
            "seeding moto: {operation} {body}: {}",
            response.body_str()
        );
    };
    let east = "us-east-1";
    call(
        east,
        "CreateRepository",
        json!({"repositoryName": "app", "imageScanningConfiguration": {"scanOnPush": true}}),
    );
    call(
        east,
        "CreateRepository",
        json!({"repositoryName": "web", "imageTagMutability": "IMMUTABLE"}),
    );
    call(east, "CreateRepository", json!({"repositoryName": "api"}));
    call(
        east,
        "CreateRepository",
        json!({"repositoryName": "backend/service"}),
    );
    call(
        east,
        "CreateRepository",
        json!({"repositoryName": "nginx", "tags": [{"Key": "team", "Value": "edge"}]}),
    );
    call(
        "eu-west-1",
        "CreateRepository",
        json!({"repositoryName": "app"}),
    );
    // Each image is a distinct manifest (its digest is the manifest's
    // sha256); several tags of one image are several puts of one manifest.
    let images: [(&str, u32, &[&str]); 11] = [
        ("app", 1, &["v1.0.0"]),
        ("app", 2, &["v1.1.0", "stable"]),
        ("app", 3, &[]),
        ("app", 4, &["main-abc1234", "sha-deadbeef"]),
        (
            "app",
            5,
            &[
                "latest",
                "v1.2.0",
                "git-0123456789abcdef0123456789abcdef01234567",
            ],
        ),
        ("app", 6, &[]),
        ("web", 7, &["latest"]),
        ("web", 8, &["v2"]),
        ("backend/service", 9, &["prod-2024"]),
        ("backend/service", 10, &[]),
        ("app", 11, &["latest"]),
    ];
    for (i, (repository, n, tags)) in images.iter().enumerate() {
        let region = if i == images.len() - 1 {
            "eu-west-1"
        } else {
            east
        };
        let manifest = manifest(*n);
        if tags.is_empty() {
            call(
                region,
                "PutImage",
                json!({"repositoryName": repository, "imageManifest": manifest}),
            );
        }
        for tag in *tags {
            call(
                region,
                "PutImage",
                json!({"repositoryName": repository, "imageManifest": manifest, "imageTag": tag}),
            );
        }
        // Push times are moto's clock: a pause keeps their order strict.
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A Docker image manifest of its own content for image number `n`.
fn manifest(n: u32) -> String {
    json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 1400 + n,
            "digest": format!("sha256:{:064x}", n),
        },
        "layers": [{
            "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
            "size": 3_000_000 + 1000 * n,
            "digest": format!("sha256:{:064x}", 1000 + n),
        }],
    })
    .to_string()
}

/// Sets up `run` for `case` against `endpoint`: the case's environment and
/// files, its working directory `files/`.
fn prepare(run: &mut Run, case: &Case, endpoint: &str) {
    run.env("AWS_ENDPOINT_URL", endpoint)
        .current_dir(corpus_dir().join("files"))
        .args(&case.args);
    for name in &case.unset {
        run.env_remove(name);
    }
    for (name, value) in &case.env {
        run.env(name, value);
    }
    if let Some(stdin) = &case.stdin {
        run.stdin(stdin.as_bytes());
    }
    if let Some(config) = &case.config {
        run.write_config(config);
    }
}

/// Runs one program (aws when `aws` is Some, else rcr) for `case`.
fn observe(
    case: &Case,
    aws: Option<&AwsV2>,
    moto: Option<&MotoServer>,
    scripts: &BTreeMap<String, Value>,
) -> (Observed, Duration) {
    let mut run = match aws {
        Some(aws) => aws.command(),
        None => Run::rcr(),
    };
    let server = match &case.server {
        ServerSpec::Moto => None,
        ServerSpec::Capture(name) => {
            let script = scripts
                .get(name)
                .unwrap_or_else(|| panic!("{}: servers.json has no {name:?}", case.name));
            Some(CaptureServer::start(script.clone()))
        }
    };
    let endpoint = match (&server, moto) {
        (Some(server), _) => server.url(),
        (None, Some(moto)) => moto.url(),
        (None, None) => panic!("{}: needs moto, which was not started", case.name),
    };
    prepare(&mut run, case, &endpoint);
    run.timeout(Duration::from_secs(90));
    let out = run.run();
    (Observed::new(&out, server.as_ref()), out.duration)
}

struct Outcome {
    name: String,
    line: String,
    /// The differences; empty when the runs match.
    diffs: Vec<String>,
    aws: Option<Observed>,
    rcr: Option<Observed>,
    /// How long aws's and rcr's runs took.
    took: (Duration, Duration),
}

fn run_case(
    case: &Case,
    aws: &AwsV2,
    moto: Option<&MotoServer>,
    scripts: &BTreeMap<String, Value>,
) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let (expected, aws_took) = observe(case, Some(aws), moto, scripts);
        let (got, rcr_took) = observe(case, None, moto, scripts);
        (expected, got, (aws_took, rcr_took))
    }));
    match result {
        Ok((expected, got, took)) => Outcome {
            name: case.name.clone(),
            line: case.line.clone(),
            diffs: compare_runs(&expected, &got),
            aws: Some(expected),
            rcr: Some(got),
            took,
        },
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic".to_owned());
            Outcome {
                name: case.name.clone(),
                line: case.line.clone(),
                diffs: vec![format!("the case could not run: {message}")],
                aws: None,
                rcr: None,
                took: Default::default(),
            }
        }
    }
}

fn report_line(outcome: &Outcome) -> Value {
    let side = |o: &Option<Observed>| {
        o.as_ref().map(|o| {
            json!({
                "stdout": String::from_utf8_lossy(&o.stdout),
                "stderr": String::from_utf8_lossy(&o.stderr),
                "code": o.code,
                "requests": o.requests,
            })
        })
    };
    json!({
        "name": outcome.name,
        "line": outcome.line,
        "same": outcome.diffs.is_empty(),
        "diffs": outcome.diffs,
        "aws": side(&outcome.aws),
        "rcr": side(&outcome.rcr),
        "seconds": [outcome.took.0.as_secs_f64(), outcome.took.1.as_secs_f64()],
        "aws_stderr_as_rcr": outcome.aws.as_ref().map(|o| stderr_as_rcr(&String::from_utf8_lossy(&o.stderr))),
    })
}

/// Every corpus line splits the same with `split_command` as with
/// `/bin/sh`, so a case means what it would mean in a script.
#[test]
fn corpus_lines_split_as_sh_splits_them() {
    let cases = load_cases();
    let mut failures = Vec::new();
    for case in &cases {
        let mut ours: Vec<String> = case.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        ours.push("aws".to_owned());
        ours.extend(case.args.iter().cloned());
        let theirs = sh_words(&case.line);
        if ours != theirs {
            failures.push(format!("{}: ours {ours:?}\n  sh {theirs:?}", case.name));
        }
    }
    assert_no_failures(
        &failures,
        cases.len(),
        "corpus lines split differently",
        "\n",
    );
}

#[test]
fn every_corpus_case_matches_aws_v2() {
    let started = Instant::now();
    let aws = AwsV2::new();
    let scripts: BTreeMap<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(corpus_dir().join("servers.json")).expect("read servers.json"),
    )
    .expect("servers.json is a JSON object");
    let filter = std::env::var("RCR_CORPUS_FILTER").unwrap_or_default();
    let cases: Vec<Case> = load_cases()
        .into_iter()
        .filter(|c| filter.is_empty() || c.name.contains(&filter) || c.line.contains(&filter))
        .collect();
    assert!(
        !cases.is_empty(),
        "no corpus case matches RCR_CORPUS_FILTER={filter:?}"
    );
    if filter.is_empty() {
        assert!(
            cases.len() >= 180,
            "the corpus must hold at least 180 cases, it has {}",
            cases.len()
        );
    }
    // RCR_SKIP_MOTO=1 on a machine without moto leaves out the moto cases
    // (start_or_skip says so); everything else still runs.
    let moto = if cases.iter().any(|c| c.server == ServerSpec::Moto) {
        MotoServer::start_or_skip()
    } else {
        None
    };
    if let Some(moto) = &moto {
        seed_moto(moto);
    }
    let cases: Vec<Case> = cases
        .into_iter()
        .filter(|c| c.server != ServerSpec::Moto || moto.is_some())
        .collect();
    let threads: usize = std::env::var("RCR_CORPUS_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(case) = cases.get(i) else { break };
                    let outcome = run_case(case, &aws, moto.as_ref(), &scripts);
                    outcomes
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((i, outcome));
                }
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|(i, _)| *i);
    if let Some(path) = std::env::var_os("RCR_CORPUS_REPORT") {
        let lines: Vec<String> = outcomes
            .iter()
            .map(|(_, o)| report_line(o).to_string())
            .collect();
        std::fs::write(&path, lines.join("\n") + "\n").expect("write RCR_CORPUS_REPORT");
    }
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| !o.diffs.is_empty())
        .map(|(_, o)| format!("{}  {}\n{}", o.name, o.line, o.diffs.join("\n")))
        .collect();
    eprintln!(
        "corpus: {} cases, {} differ, {:.1?} on {threads} threads",
        cases.len(),
        failures.len(),
        started.elapsed()
    );
    assert_no_failures(
        &failures,
        cases.len(),
        "corpus cases differ from aws v2",
        "\n\n",
    );
}
