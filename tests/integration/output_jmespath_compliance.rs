//! `--query` against Python jmespath 1.0.1, the one aws v2 runs.
//!
//! Every case of jmespath's own compliance suite
//! (`../shared/oracle/jmespath-compliance-1.0.1/*.json`, copied into
//! `tests/fixtures/jmespath-compliance/`) and our own cases (JEP-12 legacy
//! literals, Python's `TypeError`s, unicode, the idioms of scripts) go
//! through rcr's engine (the library's `Query`) and through
//! `jmespath.compile(...).search(...)` in the oracle's Python, in one
//! Python process. Each must give the same JSON (floats and integers told
//! apart, object keys in the same order) or fail in the same phase (parse:
//! aws's exit 252; search: exit 255) with the same message (what aws
//! prints). A few end-to-end cases then run both binaries against a
//! capture server to check the words around those messages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use rcr::error::Error;
use rcr::output::query::Query;

use crate::common::{AwsV2, CaptureServer, Run};

/// One expression on one document, with what the suite says (if it is a
/// suite case).
struct Case {
    origin: String,
    given: Value,
    expression: String,
}

/// What an engine did with a case.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// The result, as compact JSON text (key order and `1.0` vs `1` kept).
    Result(String),
    /// Raised while compiling (aws: `Bad value for --query`, 252).
    Parse(String),
    /// Raised while searching (aws: `[ERROR]: <message>`, 255).
    Search(String),
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jmespath-compliance")
}

/// The suite's cases, with the suite's own expectation (to check the
/// harness reads Python right).
fn suite_cases() -> Vec<(Case, Option<Value>, Option<String>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite_dir())
        .expect("tests/fixtures/jmespath-compliance")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 16, "the 16 files of the compliance suite");
    let mut out = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let groups: Vec<Value> =
            serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("suite JSON");
        for (g, group) in groups.iter().enumerate() {
            for (c, case) in group["cases"].as_array().expect("cases").iter().enumerate() {
                out.push((
                    Case {
                        origin: format!("{name} group {g} case {c}"),
                        given: group["given"].clone(),
                        expression: case["expression"].as_str().expect("expression").into(),
                    },
                    case.get("result").cloned(),
                    case.get("error")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                ));
            }
        }
    }
    out
}

/// A listing as describe-images gives it to the query (timestamps are ISO
/// text by then).
fn images() -> Value {
    json!({"imageDetails": [
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:aa",
         "imageTags": ["latest", "v1.2.0"], "imageSizeInBytes": 52428800,
         "imagePushedAt": "2024-03-01T10:00:00+00:00", "artifactMediaType": "application/vnd.docker.container.image.v1+json"},
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:bb",
         "imageTags": ["v1.1.0"], "imageSizeInBytes": 41943040.5,
         "imagePushedAt": "2023-12-24T08:30:00.250000+00:00"},
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:cc",
         "imagePushedAt": "2024-01-15T00:00:00+00:00", "imageSizeInBytes": 1,
         "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": 2, "LOW": 7}}}
    ]})
}

fn repositories() -> Value {
    json!({"repositories": [
        {"repositoryName": "app", "repositoryUri": "1.dkr.ecr.us-east-1.amazonaws.com/app",
         "createdAt": "2023-01-01T00:00:00+00:00", "imageTagMutability": "MUTABLE",
         "imageScanningConfiguration": {"scanOnPush": true}},
        {"repositoryName": "api-gateway", "repositoryUri": "1.dkr.ecr.us-east-1.amazonaws.com/api-gateway",
         "createdAt": "2024-06-01T12:00:00+00:00", "imageTagMutability": "IMMUTABLE",
         "imageScanningConfiguration": {"scanOnPush": false}},
        {"repositoryName": "données/é", "repositoryUri": "1.dkr.ecr.us-east-1.amazonaws.com/données/é",
         "createdAt": "2022-02-02T00:00:00+00:00", "imageTagMutability": "MUTABLE",
         "imageScanningConfiguration": {"scanOnPush": false}}
    ]})
}

/// Our own cases: what the suite does not cover.
fn own_cases() -> Vec<Case> {
    let mixed = json!({"a": "x", "n": 1, "f": 2.5, "t": true, "z": null, "l": [1], "o": {"k": 1},
        "s": "abc", "e": "", "u": "日本語", "nums": [3, 1, 2], "strs": ["b", "a"],
        "mix": [1, "a"], "objs": [{"k": 2}, {"k": "x"}], "zero": 0, "one": 1});
    let mut cases = Vec::new();
    let mut add = |origin: &str, given: &Value, exprs: &[&str]| {
        for e in exprs {
            cases.push(Case {
                origin: origin.into(),
                given: given.clone(),
                expression: (*e).into(),
            });
        }
    };
    add(
        "legacy literals",
        &images(),
        &[
            "imageDetails[?contains(imageTags, `latest`)]",
            "imageDetails[?contains(imageTags, `latest`)].imageDigest",
            "imageDetails[?imagePushedAt > `2024-01-01`].imageDigest",
            "imageDetails[?imagePushedAt < `2024-01-01`] | length(@)",
            "imageDetails[?repositoryName==`app`] | [0].imageDigest",
            "join(`,`, imageDetails[].imageDigest)",
            "join(`, `, imageDetails[0].imageTags)",
            "`foo\"bar`",
            "`  abc`",
            "`\tabc `",
            "`a\\`b`",
            "``",
            "` `",
            "`abc\\n`",
            "`abc\\q`",
            "`\\u00e9t\\u00e9`",
            "`été`",
            "`{\"b\": 1, \"a\": 2, \"b\": 3}`",
            "`[1, 2`",
            "`1.0`",
            "`-0`",
            "`1e3`",
            "`true`",
            "`True`",
            "`null`",
            "`nil`",
            "` 12 `",
            "`12abc`",
            "`\"quoted\"`",
            "`'single'`",
            "`foo",
            "`foo\\`",
            "foo[?a==`b`]|`c`",
            "'it''s'",
            "'a`b' == `a\\`b`",
            "\"a`b\"",
            "{\"x`y\": `1`, b: 'q`'}",
            "`latest` == 'latest'",
            "imageDetails[?imageTags[?starts_with(@, `v1`)]].imageDigest",
        ],
    );
    add(
        "type errors",
        &mixed,
        &[
            "a > `1`",
            "a < n",
            "n >= a",
            "f <= s",
            "a > `2020`",
            "n > t",
            "t > n",
            "t < t",
            "z < n",
            "l > l",
            "o < o",
            "n < f",
            "a < s",
            "e < s",
            "a == n",
            "zero == `false`",
            "one == `true`",
            "[zero] == [`false`]",
            "{k: one} == {k: `true`}",
            "`1.0` == one",
            "contains(z, 'x')",
            "contains(s, n)",
            "contains(s, z)",
            "contains(l, `1.0`)",
            "contains(`[false]`, zero)",
            "length(`1`)",
            "length(z)",
            "length(t)",
            "length(u)",
            "sort_by(objs, &k)",
            "sort_by(mix, &@)",
            "sort_by(nums, &@)",
            "sort_by(`[true]`, &@)",
            "max_by(objs, &k)",
            "min_by(objs, &k)",
            "max_by(`[{\"k\": true}]`, &k)",
            "max(mix)",
            "min(strs)",
            "sort(mix)",
            "sum(strs)",
            "avg(nums)",
            "avg(`[]`)",
            "join(',', nums)",
            "join(n, strs)",
            "starts_with(n, 'a')",
            "ends_with(s, 'c')",
            "abs(a)",
            "to_number('12')",
            "to_number(' 1_000 ')",
            "to_number('1e3')",
            "to_number('abc')",
            "to_string(u)",
            "to_string(o)",
            "to_string(`[\"é\", 1.5]`)",
            "merge(o, `{\"k\": 2, \"j\": 3}`)",
            "merge(o, `1`)",
            "merge(o, z)",
            "merge(o, e)",
            "merge(o, s)",
            "merge(o, `[[\"a\", 1], \"bc\"]`)",
            "merge(o, `[1]`)",
            "merge(o, `[[1]]`)",
            "merge(o, o, t)",
            "not_null()",
            "not_null(z, e, n)",
            "keys(l)",
            "values(o)",
            "reverse(u)",
            "map(&k, objs)",
            "type(f)",
            "nums[::0]",
            "nums[::-1]",
            "nums[5:-9:-1]",
            "!zero",
            "!e",
            "unknown_fn(a)",
            "length(a, a)",
            "&n",
            "a.b.c",
            "n[0]",
            "*.k",
            "o.*",
            "l[*]",
            "l[]",
        ],
    );
    add(
        "idioms",
        &images(),
        &[
            "sort_by(imageDetails, &imagePushedAt)[-1].imageTags[0]",
            "sort_by(imageDetails, &imagePushedAt)[-1]",
            "sort_by(imageDetails, &imageSizeInBytes)[].imageDigest",
            "reverse(sort_by(imageDetails, &imagePushedAt))[:2].imageDigest",
            "max_by(imageDetails, &imagePushedAt).imageDigest",
            "min_by(imageDetails, &imageSizeInBytes).imageSizeInBytes",
            "imageDetails[?imageTags == null].imageDigest",
            "imageDetails[?!imageTags].imageDigest",
            "imageDetails[?length(imageTags || `[]`) > `1`].imageDigest",
            "length(imageDetails)",
            "imageDetails[].imageTags[]",
            "imageDetails[*].[imageDigest, imagePushedAt]",
            "imageDetails[*].{digest: imageDigest, tags: join(',', imageTags || `[]`)}",
            "imageDetails[?imagePushedAt >= '2024-01-15T00:00:00+00:00'] | length(@)",
            "imageDetails[0].imagePushedAt > `2020`",
            "imageDetails[0].imagePushedAt > `\"2020\"`",
            "sum(imageDetails[].imageSizeInBytes)",
            "imageDetails[?imageScanFindingsSummary.findingSeverityCounts.HIGH > `0`].imageDigest",
            "imageDetails[].imageScanFindingsSummary.findingSeverityCounts",
            "imageDetails[0].keys(@)",
            "imageDetails[?contains(imageTags[], 'latest')].imageDigest",
            "imageDetails[?contains(imageTags, 'latest')] | [0].imageTags",
            "imageDetails | [?imageSizeInBytes > `1`] | length(@)",
            "imageDetails[-1].imageDigest",
            "imageDetails[1:].imageDigest",
            "imageDetails[].[imageDigest][]",
            "imageDetails[?contains(imageTags, null)]",
        ],
    );
    add(
        "repositories",
        &repositories(),
        &[
            "repositories[?repositoryName==`app`].repositoryUri",
            "repositories[?repositoryName==`app`].repositoryUri | [0]",
            "repositories[?starts_with(repositoryName, `api`)].repositoryName",
            "repositories[?starts_with(repositoryName, 'api-')].repositoryName",
            "repositories[?ends_with(repositoryName, 'é')].repositoryName",
            "repositories[?imageScanningConfiguration.scanOnPush].repositoryName",
            "repositories[?imageScanningConfiguration.scanOnPush == `false`].repositoryName",
            "repositories[?createdAt > `2023-06-01`].repositoryName",
            "sort_by(repositories, &createdAt)[-1].repositoryName",
            "sort_by(repositories, &repositoryName)[].repositoryName",
            "join(`\n`, repositories[].repositoryName)",
            "join(' ', repositories[].repositoryName)",
            "length(repositories[0].repositoryName)",
            "length(repositories[2].repositoryName)",
            "repositories[].{Name: repositoryName, Mutable: imageTagMutability == 'MUTABLE'}",
            "repositories[?imageTagMutability=='IMMUTABLE'] | length(@)",
            "repositories[?contains(repositoryName, 'pi')].repositoryName",
            "repositories[?contains(repositoryName, `pi`)].repositoryName",
            "repositories[].repositoryName | sort(@)",
            "repositories[].repositoryName | reverse(sort(@))",
            "max(repositories[].repositoryName)",
            "repositories[0].\"repositoryName\"",
            "\"repositories\"[?\"repositoryName\" == 'app']",
            "repositories[?repositoryName=='app'].[repositoryName, createdAt]",
            "to_string(repositories[2].repositoryName)",
            "repositories[2]",
        ],
    );
    add(
        "syntax errors",
        &repositories(),
        &[
            "repositories[?repositoryName=`app`]",
            "repositories[?repositoryName='app']",
            "repositories[?repositoryName==app",
            "repositories[",
            "repositories.[",
            "repositories..name",
            "repositories[0]name",
            "repositories | sort_by(@, createdAt)",
            "repositories[-]",
            "repositories[?name == `a\"b`]",
            "repositories[é]",
            "repositories[0](a)",
            "\"f\"(a)",
            "repositories[0:1:2:3]",
            "{a: b c}",
            "{a b}",
            "[a, b",
            "a && ",
            "\"\\q\"",
            "\"\\u12\"",
            "'unclosed",
            "\"unclosed",
            "a ! b",
            "a.*.b*",
            "a[?b]c",
            "@.",
            "a | | b",
            "foo.-1",
            "-1",
            "1",
            "a = b",
            "a =",
            "=",
            "a\u{a0}b",
        ],
    );
    cases
}

/// What the oracle's Python says of each case, in order.
fn python_outcomes(cases: &[&Case]) -> Vec<Outcome> {
    const SCRIPT: &str = r#"
import json, sys, warnings
import jmespath
warnings.simplefilter("ignore")
out = []
for case in json.load(sys.stdin):
    try:
        parsed = jmespath.compile(case["expression"])
    except Exception as e:
        out.append(["parse", str(e)])
        continue
    try:
        result = parsed.search(case["given"])
    except Exception as e:
        out.append(["search", str(e)])
        continue
    try:
        out.append(["result", json.dumps(result, separators=(",", ":"), ensure_ascii=False, allow_nan=False)])
    except Exception as e:
        out.append(["unprintable", repr(result)])
json.dump(out, sys.stdout)
"#;
    let input: Vec<Value> = cases
        .iter()
        .map(|c| json!({"expression": c.expression, "given": c.given}))
        .collect();
    let python = AwsV2::new().python();
    let mut child = Command::new(&python)
        .args(["-c", SCRIPT])
        .env("PYTHONIOENCODING", "utf-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    let mut stdin = child.stdin.take().expect("stdin");
    let body = serde_json::to_vec(&input).expect("cases as JSON");
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let output = child.wait_with_output().expect("python ran");
    writer.join().expect("writer").expect("cases written");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<(String, String)> = serde_json::from_slice(&output.stdout).expect("python JSON");
    assert_eq!(rows.len(), cases.len());
    rows.into_iter()
        .map(|(kind, text)| match kind.as_str() {
            "parse" => Outcome::Parse(text),
            "search" => Outcome::Search(text),
            "result" => {
                let v: Value = serde_json::from_str(&text).expect("result JSON");
                Outcome::Result(v.to_string())
            }
            // What aws's JSON output says of a value it cannot print (an
            // expression reference).
            _ => Outcome::Search("Encountered unrecognized type in JSON encoder.".into()),
        })
        .collect()
}

/// What rcr's engine says of a case.
fn rcr_outcome(case: &Case) -> Outcome {
    let query = match Query::compile(&case.expression) {
        Ok(q) => q,
        Err(Error::Client { message, exit, .. }) => {
            assert_eq!(exit, 252, "{}", case.expression);
            let prefix = format!("Bad value for --query {}: ", case.expression);
            return Outcome::Parse(
                message
                    .strip_prefix(&prefix)
                    .unwrap_or_else(|| panic!("no prefix in {message}"))
                    .to_string(),
            );
        }
        Err(other) => panic!("unexpected compile error {other:?}"),
    };
    match query.search(&case.given) {
        Ok(v) => Outcome::Result(v.to_string()),
        Err(Error::Other(message)) => Outcome::Search(message),
        Err(other) => panic!("unexpected search error {other:?}"),
    }
}

/// Runs the cases through both engines; returns the differences.
fn differences(cases: &[&Case]) -> Vec<String> {
    let python = python_outcomes(cases);
    cases
        .iter()
        .zip(python)
        .filter_map(|(case, expected)| {
            let got = rcr_outcome(case);
            (got != expected).then(|| {
                format!(
                    "{}: {}\n  given: {}\n  python: {expected:?}\n  rcr:    {got:?}",
                    case.origin, case.expression, case.given
                )
            })
        })
        .collect()
}

#[test]
fn the_compliance_suite_gives_pythons_results_and_errors() {
    let suite = suite_cases();
    assert_eq!(suite.len(), 908, "every case of the 1.0.1 suite");
    let cases: Vec<&Case> = suite.iter().map(|(c, _, _)| c).collect();
    // The harness reads Python right: Python agrees with its own suite.
    let python = python_outcomes(&cases);
    for ((case, result, error), outcome) in suite.iter().zip(&python) {
        match (result, error, outcome) {
            (Some(r), None, Outcome::Result(text)) => {
                let got: Value = serde_json::from_str(text).expect("JSON");
                assert!(
                    got == *r || r.is_number(),
                    "{}: python gave {text}, suite says {r}",
                    case.origin
                );
            }
            (None, Some(_), Outcome::Parse(_) | Outcome::Search(_)) => {}
            (None, None, _) => {} // benchmarks without a result
            other => panic!("{}: suite and python disagree: {other:?}", case.origin),
        }
    }
    let diffs = differences(&cases);
    assert!(
        diffs.is_empty(),
        "{} of {} compliance cases differ from Python jmespath 1.0.1:\n{}",
        diffs.len(),
        cases.len(),
        diffs.join("\n")
    );
}

#[test]
fn legacy_literals_type_errors_and_idioms_match_python() {
    let own = own_cases();
    assert!(own.len() > 150);
    let cases: Vec<&Case> = own.iter().collect();
    let diffs = differences(&cases);
    assert!(
        diffs.is_empty(),
        "{} of {} cases differ from Python jmespath 1.0.1:\n{}",
        diffs.len(),
        cases.len(),
        diffs.join("\n")
    );
}

/// The command lines of the end-to-end cases: query error paths (parse
/// errors exit 252, Python's errors exit 255) and the legacy literal
/// idioms, in every output format and error format they print through.
fn end_to_end_cases() -> Vec<Vec<&'static str>> {
    let mut cases = Vec::new();
    for query in [
        "imageDetails[0].imagePushedAt > `2020`",
        "imageDetails[?contains(imageTags, `latest`)].imageDigest",
        "imageDetails[?imagePushedAt > `2024-01-01`].[imageDigest, imagePushedAt]",
        "sort_by(imageDetails, &imagePushedAt)[-1].imageTags[0]",
        "join(`,`, imageDetails[].imageDigest)",
        "length(`1`)",
        "contains(imageDetails[0].missing, 'x')",
        "sort_by(imageDetails, &imageTags)",
        "imageDetails[?imageDigest==`foo\"bar`]",
        "imageDetails[?repositoryName=`app`]",
        "imageDetails[",
    ] {
        for output in ["json", "text"] {
            cases.push(vec!["--query", query, "--output", output]);
        }
    }
    for query in [
        "imageDetails[0].imagePushedAt > `2020`",
        "imageDetails[?contains(imageTags, `latest`)].imageDigest",
        "imageDetails[",
    ] {
        for output in ["table", "yaml"] {
            cases.push(vec!["--query", query, "--output", output]);
        }
    }
    // aws's JSON encoder refuses an expression reference (text and table
    // print its repr, with an address that changes).
    cases.push(vec!["--query", "&imageDigest"]);
    for format in ["legacy", "json", "text", "yaml", "table", "enhanced"] {
        cases.push(vec![
            "--query",
            "imageDetails[0].imagePushedAt > `2020`",
            "--cli-error-format",
            format,
        ]);
        cases.push(vec!["--query", "a=b", "--cli-error-format", format]);
    }
    cases
}

#[test]
fn query_errors_and_legacy_literals_print_as_aws_does() {
    let aws = AwsV2::new();
    let server = CaptureServer::start(json!({"DescribeImages": {"imageDetails": [
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:aa",
         "imageTags": ["latest", "v2"], "imagePushedAt": 1709287200.0},
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:bb",
         "imageTags": ["v1"], "imagePushedAt": 1703406600.25}
    ]}}));
    let cases = end_to_end_cases();
    // Two at a time: aws takes seconds to start.
    let compare = |extra: &Vec<&str>| -> Option<String> {
        let mut args = vec!["ecr", "describe-images", "--repository-name", "app"];
        args.extend(extra.iter().copied());
        let url = server.url();
        args.extend(["--endpoint-url", url.as_str()]);
        let want = aws.command().args(&args).run();
        let got = Run::rcr().args(&args).run();
        let (want_out, want_err, want_code) = want.utf8();
        let (got_out, got_err, got_code) = got.utf8();
        let want_err = want_err.replace("aws: [ERROR]", "rcr: [ERROR]");
        (got_out != want_out || got_err != want_err || got_code != want_code).then(|| {
            format!(
                "{extra:?}\n  aws ({want_code}): {want_out:?} {want_err:?}\n  rcr ({got_code}): {got_out:?} {got_err:?}"
            )
        })
    };
    let (odd, even): (Vec<_>, Vec<_>) = cases.iter().enumerate().partition(|(i, _)| i % 2 == 1);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            odd.iter()
                .filter_map(|(_, c)| compare(c))
                .collect::<Vec<_>>()
        });
        let mut mine: Vec<String> = even.iter().filter_map(|(_, c)| compare(c)).collect();
        mine.extend(other.join().expect("comparing thread"));
        mine
    });
    assert!(
        failures.is_empty(),
        "{} of {} command lines differ from aws v2:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
