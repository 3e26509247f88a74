//! Nothing is lost: files given with `file://`, `fileb://`,
//! `--cli-input-json file://` and `--cli-input-yaml file://` are only ever
//! read (same bytes, same mtime, and read-only files work), whether the run
//! succeeds, is refused, or fails at the service; and a pager never swallows
//! an error or its exit code (the error goes to stderr, the code stays).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{CaptureServer, Run, TempDir, repository_call};
use serde_json::json;

fn snapshot(path: &Path) -> (Vec<u8>, SystemTime, u32) {
    let meta = std::fs::metadata(path).expect("metadata");
    (
        std::fs::read(path).expect("read"),
        meta.modified().expect("mtime"),
        meta.permissions().mode(),
    )
}

#[test]
fn input_files_are_only_read() {
    let server = CaptureServer::start(json!({
        "CreateRepository": {"repository": {"repositoryName": "repo"}},
        "UploadLayerPart": {"registryId": "1", "repositoryName": "repo", "uploadId": "u", "lastByteReceived": 3},
        "PutLifecyclePolicy": {"__status": 400, "__type": "RepositoryNotFoundException", "message": "gone"},
    }));
    let dir = TempDir::new("nothing-lost");
    let files: Vec<PathBuf> = vec![
        dir.write(
            "in.json",
            r#"{"repositoryName": "repo", "imageTagMutability": "MUTABLE"}"#,
        ),
        dir.write(
            "in.yaml",
            "repositoryName: repo\nimageScanningConfiguration:\n  scanOnPush: true\n",
        ),
        dir.write("tags.json", r#"[{"Key": "team", "Value": "shop"}]"#),
        dir.write("bad.json", r#"{"repositoryName": "repo", "#),
        dir.write("blob.bin", [0u8, 159, 146, 150]),
        dir.write(
            "policy.json",
            format!(r#"{{"rules": [], "description": "{}"}}"#, "x".repeat(100)),
        ),
    ];
    // Read-only: any attempt to open them for writing would fail loudly.
    for f in &files {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    }
    let before: Vec<_> = files.iter().map(|f| snapshot(f)).collect();
    // Let a write, if any, land in a later mtime tick.
    std::thread::sleep(Duration::from_millis(20));
    let d = dir.path().display().to_string();
    let url = server.url();
    let runs: Vec<(Vec<String>, i32)> = vec![
        (
            vec![
                "ecr".into(),
                "create-repository".into(),
                "--cli-input-json".into(),
                format!("file://{d}/in.json"),
                "--tags".into(),
                format!("file://{d}/tags.json"),
            ],
            0,
        ),
        (
            vec![
                "ecr".into(),
                "create-repository".into(),
                "--cli-input-yaml".into(),
                format!("file://{d}/in.yaml"),
            ],
            0,
        ),
        (
            vec![
                "ecr".into(),
                "create-repository".into(),
                "--cli-input-json".into(),
                format!("file://{d}/bad.json"),
            ],
            252,
        ),
        (
            vec![
                "ecr".into(),
                "upload-layer-part".into(),
                "--repository-name".into(),
                "repo".into(),
                "--upload-id".into(),
                "u".into(),
                "--part-first-byte".into(),
                "0".into(),
                "--part-last-byte".into(),
                "3".into(),
                "--layer-part-blob".into(),
                format!("fileb://{d}/blob.bin"),
            ],
            0,
        ),
        (
            vec![
                "ecr".into(),
                "put-lifecycle-policy".into(),
                "--repository-name".into(),
                "repo".into(),
                "--lifecycle-policy-text".into(),
                format!("file://{d}/policy.json"),
            ],
            254,
        ),
        (
            vec![
                "ecr".into(),
                "create-repository".into(),
                "--cli-input-json".into(),
                format!("file://{d}/in.json"),
                "--generate-cli-skeleton".into(),
            ],
            0,
        ),
    ];
    for (args, code) in runs {
        let out = Run::rcr().args(&args).args(["--endpoint-url", &url]).run();
        out.assert_exit(code);
    }
    let after: Vec<_> = files.iter().map(|f| snapshot(f)).collect();
    for (f, (b, a)) in files.iter().zip(before.iter().zip(&after)) {
        assert_eq!(b, a, "{} changed", f.display());
    }
    // The request really carried the file contents.
    let blob = server
        .requests()
        .into_iter()
        .find(|r| r.operation.as_deref() == Some("UploadLayerPart"))
        .expect("upload request");
    assert_eq!(blob.body["layerPartBlob"], "AJ+Slg==");
}

/// Runs `rcr args` under `script`, so stdout is a terminal and the pager
/// runs; returns (exit code, everything printed).
fn on_terminal(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut run = Run::rcr();
    run.args(args);
    for (k, v) in env {
        run.env(k, v);
    }
    let out = run.run_on_terminal();
    (out.exit_code(), out.stdout_str())
}

#[test]
fn a_pager_never_swallows_an_error_or_its_code() {
    let server = CaptureServer::start(json!({
        "DescribeRepositories": {"__status": 400, "__type": "RepositoryNotFoundException", "message": "gone"},
        "ListImages": {"imageIds": [{"imageTag": "v1"}]},
    }));
    let dir = TempDir::new("pager");
    let record = dir.join("paged.out");
    let pager = format!("cat > {}", record.display());
    let url = server.url();
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (
            vec!["ecr", "describe-repositories", "--endpoint-url", &url],
            254,
        ),
        (repository_call("describe-images", "x", &url, &[]), 252),
        (
            repository_call("list-images", "repo", &url, &["--query", "["]),
            252,
        ),
        (
            repository_call("list-images", "repo", "http://127.0.0.1:9", &[]),
            255,
        ),
    ];
    for (args, code) in cases {
        let _ = std::fs::remove_file(&record);
        let (got, printed) =
            on_terminal(&args, &[("AWS_PAGER", &pager), ("AWS_MAX_ATTEMPTS", "1")]);
        assert_eq!(got, code, "{args:?}: {printed}");
        assert!(
            printed.contains("[ERROR]"),
            "{args:?}: the error reached the terminal: {printed}"
        );
        let paged = std::fs::read_to_string(&record).unwrap_or_default();
        assert!(
            !paged.contains("ERROR"),
            "{args:?}: the error went into the pager: {paged}"
        );
    }
    // A pager that fails or quits at once does not turn a success into a
    // failure, nor hang.
    for pager in ["false", "head -c 1 >/dev/null", "exit 3"] {
        let (got, printed) = on_terminal(
            &repository_call("list-images", "repo", &url, &[]),
            &[("AWS_PAGER", pager)],
        );
        assert_eq!(got, 0, "pager {pager}: {printed}");
        assert!(
            !printed.contains("panicked") && !printed.contains("Broken pipe"),
            "{printed}"
        );
    }
}
