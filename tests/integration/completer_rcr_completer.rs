//! `rcr_completer` end to end: the rcr binary started through a link of that
//! name, given `COMP_LINE` / `COMP_POINT` as bash's `complete -C` gives them,
//! against moto seeded with repositories and images. A table of lines with
//! the candidates expected (commands, options, repository names, ARNs,
//! registry ids, tags and digests, enum values, global choices, profiles,
//! regions, paths); the cache (a hit served without the service, in well
//! under 20 ms); an unreachable or silent endpoint and missing credentials
//! (nothing printed, exit 0, within two seconds); and real shells (bash, zsh,
//! fish and elvish in tmux) completing `rcr ecr describe-images --repository-name <TAB>`
//! with the committed scripts in `completions/`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;
use crate::common::{MotoServer, Output, Run, TempDir};
use serde_json::json;

const REPOSITORIES: &[&str] = &["shop/cart", "shop/checkout", "alpha"];

/// A directory with `rcr` and `rcr_completer`, both links to the rcr under test.
struct Bin {
    dir: TempDir,
}

impl Bin {
    fn new() -> Bin {
        let dir = TempDir::new("completer-bin");
        for name in ["rcr", "rcr_completer"] {
            std::os::unix::fs::symlink(common::rcr_bin(), dir.join(name))
                .unwrap_or_else(|e| panic!("cannot link {name}: {e}"));
        }
        Bin { dir }
    }

    fn completer(&self) -> PathBuf {
        self.dir.join("rcr_completer")
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// One completer run: the line, with the cursor at its end unless `point`.
fn complete_at(bin: &Bin, setup: impl Fn(&mut Run), line: &str, point: Option<usize>) -> Output {
    let mut run = Run::new(bin.completer());
    run.env("COMP_LINE", line)
        .env("COMP_POINT", point.unwrap_or(line.len()).to_string())
        .timeout(Duration::from_secs(20));
    let cache = run.dir().join("cache");
    run.env("XDG_CACHE_HOME", cache);
    setup(&mut run);
    // What bash passes after the program: the command, the word, the one before.
    run.args(["rcr", "", ""]);
    run.run()
}

fn lines(out: &Output) -> Vec<String> {
    out.stdout_str().lines().map(str::to_string).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

const MANIFEST_V1: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32654,"digest":"sha256:e692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}"#;
const MANIFEST_V2: &str = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7024,"digest":"sha256:c5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":32655,"digest":"sha256:f692418e4cbaf90ca69d05a66403747baa33ee08806650b51fab815ad7fc331f"}]}"#;

/// moto with the repositories, and two tagged images in `shop/cart`.
fn seeded_moto() -> Option<MotoServer> {
    let moto = MotoServer::start_or_skip()?;
    for name in REPOSITORIES {
        let r = moto.ecr_call("CreateRepository", &json!({"repositoryName": name}));
        assert_eq!(r.status, 200, "CreateRepository {name}: {}", r.body_str());
    }
    for (tag, manifest) in [("v1", MANIFEST_V1), ("v2", MANIFEST_V2)] {
        let r = moto.ecr_call(
            "PutImage",
            &json!({"repositoryName": "shop/cart", "imageTag": tag, "imageManifest": manifest}),
        );
        assert_eq!(r.status, 200, "PutImage {tag}: {}", r.body_str());
    }
    Some(moto)
}

/// The digests moto gave the images of `shop/cart`, sorted.
fn digests(moto: &MotoServer) -> Vec<String> {
    let r = moto.ecr_call("DescribeImages", &json!({"repositoryName": "shop/cart"}));
    let doc: serde_json::Value = serde_json::from_str(&r.body_str()).expect("DescribeImages JSON");
    let mut out: Vec<String> = doc["imageDetails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["imageDigest"].as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

/// How a case's candidates are compared.
enum Expect {
    /// Exactly these, in this order.
    Exactly(Vec<String>),
    /// These, in any order.
    Set(Vec<String>),
    /// At least these, and none of the others.
    Has(Vec<String>, Vec<String>),
}

#[test]
fn table_of_lines_against_moto() {
    let Some(moto) = seeded_moto() else {
        return;
    };
    let bin = Bin::new();
    let digests = digests(&moto);
    assert_eq!(digests.len(), 2, "moto holds two images");
    let arns: Vec<String> = REPOSITORIES
        .iter()
        .map(|r| format!("arn:aws:ecr:us-east-1:123456789012:repository/{r}"))
        .collect();
    let files = TempDir::new("completer-files");
    files.write("input.json", "{}");
    files.write("inputs/more.json", "{}");
    let file_prefix = format!("file://{}/in", files.path().display());

    use Expect::*;
    let cases: Vec<(&str, String, Expect)> = vec![
        ("services", "rcr ".into(), Exactly(strings(&["ecr", "ecr-public", "credential-helper", "image"]))),
        ("a service by prefix", "rcr ecr-".into(), Exactly(strings(&["ecr-public"]))),
        (
            "the credential helper's commands, from the customization table",
            "rcr credential-helper ".into(),
            Exactly(strings(&["configure", "doctor"])),
        ),
        (
            "the credential helper's options",
            "rcr credential-helper configure --".into(),
            Has(
                strings(&["--registry", "--account", "--podman", "--docker-config"]),
                strings(&["--repository-name"]),
            ),
        ),
        (
            "operations by prefix",
            "rcr ecr describe-image-s".into(),
            Exactly(strings(&["describe-image-scan-findings", "describe-image-signing-status"])),
        ),
        (
            "customizations among the operations",
            "rcr ecr ".into(),
            Has(strings(&["get-login-password", "wait", "put-image", "describe-repositories"]), strings(&["help"])),
        ),
        (
            "waiters",
            "rcr ecr wait ".into(),
            Exactly(strings(&["image-scan-complete", "lifecycle-policy-preview-complete"])),
        ),
        (
            "an operation's options and the global ones",
            "rcr ecr describe-images ".into(),
            Has(
                strings(&["--repository-name", "--image-ids", "--filter", "--max-items", "--cli-input-json", "--output", "--profile"]),
                strings(&["--force"]),
            ),
        ),
        (
            "options by prefix",
            "rcr ecr describe-images --repository-n".into(),
            Exactly(strings(&["--repository-name"])),
        ),
        (
            "options given are not offered again",
            "rcr ecr describe-images --repository-name alpha --re".into(),
            Exactly(strings(&["--registry-id", "--region"])),
        ),
        (
            "a switch and its negation",
            "rcr ecr delete-repository --fo".into(),
            Exactly(strings(&["--force"])),
        ),
        (
            "options after a switch (aws offers nothing there)",
            "rcr ecr delete-repository --force --no-".into(),
            Has(strings(&["--no-force", "--no-paginate", "--no-cli-pager"]), vec![]),
        ),
        (
            "global options only at the top",
            "rcr --".into(),
            Has(strings(&["--region", "--output", "--endpoint-url", "--cli-error-format"]), strings(&["--repository-name"])),
        ),
        (
            "get-login-password takes global options only",
            "rcr ecr get-login-password --".into(),
            Has(strings(&["--region"]), strings(&["--repository-name"])),
        ),
        (
            "repository names",
            "rcr ecr describe-images --repository-name ".into(),
            Set(strings(REPOSITORIES)),
        ),
        (
            "repository names by prefix",
            "rcr ecr describe-images --repository-name shop/c".into(),
            Set(strings(&["shop/cart", "shop/checkout"])),
        ),
        (
            "a list of repository names, without those given",
            "rcr ecr describe-repositories --repository-names alpha ".into(),
            Set(strings(&["shop/cart", "shop/checkout"])),
        ),
        (
            "repository ARNs",
            "rcr ecr list-tags-for-resource --resource-arn ".into(),
            Set(arns.clone()),
        ),
        (
            "registry ids",
            "rcr ecr describe-images --registry-id ".into(),
            Exactly(strings(&["123456789012"])),
        ),
        (
            "repository names in a waiter (aws offers none)",
            "rcr ecr wait image-scan-complete --repository-name al".into(),
            Exactly(strings(&["alpha"])),
        ),
        (
            "shorthand keys of image ids",
            "rcr ecr batch-delete-image --repository-name shop/cart --image-ids image".into(),
            Exactly(strings(&["imageDigest=", "imageTag="])),
        ),
        (
            "tags in image-ids shorthand",
            "rcr ecr describe-images --repository-name shop/cart --image-ids imageTag=".into(),
            Set(strings(&["imageTag=v1", "imageTag=v2"])),
        ),
        (
            "a second image id",
            "rcr ecr batch-get-image --repository-name shop/cart --image-ids imageTag=v1 imageTag=".into(),
            Set(strings(&["imageTag=v2"])),
        ),
        (
            "digests in image-id shorthand",
            "rcr ecr describe-image-scan-findings --repository-name shop/cart --image-id imageDigest=sha".into(),
            Set(digests.iter().map(|d| format!("imageDigest={d}")).collect()),
        ),
        (
            "tags of --image-tag",
            "rcr ecr put-image --repository-name shop/cart --image-tag v".into(),
            Set(strings(&["v1", "v2"])),
        ),
        (
            "no tags before the repository is known",
            "rcr ecr put-image --image-tag v".into(),
            Exactly(vec![]),
        ),
        (
            "tags and digests of rcr image",
            "rcr image retag shop/cart ".into(),
            Set(strings(&["v1", "v2"]).into_iter().chain(digests.iter().cloned()).collect()),
        ),
        (
            "repositories of rcr image",
            "rcr image ls sh".into(),
            Set(strings(&["shop/cart", "shop/checkout"])),
        ),
        (
            "enum values",
            "rcr ecr create-repository --image-tag-mutability ".into(),
            Set(strings(&["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "MUTABLE_WITH_EXCLUSION"])),
        ),
        (
            "enum values of a list",
            "rcr ecr create-repository-creation-template --applied-for REPLICATION ".into(),
            Exactly(strings(&["PULL_THROUGH_CACHE", "CREATE_ON_PUSH"])),
        ),
        (
            "--output choices",
            "rcr ecr describe-repositories --output ".into(),
            Exactly(strings(&["json", "text", "table", "yaml", "yaml-stream", "off"])),
        ),
        (
            "--cli-error-format choices",
            "rcr --cli-error-format ".into(),
            Exactly(strings(&["legacy", "json", "yaml", "text", "table", "enhanced"])),
        ),
        (
            "--cli-binary-format choices",
            "rcr --cli-binary-format ".into(),
            Exactly(strings(&["base64", "raw-in-base64-out"])),
        ),
        ("--color choices", "rcr ecr --color ".into(), Exactly(strings(&["on", "off", "auto"]))),
        (
            "profiles from the config and credentials files",
            "rcr --profile ".into(),
            Exactly(strings(&["default", "dev", "ci"])),
        ),
        (
            "regions of the service",
            "rcr ecr-public describe-registries --region us-".into(),
            Exactly(strings(&["us-east-1", "us-west-2"])),
        ),
        (
            "file:// paths",
            format!("rcr ecr describe-images --cli-input-json {file_prefix}"),
            Exactly(vec![
                format!("{file_prefix}put.json"),
                format!("{file_prefix}puts/"),
            ]),
        ),
        ("an unknown command", "rcr ecr frobnicate ".into(), Exactly(vec![])),
    ];

    let setup = |run: &mut Run| {
        run.env("AWS_ENDPOINT_URL_ECR", moto.url());
        run.write_config(
            "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[sso-session s]\n",
        );
        run.write_credentials("[ci]\naws_access_key_id = x\naws_secret_access_key = y\n");
    };
    let mut failures = Vec::new();
    for (what, line, expect) in &cases {
        let out = complete_at(&bin, setup, line, None);
        if out.code != Some(0) || !out.stderr.is_empty() {
            failures.push(format!(
                "{what}: `{line}`: exit {:?}, stderr {}",
                out.code,
                out.stderr_str()
            ));
            continue;
        }
        let got = lines(&out);
        let ok = match expect {
            Exactly(want) => &got == want,
            Set(want) => sorted(got.clone()) == sorted(want.clone()),
            Has(want, not) => {
                want.iter().all(|w| got.contains(w)) && not.iter().all(|n| !got.contains(n))
            }
        };
        if !ok {
            let want = match expect {
                Exactly(w) | Set(w) => format!("{w:?}"),
                Has(w, n) => format!("{w:?} and none of {n:?}"),
            };
            failures.push(format!(
                "{what}: `{line}`:\n    got  {got:?}\n    want {want}"
            ));
        }
    }
    common::assert_no_failures(&failures, cases.len(), "cases failed", "\n");
    eprintln!("{} completion cases passed", cases.len());
}

#[test]
fn ecr_public_from_a_scripted_endpoint_with_pages() {
    // moto has no ECR Public: the capture server answers instead, with the
    // repositories on two pages (aws reads only the first; rcr follows the
    // paginator's token).
    let registry = "111122223333";
    let arn = format!("arn:aws:ecr-public::{registry}:registry/{registry}");
    let server = common::CaptureServer::start(json!({
        "DescribeRepositories": [
            {"__when_token": null, "repositories": [{"repositoryName": "pub-a", "registryId": registry}], "nextToken": "p2"},
            {"__when_token": "p2", "repositories": [{"repositoryName": "pub-b", "registryId": registry}]}
        ],
        "DescribeRegistries": {"registries": [{
            "registryId": registry, "registryArn": arn, "registryUri": "public.ecr.aws/x",
            "verified": false, "aliases": []
        }]},
        "DescribeImages": {"imageDetails": [{
            "registryId": registry, "repositoryName": "pub-a",
            "imageDigest": "sha256:0123", "imageTags": ["latest", "1.0"]
        }]}
    }));
    let bin = Bin::new();
    let setup = |run: &mut Run| {
        run.env("AWS_ENDPOINT_URL_ECR_PUBLIC", server.url());
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        (
            "rcr ecr-public describe-images --repository-name ",
            strings(&["pub-a", "pub-b"]),
        ),
        (
            "rcr ecr-public describe-images --registry-id ",
            strings(&[registry]),
        ),
        (
            "rcr ecr-public tag-resource --resource-arn arn:",
            vec![arn.clone()],
        ),
        (
            "rcr ecr-public batch-delete-image --repository-name pub-a --image-ids imageTag=",
            strings(&["imageTag=latest", "imageTag=1.0"]),
        ),
    ];
    for (line, want) in &cases {
        let out = complete_at(&bin, setup, line, None);
        assert_eq!(&lines(&out), want, "`{line}`: {}", out.stderr_str());
    }
    let targets: Vec<String> = server
        .requests()
        .iter()
        .filter_map(|r| r.header("x-amz-target").map(str::to_string))
        .collect();
    assert_eq!(
        targets
            .iter()
            .filter(|t| t.ends_with(".DescribeRepositories"))
            .count(),
        2,
        "both pages read: {targets:?}"
    );
}

#[test]
fn the_cursor_position_and_the_endpoint_on_the_line() {
    let Some(moto) = seeded_moto() else {
        return;
    };
    let bin = Bin::new();
    // Only the part before the cursor counts.
    let line = "rcr ecr describe-images --repository-name alpha";
    let out = complete_at(&bin, |_| {}, line, Some("rcr ecr describe-imag".len()));
    assert_eq!(
        lines(&out),
        strings(&[
            "describe-image-replication-status",
            "describe-image-scan-findings",
            "describe-image-signing-status",
            "describe-images"
        ])
    );
    // --endpoint-url and --region on the line choose where the call goes.
    let line = format!(
        "rcr --region us-east-1 ecr describe-images --endpoint-url {} --repository-name al",
        moto.url()
    );
    let out = complete_at(
        &bin,
        |run| {
            run.env_remove("AWS_DEFAULT_REGION");
        },
        &line,
        None,
    );
    assert_eq!(lines(&out), strings(&["alpha"]), "{}", out.stderr_str());
    // AWS_ENDPOINT_URL (for every service) is honoured like AWS_ENDPOINT_URL_ECR.
    let out = complete_at(
        &bin,
        |run| {
            run.env("AWS_ENDPOINT_URL", moto.url());
        },
        "rcr ecr describe-images --repository-name al",
        None,
    );
    assert_eq!(lines(&out), strings(&["alpha"]));
}

#[test]
fn a_cached_answer_is_served_without_the_service_and_fast() {
    let Some(moto) = seeded_moto() else {
        return;
    };
    let bin = Bin::new();
    let cache = TempDir::new("completer-cache");
    let line = "rcr ecr describe-images --repository-name ";
    // The same files for every run: the config file's path is part of the
    // cache key (another file may define other profiles).
    let config = cache.write("aws-config", "");
    let credentials = cache.write("aws-credentials", "");
    let with = |ttl: Option<&'static str>| {
        let url = moto.url();
        let cache = cache.path().to_path_buf();
        let (config, credentials) = (config.clone(), credentials.clone());
        move |run: &mut Run| {
            run.env("AWS_ENDPOINT_URL_ECR", &url)
                .env("XDG_CACHE_HOME", &cache)
                .env("AWS_CONFIG_FILE", &config)
                .env("AWS_SHARED_CREDENTIALS_FILE", &credentials);
            if let Some(ttl) = ttl {
                run.env("RCR_COMPLETER_CACHE_SECONDS", ttl);
            }
        }
    };
    let first = complete_at(&bin, with(None), line, None);
    assert_eq!(sorted(lines(&first)), sorted(strings(REPOSITORIES)));
    assert!(
        std::fs::read_dir(cache.join("rcr/completions"))
            .map(|d| d.count())
            .unwrap_or(0)
            >= 1,
        "the answer is cached under $XDG_CACHE_HOME/rcr/completions"
    );

    // A repository created after the first answer is not seen while the
    // entry lives: the answer came from the cache, not from moto.
    let r = moto.ecr_call("CreateRepository", &json!({"repositoryName": "zeta"}));
    assert_eq!(r.status, 200);
    // Timed from a plain spawn (not the harness's `Run`, whose pipe threads
    // add their own time on a loaded machine). Wall time is the best of
    // several runs, so that scheduling on a busy machine cannot fail it; CPU
    // time (user + system, from wait4) does not depend on the load and shows
    // that a hit does no work beyond reading a file.
    let mut hit = Run::new(bin.completer());
    with(None)(&mut hit);
    hit.env("COMP_LINE", line)
        .env("COMP_POINT", line.len().to_string());
    let env = hit.effective_env();
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    // 25 runs, and more (up to 100) while none was under 20 ms: a machine
    // busy with other builds can stretch a few runs, not all of them.
    for run in 0..100 {
        if run >= 25 && walls.iter().any(|w| *w < Duration::from_millis(20)) {
            break;
        }
        let (stdout, wall, cpu) = timed_run(&bin.completer(), &env);
        let got: Vec<String> = stdout.lines().map(str::to_string).collect();
        assert_eq!(sorted(got), sorted(strings(REPOSITORIES)), "cached answer");
        walls.push(wall);
        cpus.push(cpu);
    }
    walls.sort();
    cpus.sort();
    let (best, median) = (walls[0], walls[walls.len() / 2]);
    let cpu_median = cpus[cpus.len() / 2];
    eprintln!(
        "cache hit over {} runs: wall best {best:?}, median {median:?}; CPU median {cpu_median:?}",
        walls.len()
    );
    assert!(
        best < Duration::from_millis(20),
        "a cache hit took {best:?} at best"
    );
    assert!(
        cpu_median < Duration::from_millis(20),
        "a cache hit used {cpu_median:?} of CPU"
    );

    // With the cache off (lifetime 0) the service answers, zeta included.
    let fresh = complete_at(&bin, with(Some("0")), line, None);
    assert!(
        lines(&fresh).contains(&"zeta".to_string()),
        "{:?}",
        lines(&fresh)
    );
}

#[test]
fn no_service_means_no_candidates_quickly_and_quietly() {
    let bin = Bin::new();
    // A port where nothing listens; a listener that accepts and never
    // answers (the read must time out); and no credentials at all.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        drop(l);
        format!("http://127.0.0.1:{port}")
    };
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_url = format!(
        "http://127.0.0.1:{}",
        silent.local_addr().expect("addr").port()
    );
    let throttling = common::CaptureServer::start(json!({
        "DescribeRepositories": {"__status": 400, "__type": "ThrottlingException", "message": "Rate exceeded"}
    }));
    let throttling_url = throttling.url();
    type Setup = Box<dyn Fn(&mut Run)>;
    let cases: Vec<(&str, Setup)> = vec![
        (
            "nothing listening",
            Box::new(move |run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", &closed);
            }),
        ),
        (
            "an endpoint that never answers",
            Box::new(move |run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", &silent_url);
            }),
        ),
        (
            "no credentials",
            Box::new(|run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9")
                    .env_remove("AWS_ACCESS_KEY_ID")
                    .env_remove("AWS_SECRET_ACCESS_KEY");
            }),
        ),
        (
            "no region",
            Box::new(|run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9")
                    .env_remove("AWS_DEFAULT_REGION");
            }),
        ),
        (
            "a profile that does not exist",
            Box::new(|run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", "http://127.0.0.1:9")
                    .env("AWS_PROFILE", "nobody");
            }),
        ),
        (
            "a throttle",
            Box::new(move |run: &mut Run| {
                run.env("AWS_ENDPOINT_URL_ECR", &throttling_url);
            }),
        ),
    ];
    for (what, setup) in &cases {
        let started = Instant::now();
        let out = complete_at(
            &bin,
            |run| setup(run),
            "rcr ecr describe-images --repository-name ",
            None,
        );
        let took = started.elapsed();
        assert_eq!(out.code, Some(0), "{what}: exit code");
        assert!(out.stdout.is_empty(), "{what}: stdout {}", out.stdout_str());
        assert!(out.stderr.is_empty(), "{what}: stderr {}", out.stderr_str());
        assert!(took < Duration::from_secs(2), "{what}: took {took:?}");
        eprintln!("{what}: nothing, in {took:?}");
    }
    // One attempt: a throttled service is not asked again while the user waits.
    assert_eq!(
        throttling.requests().len(),
        1,
        "requests to the throttling service"
    );
    // Without COMP_LINE there is nothing to complete.
    let out = Run::new(bin.completer()).run();
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

/// Runs a program once with exactly `env`: its stdout, wall time and CPU
/// time (user + system, from `wait4`'s rusage).
fn timed_run(
    program: &Path,
    env: &std::collections::BTreeMap<String, std::ffi::OsString>,
) -> (String, Duration, Duration) {
    use std::io::Read;
    let started = Instant::now();
    // Reaped by wait4 below, which std's `Child` does not know about.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(program)
        .env_clear()
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run rcr_completer");
    let mut stdout = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_string(&mut stdout).expect("read stdout");
    }
    let pid = i32::try_from(child.id()).expect("pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child with valid pointers; the child is
    // reaped here, so std's `Child` is never waited on.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(reaped, pid, "wait4");
    let time = |tv: libc::timeval| {
        Duration::from_secs(u64::try_from(tv.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(tv.tv_usec).unwrap_or(0))
    };
    (stdout, wall, time(usage.ru_utime) + time(usage.ru_stime))
}

// ------------------------------------------------------------ real shells

/// A tmux server of its own (its own socket), killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        let socket = format!("rcr-completer-{}-{name}", std::process::id());
        Tmux { socket }
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("TERM", "xterm")
            .output()
            .unwrap_or_else(|e| {
                panic!("cannot run tmux (install it: scripts/setup-test-env.sh): {e}")
            })
    }

    fn start(&self, shell_command: &str) {
        let out = self.cmd(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "200",
            "-y",
            "50",
            shell_command,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn keys(&self, literal: &str) {
        let out = self.cmd(&["send-keys", "-t", "t", "-l", "--", literal]);
        assert!(
            out.status.success(),
            "tmux send-keys: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn key(&self, name: &str) {
        // A key sent in the same instant as the text before it can reach a
        // shell still busy with that text (fish drops a TAB then).
        std::thread::sleep(Duration::from_millis(200));
        let out = self.cmd(&["send-keys", "-t", "t", name]);
        assert!(
            out.status.success(),
            "tmux send-keys: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Abandons the line (a pager first, in fish) and waits for a fresh prompt.
    fn fresh_line(&self) {
        self.key("C-c");
        std::thread::sleep(Duration::from_millis(300));
        self.key("C-c");
        self.wait_for("a fresh prompt", |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::trim_end)
                == Some("$")
        });
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Waits until the screen satisfies `done`, and returns it.
    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("{what}: the screen never showed it:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn require_program(name: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
        || Path::new("/usr/bin").join(name).is_file();
    assert!(
        found,
        "{name} is not installed: run scripts/setup-test-env.sh (it installs tmux, zsh, fish and elvish)"
    );
}

/// The environment line for a shell: rcr and rcr_completer on PATH, moto as
/// the ECR endpoint, a cache and HOME of the test's own.
fn shell_env(bin: &Bin, home: &TempDir, moto: &MotoServer) -> String {
    // A profile whose credential process asks the terminal for a code (as
    // MFA helpers do) and writes what it read to `stolen`.
    let config = home.write(
        "aws-config",
        format!(
            "[profile prompt]\ncredential_process = sh -c 'read -r code </dev/tty && echo \"$code\" > {}'\n",
            home.join("stolen").display()
        ),
    );
    let credentials = home.write("aws-credentials", "");
    [
        "TERM=xterm".to_string(),
        format!("HOME={}", home.path().display()),
        format!("PATH={}:/usr/bin:/bin", bin.path().display()),
        "AWS_ACCESS_KEY_ID=AKIDEXAMPLE".into(),
        "AWS_SECRET_ACCESS_KEY=secretexample".into(),
        "AWS_DEFAULT_REGION=us-east-1".into(),
        "AWS_EC2_METADATA_DISABLED=true".into(),
        format!("AWS_CONFIG_FILE={}", config.display()),
        format!("AWS_SHARED_CREDENTIALS_FILE={}", credentials.display()),
        format!("AWS_ENDPOINT_URL_ECR={}", moto.url()),
        format!("XDG_CACHE_HOME={}", home.join("cache").display()),
    ]
    .join(" ")
}

fn script(name: &str) -> PathBuf {
    common::repo_root().join("completions").join(name)
}

/// Types the line, presses TAB (twice where the shell lists on the second),
/// and checks the repositories are listed; then completes a unique prefix;
/// then, with a profile whose credential process would prompt on the
/// terminal, checks that TAB gives the terminal back: what is typed next
/// reaches the line, not the prompt.
fn complete_in_shell(tmux: &Tmux, home: &TempDir, tabs_to_list: usize) {
    tmux.wait_for("the prompt", |s| s.lines().any(|l| l.trim_end() == "$"));
    tmux.keys("rcr ecr describe-images --repository-name ");
    for _ in 0..tabs_to_list {
        tmux.key("Tab");
        std::thread::sleep(Duration::from_millis(300));
    }
    tmux.wait_for("the repositories listed", |s| {
        REPOSITORIES.iter().all(|r| s.contains(r))
    });
    tmux.fresh_line();
    tmux.keys("rcr ecr describe-images --repository-name al");
    tmux.key("Tab");
    tmux.wait_for("the unique repository completed", |s| {
        s.contains("--repository-name alpha")
    });
    tmux.fresh_line();
    tmux.keys("rcr --profile prompt ecr describe-images --repository-name ");
    tmux.key("Tab");
    std::thread::sleep(Duration::from_millis(2500));
    tmux.keys("typed");
    tmux.wait_for("the keys typed after TAB on the line", |s| {
        s.contains("--repository-name typed")
    });
    assert!(
        !home.join("stolen").exists(),
        "the credential process read from the terminal"
    );
}

/// Starts `program` in tmux, with a fresh home that `configure` fills with
/// the shell's start-up files (it returns the shell's command line), and runs
/// the completion checks.
fn completes_in(
    name: &str,
    program: &str,
    tabs_to_list: usize,
    configure: impl FnOnce(&TempDir) -> String,
) {
    require_program("tmux");
    require_program(program);
    let Some(moto) = seeded_moto() else {
        return;
    };
    let bin = Bin::new();
    let home = TempDir::new(&format!("completer-{name}"));
    let command = configure(&home);
    let tmux = Tmux::new(name);
    tmux.start(&format!(
        "env -i {} {command}",
        shell_env(&bin, &home, &moto)
    ));
    complete_in_shell(&tmux, &home, tabs_to_list);
}

#[test]
fn bash_completes_repository_names() {
    completes_in("bash", "bash", 2, |home| {
        let rc = home.write(
            "bashrc",
            format!("PS1='$ '\nsource {}\n", script("rcr.bash").display()),
        );
        format!("bash --noprofile --rcfile {} -i", rc.display())
    });
}

#[test]
fn bash_completes_with_complete_dash_c_as_for_aws() {
    completes_in("bash-c", "bash", 2, |home| {
        let rc = home.write("bashrc", "PS1='$ '\ncomplete -C rcr_completer rcr\n");
        format!("bash --noprofile --rcfile {} -i", rc.display())
    });
}

#[test]
fn zsh_completes_repository_names() {
    completes_in("zsh", "zsh", 1, |home| {
        home.write(
            ".zshrc",
            format!(
                "PS1='$ '\nfpath=({} $fpath)\nautoload -Uz compinit && compinit -u -D\n",
                script("").display()
            ),
        );
        format!("ZDOTDIR={} zsh -i", home.path().display())
    });
}

#[test]
fn fish_completes_repository_names() {
    completes_in("fish", "fish", 1, |home| {
        home.write(
            "config/fish/config.fish",
            format!(
                "function fish_prompt; echo '$ '; end\nfunction fish_greeting; end\nsource {}\n",
                script("rcr.fish").display()
            ),
        );
        format!("XDG_CONFIG_HOME={} fish -i", home.join("config").display())
    });
}

#[test]
fn elvish_completes_repository_names() {
    completes_in("elvish", "elvish", 1, |home| {
        let module = std::fs::read_to_string(script("rcr.elv")).expect("completions/rcr.elv");
        home.write("config/elvish/lib/rcr.elv", module);
        home.write(
            "config/elvish/rc.elv",
            "set edit:prompt = { put '$ ' }\nset edit:rprompt = { }\nuse rcr\n",
        );
        format!("XDG_CONFIG_HOME={} elvish", home.join("config").display())
    });
}
