//! `CaptureServer`: a scripted stand-in for the ECR and ECR Public AWS JSON
//! 1.1 endpoints on 127.0.0.1, for tests that need exact control over what
//! the service answers and a record of exactly what the client sent.
//!
//! The script is the `server_responses` object of the AWS CLI v2 reference
//! cases: operation name (the part of `X-Amz-Target` after the dot) to either
//! one response object or a list of pages. A page is picked by the request's
//! `nextToken` matched against its `__when_token` (null = no token). In a
//! response object, `__status` / `__type` produce an AWS JSON error
//! (`{"__type": ..., "message": ...}` plus an `x-amzn-ErrorType` header) and
//! every key not starting with `__` goes into the body.
//!
//! Extensions beyond the reference format, for tests the recordings do not
//! cover:
//! - a response given as a JSON *string* is sent verbatim as a 200 body, and
//!   `"__raw": "..."` in a response object sends that string verbatim (with
//!   the object's `__status`), for malformed-response tests;
//! - `"__delay_ms": N` waits N ms before answering (read-timeout tests);
//! - `"__headers": {"name": "value"}` adds response headers;
//! - `"__content_type": "..."` replaces `application/x-amz-json-1.1`;
//! - `"__disconnect": true` closes the connection without any answer (after
//!   `__delay_ms`, if given), for connection-error tests;
//! - `"*"` as an operation name answers every operation the script does not
//!   name (e.g. `{"*": {}}` answers everything with an empty success);
//! - in a page list, an entry without `__when_token` matches any token, and
//!   `"__times": N` makes an entry answer only its first N matches, after
//!   which the next matching entry is used (the last match repeats forever),
//!   e.g. `[{"__status": 500, "__type": "ServerException", "__times": 1}, {..}]`
//!   fails once and then succeeds, for retry tests.
//!
//! The server speaks enough HTTP/1.1 for real SDK clients: keep-alive with
//! several requests per connection, pipelining, `Expect: 100-continue`,
//! Content-Length and chunked request bodies. It stops on Drop.
//!
//! `CaptureServer::start_tls` serves the same over HTTPS with a test
//! certificate (see `tls.rs`), for `--ca-bundle` / `--no-verify-ssl` tests.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::http::{BufConn, Head, header_lookup};

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct CapturedRequest {
    /// 0-based arrival order.
    pub index: usize,
    /// Which TCP connection carried it (connections are numbered from 0);
    /// equal ids on two requests prove keep-alive reuse.
    pub connection: u64,
    /// Time since the server started (useful for retry back-off checks).
    pub at: Duration,
    pub method: String,
    pub path: String,
    /// e.g. `HTTP/1.1`.
    pub version: String,
    /// Header fields in arrival order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The full `X-Amz-Target`, e.g.
    /// `AmazonEC2ContainerRegistry_V20150921.DescribeImages`.
    pub target: Option<String>,
    /// The operation name: `target` after its last dot.
    pub operation: Option<String>,
    /// The body bytes exactly as received (chunked encoding removed).
    pub body_raw: Vec<u8>,
    /// The body as JSON; `Value::Null` if it was empty or not JSON.
    pub body: Value,
    /// `AKID/region/service` from the SigV4 credential scope of the
    /// Authorization header, if there was one.
    pub cred: Option<String>,
}

impl CapturedRequest {
    /// Case-insensitive header lookup (first occurrence).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_lookup(&self.headers, name)
    }

    /// Fails unless this request called `target` (its X-Amz-Target) signed
    /// for `cred` (`AKID/region/service`).
    #[track_caller]
    pub fn assert_call(&self, target: &str, cred: &str) {
        assert_eq!(self.target.as_deref(), Some(target), "{self:?}");
        assert_eq!(self.cred.as_deref(), Some(cred), "{self:?}");
    }

    /// `{"target", "body", "cred"}`: the shape of the `aws_v2.requests`
    /// entries in the reference cases, for direct comparison.
    pub fn reference_json(&self) -> Value {
        json!({
            "target": self.target,
            "body": self.body,
            "cred": self.cred,
        })
    }
}

/// Extracts `AKID/region/service` from a SigV4 Authorization header value:
/// `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecr/aws4_request, ...`.
/// Returns None for anything that does not have that shape.
pub fn credential_scope(authorization: &str) -> Option<String> {
    let start = authorization.find("Credential=")? + "Credential=".len();
    let rest = &authorization[start..];
    let end = rest
        .find(|c: char| c == ',' || c.is_whitespace())
        .unwrap_or(rest.len());
    let parts: Vec<&str> = rest[..end].split('/').collect();
    if parts.len() < 4 {
        return None;
    }
    Some(format!("{}/{}/{}", parts[0], parts[2], parts[3]))
}

struct State {
    script: Map<String, Value>,
    requests: Vec<CapturedRequest>,
    /// Requests received in all (`requests` can be emptied by a test).
    received: usize,
    /// How often each (operation, page index) answered, for `__times`.
    uses: HashMap<(String, usize), u64>,
}

struct Shared {
    state: Mutex<State>,
    stop: AtomicBool,
    /// Clones of open connections, so Drop can shut them down and unblock
    /// their threads.
    conns: Mutex<HashMap<u64, TcpStream>>,
    next_conn: AtomicU64,
    started: Instant,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic in another test thread must not cascade into this one.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn conns(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The scripted AWS JSON 1.1 server. See the module docs for the script
/// format.
pub struct CaptureServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
    /// `http` or `https`.
    scheme: &'static str,
}

impl CaptureServer {
    /// Starts a server answering from `script` (an object in the
    /// `server_responses` format; `null` means no operations).
    pub fn start(script: Value) -> CaptureServer {
        CaptureServer::start_with(script, None)
    }

    /// Like `start`, but over HTTPS with `tls` (see `tls::TestCertificates`):
    /// `url()` then starts with `https://`.
    pub fn start_tls(script: Value, tls: Arc<rustls::ServerConfig>) -> CaptureServer {
        CaptureServer::start_with(script, Some(tls))
    }

    fn start_with(script: Value, tls: Option<Arc<rustls::ServerConfig>>) -> CaptureServer {
        // Binding port 0 and keeping the listener avoids any race for the port.
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .unwrap_or_else(|e| panic!("CaptureServer: cannot bind 127.0.0.1:0: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("CaptureServer: local_addr: {e}"));
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                script: script_map(script),
                requests: Vec::new(),
                received: 0,
                uses: HashMap::new(),
            }),
            stop: AtomicBool::new(false),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
            started: Instant::now(),
        });
        let scheme = if tls.is_some() { "https" } else { "http" };
        let accept_shared = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name(format!("capture-accept-{}", addr.port()))
            .spawn(move || accept_loop(listener, accept_shared, tls))
            .unwrap_or_else(|e| panic!("CaptureServer: cannot spawn thread: {e}"));
        CaptureServer {
            addr,
            shared,
            accept: Some(accept),
            scheme,
        }
    }

    /// A server that knows no operation (every call gets
    /// `UnknownOperationException`).
    pub fn empty() -> CaptureServer {
        CaptureServer::start(Value::Null)
    }

    /// `http://127.0.0.1:PORT` (`https://` for `start_tls`), for
    /// `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("{}://{}", self.scheme, self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Every request received so far, in arrival order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.shared.state().requests.clone()
    }

    /// Fails unless exactly `count` requests came, each calling `target`
    /// signed for `cred` (see `CapturedRequest::assert_call`) with `body`.
    #[track_caller]
    pub fn assert_calls(&self, count: usize, target: &str, cred: &str, body: &Value) {
        let requests = self.requests();
        assert_eq!(requests.len(), count, "{requests:?}");
        for r in &requests {
            r.assert_call(target, cred);
            assert_eq!(&r.body, body, "{r:?}");
        }
    }

    /// `requests()` mapped through `CapturedRequest::reference_json`, to
    /// compare with a reference case's `aws_v2.requests`.
    pub fn requests_json(&self) -> Vec<Value> {
        self.requests()
            .iter()
            .map(CapturedRequest::reference_json)
            .collect()
    }

    /// Returns the requests received so far and forgets them, so each step
    /// of a test sees only its own requests.
    pub fn take_requests(&self) -> Vec<CapturedRequest> {
        std::mem::take(&mut self.shared.state().requests)
    }

    /// The SigV4 credential scope (`AKID/region/service`) of every request
    /// so far, in arrival order; `""` for an unsigned request.
    pub fn creds(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .map(|r| r.cred.unwrap_or_default())
            .collect()
    }

    /// Forgets the recorded requests (the script and `__times` counts stay).
    pub fn clear_requests(&self) {
        self.shared.state().requests.clear();
    }

    /// Replaces the whole script and resets `__times` counts.
    pub fn set_script(&self, script: Value) {
        let mut st = self.shared.state();
        st.script = script_map(script);
        st.uses.clear();
    }

    /// Sets the response (object, page list or raw string) for one operation.
    pub fn set_response(&self, operation: &str, response: Value) {
        let mut st = self.shared.state();
        st.script.insert(operation.to_owned(), response);
        st.uses.retain(|(op, _), _| op != operation);
    }

    /// Waits until at least `n` requests arrived or `timeout` passed, and
    /// returns what arrived.
    pub fn wait_for_requests(&self, n: usize, timeout: Duration) -> Vec<CapturedRequest> {
        let deadline = Instant::now() + timeout;
        loop {
            let reqs = self.requests();
            if reqs.len() >= n || Instant::now() >= deadline {
                return reqs;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for CaptureServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for (_, conn) in self.shared.conns().drain() {
            let _ = conn.shutdown(Shutdown::Both);
        }
        // Wake the blocking accept() so the thread sees the stop flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

fn script_map(script: Value) -> Map<String, Value> {
    match script {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        other => panic!(
            "CaptureServer: the script must be a JSON object (operation -> response), got {other}"
        ),
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>, tls: Option<Arc<rustls::ServerConfig>>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let stream = match stream {
            Ok(s) => s,
            Err(_) => {
                // Transient (e.g. out of file descriptors): back off, go on.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
        if let Ok(clone) = stream.try_clone() {
            shared.conns().insert(id, clone);
        }
        let conn_shared = Arc::clone(&shared);
        let tls = tls.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("capture-conn-{id}"))
            .spawn(move || {
                match tls {
                    None => serve_connection(&conn_shared, &stream, id),
                    Some(config) => {
                        // The handshake runs on the first read; a client
                        // that refuses the certificate just ends it there.
                        if let Ok(session) = rustls::ServerConnection::new(config)
                            && let Ok(clone) = stream.try_clone()
                        {
                            let tls_stream = rustls::StreamOwned::new(session, clone);
                            serve_connection(&conn_shared, tls_stream, id);
                        }
                    }
                }
                conn_shared.conns().remove(&id);
                let _ = stream.shutdown(Shutdown::Both);
            });
        if spawned.is_err() {
            shared.conns().remove(&id);
        }
    }
}

/// Serves one connection (plain `&TcpStream` or a TLS stream over it).
fn serve_connection<S: Read + Write>(shared: &Shared, stream: S, conn_id: u64) {
    let mut conn = BufConn::new(stream);
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let head = match conn.read_head() {
            Ok(Some(head)) => head,
            Ok(None) => return,
            Err(e) => {
                if e.kind() == io::ErrorKind::InvalidData {
                    let _ = write_simple_error(&mut conn.stream, 400, "BadRequest", &e.to_string());
                }
                return;
            }
        };
        let mut parts = head.start_line.split_whitespace();
        let (Some(method), Some(path), Some(version)) = (parts.next(), parts.next(), parts.next())
        else {
            let _ = write_simple_error(
                &mut conn.stream,
                400,
                "BadRequest",
                "malformed request line",
            );
            return;
        };
        let (method, path, version) = (method.to_owned(), path.to_owned(), version.to_owned());

        if head
            .header("expect")
            .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
            && (conn
                .stream
                .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .is_err()
                || conn.stream.flush().is_err())
        {
            return;
        }
        let body_raw = match conn.read_body(&head) {
            Ok(b) => b,
            Err(e) => {
                let _ = write_simple_error(&mut conn.stream, 400, "BadRequest", &e.to_string());
                return;
            }
        };
        let keep_alive = wants_keep_alive(&head, &version);

        let (index, reply) = {
            let mut st = shared.state();
            let request = record(&head, method, path, version, body_raw, conn_id, shared, &st);
            let reply = choose_reply(&mut st, &request);
            let index = request.index;
            st.requests.push(request);
            st.received += 1;
            (index, reply)
        };

        // Sleep in slices so Drop is never held up by a long scripted delay.
        let until = Instant::now() + reply.delay;
        while Instant::now() < until {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(
                until
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(10)),
            );
        }
        if reply.disconnect {
            return;
        }
        if write_reply(&mut conn.stream, &reply, index, keep_alive).is_err() || !keep_alive {
            return;
        }
    }
}

fn wants_keep_alive(head: &Head, version: &str) -> bool {
    let conn = head.header("connection").unwrap_or("").to_ascii_lowercase();
    if version.eq_ignore_ascii_case("HTTP/1.0") {
        conn.contains("keep-alive")
    } else {
        !conn.contains("close")
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    head: &Head,
    method: String,
    path: String,
    version: String,
    body_raw: Vec<u8>,
    connection: u64,
    shared: &Shared,
    st: &State,
) -> CapturedRequest {
    let target = head.header("x-amz-target").map(str::to_owned);
    let operation = target
        .as_deref()
        .map(|t| t.rsplit('.').next().unwrap_or(t).to_owned());
    let body = if body_raw.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body_raw).unwrap_or(Value::Null)
    };
    CapturedRequest {
        index: st.received,
        connection,
        at: shared.started.elapsed(),
        method,
        path,
        version,
        headers: head.headers.clone(),
        target,
        operation,
        body_raw,
        body,
        cred: head.header("authorization").and_then(credential_scope),
    }
}

/// What to send back.
struct Reply {
    /// Close the connection instead of answering.
    disconnect: bool,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn error_reply(status: u16, error_type: &str, message: &str) -> Reply {
    Reply {
        disconnect: false,
        status,
        headers: vec![
            ("Content-Type".into(), "application/x-amz-json-1.1".into()),
            ("x-amzn-ErrorType".into(), error_type.into()),
        ],
        body: json!({"__type": error_type, "message": message})
            .to_string()
            .into_bytes(),
        delay: Duration::ZERO,
    }
}

fn choose_reply(st: &mut State, req: &CapturedRequest) -> Reply {
    let Some(op) = req.operation.clone() else {
        return error_reply(
            400,
            "UnknownOperationException",
            "capture server: request has no X-Amz-Target header",
        );
    };
    let Some(entry) = st.script.get(&op).or_else(|| st.script.get("*")).cloned() else {
        return error_reply(
            400,
            "UnknownOperationException",
            &format!("capture server: operation {op} is not in the script"),
        );
    };
    match entry {
        Value::Array(pages) => {
            let token = req.body.get("nextToken").cloned().unwrap_or(Value::Null);
            let candidates: Vec<usize> = pages
                .iter()
                .enumerate()
                .filter(|(_, page)| match page {
                    Value::Object(m) => m.get("__when_token").is_none_or(|t| *t == token),
                    // A bare raw string has no condition.
                    Value::String(_) => true,
                    _ => false,
                })
                .map(|(i, _)| i)
                .collect();
            let Some(&last) = candidates.last() else {
                return error_reply(
                    400,
                    "CaptureServerNoMatchingPage",
                    &format!("capture server: no page of {op} has __when_token {token}"),
                );
            };
            let pick = candidates
                .iter()
                .copied()
                .find(|&i| match pages[i].get("__times").and_then(Value::as_u64) {
                    Some(times) => st.uses.get(&(op.clone(), i)).copied().unwrap_or(0) < times,
                    None => true,
                })
                .unwrap_or(last);
            *st.uses.entry((op.clone(), pick)).or_insert(0) += 1;
            render(&pages[pick])
        }
        other => render(&other),
    }
}

fn render(response: &Value) -> Reply {
    let obj = match response {
        Value::String(raw) => {
            return Reply {
                disconnect: false,
                status: 200,
                headers: vec![("Content-Type".into(), "application/x-amz-json-1.1".into())],
                body: raw.clone().into_bytes(),
                delay: Duration::ZERO,
            };
        }
        Value::Object(obj) => obj,
        other => {
            return error_reply(
                500,
                "CaptureServerBadScript",
                &format!("capture server: a response must be an object or a string, got {other}"),
            );
        }
    };
    let delay = Duration::from_millis(obj.get("__delay_ms").and_then(Value::as_u64).unwrap_or(0));
    let error_type = obj.get("__type").and_then(Value::as_str);
    let status = obj
        .get("__status")
        .and_then(Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..1000).contains(s))
        .unwrap_or(if error_type.is_some() { 400 } else { 200 });
    let content_type = obj
        .get("__content_type")
        .and_then(Value::as_str)
        .unwrap_or("application/x-amz-json-1.1");
    let mut headers = vec![("Content-Type".to_owned(), content_type.to_owned())];
    if let Some(t) = error_type {
        headers.push(("x-amzn-ErrorType".into(), t.into()));
    }
    if let Some(Value::Object(extra)) = obj.get("__headers") {
        for (k, v) in extra {
            let v = v
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| v.to_string());
            headers.push((k.clone(), v));
        }
    }
    let body = if let Some(raw) = obj.get("__raw").and_then(Value::as_str) {
        raw.as_bytes().to_vec()
    } else {
        let mut body = Map::new();
        if let Some(t) = error_type {
            body.insert("__type".into(), Value::String(t.into()));
        }
        for (k, v) in obj {
            if !k.starts_with("__") {
                body.insert(k.clone(), v.clone());
            }
        }
        Value::Object(body).to_string().into_bytes()
    };
    Reply {
        disconnect: obj.get("__disconnect").and_then(Value::as_bool) == Some(true),
        status,
        headers,
        body,
        delay,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn write_reply(
    out: &mut impl Write,
    reply: &Reply,
    index: usize,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (k, v) in &reply.headers {
        // Header values come from test scripts; strip CR/LF so a typo cannot
        // break the framing of the response.
        let v: String = v.chars().filter(|c| *c != '\r' && *c != '\n').collect();
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "x-amzn-RequestId: 00000000-0000-0000-0000-{index:012}\r\nContent-Length: {}\r\nConnection: {}\r\n\r\n",
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    ));
    out.write_all(head.as_bytes())?;
    out.write_all(&reply.body)?;
    out.flush()
}

fn write_simple_error(
    out: &mut impl Write,
    status: u16,
    error_type: &str,
    message: &str,
) -> io::Result<()> {
    write_reply(out, &error_reply(status, error_type, message), 0, false)
}
