//! `MotoServer`: a private moto_server (from the Python test venv) on
//! 127.0.0.1, the stateful ECR / ECR Public stand-in for end-to-end tests
//! (create a repository, push image metadata, list it back).
//!
//! Each instance is its own process on its own port and is killed, with its
//! whole process group, on Drop (and by the kernel if the test thread dies
//! first), so tests never share state unless they share the value. Starting
//! one costs a couple of seconds of Python imports: reuse one per test and
//! call `reset()` between phases rather than starting many.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::http::{HttpResponse, aws_json_call, http_request};
use super::proc;
use super::tempdir::TempDir;

/// How long moto may take to answer its first request.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);

pub struct MotoServer {
    child: Option<Child>,
    port: u16,
    log_path: PathBuf,
    // Holds the log and the server's HOME; removed after the process is gone.
    dir: TempDir,
}

impl MotoServer {
    /// Starts moto_server, or returns None (after printing why) when it is
    /// not installed and `RCR_SKIP_MOTO=1`. Fails the test when it is not
    /// installed otherwise, or when it does not come up.
    pub fn start_or_skip() -> Option<MotoServer> {
        let bin = super::require_venv_tool("moto_server", "moto_server")?;
        Some(MotoServer::start_with(bin))
    }

    /// Starts moto_server; fails the test if it is missing (even with
    /// `RCR_SKIP_MOTO=1`: use `start_or_skip` / `require_moto!` to honour it).
    pub fn start() -> MotoServer {
        let bin = super::venv_bin("moto_server");
        if !bin.is_file() {
            panic!("{}", super::missing_tool_message(&bin, "moto_server"));
        }
        MotoServer::start_with(bin)
    }

    fn start_with(bin: PathBuf) -> MotoServer {
        // A port handed out by free_port() can still be taken by another
        // process before moto binds it; a few attempts make that harmless.
        let mut last_failure = String::new();
        for _ in 0..3 {
            match MotoServer::try_start(&bin) {
                Ok(server) => return server,
                Err(msg) => last_failure = msg,
            }
        }
        panic!("moto_server did not start: {last_failure}");
    }

    fn try_start(bin: &PathBuf) -> Result<MotoServer, String> {
        let port = super::free_port();
        let dir = TempDir::new("moto");
        let log_path = dir.join("moto.log");
        let log = std::fs::File::create(&log_path).map_err(|e| format!("log file: {e}"))?;
        let log_err = log.try_clone().map_err(|e| format!("log file: {e}"))?;
        std::fs::create_dir_all(dir.join("home")).map_err(|e| format!("home: {e}"))?;
        let path =
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
        let mut cmd = Command::new(bin);
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env_clear()
            .env("PATH", path)
            .env("HOME", dir.join("home"))
            .env("LANG", "C.UTF-8")
            // moto never needs real credentials, and must never go looking
            // for them on the metadata address.
            .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
            .env("AWS_SECRET_ACCESS_KEY", "secretexample")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            // The readiness check reads moto's log; unbuffered output makes
            // the startup line appear as soon as it is printed.
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        proc::isolate(&mut cmd);
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        let mut server = MotoServer {
            child: Some(child),
            port,
            log_path,
            dir,
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            let exited = server
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                return Err(format!(
                    "moto_server exited early ({status}) on port {port}; its log:\n{}",
                    server.log()
                ));
            }
            // The log line proves that *our* process bound the port: a port
            // race lost to another HTTP server would otherwise look like
            // success while our moto dies with "Address already in use".
            if server.answers()
                && server
                    .log()
                    .contains(&format!("Running on http://127.0.0.1:{port}"))
            {
                return Ok(server);
            }
            if Instant::now() >= deadline {
                let log = server.log();
                drop(server);
                // Not retried: a server that needs more than 30 s is broken.
                panic!(
                    "moto_server on port {port} did not answer within {STARTUP_TIMEOUT:?}; its log:\n{log}"
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// True when the port accepts a connection and answers an HTTP GET with
    /// any HTTP status line.
    fn answers(&self) -> bool {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            return false;
        }
        matches!(
            http_request(&self.url(), "GET", "/moto-api/", &[], b""),
            Ok(r) if r.status > 0
        )
    }

    /// `http://127.0.0.1:PORT`, for `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Everything moto wrote to stdout/stderr so far (its request log):
    /// print it when a test fails to see what moto received.
    pub fn log(&self) -> String {
        let mut s = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log_path) {
            let mut bytes = Vec::new();
            let _ = f.read_to_end(&mut bytes);
            s = String::from_utf8_lossy(&bytes).into_owned();
        }
        s
    }

    /// Drops all state in every service (POST /moto-api/reset).
    pub fn reset(&self) {
        match http_request(&self.url(), "POST", "/moto-api/reset", &[], b"") {
            Ok(r) if r.status == 200 => {}
            Ok(r) => panic!("moto reset answered {}: {}", r.status, r.body_str()),
            Err(e) => panic!("moto reset failed: {e}"),
        }
    }

    /// Sends one ECR call (`operation` like `CreateRepository`) straight to
    /// moto, for test setup that should not depend on rcr.
    pub fn ecr_call(&self, operation: &str, body: &serde_json::Value) -> HttpResponse {
        let target = format!("AmazonEC2ContainerRegistry_V20150921.{operation}");
        aws_json_call(&self.url(), &target, "us-east-1", "ecr", body)
            .unwrap_or_else(|e| panic!("moto {operation} failed: {e}"))
    }

    /// Like `ecr_call` for ECR Public.
    pub fn ecr_public_call(&self, operation: &str, body: &serde_json::Value) -> HttpResponse {
        let target = format!("SpencerFrontendService.{operation}");
        aws_json_call(&self.url(), &target, "us-east-1", "ecr-public", body)
            .unwrap_or_else(|e| panic!("moto {operation} failed: {e}"))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        proc::kill_and_reap(&mut self.child);
    }
}
