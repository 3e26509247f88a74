//! The login pipe end to end, with a real registry and a real container
//! client: moto_server issues the ECR authorization token; Debian's
//! `docker-registry` (Distribution) is configured with htpasswd auth for user
//! `AWS` and the password moto issues; then
//! `rcr ecr get-login-password | skopeo login --username AWS --password-stdin`
//! logs in, and a push and a tag listing that only an authenticated client
//! may do succeed (and fail without the login). Everything listens on
//! 127.0.0.1 over plain HTTP. Skipped, with the reason printed, where one of
//! the programs is missing (`.ci/run` installs them:
//! `apt-get install docker-registry apache2-utils skopeo`, `pip install moto[server]`).

#[path = "custom_support/mod.rs"]
mod support;

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use support::{rcr, run, temp_dir};

/// Kills the child (a server) when the test ends, however it ends.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn sh(cmd: &mut Command) -> (String, String, bool) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn sha256(path: &Path) -> String {
    let (out, err, ok) = sh(Command::new("sha256sum").arg(path));
    assert!(ok, "{err}");
    out.split_whitespace().next().unwrap().to_string()
}

/// Writes `bytes` as a blob of the OCI layout at `dir`; returns its digest
/// and size.
fn blob(dir: &Path, bytes: &[u8]) -> (String, usize) {
    let tmp = dir.join("blob.tmp");
    std::fs::write(&tmp, bytes).unwrap();
    let digest = sha256(&tmp);
    std::fs::rename(&tmp, dir.join("blobs/sha256").join(&digest)).unwrap();
    (format!("sha256:{digest}"), bytes.len())
}

/// A one-layer OCI image layout holding one small file, built by hand.
fn tiny_image(dir: &Path) {
    std::fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("hello.txt"), "hello from rcr\n").unwrap();
    let tar = dir.join("layer.tar");
    let (_, err, ok) = sh(Command::new("tar")
        .arg("-cf")
        .arg(&tar)
        .arg("-C")
        .arg(&content)
        .arg("hello.txt"));
    assert!(ok, "{err}");
    let (layer, layer_size) = blob(dir, &std::fs::read(&tar).unwrap());
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","config":{{}},"rootfs":{{"type":"layers","diff_ids":["{layer}"]}}}}"#
    );
    let (config_digest, config_size) = blob(dir, config.as_bytes());
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{config_digest}","size":{config_size}}},"layers":[{{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"{layer}","size":{layer_size}}}]}}"#
    );
    let (manifest_digest, manifest_size) = blob(dir, manifest.as_bytes());
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    std::fs::write(
        dir.join("index.json"),
        format!(
            r#"{{"schemaVersion":2,"manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{manifest_digest}","size":{manifest_size},"annotations":{{"org.opencontainers.image.ref.name":"v1"}}}}]}}"#
        ),
    )
    .unwrap();
}

fn skopeo(authfile: &Path) -> Command {
    let mut cmd = Command::new("skopeo");
    cmd.env("REGISTRY_AUTH_FILE", authfile);
    cmd
}

#[test]
fn get_login_password_pipes_into_a_container_client_login() {
    let missing: Vec<&str> = [
        "moto_server",
        "docker-registry",
        "htpasswd",
        "skopeo",
        "sha256sum",
        "tar",
    ]
    .into_iter()
    .filter(|p| !have(p))
    .collect();
    if !missing.is_empty() {
        eprintln!(
            "skipped: the login end-to-end test needs {} (apt-get install docker-registry apache2-utils skopeo; pip install 'moto[server]')",
            missing.join(", ")
        );
        return;
    }
    let work: PathBuf = temp_dir();

    // moto: the ECR endpoint that issues the token.
    let moto_port = free_port();
    let _moto = Guard(
        Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(moto_port, "moto_server");
    let moto = format!("http://127.0.0.1:{moto_port}");

    // The password moto issues, read through the plain operation.
    let (out, err, code) = run(&mut rcr(&[
        "--endpoint-url",
        &moto,
        "ecr",
        "get-authorization-token",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let token = v["authorizationData"][0]["authorizationToken"]
        .as_str()
        .unwrap();
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(token)
            .unwrap(),
    )
    .unwrap();
    let password = decoded.strip_prefix("AWS:").unwrap().to_string();

    // The registry, with htpasswd auth for AWS / that password.
    let (htpasswd, err, ok) = sh(Command::new("htpasswd").args(["-Bbn", "AWS", &password]));
    assert!(ok, "{err}");
    std::fs::write(work.join("htpasswd"), htpasswd.trim_end()).unwrap();
    let registry_port = free_port();
    let config = format!(
        "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {root}\nhttp:\n  addr: 127.0.0.1:{registry_port}\nauth:\n  htpasswd:\n    realm: rcr-test\n    path: {htpasswd}\n",
        root = work.join("storage").display(),
        htpasswd = work.join("htpasswd").display()
    );
    std::fs::write(work.join("registry.yml"), config).unwrap();
    let _registry = Guard(
        Command::new("docker-registry")
            .arg("serve")
            .arg(work.join("registry.yml"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(registry_port, "docker-registry");
    let registry = format!("127.0.0.1:{registry_port}");
    let authfile = work.join("auth.json");
    std::fs::write(&authfile, "{}").unwrap();

    let image = work.join("image");
    tiny_image(&image);
    let push = |authfile: &Path| {
        sh(skopeo(authfile)
            .args(["copy", "--dest-tls-verify=false"])
            .arg(format!("oci:{}:v1", image.display()))
            .arg(format!("docker://{registry}/rcr/hello:v1")))
    };
    let list = |authfile: &Path| {
        sh(skopeo(authfile)
            .args(["list-tags", "--tls-verify=false"])
            .arg(format!("docker://{registry}/rcr/hello")))
    };

    // Not logged in: the registry refuses the push.
    let (_, err, ok) = push(&authfile);
    assert!(!ok, "an anonymous push succeeded: {err}");

    // The pipe: rcr ecr get-login-password | skopeo login --password-stdin.
    let mut rcr_child = rcr(&["--endpoint-url", &moto, "ecr", "get-login-password"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let rcr_stdout = rcr_child.stdout.take().unwrap();
    let login = skopeo(&authfile)
        .args([
            "login",
            "--tls-verify=false",
            "--username",
            "AWS",
            "--password-stdin",
            &registry,
        ])
        .stdin(rcr_stdout)
        .output()
        .unwrap();
    assert!(rcr_child.wait().unwrap().success());
    assert!(
        login.status.success(),
        "skopeo login failed: {}",
        String::from_utf8_lossy(&login.stderr)
    );

    // Logged in: push and list the tags.
    let (_, err, ok) = push(&authfile);
    assert!(ok, "push after login failed: {err}");
    let (out, err, ok) = list(&authfile);
    assert!(ok, "list-tags after login failed: {err}");
    let tags: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(tags["Tags"], serde_json::json!(["v1"]));

    // A wrong password is refused, so the login above proved the password.
    let wrong = work.join("wrong.json");
    std::fs::write(&wrong, "{}").unwrap();
    let mut child = skopeo(&wrong)
        .args([
            "login",
            "--tls-verify=false",
            "--username",
            "AWS",
            "--password-stdin",
            &registry,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"not-the-password\n")
        .unwrap();
    assert!(!child.wait().unwrap().success());
    let (_, _, ok) = list(&wrong);
    assert!(!ok, "list-tags without a login succeeded");
}
