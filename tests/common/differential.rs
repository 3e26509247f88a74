//! Comparing one command line run by aws CLI v2 and by rcr: what each did
//! (`Observed`: stdout, stderr, exit code and, against a capture server,
//! the requests), aws's stderr with its own name turned into rcr's
//! (`stderr_as_rcr`), and a compact description of every difference
//! (`differences`), for differential tests that run both programs live.

use serde_json::Value;

use super::capture::CaptureServer;
use super::run::Output;

/// What one program did for one command line.
#[derive(Debug, Clone)]
pub struct Observed {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub code: i32,
    /// `{"target", "body", "cred"}` per request, when the server was a
    /// capture server (None when the requests were not recorded).
    pub requests: Option<Vec<Value>>,
}

impl Observed {
    /// From a finished run and, if it talked to one, its capture server.
    pub fn new(out: &Output, server: Option<&CaptureServer>) -> Observed {
        Observed {
            stdout: out.stdout.clone(),
            stderr: out.stderr.clone(),
            code: out.exit_code(),
            requests: server.map(CaptureServer::requests_json),
        }
    }
}

/// aws's stderr as rcr must write it: `aws` becomes `rcr` where it is the
/// program's name (`aws: [ERROR]`, `usage: aws`, the `aws help` lines of
/// the usage block, argparse's `aws: error:`), and nowhere else.
pub fn stderr_as_rcr(aws_stderr: &str) -> String {
    let mut out = String::with_capacity(aws_stderr.len());
    for line in aws_stderr.split_inclusive('\n') {
        let renamed = if let Some(rest) = line.strip_prefix("aws: ") {
            format!("rcr: {rest}")
        } else if let Some(rest) = line.strip_prefix("usage: aws ") {
            format!("usage: rcr {rest}")
        } else if let Some(rest) = line.strip_prefix("usage: aws\n") {
            format!("usage: rcr\n{rest}")
        } else if let Some(rest) = line.strip_prefix("  aws ") {
            format!("  rcr {rest}")
        } else if line == "  aws\n" || line == "  aws" {
            line.replacen("aws", "rcr", 1)
        } else {
            line.to_owned()
        };
        out.push_str(&renamed);
    }
    out
}

/// The differences between aws's run (`expected`, stderr already passed
/// through `stderr_as_rcr` by the caller or not: see `compare_runs`) and
/// rcr's, one compact paragraph per differing part; empty when they match.
pub fn differences(expected: &Observed, got: &Observed) -> Vec<String> {
    let mut diffs = Vec::new();
    if expected.code != got.code {
        diffs.push(format!(
            "exit code: aws {}, rcr {}",
            expected.code, got.code
        ));
    }
    if expected.stdout != got.stdout {
        diffs.push(format!(
            "stdout:\n{}",
            compact_diff(&expected.stdout, &got.stdout)
        ));
    }
    if expected.stderr != got.stderr {
        diffs.push(format!(
            "stderr:\n{}",
            compact_diff(&expected.stderr, &got.stderr)
        ));
    }
    match (&expected.requests, &got.requests) {
        (Some(e), Some(g)) if e != g => {
            let show = |rs: &[Value]| {
                rs.iter()
                    .map(|r| format!("    {}", clip(&r.to_string(), 300)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            diffs.push(format!(
                "requests: aws sent {}, rcr sent {}\n  aws:\n{}\n  rcr:\n{}",
                e.len(),
                g.len(),
                show(e),
                show(g)
            ));
        }
        _ => {}
    }
    diffs
}

/// Compares aws's run with rcr's, aws's stderr renamed for rcr first.
pub fn compare_runs(aws: &Observed, rcr: &Observed) -> Vec<String> {
    let expected = Observed {
        stderr: stderr_as_rcr(&String::from_utf8_lossy(&aws.stderr)).into_bytes(),
        ..aws.clone()
    };
    differences(&expected, rcr)
}

/// The lines that differ between `expected` and `got`, as a line diff
/// (longest common subsequence): `- ` for aws's lines, `+ ` for rcr's,
/// each line in Rust's debug quoting so whitespace shows. Long runs keep
/// their first and last lines, long lines are clipped.
pub fn compact_diff(expected: &[u8], got: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let got = String::from_utf8_lossy(got);
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let g: Vec<&str> = got.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut run: Vec<(char, &str)> = Vec::new();
    let flush = |run: &mut Vec<(char, &str)>, out: &mut String| {
        let show = |(mark, line): &(char, &str), out: &mut String| {
            out.push_str(&format!("  {mark} {}\n", clip(&format!("{line:?}"), 240)));
        };
        if run.len() <= 8 {
            run.iter().for_each(|l| show(l, out));
        } else {
            run[..4].iter().for_each(|l| show(l, out));
            out.push_str(&format!("  ... {} more lines ...\n", run.len() - 7));
            run[run.len() - 3..].iter().for_each(|l| show(l, out));
        }
        run.clear();
    };
    if e.is_empty() {
        out.push_str("  - (nothing)\n");
    }
    if g.is_empty() {
        out.push_str("  + (nothing)\n");
    }
    for step in line_diff(&e, &g) {
        match step {
            Step::Same => flush(&mut run, &mut out),
            Step::Expected(line) => run.push(('-', line)),
            Step::Got(line) => run.push(('+', line)),
        }
    }
    flush(&mut run, &mut out);
    out
}

enum Step<'a> {
    Same,
    Expected(&'a str),
    Got(&'a str),
}

/// A line diff by longest common subsequence; outputs too long for that
/// (more than a million line pairs) are shown as all-removed, all-added.
fn line_diff<'a>(e: &[&'a str], g: &[&'a str]) -> Vec<Step<'a>> {
    if e.len().saturating_mul(g.len()) > 1_000_000 {
        let mut steps: Vec<Step<'a>> = e.iter().map(|l| Step::Expected(l)).collect();
        steps.extend(g.iter().map(|l| Step::Got(l)));
        return steps;
    }
    // lcs[i][j]: the LCS length of e[i..] and g[j..].
    let mut lcs = vec![vec![0u32; g.len() + 1]; e.len() + 1];
    for i in (0..e.len()).rev() {
        for j in (0..g.len()).rev() {
            lcs[i][j] = if e[i] == g[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut steps = Vec::new();
    while i < e.len() || j < g.len() {
        if i < e.len() && j < g.len() && e[i] == g[j] {
            steps.push(Step::Same);
            i += 1;
            j += 1;
        } else if i < e.len() && (j == g.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            steps.push(Step::Expected(e[i]));
            i += 1;
        } else {
            steps.push(Step::Got(g[j]));
            j += 1;
        }
    }
    steps
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}
