//! `rcr image scan-gate`: a CI gate on an image's vulnerability scan.
//!
//! Polls DescribeImageScanFindings until the scan is done (COMPLETE for basic
//! scanning, ACTIVE for enhanced scanning), sleeping between attempts as
//! aws's `wait image-scan-complete` does, for at most `--timeout` seconds;
//! then reads every page of findings through the model's paginator (basic
//! `findings` and enhanced `enhancedFindings` alike), counts them by
//! severity and lists those at or above `--fail-on` that `--ignore` does not
//! name (by finding name, vulnerability id or title). The verdict is the exit
//! code: 0 when none remain, 1 when some do. A scan that failed, cannot scan
//! this image or does not finish in time is no verdict: an error with the
//! scan's reason and exit 255, as aws's waiter failures; service errors are
//! 254 as always.
//!
//! `RCR_WAITER_DELAY_OVERRIDE` (seconds) shortens the delay between polls,
//! for the tests, as for `wait`.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::cli::{SEVERITIES, ScanGateArgs};
use super::shared;
use crate::custom::wait::DELAY_OVERRIDE_ENV;
use crate::error::Error;
use crate::paginate::{self, PageOptions, Pages};
use crate::sdk::ServiceClient;

/// aws's waiter delay for image scans.
const POLL_DELAY: Duration = Duration::from_secs(5);

/// The gate's result: the document to print and whether findings remain.
pub struct Verdict {
    pub document: Value,
    pub blocked: bool,
}

pub async fn run(client: &ServiceClient, args: &ScanGateArgs) -> Result<Verdict, Error> {
    let describe = shared::operation("DescribeImageScanFindings")?;
    let paginator = describe.paginator.as_ref().ok_or_else(|| {
        Error::internal("DescribeImageScanFindings has no paginator in the model")
    })?;
    let mut input = args.repository.input();
    input.insert("imageId".into(), shared::image_id(&args.image));
    let options = PageOptions {
        page_size: Some(1000),
        ..PageOptions::default()
    };
    let name = shared::image_name(&args.repository.name, &args.image);
    let delay = poll_delay();
    let deadline = Instant::now() + Duration::from_secs(args.timeout_seconds);

    // Wait: the first page is asked for again until the scan is done, and
    // then it is the first page of the findings.
    let mut pages = Pages::new(paginator, Value::Object(input), &options)?;
    let first_request = pages
        .request()
        .cloned()
        .ok_or_else(|| Error::internal("no first page to ask for"))?;
    let first = loop {
        let response = client.call(describe, &first_request).await?;
        let status = paginate::search(&response, "imageScanStatus.status")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        match status.as_str() {
            "COMPLETE" | "ACTIVE" => break response,
            "IN_PROGRESS" | "PENDING" => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(Error::Other(format!(
                        "The scan of {name} did not finish within {} seconds (status: {status})",
                        args.timeout_seconds
                    )));
                }
                tokio::time::sleep(delay.min(deadline - now)).await;
            }
            _ => {
                let description = paginate::search(&response, "imageScanStatus.description")
                    .and_then(Value::as_str)
                    .unwrap_or("no description");
                let status = if status.is_empty() {
                    "no status"
                } else {
                    status.as_str()
                };
                return Err(Error::Other(format!(
                    "The scan of {name} gives no verdict: {status}: {description}"
                )));
            }
        }
    };

    let mut tally = Tally::new(args);
    let mut scan_status = Value::Null;
    let mut page = pages.accept(first)?;
    loop {
        if scan_status.is_null() {
            scan_status = page.get("imageScanStatus").cloned().unwrap_or(Value::Null);
        }
        for key in paginator.result_keys {
            if let Some(Value::Array(findings)) = paginate::search(&page, key) {
                findings.iter().for_each(|f| tally.add(f));
            }
        }
        let Some(request) = pages.request().cloned() else {
            break;
        };
        page = pages.accept(client.call(describe, &request).await?)?;
    }
    Ok(tally.verdict(args, scan_status))
}

fn poll_delay() -> Duration {
    std::env::var(DELAY_OVERRIDE_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map_or(POLL_DELAY, Duration::from_secs_f64)
}

/// Rank of a severity: 0 is the most severe. Enhanced scanning's UNTRIAGED
/// and anything unknown rank with UNDEFINED, the least severe.
fn rank(severity: &str) -> usize {
    let undefined = SEVERITIES.len() - 1;
    SEVERITIES
        .iter()
        .position(|s| s.eq_ignore_ascii_case(severity))
        .unwrap_or(undefined)
}

/// The findings read so far.
struct Tally {
    counts: [u64; SEVERITIES.len()],
    threshold: usize,
    ignore: Vec<String>,
    ignored: u64,
    blocking: Vec<Value>,
}

impl Tally {
    fn new(args: &ScanGateArgs) -> Self {
        Tally {
            counts: [0; SEVERITIES.len()],
            threshold: rank(args.fail_on),
            ignore: args
                .ignore
                .iter()
                .map(|s| s.trim().to_ascii_lowercase())
                .collect(),
            ignored: 0,
            blocking: Vec::new(),
        }
    }

    fn add(&mut self, finding: &Value) {
        let summary = summary(finding);
        let severity = rank(shared::str_of(&summary, "severity").unwrap_or(""));
        self.counts[severity] += 1;
        if severity > self.threshold {
            return;
        }
        let names = [
            shared::str_of(finding, "name"),
            finding
                .pointer("/packageVulnerabilityDetails/vulnerabilityId")
                .and_then(Value::as_str),
            shared::str_of(finding, "title"),
        ];
        let ignored = names
            .iter()
            .flatten()
            .any(|n| self.ignore.contains(&n.trim().to_ascii_lowercase()));
        if ignored {
            self.ignored += 1;
        } else {
            self.blocking.push(summary);
        }
    }

    fn verdict(self, args: &ScanGateArgs, scan_status: Value) -> Verdict {
        let mut counts = Map::new();
        for (severity, n) in SEVERITIES.iter().zip(self.counts) {
            if n > 0 {
                counts.insert((*severity).to_string(), json!(n));
            }
        }
        let blocked = !self.blocking.is_empty();
        let mut document = Map::new();
        document.insert("repositoryName".into(), json!(args.repository.name));
        document.insert("imageId".into(), shared::image_id(&args.image));
        document.insert("imageScanStatus".into(), scan_status);
        document.insert("findingSeverityCounts".into(), Value::Object(counts));
        document.insert("failOn".into(), json!(args.fail_on));
        document.insert("ignoredFindings".into(), json!(self.ignored));
        document.insert("findings".into(), Value::Array(self.blocking));
        document.insert("passed".into(), json!(!blocked));
        Verdict {
            document: Value::Object(document),
            blocked,
        }
    }
}

/// A finding reduced to what a CI log needs, the same for basic findings
/// (`name`, `uri`, `attributes`) and enhanced ones (`packageVulnerabilityDetails`).
fn summary(finding: &Value) -> Value {
    let mut m = Map::new();
    let enhanced = finding.get("packageVulnerabilityDetails");
    let name = shared::str_of(finding, "name")
        .or_else(|| enhanced.and_then(|d| shared::str_of(d, "vulnerabilityId")))
        .or_else(|| shared::str_of(finding, "title"));
    if let Some(name) = name {
        m.insert("name".into(), json!(name));
    }
    let severity = shared::str_of(finding, "severity").unwrap_or("UNDEFINED");
    m.insert("severity".into(), json!(severity));
    let package = match enhanced {
        Some(d) => d
            .pointer("/vulnerablePackages/0")
            .map(|p| (shared::str_of(p, "name"), shared::str_of(p, "version"))),
        None => Some((
            attribute(finding, "package_name"),
            attribute(finding, "package_version"),
        )),
    };
    if let Some((Some(package), version)) = package {
        let text = match version {
            Some(v) => format!("{package} {v}"),
            None => package.to_string(),
        };
        m.insert("package".into(), json!(text));
    }
    let uri = shared::str_of(finding, "uri")
        .or_else(|| enhanced.and_then(|d| shared::str_of(d, "sourceUrl")));
    if let Some(uri) = uri {
        m.insert("uri".into(), json!(uri));
    }
    Value::Object(m)
}

/// A basic finding's attribute (`[{"key": ..., "value": ...}]`).
fn attribute<'a>(finding: &'a Value, key: &str) -> Option<&'a str> {
    finding
        .get("attributes")?
        .as_array()?
        .iter()
        .find(|a| shared::str_of(a, "key") == Some(key))
        .and_then(|a| shared::str_of(a, "value"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::cli::Repository;

    fn args(fail_on: &'static str, ignore: &[&str]) -> ScanGateArgs {
        ScanGateArgs {
            repository: Repository {
                name: "r".into(),
                registry_id: None,
            },
            image: "v1".into(),
            fail_on,
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            timeout_seconds: 1,
        }
    }

    #[test]
    fn ranks() {
        // Case-insensitive; a severity not in SEVERITIES ranks as UNDEFINED.
        for (severity, want) in [
            ("CRITICAL", 0),
            ("high", 1),
            ("UNTRIAGED", 5),
            ("UNDEFINED", 5),
        ] {
            assert_eq!(rank(severity), want, "{severity}");
        }
    }

    #[test]
    fn threshold_and_ignores() {
        let a = args("HIGH", &["cve-2"]);
        let mut t = Tally::new(&a);
        t.add(&json!({"name": "CVE-1", "severity": "CRITICAL", "uri": "u1",
            "attributes": [{"key": "package_name", "value": "openssl"}, {"key": "package_version", "value": "1.1"}]}));
        t.add(&json!({"name": "CVE-2", "severity": "HIGH"}));
        t.add(&json!({"name": "CVE-3", "severity": "MEDIUM"}));
        t.add(&json!({"title": "CVE-4 - zlib", "severity": "HIGH",
            "packageVulnerabilityDetails": {"vulnerabilityId": "CVE-4", "sourceUrl": "u4",
                "vulnerablePackages": [{"name": "zlib", "version": "1.2"}]}}));
        let v = t.verdict(&a, json!({"status": "COMPLETE"}));
        assert!(v.blocked);
        assert_eq!(
            v.document["findingSeverityCounts"],
            json!({"CRITICAL": 1, "HIGH": 2, "MEDIUM": 1})
        );
        assert_eq!(v.document["ignoredFindings"], json!(1));
        assert_eq!(
            v.document["findings"],
            json!([
                {"name": "CVE-1", "severity": "CRITICAL", "package": "openssl 1.1", "uri": "u1"},
                {"name": "CVE-4", "severity": "HIGH", "package": "zlib 1.2", "uri": "u4"}
            ])
        );
        let a = args("CRITICAL", &["CVE-1"]);
        let mut t = Tally::new(&a);
        t.add(&json!({"name": "CVE-1", "severity": "CRITICAL"}));
        t.add(&json!({"name": "CVE-2", "severity": "HIGH"}));
        let v = t.verdict(&a, Value::Null);
        assert!(!v.blocked);
        assert_eq!(v.document["passed"], json!(true));
    }
}
