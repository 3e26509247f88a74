//! `Registry`: a real container registry (Debian's `docker-registry`, the
//! Distribution project) on 127.0.0.1 over plain HTTP, with htpasswd auth for
//! one user, for end-to-end tests where a real client (skopeo) logs in with
//! what rcr prints or asks rcr's credential helper. `oci_image` writes a
//! one-layer image in OCI layout for such a client to push.
//!
//! `docker-registry`, `htpasswd` (apache2-utils) and `sha256sum` missing
//! fail the test; scripts/setup-test-env.sh installs them.

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::proc;
use super::tempdir::TempDir;

/// A `docker-registry` process accepting `user` / `password`; killed (with
/// its process group) and its storage removed on Drop.
pub struct Registry {
    child: Option<Child>,
    port: u16,
    log: PathBuf,
    // Storage, config and log; removed after the process is gone.
    dir: TempDir,
}

impl Registry {
    /// Starts a registry that accepts only `user` with `password`.
    pub fn start(user: &str, password: &str) -> Registry {
        super::require_program("docker-registry", "docker-registry");
        super::require_program("htpasswd", "apache2-utils");
        let dir = TempDir::new("registry");
        let htpasswd = Command::new("htpasswd")
            .args(["-Bbn", user, password])
            .output()
            .expect("run htpasswd");
        assert!(htpasswd.status.success(), "htpasswd failed");
        let htpasswd_path = dir.write("htpasswd", &htpasswd.stdout);
        let port = super::free_port();
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
        let mut cmd = Command::new(program_path("docker-registry"));
        cmd.arg("serve")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        proc::isolate(&mut cmd);
        let child = cmd.spawn().expect("start docker-registry");
        let mut registry = Registry {
            child: Some(child),
            port,
            log,
            dir,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            let exited = registry
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
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

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `127.0.0.1:PORT`, the registry's name in image references.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// What the registry logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        proc::kill_and_reap(&mut self.child);
    }
}

/// `/usr/bin/<name>` when it is not on PATH (docker-registry's package puts
/// it there, which a non-root PATH may lack), else the bare name.
fn program_path(name: &str) -> PathBuf {
    let in_usr_bin = Path::new("/usr/bin").join(name);
    if !super::have_program(name) && in_usr_bin.is_file() {
        in_usr_bin
    } else {
        PathBuf::from(name)
    }
}

fn sha256(path: &Path) -> String {
    super::require_program("sha256sum", "coreutils");
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

/// Writes a one-layer image (an empty tar) in OCI layout into `dir`, tagged
/// `v1`: push it with `skopeo copy oci:<dir>:v1 docker://...`.
pub fn oci_image(dir: &Path) {
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
