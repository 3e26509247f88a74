//! Every recorded aws CLI v2 run (tests/fixtures/aws-v2-reference) replayed
//! against rcr: same stdout bytes, same exit code, the same stderr with `rcr`
//! for `aws`, and the same requests (target, body, credential scope).
//!
//! The version line is rcr's own (`rcr/<version> ...`), so that case checks
//! the shape only; a case that needs an endpoint from region resolution
//! (`none`) must fail before sending anything.

use crate::common;
use crate::common::reference_cases;

#[test]
fn every_reference_case_matches_aws_v2() {
    let cases = reference_cases();
    assert!(
        cases.len() >= 25,
        "reference cases missing: {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let (out, server) = case.run_rcr();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let mut problems = Vec::new();
        if case.name == "version" {
            let line = stdout.trim_end();
            let words: Vec<&str> = line.split(' ').collect();
            if !(line.starts_with("rcr/") && words.len() >= 3 && stdout.ends_with('\n')) {
                problems.push(format!("version line {stdout:?}"));
            }
        } else if stdout != case.aws_v2.stdout {
            problems.push(format!(
                "stdout\n--- rcr\n{stdout}\n--- aws v2\n{}",
                case.aws_v2.stdout
            ));
        }
        if out.code != Some(case.aws_v2.exit_code) {
            problems.push(format!("exit {:?} vs {}", out.code, case.aws_v2.exit_code));
        }
        if stderr != case.expected_stderr_for_rcr() {
            problems.push(format!(
                "stderr\n--- rcr\n{stderr}\n--- aws v2 (as rcr)\n{}",
                case.expected_stderr_for_rcr()
            ));
        }
        let requests = server.requests_json();
        if requests != case.aws_v2.requests {
            problems.push(format!(
                "requests\n--- rcr\n{}\n--- aws v2\n{}",
                serde_json::to_string_pretty(&requests).unwrap_or_default(),
                serde_json::to_string_pretty(&case.aws_v2.requests).unwrap_or_default()
            ));
        }
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", case.name, problems.join("\n  ")));
        }
    }
    common::assert_no_failures(&failures, cases.len(), "reference cases differ", "\n\n");
}
