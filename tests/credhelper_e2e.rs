//! End to end with real container tooling: a local Distribution registry
//! (`docker-registry`) with htpasswd auth for user AWS and moto's token as
//! the password, skopeo configured with `credHelpers` for that registry,
//! written by `rcr credential-helper configure --podman`, and the alias
//! map pointing the registry at a moto ECR registry. skopeo
//! pushes an image and lists its tags without any `login`; without the
//! helper the registry refuses it.
//!
//! The registry, htpasswd and skopeo come from Debian (docker-registry,
//! apache2-utils, skopeo); when missing they are installed with apt-get,
//! and the test is skipped, saying why, only when that is impossible.

mod common;
mod credhelper_support;

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Run, TempDir};
use credhelper_support::*;

/// moto's GetAuthorizationToken password for its default account.
const MOTO_PASSWORD: &str = "123456789012-auth-token";
const MOTO_REGISTRY: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes sure the Debian tools are there; `Err` says why they cannot be.
fn ensure_tools() -> Result<(), String> {
    let wanted = [
        ("docker-registry", "docker-registry"),
        ("htpasswd", "apache2-utils"),
        ("skopeo", "skopeo"),
        ("sha256sum", "coreutils"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(cmd, _)| !have(cmd))
        .map(|(_, pkg)| *pkg)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    if !have("apt-get") {
        return Err(format!("{missing:?} missing and no apt-get"));
    }
    let status = Command::new("sh")
        .args([
            "-c",
            &format!(
                "(apt-get install -y --no-install-recommends {m} || (apt-get update && apt-get install -y --no-install-recommends {m})) >/dev/null 2>&1",
                m = missing.join(" ")
            ),
        ])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!("apt-get could not install {missing:?}")),
    }
}

/// A `docker-registry` process, killed on drop.
struct Registry {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Registry {
    fn start(dir: &TempDir) -> Registry {
        let htpasswd = Command::new("htpasswd")
            .args(["-Bbn", "AWS", MOTO_PASSWORD])
            .output()
            .expect("run htpasswd");
        assert!(htpasswd.status.success(), "htpasswd failed");
        let htpasswd_path = dir.write("htpasswd", &htpasswd.stdout);
        let port = common::free_port();
        let config = dir.write(
            "registry.yml",
            format!(
                "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n  secret: rcr-test\nauth:\n  htpasswd:\n    realm: rcr-test\n    path: {}\n",
                dir.join("data").display(),
                htpasswd_path.display()
            ),
        );
        let log = dir.join("registry.log");
        let out = std::fs::File::create(&log).expect("registry log");
        let err = out.try_clone().expect("registry log");
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start docker-registry");
        let mut registry = Registry { child, port, log };
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = registry.child.try_wait() {
                panic!("docker-registry exited ({status}):\n{}", registry.log());
            }
            assert!(
                Instant::now() < deadline,
                "docker-registry did not listen:\n{}",
                registry.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        registry
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn sha256(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_string()
}

/// Stores `bytes` as a blob of the OCI layout in `dir`; returns digest and size.
fn blob(dir: &Path, bytes: &[u8]) -> (String, usize) {
    let tmp = dir.join("blob.tmp");
    std::fs::write(&tmp, bytes).expect("write blob");
    let digest = sha256(&tmp);
    std::fs::rename(&tmp, dir.join("blobs/sha256").join(&digest)).expect("store blob");
    (format!("sha256:{digest}"), bytes.len())
}

/// A one-layer image (an empty tar) in OCI layout, tagged `v1`.
fn oci_image(dir: &Path) {
    std::fs::create_dir_all(dir.join("blobs/sha256")).expect("layout dir");
    let (layer, layer_size) = blob(dir, &[0u8; 1024]);
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{layer}"]}}}}"#
    );
    let (config, config_size) = blob(dir, config.as_bytes());
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config}","size":{config_size}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":{layer_size}}}]}}"#
    );
    let (manifest, manifest_size) = blob(dir, manifest.as_bytes());
    std::fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{manifest}","size":{manifest_size},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#
        ),
    )
    .expect("index.json");
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#)
        .expect("oci-layout");
}

#[test]
fn skopeo_pushes_and_lists_through_the_helper_without_login() {
    if let Err(why) = ensure_tools() {
        eprintln!("SKIPPED (credential helper end to end): {why}");
        return;
    }
    let moto = require_moto!();
    let dir = TempDir::new("credhelper-e2e");
    let registry = Registry::start(&dir);
    let host = format!("127.0.0.1:{}", registry.port);
    oci_image(&dir.join("oci"));
    let policy = dir.write(
        "policy.json",
        r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
    );
    let with_helper = dir.join("auth.json");
    let without = dir.write("no-auth.json", "{}");
    let alias_config = format!("[aliases]\n\"{host}\" = \"{MOTO_REGISTRY}\"\n");

    // The auth file is written by `configure`, as a user would set up.
    let mut configure = Run::rcr();
    configure
        .args([
            "credential-helper",
            "configure",
            "--podman",
            "--registry",
            &host,
        ])
        .arg("--docker-config")
        .arg(dir.join("docker"))
        .env("REGISTRY_AUTH_FILE", &with_helper);
    write_helper_config(&configure, &alias_config);
    let out = configure.run();
    out.assert_exit(0);
    assert!(
        out.stdout_str()
            .contains(&format!("auth.json: credHelpers {host}: added")),
        "{out}"
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&with_helper).expect("auth file"))
            .expect("auth file is JSON");
    assert_eq!(written, serde_json::json!({"credHelpers": {&host: "rcr"}}));

    // doctor agrees that the setup is sound, moto's token included.
    let mut doctor = Run::rcr();
    doctor
        .args(["credential-helper", "doctor", &host])
        .env("HOME", configure.home_dir())
        .env("DOCKER_CONFIG", dir.join("docker"))
        .env("REGISTRY_AUTH_FILE", &with_helper)
        .env("AWS_ENDPOINT_URL", moto.url())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        );
    let out = doctor.run();
    assert_eq!(out.exit_code(), 0, "doctor on the end-to-end setup:\n{out}");
    assert!(
        out.stdout_str()
            .contains(&format!("alias of {MOTO_REGISTRY}")),
        "{out}"
    );

    let skopeo = |auth: &Path, args: &[&str]| {
        let mut run = Run::new("skopeo");
        run.arg("--policy").arg(&policy).args(args);
        // The helper runs as skopeo's child and inherits this environment:
        // found on PATH by name, moto as its endpoint, the alias map
        // sending the local registry to moto's registry.
        let path = std::env::var("PATH").unwrap_or_default();
        run.env("PATH", format!("{}:{path}", bin_dir().display()))
            .env("AWS_ENDPOINT_URL", moto.url())
            .env("REGISTRY_AUTH_FILE", auth);
        write_helper_config(&run, &alias_config);
        run.run()
    };

    let oci = format!("oci:{}:v1", dir.join("oci").display());
    let repo = format!("docker://{host}/demo");

    // Without the helper the registry wants a login.
    let out = skopeo(
        &without,
        &[
            "copy",
            "--dest-tls-verify=false",
            &oci,
            &format!("{repo}:v1"),
        ],
    );
    assert_ne!(
        out.exit_code(),
        0,
        "the registry must refuse anonymous pushes:\n{out}"
    );
    assert!(
        out.stderr_str().contains("unauthorized")
            || out.stderr_str().contains("authentication required"),
        "{out}"
    );

    let out = skopeo(
        &with_helper,
        &[
            "copy",
            "--dest-tls-verify=false",
            &oci,
            &format!("{repo}:v1"),
        ],
    );
    assert_eq!(
        out.exit_code(),
        0,
        "push through the helper:\n{out}\n{}",
        registry.log()
    );

    let out = skopeo(&with_helper, &["list-tags", "--tls-verify=false", &repo]);
    assert_eq!(out.exit_code(), 0, "list-tags through the helper:\n{out}");
    let tags = out.stdout_json();
    assert_eq!(tags["Tags"], serde_json::json!(["v1"]), "{out}");

    let out = skopeo(&without, &["list-tags", "--tls-verify=false", &repo]);
    assert_ne!(out.exit_code(), 0, "anonymous list-tags must fail:\n{out}");
}
