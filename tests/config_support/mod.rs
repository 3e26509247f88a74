//! Helpers shared by the tests/config_*.rs integration tests: an isolated
//! environment for rcr, a std-only loopback HTTP server that records what
//! reached it and answers as each test scripts it, and moto_server.
//!
//! Self-contained on purpose (tests/common was not on this branch yet).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Lower-cased names.
    pub headers: BTreeMap<String, String>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// `AKID/region/service` from the SigV4 credential scope.
    pub fn cred(&self) -> Option<String> {
        let auth = self.header("authorization")?;
        let scope = auth.split("Credential=").nth(1)?.split(',').next()?;
        let parts: Vec<&str> = scope.split('/').collect();
        (parts.len() >= 4).then(|| format!("{}/{}/{}", parts[0], parts[2], parts[3]))
    }

    pub fn target(&self) -> Option<&str> {
        self.header("x-amz-target")
    }
}

/// What the server answers: status, extra headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "application/x-amz-json-1.1".into())],
            body: body.to_string(),
        }
    }

    pub fn error(status: u16, code: &str, message: &str) -> Reply {
        Reply::json(
            status,
            &format!(r#"{{"__type":"{code}","message":"{message}"}}"#),
        )
    }
}

type Handler = dyn Fn(&Request, usize) -> Option<Reply> + Send + Sync;

/// A loopback HTTP/1.1 server; `None` from the handler means never answer.
pub struct Server {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start(
        handler: impl Fn(&Request, usize) -> Option<Reply> + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(AtomicUsize::new(0));
        let recorded = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let recorded = recorded.clone();
                let count = count.clone();
                std::thread::spawn(move || serve(stream, &*handler, &recorded, &count));
            }
        });
        Server { port, requests }
    }

    /// Answers every request with `{}` (an empty, successful response).
    pub fn ok() -> Server {
        Server::start(|_, _| Some(Reply::json(200, "{}")))
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn creds(&self) -> Vec<String> {
        self.requests()
            .iter()
            .map(|r| r.cred().unwrap_or_default())
            .collect()
    }
}

pub fn read_request<R: BufRead>(reader: &mut R) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

pub fn write_reply<W: Write>(out: &mut W, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nx-amzn-RequestId: test\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.write_all(reply.body.as_bytes())?;
    out.flush()
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    recorded: &Mutex<Vec<Request>>,
    count: &AtomicUsize,
) {
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    while let Some(request) = read_request(&mut reader) {
        let n = count.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut r) = recorded.lock() {
            r.push(request.clone());
        }
        match handler(&request, n) {
            Some(reply) => {
                if write_reply(&mut writer, &reply).is_err() {
                    return;
                }
            }
            None => {
                // Never answer: hold the connection open.
                std::thread::sleep(Duration::from_secs(30));
                return;
            }
        }
    }
}

/// A temporary HOME with config and credentials files.
pub struct Home {
    pub dir: PathBuf,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Home {
    pub fn new(config: &str, credentials: &str) -> Home {
        let dir = std::env::temp_dir().join(format!(
            "rcr-config-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".aws")).expect("temp dir");
        std::fs::write(dir.join(".aws/config"), config).expect("config file");
        std::fs::write(dir.join(".aws/credentials"), credentials).expect("credentials file");
        Home { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, text).expect("write file");
        p
    }

    /// rcr with the base environment of the project's tests: isolated files,
    /// keys and region in the environment, no instance metadata.
    pub fn rcr(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rcr"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", &self.dir);
        cmd.env("AWS_CONFIG_FILE", self.dir.join(".aws/config"));
        cmd.env(
            "AWS_SHARED_CREDENTIALS_FILE",
            self.dir.join(".aws/credentials"),
        );
        cmd.env("AWS_EC2_METADATA_DISABLED", "true");
        cmd.env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        cmd.env("AWS_SECRET_ACCESS_KEY", "secretexample");
        cmd.env("AWS_DEFAULT_REGION", "us-east-1");
        cmd.env("AWS_PAGER", "");
        cmd.env("TZ", "UTC");
        cmd.stdin(Stdio::null());
        cmd
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut cmd: impl std::borrow::BorrowMut<Command>) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.borrow_mut().output().expect("run rcr");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// moto_server on a free loopback port (it serves STS as well as ECR).
pub struct Moto {
    child: Child,
    pub port: u16,
}

impl Moto {
    pub fn start() -> Option<Moto> {
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(moto);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
