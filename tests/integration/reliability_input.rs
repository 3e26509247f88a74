//! Generated bad input, end to end through the real binary: shorthand and
//! JSON flag values, `--cli-input-json` / `--cli-input-yaml` (inline and
//! `file://`), `--query`, `--starting-token`, and garbage config and
//! credentials files. Each case must end with an aws exit code (0, 252, 253,
//! 254 or 255), never a panic, a signal or a hang; a 252 must name what was
//! wrong; input files must be left exactly as they were.
//!
//! The generator is std-only (xorshift, seeded), so a failure names its seed
//! and case number and reruns identically. `RCR_FUZZ_CASES` (default 600)
//! sets how many cases, `RCR_FUZZ_SEED` the seed; the documented long run is
//! in SECURITY.md. The in-process property tests (`params::fuzz`,
//! `reliability_fuzz`) cover the same parsers far faster; this file proves
//! the whole binary holds on a sample.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{CaptureServer, Output, Run};
use serde_json::json;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const GRAMMAR: &[&str] = &[
    "=",
    ",",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    " ",
    "\n",
    "@",
    ":",
    "-",
    "#",
    "a",
    "K",
    "1",
    ".",
    "*",
    "/",
    "é",
    "\u{2028}",
    "😀",
    "\t",
    "&",
    "<",
    ">",
    "|",
    "?",
    "`",
    "!",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "Key=",
    "Value=",
    "imageTag=",
    "file://",
    "fileb://",
    "---",
    "- ",
    "~",
    "\u{0}",
    "\u{7f}",
    "\r\n",
    "%",
    "$",
    "(",
    ")",
];

/// Valid inputs to start mutating from, per kind.
const SHORTHAND_SEEDS: &[&str] = &[
    "Key=k,Value=v",
    "Key=k,Value=v Key=k2,Value=v2",
    "scanOnPush=true",
    "encryptionType=KMS,kmsKey=arn:aws:kms:us-east-1:1:key/x",
    "[{\"Key\":\"k\",\"Value\":\"v\"}]",
    "{\"scanOnPush\": true}",
    "imageTag=v1",
    "imageDigest=sha256:abc,imageTag=v1",
    "rules=[{destinations=[{region=us-west-2,registryId=123456789012}]}]",
    "a={b=[1,2],c='x y'}",
];

const DOCUMENT_SEEDS: &[&str] = &[
    "{\"repositoryName\": \"repo\", \"tags\": [{\"Key\": \"k\", \"Value\": \"v\"}]}",
    "{\"repositoryName\": \"repo\", \"imageScanningConfiguration\": {\"scanOnPush\": true}}",
    "repositoryName: repo\ntags:\n  - Key: k\n    Value: v\n",
    "repositoryName: repo\nimageScanningConfiguration: {scanOnPush: yes}\n",
    "{}",
    "[]",
    "",
];

const QUERY_SEEDS: &[&str] = &[
    "imageIds[].imageTag",
    "imageIds[?imageTag=='a'].imageDigest | [0]",
    "length(imageIds)",
    "sort_by(imageIds, &imageTag)[-1]",
    "{tags: imageIds[*].imageTag, n: length(imageIds)}",
    "imageIds[0:2:1]",
    "max_by(imageIds, &to_number(imageTag))",
];

const TOKEN_SEEDS: &[&str] = &[
    "eyJuZXh0VG9rZW4iOiAicDEifQ==",
    "eyJuZXh0VG9rZW4iOiAicDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==",
    "p1",
    "p1___1",
    "None___0",
];

const INI_SEEDS: &[&str] = &[
    "[default]\nregion = us-east-1\noutput = json\n",
    "[profile x]\nregion = us-west-2\nmax_attempts = 2\n",
    "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secretexample\n",
    "[default]\nservices = s\n[services s]\necr =\n  endpoint_url = http://127.0.0.1:9\n",
    "[default]\ncredential_process = /bin/false\n",
];

/// A mutation of `seed`: flips, insertions of grammar pieces, deletions,
/// truncation, duplication; or a fresh string of grammar pieces.
fn mutate(rng: &mut Rng, seed: &str) -> String {
    if rng.below(6) == 0 {
        let n = rng.below(30);
        return (0..n).map(|_| *rng.pick(GRAMMAR)).collect();
    }
    let mut chars: Vec<char> = seed.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(6) {
            0 => chars.insert(
                at.min(chars.len()),
                rng.pick(GRAMMAR).chars().next().unwrap_or('x'),
            ),
            1 => {
                let piece: Vec<char> = rng.pick(GRAMMAR).chars().collect();
                let at = at.min(chars.len());
                chars.splice(at..at, piece);
            }
            2 if at < chars.len() => {
                chars.remove(at);
            }
            3 => chars.truncate(at),
            4 if at < chars.len() => {
                let end = (at + rng.below(8)).min(chars.len());
                let dup: Vec<char> = chars[at..end].to_vec();
                chars.splice(at..at, dup);
            }
            _ => {
                if at < chars.len() {
                    chars[at] = char::from_u32(rng.next() as u32 % 0x3000).unwrap_or('?');
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// One generated case: what it is, the arguments, files to write first
/// (relative path, content), and config/credentials file text.
struct Case {
    kind: &'static str,
    args: Vec<String>,
    files: Vec<(String, String)>,
    config: Option<String>,
    credentials: Option<String>,
}

fn generate(rng: &mut Rng, n: usize) -> Case {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let mut case = Case {
        kind: "",
        args: vec![],
        files: vec![],
        config: None,
        credentials: None,
    };
    match n % 7 {
        0 => {
            case.kind = "shorthand";
            let (op, flag) = *rng.pick(&[
                ("create-repository", "--tags"),
                ("create-repository", "--image-scanning-configuration"),
                ("create-repository", "--encryption-configuration"),
                ("batch-get-image", "--image-ids"),
                (
                    "put-replication-configuration",
                    "--replication-configuration",
                ),
                ("describe-images", "--filter"),
            ]);
            let mut args = s(&["ecr", op, flag]);
            args.push(mutated(rng, SHORTHAND_SEEDS));
            if op != "put-replication-configuration" {
                args.extend(s(&["--repository-name", "repo"]));
            }
            case.args = args;
        }
        1 => {
            case.kind = "cli-input-json inline";
            case.args = s(&["ecr", "create-repository", "--cli-input-json"]);
            case.args.push(mutated(rng, DOCUMENT_SEEDS));
        }
        2 | 3 => {
            let yaml = n % 7 == 3;
            case.kind = if yaml {
                "cli-input-yaml file://"
            } else {
                "cli-input-json file://"
            };
            let content = mutated(rng, DOCUMENT_SEEDS);
            case.files.push(("input.doc".into(), content));
            let flag = if yaml {
                "--cli-input-yaml"
            } else {
                "--cli-input-json"
            };
            case.args = s(&["ecr", "create-repository", flag, "file://{dir}/input.doc"]);
            // A flag value from a file too: both must stay untouched.
            case.files
                .push(("tags.json".into(), mutated(rng, SHORTHAND_SEEDS)));
            case.args.extend(s(&["--tags", "file://{dir}/tags.json"]));
        }
        4 => {
            case.kind = "query";
            case.args = s(&["ecr", "list-images", "--repository-name", "repo", "--query"]);
            case.args.push(mutated(rng, QUERY_SEEDS));
            let output = *rng.pick(&["json", "text", "table", "yaml"]);
            case.args.extend(s(&["--output", output]));
        }
        5 => {
            case.kind = "starting-token";
            case.args = s(&[
                "ecr",
                "list-images",
                "--repository-name",
                "repo",
                "--starting-token",
            ]);
            case.args.push(mutated(rng, TOKEN_SEEDS));
            if rng.below(2) == 0 {
                case.args.extend(s(&["--max-items", "1"]));
            }
        }
        _ => {
            case.kind = "config files";
            case.args = s(&["ecr", "describe-repositories"]);
            if rng.below(2) == 0 {
                case.args.extend(s(&["--profile", "x"]));
            }
            case.config = Some(mutated(rng, INI_SEEDS));
            case.credentials = Some(mutated(rng, INI_SEEDS));
        }
    }
    case
}

/// A mutation of one of `seeds`.
fn mutated(rng: &mut Rng, seeds: &[&str]) -> String {
    let seed = *rng.pick(seeds);
    mutate(rng, seed)
}

/// What a 252 must mention: the parameter, the argument, or the option.
const NAMES_THE_PROBLEM: &[&str] = &["parameter", "argument", "--query", "Unknown options"];

fn check(what: &str, case: &Case, out: &Output) -> Result<(), String> {
    let err = out.stderr_str();
    let fail = |why: &str| {
        Err(format!(
            "{what} [{}]: {why}\nargs: {:?}\nconfig: {:?}\ncredentials: {:?}\n{out}",
            case.kind, case.args, case.config, case.credentials
        ))
    };
    if out.signal.is_some() {
        return fail("killed by a signal");
    }
    if err.contains("panicked") || err.contains("internal error") {
        return fail("panicked");
    }
    let code = out.exit_code();
    if ![0, 252, 253, 254, 255].contains(&code) {
        return fail("exit code is not one of aws's");
    }
    if code == 252 && !NAMES_THE_PROBLEM.iter().any(|n| err.contains(n)) {
        return fail("a 252 that does not name the parameter");
    }
    if code == 253 && case.config.is_none() {
        return fail("a configuration error without configuration input");
    }
    Ok(())
}

fn cases_wanted() -> usize {
    std::env::var("RCR_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600)
}

#[test]
fn generated_bad_input_never_panics_end_to_end() {
    let cases = cases_wanted();
    let seed: u64 = std::env::var("RCR_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_0001);
    let page = json!({"imageIds": [{"imageTag": "a", "imageDigest": "sha256:1"}, {"imageTag": "b", "imageDigest": "sha256:2"}], "nextToken": "p1"});
    let server = Arc::new(CaptureServer::start(json!({
        "CreateRepository": {"repository": {"repositoryName": "repo"}},
        "DescribeRepositories": {"repositories": []},
        "DescribeImages": {"imageDetails": []},
        "BatchGetImage": {"images": [], "failures": []},
        "PutReplicationConfiguration": {},
        "ListImages": [
            {"__when_token": null, "imageIds": page["imageIds"], "nextToken": "p1"},
            {"imageIds": [{"imageTag": "c"}]}
        ],
    })));
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let counts = Arc::new(Mutex::new(std::collections::BTreeMap::<
        String,
        (usize, String),
    >::new()));
    let start = Instant::now();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (server, next, failures, counts) = (
                server.clone(),
                next.clone(),
                failures.clone(),
                counts.clone(),
            );
            std::thread::spawn(move || {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= cases {
                        return;
                    }
                    // One generator per case: any case reruns from its number.
                    let mut rng = Rng(seed ^ (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
                    let case = generate(&mut rng, n);
                    let mut run = Run::rcr();
                    let dir: PathBuf = run.dir().to_path_buf();
                    let mut written = Vec::new();
                    for (rel, content) in &case.files {
                        let path = run.write_file(rel, content);
                        written.push((path, content.clone()));
                    }
                    let dir_text = dir.display().to_string();
                    let args: Vec<String> = case
                        .args
                        .iter()
                        // An argument cannot hold a NUL byte (files can).
                        .map(|a| a.replace("{dir}", &dir_text).replace('\0', ""))
                        .collect();
                    run.args(&args)
                        .args(["--endpoint-url", &server.url()])
                        .env("AWS_MAX_ATTEMPTS", "1")
                        .timeout(Duration::from_secs(30));
                    if let Some(c) = &case.config {
                        run.write_config(c);
                    }
                    if let Some(c) = &case.credentials {
                        run.write_credentials(c);
                    }
                    let mtimes: Vec<_> = written
                        .iter()
                        .map(|(p, _)| std::fs::metadata(p).and_then(|m| m.modified()).ok())
                        .collect();
                    let out = run.run();
                    let mut result = check(&format!("seed {seed} case {n}"), &case, &out);
                    for ((path, content), mtime) in written.iter().zip(&mtimes) {
                        let now = std::fs::read_to_string(path).ok();
                        let now_mtime = std::fs::metadata(path).and_then(|m| m.modified()).ok();
                        if now.as_deref() != Some(content.as_str()) || now_mtime != *mtime {
                            result = Err(format!("case {n}: {} was changed", path.display()));
                        }
                    }
                    if let Err(e) = result {
                        failures.lock().unwrap_or_else(|e| e.into_inner()).push(e);
                    }
                    // Per outcome: how many, and the first error line seen.
                    let first_line = out
                        .stderr_str()
                        .lines()
                        .find(|l| !l.is_empty())
                        .unwrap_or("")
                        .chars()
                        .take(160)
                        .collect::<String>();
                    counts
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(format!("{} -> {}", case.kind, out.exit_code()))
                        .or_insert_with(|| (0, first_line))
                        .0 += 1;
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("worker");
    }
    let failures = failures.lock().unwrap_or_else(|e| e.into_inner());
    eprintln!(
        "{cases} generated cases (seed {seed}) in {:.1?}, {} failures; outcomes: {:#?}",
        start.elapsed(),
        failures.len(),
        counts.lock().unwrap_or_else(|e| e.into_inner())
    );
    assert!(
        failures.is_empty(),
        "{} failures; first:\n{}",
        failures.len(),
        failures[0]
    );
}
