//! Shared helpers of the customization tests (included with `#[path]` by
//! `custom_*.rs`, not a test target of its own): an isolated environment
//! for rcr and a scripted loopback stand-in for the ECR JSON API that
//! answers each X-Amz-Target from a queue and records what reached it.
//! (The project's tests/common/ was not on this branch yet.)

#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

/// One answer: HTTP status and JSON body.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn ok(body: &str) -> Self {
        Reply {
            status: 200,
            body: body.to_string(),
        }
    }
    pub fn error(code: &str, message: &str) -> Self {
        Reply {
            status: 400,
            body: format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        }
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub target: String,
    pub body: serde_json::Value,
    /// Access key / region / service of the SigV4 credential scope.
    pub cred: String,
}

#[derive(Default)]
struct State {
    /// Replies per operation name; the last one repeats.
    script: HashMap<String, VecDeque<Reply>>,
    seen: Vec<Seen>,
}

pub struct CaptureServer {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl CaptureServer {
    /// Starts a server on 127.0.0.1 answering `operation` with `replies` in
    /// order, the last one for every further request.
    pub fn start(script: &[(&str, Vec<Reply>)]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut state = State::default();
        for (op, replies) in script {
            state
                .script
                .insert((*op).to_string(), replies.iter().cloned().collect());
        }
        let state = Arc::new(Mutex::new(state));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || serve(stream, &shared));
            }
        });
        CaptureServer { url, state }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
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
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let target = headers.get("x-amz-target").cloned().unwrap_or_default();
        let cred = headers
            .get("authorization")
            .and_then(|a| a.split("Credential=").nth(1))
            .and_then(|c| c.split(',').next())
            .map(|c| {
                let parts: Vec<&str> = c.split('/').collect();
                if parts.len() >= 4 {
                    format!("{}/{}/{}", parts[0], parts[2], parts[3])
                } else {
                    c.to_string()
                }
            })
            .unwrap_or_default();
        let op = target.rsplit('.').next().unwrap_or_default().to_string();
        let reply = {
            let mut st = state.lock().unwrap();
            st.seen.push(Seen {
                target: target.clone(),
                body: serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
                cred,
            });
            match st.script.get_mut(&op) {
                Some(q) if q.len() > 1 => q.pop_front().unwrap(),
                Some(q) => q.front().cloned().unwrap(),
                None => Reply::error("UnknownOperationException", "not scripted"),
            }
        };
        let head = format!(
            "HTTP/1.1 {} X\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nx-amzn-RequestId: 0000\r\n\r\n",
            reply.status,
            reply.body.len()
        );
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(reply.body.as_bytes()).is_err()
        {
            return;
        }
    }
}

/// An rcr command in an isolated environment (temp HOME and config files,
/// example credentials, us-east-1, no instance metadata).
pub fn rcr(args: &[&str]) -> Command {
    let home = temp_dir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rcr"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secretexample")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_PAGER", "")
        .env("TZ", "UTC");
    cmd
}

pub fn run(cmd: &mut Command) -> (String, String, i32) {
    let Output {
        stdout,
        stderr,
        status,
    } = cmd.output().unwrap();
    (
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
        status.code().unwrap_or(-1),
    )
}

pub fn temp_dir() -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "rcr-custom-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config"), "").unwrap();
    std::fs::write(dir.join("credentials"), "").unwrap();
    dir
}

/// The recorded aws v2 run of a reference file.
pub fn reference(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aws-v2-reference")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
