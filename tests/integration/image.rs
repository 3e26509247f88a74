//! `rcr image ls | retag | gc | scan-gate` end to end.
//!
//! Against moto (real state): listing order, filters, `--limit`, `--query`
//! and output formats; retag by tag and digest, idempotent, missing source,
//! an OCI index; gc plans and `--apply` over more than 100 images, with
//! `--keep`, `--keep-tag`, `--untagged`, `--older-than` and multi-arch
//! indexes. moto stamps `imagePushedAt` with the current second
//! (`int(time)`), so images get distinct push times by being pushed in
//! groups a little over a second apart (`Repo::next_second`).
//!
//! Against the capture server (exact answers, recorded requests): scan-gate
//! (waiting, paged findings, ignores, enhanced findings, failed and
//! unsupported scans, timeout), the requests gc sends (batches of at most 100,
//! indexes before their children, children of a failed index left alone),
//! retag's request bodies and ls across pages.

use std::collections::HashSet;
use std::time::Duration;

use crate::common::{CaptureServer, MotoServer, Output, Run};
use serde_json::{Value, json};

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";

fn rcr(endpoint: &str, args: &[&str]) -> Output {
    Run::rcr()
        .args(["--endpoint-url", endpoint])
        .args(args)
        .env("RCR_WAITER_DELAY_OVERRIDE", "0.01")
        .run()
}

/// A fake but well-formed digest, distinct per name.
fn digest(name: &str) -> String {
    // FNV-1a, spread over 64 hex digits: no hashing crate needed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!(
        "sha256:{:016x}{:016x}{:016x}{:016x}",
        h,
        h ^ 1,
        h ^ 2,
        h ^ 3
    )
}

fn manifest(name: &str, size: u64) -> String {
    json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": digest(&format!("config-{name}")), "size": size},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest(&format!("layer-{name}")), "size": 1000}],
    })
    .to_string()
}

fn index(children: &[&str]) -> String {
    let manifests: Vec<Value> = children
        .iter()
        .map(|c| json!({"mediaType": OCI_MANIFEST, "digest": digest(c), "size": 500, "platform": {"architecture": "amd64", "os": "linux"}}))
        .collect();
    json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests}).to_string()
}

/// A repository in moto, seeded directly (not through rcr).
struct Repo<'a> {
    moto: &'a MotoServer,
    name: &'static str,
}

impl<'a> Repo<'a> {
    fn create(moto: &'a MotoServer, name: &'static str) -> Self {
        let r = moto.ecr_call("CreateRepository", &json!({"repositoryName": name}));
        assert_eq!(r.status, 200, "{}", r.body_str());
        Repo { moto, name }
    }

    /// Pushes image `name` (its digest is `digest(name)`), tagged or not.
    fn push(&self, name: &str, tag: Option<&str>, manifest_text: &str) {
        let mut body = json!({
            "repositoryName": self.name,
            "imageManifest": manifest_text,
            "imageDigest": digest(name),
        });
        if let Some(t) = tag {
            body["imageTag"] = json!(t);
        }
        let r = self.moto.ecr_call("PutImage", &body);
        assert_eq!(r.status, 200, "{name}: {}", r.body_str());
    }

    fn push_plain(&self, name: &str, tag: Option<&str>) {
        self.push(name, tag, &manifest(name, 100));
    }

    /// Waits into the next second, so that later pushes have a later
    /// `imagePushedAt` (moto keeps whole seconds).
    fn next_second(&self) {
        std::thread::sleep(Duration::from_millis(1100));
    }

    /// The repository's digests with their tags, as moto has them.
    fn state(&self) -> Vec<(String, Vec<String>)> {
        let r = self
            .moto
            .ecr_call("DescribeImages", &json!({"repositoryName": self.name}));
        let body = r.json().expect("DescribeImages answers JSON");
        let mut out: Vec<(String, Vec<String>)> = body["imageDetails"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                let tags = d["imageTags"]
                    .as_array()
                    .map(|t| {
                        t.iter()
                            .filter_map(|x| x.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                (d["imageDigest"].as_str().unwrap_or("").to_string(), tags)
            })
            .collect();
        out.sort();
        out
    }

    fn digests(&self) -> HashSet<String> {
        self.state().into_iter().map(|(d, _)| d).collect()
    }
}

fn digests_of(list: &Value) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|d| d["imageDigest"].as_str().unwrap_or("").to_string())
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| digest(n)).collect()
}

// ------------------------------------------------------------------ ls ---

#[test]
fn ls_orders_filters_limits_and_queries() {
    let moto = require_moto!();
    let url = moto.url();
    let repo = Repo::create(&moto, "shop/ls");
    // Four pushes in four seconds: img0 oldest, img3 newest; sizes chosen
    // so that size order differs from push order.
    repo.push("img0", Some("v0"), &manifest("img0", 500));
    repo.next_second();
    repo.push("img1", Some("release-1"), &manifest("img1", 100));
    let r = moto.ecr_call(
        "PutImage",
        &json!({"repositoryName": "shop/ls", "imageManifest": manifest("img1", 100), "imageTag": "v1", "imageDigest": digest("img1")}),
    );
    assert_eq!(r.status, 200, "{}", r.body_str());
    repo.next_second();
    repo.push("img2", None, &manifest("img2", 300));
    repo.next_second();
    repo.push("img3", Some("release-2"), &manifest("img3", 200));

    let ls = |extra: &[&str]| {
        let mut args = vec!["image", "ls", "shop/ls"];
        args.extend_from_slice(extra);
        let out = rcr(&url, &args);
        out.assert_success();
        digests_of(&out.stdout_json()["imageDetails"])
    };
    assert_eq!(ls(&[]), names(&["img3", "img2", "img1", "img0"]));
    assert_eq!(ls(&["--reverse"]), names(&["img0", "img1", "img2", "img3"]));
    assert_eq!(ls(&["--limit", "2"]), names(&["img3", "img2"]));
    assert_eq!(ls(&["--limit", "1", "--reverse"]), names(&["img0"]));
    assert_eq!(
        ls(&["--sort", "size"]),
        names(&["img0", "img2", "img3", "img1"])
    );
    // By smallest tag: release-1 (img1), release-2, v0; untagged last.
    assert_eq!(
        ls(&["--sort", "tag"]),
        names(&["img1", "img3", "img0", "img2"])
    );
    // Never pulled: in push order.
    assert_eq!(
        ls(&["--sort", "pulled"]),
        names(&["img3", "img2", "img1", "img0"])
    );
    assert_eq!(ls(&["--tag", "release-*"]), names(&["img3", "img1"]));
    assert_eq!(
        ls(&["--tag", "v?", "--tag", "release-2"]),
        names(&["img3", "img1", "img0"])
    );
    assert_eq!(ls(&["--untagged"]), names(&["img2"]));
    assert_eq!(ls(&["--tagged", "--limit", "2"]), names(&["img3", "img1"]));
    assert_eq!(ls(&["--older-than", "1d"]), Vec::<String>::new());
    assert_eq!(
        ls(&["--newer-than", "1d", "--limit", "3"]),
        names(&["img3", "img2", "img1"])
    );

    // describe-images' members, untouched: the same objects, in another order.
    let di = rcr(
        &url,
        &["ecr", "describe-images", "--repository-name", "shop/ls"],
    );
    di.assert_success();
    let mut from_describe: Vec<Value> = di.stdout_json()["imageDetails"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let out = rcr(&url, &["image", "ls", "shop/ls"]);
    let mut from_ls: Vec<Value> = out.stdout_json()["imageDetails"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let key = |v: &Value| v["imageDigest"].as_str().unwrap_or("").to_string();
    from_describe.sort_by_key(key);
    from_ls.sort_by_key(key);
    assert_eq!(from_ls, from_describe);

    // A describe-images query works unchanged; text and yaml output.
    let out = rcr(
        &url,
        &[
            "image",
            "ls",
            "shop/ls",
            "--limit",
            "1",
            "--tag",
            "release-*",
            "--query",
            "imageDetails[0].imageDigest",
            "--output",
            "text",
        ],
    );
    out.assert_success();
    assert_eq!(out.stdout_str(), format!("{}\n", digest("img3")));
    let out = rcr(
        &url,
        &[
            "image",
            "ls",
            "shop/ls",
            "--query",
            "imageDetails[].imageTags[0]",
            "--output",
            "text",
        ],
    );
    assert_eq!(out.stdout_str(), "release-2\trelease-1\tv0\n");
    let out = rcr(
        &url,
        &["image", "ls", "shop/ls", "--untagged", "--output", "yaml"],
    );
    out.assert_success();
    let yaml = out.stdout_str();
    assert!(yaml.starts_with("imageDetails:\n- imageDigest: "), "{yaml}");
    assert!(yaml.contains(&digest("img2")), "{yaml}");
    let out = rcr(
        &url,
        &[
            "image", "ls", "shop/ls", "--limit", "1", "--output", "table",
        ],
    );
    out.assert_success();
    assert!(
        out.stdout_str().contains("DescribeImages"),
        "{}",
        out.stdout_str()
    );

    // Errors: a missing repository is the service's (254); bad flags 252.
    let out = rcr(&url, &["image", "ls", "shop/none"]);
    out.assert_exit(254);
    assert!(
        out.stderr_str().contains("RepositoryNotFoundException"),
        "{out}"
    );
    rcr(&url, &["image", "ls", "shop/ls", "--limit", "0"]).assert_exit(252);
    rcr(
        &url,
        &["image", "ls", "shop/ls", "--older-than", "yesterday"],
    )
    .assert_exit(252);
    rcr(
        &url,
        &[
            "image",
            "ls",
            "shop/ls",
            "--query",
            "imageDetails[",
            "--limit",
            "1",
        ],
    )
    .assert_exit(252);
}

#[test]
fn ls_pages_through_the_paginator_and_keeps_the_best_across_pages() {
    let detail = |n: u32| json!({"imageDigest": digest(&format!("p{n}")), "imagePushedAt": 1_700_000_000 + n, "imageTags": [format!("t{n}")]});
    let page1: Vec<Value> = (0..50).map(detail).collect();
    let page2: Vec<Value> = (50..100).map(detail).collect();
    let server = CaptureServer::start(json!({
        "DescribeImages": [
            {"__when_token": null, "imageDetails": page1, "nextToken": "p2"},
            {"__when_token": "p2", "imageDetails": page2},
        ]
    }));
    let out = rcr(
        &server.url(),
        &[
            "image",
            "ls",
            "shop/cart",
            "--limit",
            "3",
            "--registry-id",
            "111122223333",
        ],
    );
    out.assert_success();
    assert_eq!(
        digests_of(&out.stdout_json()["imageDetails"]),
        names(&["p99", "p98", "p97"])
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].body,
        json!({"registryId": "111122223333", "repositoryName": "shop/cart", "maxResults": 1000})
    );
    assert_eq!(requests[1].body["nextToken"], json!("p2"));
    // --untagged asks the service to filter as well.
    server.clear_requests();
    rcr(&server.url(), &["image", "ls", "shop/cart", "--untagged"]).assert_success();
    assert_eq!(
        server.requests()[0].body["filter"],
        json!({"tagStatus": "UNTAGGED"})
    );

    // The global options and exit codes of every command.
    server.clear_requests();
    let out = rcr(
        &server.url(),
        &[
            "--region",
            "eu-west-1",
            "image",
            "ls",
            "shop/cart",
            "--limit",
            "1",
        ],
    );
    out.assert_success();
    assert_eq!(
        server.requests()[0].cred.as_deref(),
        Some("AKIDEXAMPLE/eu-west-1/ecr")
    );
    let out = Run::rcr()
        .args(["--endpoint-url", &server.url(), "image", "ls", "shop/cart"])
        .env_remove("AWS_DEFAULT_REGION")
        .run();
    out.assert_exit(253);
    assert!(out.stderr_str().contains("(NoRegion)"), "{out}");
    let out = rcr(
        "http://127.0.0.1:9",
        &["image", "gc", "shop/cart", "--untagged"],
    );
    out.assert_exit(255);
    assert!(
        out.stderr_str()
            .contains("Could not connect to the endpoint URL"),
        "{out}"
    );
    let out = rcr(
        &server.url(),
        &["image", "ls", "shop/cart", "--output", "csv"],
    );
    out.assert_exit(252);
}

// --------------------------------------------------------------- retag ---

#[test]
fn retag_by_tag_digest_idempotent_missing_and_index() {
    let moto = require_moto!();
    let url = moto.url();
    let repo = Repo::create(&moto, "shop/retag");
    repo.push_plain("app", Some("build-1"));
    repo.push_plain("amd64", None);
    repo.push_plain("arm64", None);
    repo.push("multi", Some("multi-1"), &index(&["amd64", "arm64"]));

    let out = rcr(
        &url,
        &["image", "retag", "shop/retag", "build-1", "prod", "stable"],
    );
    out.assert_success();
    assert_eq!(
        out.stdout_json(),
        json!({
            "repositoryName": "shop/retag",
            "imageDigest": digest("app"),
            "imageManifestMediaType": OCI_MANIFEST,
            "tags": [{"imageTag": "prod", "status": "TAGGED"}, {"imageTag": "stable", "status": "TAGGED"}],
        })
    );
    let app_tags = |repo: &Repo| {
        repo.state()
            .into_iter()
            .find(|(d, _)| *d == digest("app"))
            .map(|(_, mut t)| {
                t.sort();
                t
            })
            .unwrap_or_default()
    };
    assert_eq!(app_tags(&repo), ["build-1", "prod", "stable"]);

    // By digest.
    let d = digest("app");
    let out = rcr(&url, &["image", "retag", "shop/retag", &d, "by-digest"]);
    out.assert_success();
    assert_eq!(app_tags(&repo), ["build-1", "by-digest", "prod", "stable"]);

    // Again: the tags already point there, which is success.
    let out = rcr(
        &url,
        &[
            "image",
            "retag",
            "shop/retag",
            "build-1",
            "prod",
            "--output",
            "text",
            "--query",
            "tags[].status",
        ],
    );
    out.assert_success();
    assert_eq!(out.stdout_str(), "UNCHANGED\n");

    // A missing source is named.
    let out = rcr(&url, &["image", "retag", "shop/retag", "build-9", "prod"]);
    out.assert_exit(254);
    assert!(out.stderr_str().contains("shop/retag:build-9"), "{out}");
    assert!(out.stderr_str().contains("(ImageNotFound)"), "{out}");
    assert_eq!(out.stdout_str(), "");

    // An OCI index keeps its manifest and media type.
    let out = rcr(
        &url,
        &["image", "retag", "shop/retag", "multi-1", "multi-latest"],
    );
    out.assert_success();
    assert_eq!(
        out.stdout_json()["imageManifestMediaType"],
        json!(OCI_INDEX)
    );
    let got = moto.ecr_call(
        "BatchGetImage",
        &json!({"repositoryName": "shop/retag", "imageIds": [{"imageTag": "multi-latest"}]}),
    );
    let got = got.json().expect("json");
    assert_eq!(
        got["images"][0]["imageId"]["imageDigest"],
        json!(digest("multi"))
    );
    assert_eq!(
        got["images"][0]["imageManifest"],
        json!(index(&["amd64", "arm64"]))
    );
    assert_eq!(got["images"][0]["imageManifestMediaType"], json!(OCI_INDEX));
}

#[test]
fn retag_sends_every_media_type_and_the_manifest_it_got() {
    // A Docker manifest list without `mediaType` in its body: the type comes
    // from BatchGetImage's answer (aws/aws-cli#6745).
    let list = json!({"schemaVersion": 2, "manifests": [{"digest": digest("c1")}]}).to_string();
    let server = CaptureServer::start(json!({
        "BatchGetImage": {"images": [{"registryId": "123456789012", "repositoryName": "shop/cart",
            "imageId": {"imageDigest": digest("list"), "imageTag": "v1"},
            "imageManifest": list, "imageManifestMediaType": DOCKER_LIST}], "failures": []},
        "PutImage": {"image": {"registryId": "123456789012", "repositoryName": "shop/cart",
            "imageId": {"imageDigest": digest("list"), "imageTag": "v2"}}},
    }));
    let out = rcr(&server.url(), &["image", "retag", "shop/cart", "v1", "v2"]);
    out.assert_success();
    let requests = server.requests();
    let ops: Vec<&str> = requests
        .iter()
        .filter_map(|r| r.operation.as_deref())
        .collect();
    assert_eq!(ops, ["BatchGetImage", "PutImage"]);
    assert_eq!(
        requests[0].body,
        json!({"repositoryName": "shop/cart", "imageIds": [{"imageTag": "v1"}],
            "acceptedMediaTypes": [
                "application/vnd.docker.distribution.manifest.v2+json",
                OCI_MANIFEST, OCI_INDEX, DOCKER_LIST]})
    );
    assert_eq!(
        requests[1].body,
        json!({"repositoryName": "shop/cart", "imageManifest": list,
            "imageManifestMediaType": DOCKER_LIST, "imageTag": "v2", "imageDigest": digest("list")})
    );

    // ImageAlreadyExistsException for a tag pointing elsewhere is an error.
    server.set_response(
        "PutImage",
        json!({"__type": "ImageAlreadyExistsException", "message": "Image with digest 'x' and tag 'v2' already exists"}),
    );
    server.set_response(
        "BatchGetImage",
        json!([
            {"__times": 1, "images": [{"imageId": {"imageDigest": digest("list")}, "imageManifest": list, "imageManifestMediaType": DOCKER_LIST}]},
            {"images": [{"imageId": {"imageDigest": digest("other")}, "imageManifest": "{}"}]},
        ]),
    );
    let out = rcr(&server.url(), &["image", "retag", "shop/cart", "v1", "v2"]);
    out.assert_exit(254);
    assert!(
        out.stderr_str().contains("ImageAlreadyExistsException"),
        "{out}"
    );
}

// ------------------------------------------------------------------ gc ---

fn gc(url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["image", "gc"];
    args.extend_from_slice(extra);
    rcr(url, &args)
}

fn plan_actions(out: &Output) -> (Vec<String>, Vec<String>) {
    let plan = out.stdout_json()["plan"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let pick = |action: &str| {
        plan.iter()
            .filter(|p| p["action"] == json!(action))
            .map(|p| p["imageDigest"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    (pick("keep"), pick("delete"))
}

#[test]
fn gc_plans_and_applies_over_a_hundred_images() {
    let moto = require_moto!();
    let url = moto.url();
    let repo = Repo::create(&moto, "shop/gc");
    let old: Vec<String> = (0..110).map(|i| format!("old{i:03}")).collect();
    for name in &old {
        repo.push_plain(name, None);
    }
    repo.push_plain("dev1", Some("dev-1"));
    repo.push_plain("prod1", Some("prod-1"));
    repo.next_second();
    repo.push_plain("new1", None);
    repo.push_plain("dev2", Some("dev-2"));
    repo.next_second();
    repo.push_plain("new2", None);

    // Untagged images but the 2 newest: a plan first, nothing deleted.
    let out = gc(&url, &["shop/gc", "--untagged", "--keep", "2"]);
    out.assert_success();
    let (keep, delete) = plan_actions(&out);
    assert_eq!(delete.len(), 110);
    assert_eq!(
        delete.iter().cloned().collect::<HashSet<_>>(),
        old.iter().map(|n| digest(n)).collect()
    );
    assert_eq!(keep.len(), 5);
    assert_eq!(keep[0], digest("new2"));
    assert_eq!(repo.digests().len(), 115);
    let reason = out.stdout_json()["plan"][0]["reason"].clone();
    assert_eq!(reason, json!("among the 2 newest candidates (--keep 2)"));

    // Applied: 110 deletions (BatchDeleteImage calls of at most 100).
    let out = gc(&url, &["shop/gc", "--untagged", "--keep", "2", "--apply"]);
    out.assert_success();
    let doc = out.stdout_json();
    assert_eq!(doc["deleted"].as_array().map(Vec::len), Some(110));
    assert_eq!(doc["failures"], json!([]));
    assert_eq!(
        repo.digests(),
        names(&["dev1", "prod1", "new1", "dev2", "new2"])
            .into_iter()
            .collect()
    );

    // Nothing is old enough.
    let out = gc(
        &url,
        &[
            "shop/gc",
            "--older-than",
            "1d",
            "--output",
            "text",
            "--query",
            "plan[].action",
        ],
    );
    out.assert_success();
    assert_eq!(out.stdout_str(), "keep\tkeep\tkeep\tkeep\tkeep\n");

    // Everything is a candidate; prod-* is protected; the newest stays.
    let out = gc(
        &url,
        &[
            "shop/gc",
            "--older-than",
            "0s",
            "--keep",
            "1",
            "--keep-tag",
            "prod-*",
            "--apply",
            "--output",
            "yaml",
        ],
    );
    out.assert_success();
    assert!(out.stdout_str().starts_with("deleted:\n"), "{out}");
    assert_eq!(
        repo.digests(),
        names(&["prod1", "new2"]).into_iter().collect()
    );

    // A selector is required.
    gc(&url, &["shop/gc", "--apply"]).assert_exit(252);
    gc(&url, &["shop/gc", "--keep", "-1"]).assert_exit(252);
}

#[test]
fn gc_keeps_children_of_kept_indexes_and_deletes_old_releases_whole() {
    let moto = require_moto!();
    let url = moto.url();
    let repo = Repo::create(&moto, "shop/multi");
    repo.push_plain("a-amd64", None);
    repo.push_plain("a-arm64", None);
    repo.push_plain("stray", None);
    repo.next_second();
    repo.push("idx-a", Some("release-a"), &index(&["a-amd64", "a-arm64"]));
    repo.next_second();
    repo.push_plain("b-amd64", None);
    repo.push_plain("b-arm64", None);
    repo.next_second();
    repo.push("idx-b", Some("release-b"), &index(&["b-amd64", "b-arm64"]));

    // Untagged images go, except the children of the (tagged) indexes.
    let out = gc(&url, &["shop/multi", "--untagged", "--keep", "0"]);
    out.assert_success();
    let (_, delete) = plan_actions(&out);
    assert_eq!(delete, names(&["stray"]));
    let plan = out.stdout_json()["plan"].clone();
    let child = plan
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["imageDigest"] == json!(digest("a-amd64")))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        child["reason"],
        json!(format!(
            "listed by image index {}, which is kept",
            digest("idx-a")
        ))
    );

    // A protected release keeps its children too.
    let out = gc(
        &url,
        &[
            "shop/multi",
            "--older-than",
            "0s",
            "--keep",
            "1",
            "--keep-tag",
            "release-a",
        ],
    );
    let (_, delete) = plan_actions(&out);
    assert_eq!(delete, names(&["stray"]));

    // The newest release stays whole; the older one is deleted whole.
    let out = gc(
        &url,
        &["shop/multi", "--older-than", "0s", "--keep", "1", "--apply"],
    );
    out.assert_success();
    let deleted: HashSet<String> = digests_of(&out.stdout_json()["deleted"])
        .into_iter()
        .collect();
    assert_eq!(
        deleted,
        names(&["idx-a", "a-amd64", "a-arm64", "stray"])
            .into_iter()
            .collect()
    );
    assert_eq!(
        repo.digests(),
        names(&["idx-b", "b-amd64", "b-arm64"])
            .into_iter()
            .collect()
    );
}

/// The image details of a capture-server repository: `plain` untagged
/// manifests, pushed a second apart (newest last), and an older tagged index.
fn capture_repository(plain: usize) -> Vec<Value> {
    let mut details: Vec<Value> = (0..plain)
        .map(|i| json!({"imageDigest": digest(&format!("m{i}")), "imagePushedAt": 1_700_000_100 + i as u64, "imageManifestMediaType": OCI_MANIFEST}))
        .collect();
    details.push(json!({"imageDigest": digest("idx"), "imageTags": ["v0"], "imagePushedAt": 1_700_000_000, "imageManifestMediaType": OCI_INDEX}));
    details
}

fn batches(server: &CaptureServer) -> Vec<Vec<String>> {
    server
        .requests()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("BatchDeleteImage"))
        .map(|r| {
            r.body["imageIds"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|id| id["imageDigest"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect()
}

#[test]
fn gc_sends_batches_of_at_most_100_with_indexes_before_children() {
    let details = capture_repository(230);
    let index_manifest = json!({"schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [{"digest": digest("m3")}, {"digest": digest("m7")}]})
    .to_string();
    let server = CaptureServer::start(json!({
        "DescribeImages": [
            {"__when_token": null, "imageDetails": details[..120], "nextToken": "p2"},
            {"__when_token": "p2", "imageDetails": details[120..]},
        ],
        "BatchGetImage": {"images": [{"imageId": {"imageDigest": digest("idx"), "imageTag": "v0"},
            "imageManifest": index_manifest, "imageManifestMediaType": OCI_INDEX}], "failures": []},
        "BatchDeleteImage": {"imageIds": [], "failures": []},
    }));
    let out = gc(
        &server.url(),
        &["shop/cart", "--older-than", "0s", "--apply"],
    );
    out.assert_success();
    assert_eq!(
        out.stdout_json()["deleted"].as_array().map(Vec::len),
        Some(231)
    );

    let requests = server.requests();
    let get: Vec<_> = requests
        .iter()
        .filter(|r| r.operation.as_deref() == Some("BatchGetImage"))
        .collect();
    assert_eq!(get.len(), 1, "only the index's manifest is read");
    assert_eq!(
        get[0].body["imageIds"],
        json!([{"imageDigest": digest("idx")}])
    );
    assert_eq!(
        get[0].body["acceptedMediaTypes"].as_array().map(Vec::len),
        Some(4)
    );

    let sent = batches(&server);
    assert!(
        sent.iter().all(|b| !b.is_empty() && b.len() <= 100),
        "{:?}",
        sent.iter().map(Vec::len).collect::<Vec<_>>()
    );
    assert_eq!(
        sent.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 29, 2]
    );
    let all: Vec<&String> = sent.iter().flatten().collect();
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        231,
        "each image once"
    );
    let batch_of = |d: &str| sent.iter().position(|b| b.iter().any(|x| x == d));
    let index_batch = batch_of(&digest("idx")).expect("the index is deleted");
    for child in ["m3", "m7"] {
        assert!(
            batch_of(&digest(child)).expect("child deleted") > index_batch,
            "{child}"
        );
    }
    for b in &sent {
        assert!(b.iter().all(|d| d.starts_with("sha256:")));
    }
}

#[test]
fn gc_leaves_the_children_of_an_index_it_could_not_delete() {
    let mut details = capture_repository(3);
    // The index is the newest here, so it goes in the first call.
    details.last_mut().expect("index")["imagePushedAt"] = json!(1_750_000_000);
    let index_manifest = json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [{"digest": digest("m1")}]}).to_string();
    let server = CaptureServer::start(json!({
        "DescribeImages": {"imageDetails": details},
        "BatchGetImage": {"images": [{"imageId": {"imageDigest": digest("idx")},
            "imageManifest": index_manifest, "imageManifestMediaType": OCI_INDEX}], "failures": []},
        "BatchDeleteImage": [
            {"__times": 1, "imageIds": [{"imageDigest": digest("m0")}, {"imageDigest": digest("m2")}],
             "failures": [{"imageId": {"imageDigest": digest("idx")}, "failureCode": "ImageNotFound", "failureReason": "Requested image not found"}]},
            {"imageIds": [], "failures": []},
        ],
    }));
    let out = gc(
        &server.url(),
        &["shop/cart", "--older-than", "0s", "--apply"],
    );
    out.assert_exit(254);
    let doc = out.stdout_json();
    assert_eq!(digests_of(&doc["deleted"]), names(&["m2", "m0"]));
    let codes: Vec<&str> = doc["failures"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["failureCode"].as_str())
        .collect();
    assert_eq!(codes, ["ImageNotFound", "ImageIndexNotDeleted"]);
    assert!(
        out.stderr_str().contains("An error occurred (ImageNotFound) when calling the BatchDeleteImage operation: 2 of 4 images were not deleted"),
        "{out}"
    );
    // m1 was never sent: its index is still there.
    let sent = batches(&server);
    assert_eq!(sent.len(), 1);
    assert!(!sent.iter().flatten().any(|d| *d == digest("m1")));
}

// ----------------------------------------------------------- scan-gate ---

fn scan(status: &str, extra: Value) -> Value {
    let mut page = json!({
        "registryId": "123456789012",
        "repositoryName": "shop/cart",
        "imageId": {"imageDigest": digest("app"), "imageTag": "v1"},
        "imageScanStatus": {"status": status, "description": format!("The scan is {status}")},
    });
    if let (Value::Object(p), Value::Object(e)) = (&mut page, extra) {
        p.extend(e);
    }
    page
}

fn finding(name: &str, severity: &str) -> Value {
    json!({"name": name, "severity": severity, "uri": format!("https://cve/{name}"),
        "attributes": [{"key": "package_name", "value": "openssl"}, {"key": "package_version", "value": "3.0.1"}]})
}

/// `rcr image scan-gate shop/cart v1` with `flags`, written as on a command
/// line (split at white space).
fn gate(url: &str, flags: &str) -> Output {
    let mut args = vec!["image", "scan-gate", "shop/cart", "v1"];
    args.extend(flags.split_whitespace());
    rcr(url, &args)
}

fn paged_findings_server() -> CaptureServer {
    let mut in_progress = scan("IN_PROGRESS", json!({}));
    in_progress["__times"] = json!(2);
    in_progress["__when_token"] = Value::Null;
    let mut first = scan(
        "COMPLETE",
        json!({"imageScanFindings": {"findings": [finding("CVE-1", "CRITICAL"), finding("CVE-3", "LOW")],
            "findingSeverityCounts": {"CRITICAL": 1, "HIGH": 1, "LOW": 1}}, "nextToken": "p2"}),
    );
    first["__when_token"] = Value::Null;
    let mut second = scan(
        "COMPLETE",
        json!({"imageScanFindings": {"findings": [finding("CVE-2", "HIGH"), finding("CVE-4", "MEDIUM")]}}),
    );
    second["__when_token"] = json!("p2");
    CaptureServer::start(json!({"DescribeImageScanFindings": [in_progress, first, second]}))
}

#[test]
fn scan_gate_waits_reads_every_page_and_fails_on_the_threshold() {
    let server = paged_findings_server();
    let out = gate(&server.url(), "--fail-on HIGH");
    out.assert_exit(1);
    let doc = out.stdout_json();
    assert_eq!(
        doc["findingSeverityCounts"],
        json!({"CRITICAL": 1, "HIGH": 1, "MEDIUM": 1, "LOW": 1})
    );
    assert_eq!(
        doc["findings"],
        json!([
            {"name": "CVE-1", "severity": "CRITICAL", "package": "openssl 3.0.1", "uri": "https://cve/CVE-1"},
            {"name": "CVE-2", "severity": "HIGH", "package": "openssl 3.0.1", "uri": "https://cve/CVE-2"},
        ])
    );
    assert_eq!(doc["passed"], json!(false));
    assert_eq!(doc["imageScanStatus"]["status"], json!("COMPLETE"));
    assert_eq!(out.stderr_str(), "");
    let requests = server.requests();
    assert_eq!(requests.len(), 4, "two polls in progress, page 1, page 2");
    assert_eq!(
        requests[0].body,
        json!({"repositoryName": "shop/cart", "imageId": {"imageTag": "v1"}, "maxResults": 1000})
    );
    assert_eq!(requests[3].body["nextToken"], json!("p2"));
}

#[test]
fn scan_gate_ignores_by_name_and_passes() {
    let server = paged_findings_server();
    let out = gate(
        &server.url(),
        "--fail-on high --ignore CVE-1 --ignore cve-2",
    );
    out.assert_success();
    let doc = out.stdout_json();
    assert_eq!(
        (doc["ignoredFindings"].clone(), doc["passed"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(doc["findings"], json!([]));
    // Below the threshold: nothing counts against the gate either.
    let server = paged_findings_server();
    let out = gate(
        &server.url(),
        "--fail-on CRITICAL --ignore CVE-1 --output text --query passed",
    );
    out.assert_success();
    assert_eq!(out.stdout_str(), "True\n");
}

#[test]
fn scan_gate_reads_enhanced_findings() {
    let enhanced = |id: &str, severity: &str| {
        json!({"awsAccountId": "123456789012", "findingArn": format!("arn:{id}"), "severity": severity,
            "title": format!("{id} - zlib"), "status": "ACTIVE", "type": "PACKAGE_VULNERABILITY",
            "packageVulnerabilityDetails": {"vulnerabilityId": id, "sourceUrl": format!("https://nvd/{id}"),
                "vulnerablePackages": [{"name": "zlib", "version": "1.2.13"}]}})
    };
    let server = CaptureServer::start(json!({"DescribeImageScanFindings": [
        scan("PENDING", json!({"__times": 1})),
        scan("ACTIVE", json!({"imageScanFindings": {"enhancedFindings": [enhanced("CVE-7", "HIGH"), enhanced("CVE-8", "UNTRIAGED")]}})),
    ]}));
    let out = gate(&server.url(), "--fail-on HIGH");
    out.assert_exit(1);
    let doc = out.stdout_json();
    assert_eq!(
        doc["findingSeverityCounts"],
        json!({"HIGH": 1, "UNDEFINED": 1})
    );
    assert_eq!(
        doc["findings"],
        json!([{"name": "CVE-7", "severity": "HIGH", "package": "zlib 1.2.13", "uri": "https://nvd/CVE-7"}])
    );
    let out = gate(&server.url(), "--fail-on HIGH --ignore CVE-7");
    out.assert_success();
    let out = gate(&server.url(), "--fail-on UNDEFINED --ignore CVE-7");
    out.assert_exit(1);
}

#[test]
fn scan_gate_failed_unsupported_and_timed_out_scans_are_errors() {
    for (status, expected) in [
        ("FAILED", "FAILED: The scan is FAILED"),
        (
            "UNSUPPORTED_IMAGE",
            "UNSUPPORTED_IMAGE: The scan is UNSUPPORTED_IMAGE",
        ),
    ] {
        let server =
            CaptureServer::start(json!({"DescribeImageScanFindings": scan(status, json!({}))}));
        let out = gate(&server.url(), "--fail-on HIGH");
        out.assert_exit(255);
        assert_eq!(out.stdout_str(), "");
        assert_eq!(
            out.stderr_str(),
            format!("\nrcr: [ERROR]: The scan of shop/cart:v1 gives no verdict: {expected}\n")
        );
    }

    let server =
        CaptureServer::start(json!({"DescribeImageScanFindings": scan("IN_PROGRESS", json!({}))}));
    let out = Run::rcr()
        .args([
            "--endpoint-url",
            &server.url(),
            "image",
            "scan-gate",
            "shop/cart",
            "v1",
            "--fail-on",
            "HIGH",
            "--timeout",
            "1",
        ])
        .env("RCR_WAITER_DELAY_OVERRIDE", "0.2")
        .run();
    out.assert_exit(255);
    assert_eq!(
        out.stderr_str(),
        "\nrcr: [ERROR]: The scan of shop/cart:v1 did not finish within 1 seconds (status: IN_PROGRESS)\n"
    );
    let polls = server.requests().len();
    assert!((3..=8).contains(&polls), "{polls} polls in 1 s at 0.2 s");
    assert!(out.duration < Duration::from_secs(5), "{out}");

    // No scan at all: the service's error, 254.
    let server = CaptureServer::start(
        json!({"DescribeImageScanFindings": {"__type": "ScanNotFoundException",
        "message": "Image scan does not exist for the image with 'repositoryName=shop/cart'"}}),
    );
    let out = gate(&server.url(), "--fail-on HIGH");
    out.assert_exit(254);
    assert!(
        out.stderr_str().contains(
            "(ScanNotFoundException) when calling the DescribeImageScanFindings operation"
        ),
        "{out}"
    );

    // A bad command line never calls the service.
    let server = CaptureServer::empty();
    gate(&server.url(), "--fail-on SEVERE").assert_exit(252);
    gate(&server.url(), "").assert_exit(252);
    gate(&server.url(), "--fail-on HIGH --timeout soon").assert_exit(252);
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------- help ---

#[test]
fn help_pages_show_a_ci_example() {
    let out = Run::rcr().args(["image", "help"]).run();
    out.assert_success();
    let text = out.stdout_str();
    for sub in ["ls", "retag", "gc", "scan-gate"] {
        assert!(text.contains(&format!("o {sub}: ")), "{text}");
        let out = Run::rcr().args(["image", sub, "help"]).run();
        out.assert_success();
        let page = out.stdout_str();
        assert!(
            page.contains("\nEXAMPLES\n") && page.contains(&format!("rcr image {sub} ")),
            "{page}"
        );
        assert!(page.contains("\nGLOBAL OPTIONS\n"), "{page}");
    }
    let out = Run::rcr().args(["image", "scan-gate", "--help"]).run();
    assert!(out.stdout_str().contains("--fail-on (SEVERITY)"));
    let out = Run::rcr().args(["help"]).run();
    assert!(out.stdout_str().contains("o image"), "{out}");
    Run::rcr()
        .args(["image", "nope", "help"])
        .run()
        .assert_exit(252);
    Run::rcr().args(["image"]).run().assert_exit(252);
}
