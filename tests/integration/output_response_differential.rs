//! The response path against aws CLI v1, which builds its output from the
//! response body with the model as v2 does: canned bodies built to break a
//! typed-struct path (unsorted maps, members left out at every level,
//! integer and float numbers, timestamps at the edges, unknown members, null
//! members, `deleteReplication`), served by the capture server to rcr and to
//! aws v1 (pointed at rcr's models), stdout and exit code compared byte for
//! byte in json, text and table, paginated and not, with `--query`, in two
//! time zones and with `cli_timestamp_format = wire` (v1's `none`). yaml and
//! yaml-stream, which v1 lacks, are read back with PyYAML (from the same
//! venv) and compared, in order and with number forms, to v1's JSON.

use crate::common;
use crate::common::{AwsV1, CaptureServer, Output, Run};
use serde_json::{Value, json};

/// Scan findings in two pages: maps out of order, `score` present as an
/// integer, as a float and absent, timestamps at 0, negative, fractional and
/// the last second of year 9999, unknown members at three levels, `null`s.
fn scan_findings_pages() -> Value {
    json!([
        {
            "__when_token": null,
            "registryId": "123456789012",
            "repositoryName": "shop/cart",
            "imageId": {"imageTag": "v1", "imageDigest": "sha256:aa", "futureMember": 1},
            "imageScanStatus": {"status": "ACTIVE", "description": null},
            "imageScanFindings": {
                "imageScanCompletedAt": 1717171900.123456,
                "vulnerabilitySourceUpdatedAt": 0,
                "findingSeverityCounts": {"LOW": 2, "CRITICAL": 1, "HIGH": 3, "MEDIUM": 0},
                "enhancedFindings": [
                    {
                        "title": "CVE-1",
                        "score": 7,
                        "severity": "HIGH",
                        "firstObservedAt": -1.5,
                        "lastObservedAt": 253402300799_i64,
                        "resources": [{
                            "id": "r1",
                            "type": "AWS_ECR_CONTAINER_IMAGE",
                            "tags": {"zeta": "1", "alpha": "2", "mid": "3"},
                            "details": {"awsEcrContainerImage": {"pushedAt": 1717171717.25, "architecture": "amd64", "newThing": [1, 2]}}
                        }],
                        "scoreDetails": {"cvss": {"score": 7.5, "scoringVector": "AV:N", "version": "3.1", "adjustments": []}},
                        "packageVulnerabilityDetails": {"cvss": [{"baseScore": 10, "scoringVector": "x", "version": "3", "source": "NVD"}], "vulnerabilityId": "CVE-1"}
                    },
                    {"title": "CVE-2", "severity": "LOW", "status": "ACTIVE", "unknownNumber": 1.0},
                    {"severity": "MEDIUM", "score": 5.0, "exploitAvailable": "NO", "fixAvailable": null}
                ]
            },
            "nextToken": "p2",
            "notInTheModel": {"a": 1}
        },
        {
            "__when_token": "p2",
            "registryId": "123456789012",
            "repositoryName": "shop/cart",
            "imageScanFindings": {
                "findingSeverityCounts": {"HIGH": 3, "LOW": 2},
                "enhancedFindings": [
                    {"title": "CVE-3", "score": 1e-05, "severity": "INFORMATIONAL", "updatedAt": 1.0},
                    {"title": "CVE-4", "score": 100.0, "severity": "CRITICAL", "inspectorScoreDetails": {"adjustedCvss": {"score": 9, "adjustments": [{"metric": "m", "reason": "r"}]}}}
                ]
            }
        }
    ])
}

/// Images in two pages: members left out in some images, sizes as integers,
/// push times at the edges.
fn images_pages() -> Value {
    json!([
        {
            "__when_token": null,
            "imageDetails": [
                {"repositoryName": "shop/cart", "imageDigest": "sha256:01", "imageTags": ["b", "a"], "imageSizeInBytes": 52428800, "imagePushedAt": 0, "registryId": "123456789012", "extra": true},
                {"imageDigest": "sha256:02", "imagePushedAt": 1717171900.5, "imageTags": [], "artifactMediaType": "x"},
                {"imageDigest": "sha256:03", "imageScanFindingsSummary": {"findingSeverityCounts": {"MEDIUM": 1, "CRITICAL": 4}, "imageScanCompletedAt": 1e9}}
            ],
            "nextToken": "p2"
        },
        {
            "__when_token": "p2",
            "imageDetails": [
                {"imageDigest": "sha256:04", "imagePushedAt": 253402300799_i64, "lastRecordedPullTime": -86400, "imageSizeInBytes": 1}
            ]
        }
    ])
}

fn replication_response() -> Value {
    json!({
        "replicationConfiguration": {
            "rules": [{
                "destinations": [{"region": "eu-west-1", "registryId": "123456789012"}],
                "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}],
                "deleteReplication": {"enabled": true, "future": 1},
                "unknownRuleMember": "x"
            }]
        }
    })
}

fn public_registries() -> Value {
    json!({
        "registries": [{
            "registryId": "123456789012",
            "registryArn": "arn:aws:ecr-public::123456789012:registry/123456789012",
            "registryUri": "public.ecr.aws/x",
            "verified": true,
            "aliases": [{"name": "x", "status": "ACTIVE", "primaryRegistryAlias": true, "defaultRegistryAlias": false, "future": 1}]
        }]
    })
}

struct Oracle {
    aws: AwsV1,
    data_path: common::TempDir,
}

impl Oracle {
    fn new() -> Oracle {
        Oracle {
            aws: AwsV1::new(),
            data_path: AwsV1::data_path(),
        }
    }

    fn aws(&self, args: &[&str], url: &str, tz: &str, wire: bool) -> Output {
        let mut run = self.aws.command();
        let format = if wire { "none" } else { "iso8601" };
        run.write_config(&format!(
            "[default]\nregion = us-east-1\ncli_timestamp_format = {format}\n"
        ))
        .env("AWS_DATA_PATH", self.data_path.path())
        .env("TZ", tz)
        .args(args)
        .args(["--endpoint-url", url]);
        run.run()
    }
}

fn rcr(args: &[&str], url: &str, tz: &str, wire: bool) -> Output {
    let mut run = Run::rcr();
    if wire {
        run.write_config("[default]\nregion = us-east-1\ncli_timestamp_format = wire\n");
    }
    run.env("TZ", tz).args(args).args(["--endpoint-url", url]);
    run.run()
}

fn server() -> CaptureServer {
    CaptureServer::start(json!({
        "DescribeImageScanFindings": scan_findings_pages(),
        "DescribeImages": images_pages(),
        "PutReplicationConfiguration": replication_response(),
    }))
}

fn public_server() -> CaptureServer {
    CaptureServer::start(json!({ "DescribeRegistries": public_registries() }))
}

const SCAN: &[&str] = &[
    "ecr",
    "describe-image-scan-findings",
    "--repository-name",
    "shop/cart",
    "--image-id",
    "imageTag=v1",
];
const IMAGES: &[&str] = &["ecr", "describe-images", "--repository-name", "shop/cart"];
const REPLICATION: &[&str] = &[
    "ecr",
    "put-replication-configuration",
    "--replication-configuration",
    r#"{"rules":[{"destinations":[{"region":"eu-west-1","registryId":"123456789012"}]}]}"#,
];
const PUBLIC: &[&str] = &["ecr-public", "describe-registries"];

/// Every command line compared, with the extra arguments of each variant.
fn command_lines() -> Vec<Vec<&'static str>> {
    let mut lines = Vec::new();
    let variants: &[&[&str]] = &[
        &[],
        &["--max-items", "2"],
        &["--no-paginate"],
        &["--page-size", "1"],
    ];
    for base in [SCAN, IMAGES] {
        for variant in variants {
            lines.push([base, variant].concat());
        }
    }
    for query in [
        "imageScanFindings.findingSeverityCounts",
        "keys(imageScanFindings.findingSeverityCounts)",
        "values(imageScanFindings.findingSeverityCounts)",
        "imageScanFindings.enhancedFindings[].score",
        "imageScanFindings.enhancedFindings[].resources[].tags",
        "imageScanFindings.enhancedFindings[?score > `5`].[title, score, lastObservedAt]",
        "imageScanFindings.{c: imageScanCompletedAt, v: vulnerabilitySourceUpdatedAt}",
    ] {
        lines.push([SCAN, &["--query", query]].concat());
    }
    for query in [
        "imageDetails[].imagePushedAt",
        "sort_by(imageDetails, &imageDigest)[].{d: imageDigest, s: imageSizeInBytes}",
        "imageDetails[].imageScanFindingsSummary.findingSeverityCounts",
    ] {
        lines.push([IMAGES, &["--query", query]].concat());
    }
    lines.push(REPLICATION.to_vec());
    lines.push(
        [
            REPLICATION,
            &["--query", "replicationConfiguration.rules[0]"],
        ]
        .concat(),
    );
    lines.push(PUBLIC.to_vec());
    lines
}

fn compare(oracle: &Oracle, args: &[&str], url: &str, tz: &str, wire: bool) -> Option<String> {
    let ours = rcr(args, url, tz, wire);
    let theirs = oracle.aws(args, url, tz, wire);
    if ours.exit_code() == theirs.exit_code() && ours.stdout == theirs.stdout {
        return None;
    }
    Some(format!(
        "TZ={tz} wire={wire} {args:?}\n--- rcr (exit {}) ---\n{}{}\n--- aws v1 (exit {}) ---\n{}{}",
        ours.exit_code(),
        ours.stdout_str(),
        ours.stderr_str(),
        theirs.exit_code(),
        theirs.stdout_str(),
        theirs.stderr_str()
    ))
}

#[test]
fn json_text_and_table_match_aws_v1_byte_for_byte() {
    let oracle = Oracle::new();
    let ecr = server();
    let public = public_server();
    // (arguments, endpoint, TZ, wire timestamps)
    let mut cases: Vec<(Vec<&str>, String, &str, bool)> = Vec::new();
    for line in command_lines() {
        let url = if line[0] == "ecr-public" {
            public.url()
        } else {
            ecr.url()
        };
        for output in ["json", "text", "table"] {
            let args = [line.as_slice(), &["--output", output]].concat();
            cases.push((args, url.clone(), "UTC", false));
        }
    }
    // The time zone and the wire format only touch timestamps: json shows
    // every one of them.
    for line in [SCAN, IMAGES] {
        let args = [line, &["--output", "json"]].concat();
        for (tz, wire) in [
            ("America/New_York", false),
            ("Asia/Kolkata", false),
            ("UTC", true),
        ] {
            cases.push((args.clone(), ecr.url(), tz, wire));
        }
    }
    // aws v1 takes most of a second a run: four at a time.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| {
                let oracle = &oracle;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(args, url, tz, wire)| compare(oracle, args, url, tz, *wire))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a comparison thread panicked"))
            .collect()
    });
    common::assert_no_failures(&failures, cases.len(), "cases differ from aws v1", "\n");
    eprintln!("{} cases identical to aws v1", cases.len());
}

/// rcr's yaml read back by PyYAML as JSON, with YAML 1.2's booleans and
/// floats (v2 writes YAML 1.2 with ruamel; PyYAML alone reads 1.1, where
/// `NO` is false and `1e-05` a string).
fn yaml_as_json(yaml: &str) -> Value {
    let script = r#"
import json, re, sys, yaml
class Loader(yaml.SafeLoader):
    pass
Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:float")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
def number(loader, node):
    text = loader.construct_scalar(node)
    return int(text) if re.fullmatch(r"[-+]?[0-9]+", text) else float(text)
Loader.add_constructor("tag:yaml.org,2002:float", number)
print(json.dumps(yaml.load(sys.stdin.read(), Loader=Loader)))
"#;
    let out = Run::new(common::venv_bin("python"))
        .args(["-c", script])
        .stdin(yaml.as_bytes().to_vec())
        .run();
    out.assert_success();
    serde_json::from_str(&out.stdout_str()).expect("PyYAML's JSON")
}

/// Equal content, number forms included; key order aside (aws's yaml
/// sorts keys).
fn same_document(a: &Value, b: &Value) -> bool {
    a == b
}

/// rcr's `format` output of `line`, read back as a document, is `expected`.
fn assert_yaml_holds(line: &[&str], format: &str, url: &str, expected: &Value) {
    let ours = rcr(&[line, &["--output", format]].concat(), url, "UTC", false);
    ours.assert_success();
    let got = yaml_as_json(&ours.stdout_str());
    assert!(
        same_document(&got, expected),
        "{line:?} {format}:\n{}\nexpected {expected}",
        ours.stdout_str()
    );
}

#[test]
fn yaml_and_yaml_stream_hold_what_aws_v1_prints() {
    let oracle = Oracle::new();
    let ecr = server();
    let v1_json = |args: &[&str]| {
        let out = oracle.aws(args, &ecr.url(), "UTC", false);
        out.assert_success();
        serde_json::from_slice::<Value>(&out.stdout).expect("v1 JSON")
    };
    let mut cases = 0;
    for line in [SCAN, IMAGES, REPLICATION] {
        let expected = v1_json(&[line, &["--output", "json"]].concat());
        assert_yaml_holds(line, "yaml", &ecr.url(), &expected);
        cases += 1;
    }
    // yaml-stream: one item per page, each the page as aws parses it.
    for line in [SCAN, IMAGES] {
        let page = [line, &["--no-paginate", "--output", "json"]].concat();
        let next = [page.as_slice(), &["--next-token", "p2"]].concat();
        let expected = Value::Array(vec![v1_json(&page), v1_json(&next)]);
        assert_yaml_holds(line, "yaml-stream", &ecr.url(), &expected);
        cases += 1;
    }
    eprintln!("{cases} yaml cases hold aws v1's documents");
}
