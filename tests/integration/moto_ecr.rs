//! rcr against a real ECR endpoint (moto_server on loopback), for every ECR
//! operation moto implements: a scenario that creates, changes, reads and
//! deletes, asserting what rcr prints and what moto then holds; and read
//! commands compared byte for byte with the aws CLI v1 on the same state.

use crate::common;
use crate::common::{AwsV1, MotoServer, Output, Run};
use serde_json::{Value, json};

const MANIFEST: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}"#;

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:BatchGetImage"]}]}"#;

const REGISTRY_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"replicate","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:123456789012:repository/*"}]}"#;

const LIFECYCLE: &str = r#"{"rules":[{"rulePriority":1,"description":"expire","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":5},"action":{"type":"expire"}}]}"#;

struct Ecr<'a> {
    moto: &'a MotoServer,
}

impl Ecr<'_> {
    fn run(&self, args: &[&str]) -> Output {
        let url = self.moto.url();
        let mut all = vec!["ecr"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--endpoint-url", url.as_str()]);
        Run::rcr().args(all).run()
    }

    /// `ok` of `operation` on the scenario's repository, shop/cart, with
    /// `extra` arguments.
    fn on_cart(&self, operation: &str, extra: &[&str]) -> Value {
        let mut args = vec![operation, "--repository-name", "shop/cart"];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Runs and expects success with JSON output (or none).
    fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(out.code, Some(0), "rcr ecr {args:?}: {}", out.stderr_str());
        if out.stdout.is_empty() {
            Value::Null
        } else {
            out.stdout_json()
        }
    }
}

#[test]
fn scenario_over_every_operation_moto_implements() {
    let moto = require_moto!();
    let ecr = Ecr { moto: &moto };

    let created = ecr.on_cart(
        "create-repository",
        &[
            "--image-tag-mutability",
            "MUTABLE",
            "--image-scanning-configuration",
            r#"{"scanOnPush": true}"#,
            "--tags",
            r#"[{"Key": "team", "Value": "core"}]"#,
        ],
    );
    let repo = &created["repository"];
    assert_eq!(repo["repositoryName"], "shop/cart");
    assert_eq!(repo["imageScanningConfiguration"]["scanOnPush"], true);
    let arn = repo["repositoryArn"].as_str().expect("arn").to_string();
    // Model member order, as aws prints it.
    let keys: Vec<&str> = repo
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..4],
        [
            "repositoryArn",
            "registryId",
            "repositoryName",
            "repositoryUri"
        ]
    );

    let described = ecr.ok(&["describe-repositories", "--repository-names", "shop/cart"]);
    assert_eq!(described["repositories"][0]["repositoryArn"], arn.as_str());

    let put = ecr.on_cart(
        "put-image",
        &["--image-tag", "v1", "--image-manifest", MANIFEST],
    );
    let digest = put["image"]["imageId"]["imageDigest"]
        .as_str()
        .expect("digest")
        .to_string();
    assert_eq!(put["image"]["imageManifest"], MANIFEST);

    let images = ecr.on_cart("describe-images", &[]);
    assert_eq!(images["imageDetails"][0]["imageTags"], json!(["v1"]));
    let listed = ecr.on_cart("list-images", &[]);
    assert_eq!(listed["imageIds"][0]["imageDigest"], digest.as_str());
    let got = ecr.on_cart(
        "batch-get-image",
        &["--image-ids", r#"[{"imageTag":"v1"}]"#],
    );
    assert_eq!(got["images"][0]["imageManifest"], MANIFEST);

    ecr.on_cart(
        "put-image-tag-mutability",
        &["--image-tag-mutability", "IMMUTABLE"],
    );
    ecr.on_cart(
        "put-image-scanning-configuration",
        &["--image-scanning-configuration", r#"{"scanOnPush": false}"#],
    );
    let after = ecr.ok(&["describe-repositories", "--repository-names", "shop/cart"]);
    assert_eq!(after["repositories"][0]["imageTagMutability"], "IMMUTABLE");
    assert_eq!(
        after["repositories"][0]["imageScanningConfiguration"]["scanOnPush"],
        false
    );

    let policy_file = std::env::temp_dir().join(format!("rcr-policy-{}.json", std::process::id()));
    std::fs::write(&policy_file, POLICY).expect("write policy");
    let policy_arg = format!("file://{}", policy_file.display());
    let set = ecr.on_cart(
        "set-repository-policy",
        &["--policy-text", policy_arg.as_str()],
    );
    assert_eq!(
        set["policyText"]
            .as_str()
            .map(|s| s.contains("ecr:BatchGetImage")),
        Some(true)
    );
    ecr.on_cart("get-repository-policy", &[]);
    ecr.on_cart("delete-repository-policy", &[]);
    let _ = std::fs::remove_file(&policy_file);

    ecr.on_cart(
        "put-lifecycle-policy",
        &["--lifecycle-policy-text", LIFECYCLE],
    );
    let lifecycle = ecr.on_cart("get-lifecycle-policy", &[]);
    assert_eq!(lifecycle["repositoryName"], "shop/cart");
    ecr.on_cart("delete-lifecycle-policy", &[]);

    ecr.ok(&[
        "tag-resource",
        "--resource-arn",
        arn.as_str(),
        "--tags",
        r#"[{"Key":"env","Value":"dev"}]"#,
    ]);
    let tags = ecr.ok(&["list-tags-for-resource", "--resource-arn", arn.as_str()]);
    assert_eq!(tags["tags"].as_array().map(Vec::len), Some(2));
    ecr.ok(&[
        "untag-resource",
        "--resource-arn",
        arn.as_str(),
        "--tag-keys",
        "env",
        "team",
    ]);
    let tags = ecr.ok(&["list-tags-for-resource", "--resource-arn", arn.as_str()]);
    assert_eq!(tags["tags"], json!([]));

    ecr.ok(&["put-registry-policy", "--policy-text", REGISTRY_POLICY]);
    ecr.ok(&["get-registry-policy"]);
    ecr.ok(&["delete-registry-policy"]);
    let registry = ecr.ok(&["describe-registry"]);
    assert!(registry["registryId"].is_string());
    ecr.ok(&[
        "put-replication-configuration",
        "--replication-configuration",
        r#"{"rules":[{"destinations":[{"region":"us-west-2","registryId":"123456789012"}]}]}"#,
    ]);

    let token = ecr.ok(&["get-authorization-token"]);
    assert!(token["authorizationData"][0]["authorizationToken"].is_string());

    let deleted = ecr.on_cart(
        "batch-delete-image",
        &["--image-ids", r#"[{"imageTag":"v1"}]"#],
    );
    assert_eq!(deleted["imageIds"][0]["imageDigest"], digest.as_str());
    ecr.on_cart("delete-repository", &["--force"]);

    let missing = ecr.run(&["describe-repositories", "--repository-names", "shop/cart"]);
    assert_eq!(missing.code, Some(254));
    assert!(missing.stderr_str().starts_with(
        "\nrcr: [ERROR]: An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: "
    ));
}

/// Read commands on the same moto state print the same bytes as aws v1, and
/// service errors agree too (v1 exits 255 where v2 exits 254, and words its
/// error line without the `aws: [ERROR]: ` prefix).
#[test]
fn read_commands_print_like_aws_v1() {
    let moto = require_moto!();
    let aws: AwsV1 = require_aws_v1!();
    let ecr = Ecr { moto: &moto };
    ecr.ok(&["create-repository", "--repository-name", "diff/one"]);
    ecr.ok(&[
        "create-repository",
        "--repository-name",
        "diff/two",
        "--tags",
        r#"[{"Key":"k","Value":"ünïcode ✓"}]"#,
    ]);
    ecr.ok(&[
        "put-image",
        "--repository-name",
        "diff/one",
        "--image-tag",
        "1.0",
        "--image-manifest",
        MANIFEST,
    ]);
    ecr.ok(&[
        "put-lifecycle-policy",
        "--repository-name",
        "diff/one",
        "--lifecycle-policy-text",
        LIFECYCLE,
    ]);
    let arn = ecr.ok(&["describe-repositories", "--repository-names", "diff/two"])["repositories"]
        [0]["repositoryArn"]
        .as_str()
        .expect("arn")
        .to_string();

    let url = moto.url();
    let cases: Vec<Vec<&str>> = vec![
        vec!["describe-repositories"],
        vec![
            "describe-repositories",
            "--repository-names",
            "diff/one",
            "diff/two",
        ],
        vec!["describe-images", "--repository-name", "diff/one"],
        vec!["list-images", "--repository-name", "diff/one"],
        vec![
            "batch-get-image",
            "--repository-name",
            "diff/one",
            "--image-ids",
            r#"[{"imageTag":"1.0"},{"imageTag":"nope"}]"#,
        ],
        // (get-lifecycle-policy is left out: moto stamps it with the time of the call.)
        vec!["list-tags-for-resource", "--resource-arn", arn.as_str()],
        vec!["describe-registry"],
        vec!["describe-images", "--repository-name", "missing/repo"],
        vec!["get-repository-policy", "--repository-name", "diff/one"],
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let mut args = vec!["ecr"];
        args.extend_from_slice(case);
        args.extend_from_slice(&["--endpoint-url", url.as_str(), "--output", "json"]);
        let ours = Run::rcr().args(&args).run();
        let theirs = aws.run(&args);
        let expected_code = match theirs.code {
            Some(255) if theirs.stderr_str().contains("An error occurred (") => Some(254),
            other => other,
        };
        if ours.stdout != theirs.stdout || ours.code != expected_code {
            failures.push(format!(
                "{case:?}: exit {:?} vs {:?}\n--- rcr\n{}{}\n--- aws\n{}{}",
                ours.code,
                theirs.code,
                ours.stdout_str(),
                ours.stderr_str(),
                theirs.stdout_str(),
                theirs.stderr_str()
            ));
        } else if expected_code == Some(254) {
            let v1_line = theirs.stderr_str().trim().to_string();
            let our_line = ours
                .stderr_str()
                .trim()
                .trim_start_matches("rcr: [ERROR]: ")
                .to_string();
            if v1_line != our_line {
                failures.push(format!(
                    "{case:?}: error line\n  rcr: {our_line}\n  aws: {v1_line}"
                ));
            }
        }
    }
    common::assert_no_failures(&failures, cases.len(), "differ", "\n");
}
