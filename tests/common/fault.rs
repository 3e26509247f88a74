//! A loopback TCP server for faults the capture server cannot script: a
//! connection reset in the middle of a response, a server that accepts and
//! never answers, an answer trickled out byte by byte.
//!
//! Each accepted connection is handled on its own thread: the server reads
//! the request head one byte at a time (so a request body stays unread in the
//! kernel buffer, which is what makes a later close send an RST), records it,
//! and hands the stream to the test's handler with the request's index.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request head as received.
#[derive(Debug, Clone)]
pub struct Head {
    pub text: String,
    pub content_length: usize,
}

impl Head {
    /// Case-insensitive header value.
    pub fn header(&self, name: &str) -> Option<String> {
        self.text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

type Handler = dyn Fn(usize, &Head, &mut TcpStream) -> bool + Send + Sync;

pub struct FaultServer {
    port: u16,
    heads: Arc<Mutex<Vec<Head>>>,
    stop: Arc<AtomicBool>,
}

impl FaultServer {
    /// Starts the server; `handler(n, head, stream)` answers the n-th request
    /// (0-based, counted over all connections) and returns whether to keep
    /// the connection for another request; `false` closes it at once.
    pub fn start(
        handler: impl Fn(usize, &Head, &mut TcpStream) -> bool + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local_addr").port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (h, s) = (heads.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(mut stream) = conn else { continue };
                let (h, handler, s) = (h.clone(), handler.clone(), s.clone());
                std::thread::spawn(move || {
                    // Keep-alive: serve requests on this connection until the
                    // client closes it or the handler closes it.
                    while !s.load(Ordering::Relaxed) {
                        let Some(head) = read_head(&mut stream) else {
                            return;
                        };
                        let n = {
                            let mut heads = h.lock().unwrap_or_else(|e| e.into_inner());
                            heads.push(head.clone());
                            heads.len() - 1
                        };
                        if !handler(n, &head, &mut stream) {
                            // Dropping the stream closes it; with the request
                            // body unread, the kernel sends an RST.
                            return;
                        }
                    }
                });
            }
        });
        FaultServer { port, heads, stop }
    }

    /// Starts a server that writes `bytes` to each connection as soon as
    /// it is accepted, before reading anything, then closes it once the
    /// client has stopped sending: a plain HTTP server as a TLS client
    /// meets it (its ClientHello holds no blank line, so a server waiting
    /// for a request head would never answer). `heads()` gets one empty
    /// head per connection.
    pub fn answering_at_once(bytes: &'static [u8]) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local_addr").port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (h, s) = (heads.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(mut stream) = conn else { continue };
                h.lock().unwrap_or_else(|e| e.into_inner()).push(Head {
                    text: String::new(),
                    content_length: 0,
                });
                std::thread::spawn(move || {
                    let _ = stream.write_all(bytes);
                    let _ = stream.flush();
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut sink = [0u8; 4096];
                    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
                });
            }
        });
        FaultServer { port, heads, stop }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The server's `host:port`.
    pub fn authority(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The request heads received so far.
    pub fn heads(&self) -> Vec<Head> {
        self.heads.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Wake the accept loop so its thread ends.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Reads up to the blank line, byte by byte; `None` at EOF.
fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut head = Head {
        text,
        content_length: 0,
    };
    head.content_length = head
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some(head)
}

/// Reads and discards the request body.
pub fn read_body(stream: &mut TcpStream, head: &Head) {
    let mut body = vec![0u8; head.content_length];
    let _ = stream.read_exact(&mut body);
}

/// The head of a 200 AWS JSON response with `len` body bytes.
pub fn ok_head(len: usize) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: r\r\nContent-Length: {len}\r\n\r\n"
    )
}

/// Sends the first part of a response and returns `false`, so the server
/// drops the connection with the request body unread: the kernel answers
/// with an RST, a connection reset in the middle of the response.
pub fn reset_mid_response(stream: &mut TcpStream) -> bool {
    let _ = stream.write_all(format!("{}{{\"imageDetails\": [", ok_head(1000)).as_bytes());
    let _ = stream.flush();
    std::thread::sleep(Duration::from_millis(50));
    false
}

/// Holds the connection open without answering, for `secs` seconds.
pub fn never_answer(stream: &mut TcpStream, head: &Head, secs: u64) -> bool {
    read_body(stream, head);
    std::thread::sleep(Duration::from_secs(secs));
    let _ = stream.shutdown(Shutdown::Both);
    false
}

/// Writes `bytes` one at a time with `gap` between them.
pub fn trickle(stream: &mut TcpStream, bytes: &[u8], gap: Duration) {
    for b in bytes {
        if stream.write_all(&[*b]).is_err() {
            return;
        }
        let _ = stream.flush();
        std::thread::sleep(gap);
    }
}
