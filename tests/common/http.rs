//! Minimal HTTP/1.1 plumbing shared by the capture server and the tests: a
//! buffered reader that parses message heads, Content-Length and chunked
//! bodies, and a tiny blocking client for talking to loopback servers
//! (moto_server, the capture server) without pulling in an HTTP crate.
//!
//! Every read is bounded (head and body size caps) so a malformed or hostile
//! peer produces an `io::Error`, never a panic or an unbounded allocation.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Largest request/response head we accept.
pub const MAX_HEAD: usize = 64 * 1024;
/// Largest body we accept (ECR layer-part uploads in tests stay far below).
pub const MAX_BODY: usize = 64 * 1024 * 1024;

fn invalid(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, msg.into())
}

/// A parsed message head: the start line and the header fields in order.
#[derive(Debug, Clone)]
pub struct Head {
    pub start_line: String,
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// Case-insensitive header lookup (first occurrence).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_lookup(&self.headers, name)
    }
}

/// Case-insensitive lookup in a header list (first occurrence).
pub fn header_lookup<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A reader that keeps bytes read past the current message, so several
/// requests on one keep-alive (or pipelined) connection parse correctly.
pub struct BufConn<S> {
    pub stream: S,
    buf: Vec<u8>,
}

impl<S: Read> BufConn<S> {
    pub fn new(stream: S) -> Self {
        BufConn {
            stream,
            buf: Vec::new(),
        }
    }

    /// Reads more bytes into the buffer; Ok(0) at EOF.
    fn fill(&mut self) -> io::Result<usize> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads one message head. `Ok(None)` on a clean EOF before any byte of
    /// a new message (the peer closed an idle keep-alive connection).
    pub fn read_head(&mut self) -> io::Result<Option<Head>> {
        // Tolerate stray CRLFs between messages (RFC 9112 §2.2).
        loop {
            while self.buf.starts_with(b"\r\n") {
                self.buf.drain(..2);
            }
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let raw: Vec<u8> = self.buf.drain(..end + 4).collect();
                return parse_head(&raw[..end]).map(Some);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("message head too large"));
            }
            if self.fill()? == 0 {
                return if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                    Ok(None)
                } else {
                    Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "connection closed inside a message head",
                    ))
                };
            }
        }
    }

    /// Reads exactly `n` body bytes.
    pub fn read_exact_body(&mut self, n: usize) -> io::Result<Vec<u8>> {
        if n > MAX_BODY {
            return Err(invalid(format!("body of {n} bytes is too large")));
        }
        while self.buf.len() < n {
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a body",
                ));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn read_line(&mut self) -> io::Result<String> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..end + 2).collect();
                return Ok(String::from_utf8_lossy(&line[..end]).into_owned());
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("line too long"));
            }
            if self.fill()? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "connection closed inside a chunked body",
                ));
            }
        }
    }

    /// Reads a `Transfer-Encoding: chunked` body, trailers included.
    pub fn read_chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line()?;
            let size_text = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| invalid(format!("bad chunk size line {line:?}")))?;
            if size == 0 {
                // Trailer fields, up to an empty line.
                while !self.read_line()?.is_empty() {}
                return Ok(body);
            }
            if body.len() + size > MAX_BODY {
                return Err(invalid("chunked body too large"));
            }
            body.extend(self.read_exact_body(size)?);
            if !self.read_line()?.is_empty() {
                return Err(invalid("chunk not followed by CRLF"));
            }
        }
    }

    /// Reads the body a head announces (chunked, Content-Length, or none).
    /// For responses without either, use `read_to_end`.
    pub fn read_body(&mut self, head: &Head) -> io::Result<Vec<u8>> {
        if head
            .header("transfer-encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"))
        {
            return self.read_chunked();
        }
        match head.header("content-length") {
            Some(v) => {
                let n: usize = v
                    .trim()
                    .parse()
                    .map_err(|_| invalid(format!("bad Content-Length {v:?}")))?;
                self.read_exact_body(n)
            }
            None => Ok(Vec::new()),
        }
    }

    /// Everything until EOF (for close-delimited responses).
    pub fn read_to_end(&mut self) -> io::Result<Vec<u8>> {
        while self.fill()? > 0 {
            if self.buf.len() > MAX_BODY {
                return Err(invalid("body too large"));
            }
        }
        Ok(std::mem::take(&mut self.buf))
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(raw: &[u8]) -> io::Result<Head> {
    // Header values are ASCII in practice; lossy decoding keeps odd bytes
    // from becoming an error while still recording something readable.
    let text = String::from_utf8_lossy(raw);
    let mut lines = text.split("\r\n");
    let start_line = lines.next().unwrap_or("").to_owned();
    if start_line.is_empty() {
        return Err(invalid("empty start line"));
    }
    let mut headers = Vec::new();
    for line in lines {
        let Some((k, v)) = line.split_once(':') else {
            return Err(invalid(format!("malformed header line {line:?}")));
        };
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    Ok(Head {
        start_line,
        headers,
    })
}

/// A response received by `http_request`.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// Case-insensitive header lookup.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_lookup(&self.headers, name)
    }

    pub fn body_str(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON, `None` if it is not JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// Splits `http://host:port[/prefix]` into (`host:port`, `/prefix`).
pub fn split_url(url: &str) -> io::Result<(String, String)> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid(format!("only http:// URLs are supported, got {url:?}")))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return Err(invalid(format!("no host in {url:?}")));
    }
    let authority = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    Ok((authority, path.trim_end_matches('/').to_owned()))
}

/// Sends one request on a fresh connection (`Connection: close`) and reads
/// the response. `Host` and `Content-Length` are added; `path` is appended
/// to any path in `base_url`. 30 s connect/read/write timeouts.
pub fn http_request(
    base_url: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<HttpResponse> {
    let (authority, prefix) = split_url(base_url)?;
    let timeout = Duration::from_secs(30);
    let addr = std::net::ToSocketAddrs::to_socket_addrs(&authority)?
        .next()
        .ok_or_else(|| invalid(format!("cannot resolve {authority}")))?;
    let stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let mut req = format!("{method} {prefix}{path} HTTP/1.1\r\nHost: {authority}\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut writer = &stream;
    writer.write_all(req.as_bytes())?;
    writer.write_all(body)?;
    writer.flush()?;

    let mut conn = BufConn::new(&stream);
    loop {
        let head = conn
            .read_head()?
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "no response"))?;
        let status: u16 = head
            .start_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| invalid(format!("bad status line {:?}", head.start_line)))?;
        // Skip interim responses (100 Continue and friends).
        if (100..200).contains(&status) {
            continue;
        }
        let has_length =
            head.header("content-length").is_some() || head.header("transfer-encoding").is_some();
        let body = if method.eq_ignore_ascii_case("HEAD") || status == 204 || status == 304 {
            Vec::new()
        } else if has_length {
            conn.read_body(&head)?
        } else {
            conn.read_to_end()?
        };
        return Ok(HttpResponse {
            status,
            headers: head.headers,
            body,
        });
    }
}

/// Sends an AWS JSON 1.1 call the way an SDK would shape it, with a
/// signed-looking (not actually signed) SigV4 Authorization header; enough
/// for the capture server and moto, which do not verify signatures.
/// `target` is the full `X-Amz-Target`, e.g.
/// `AmazonEC2ContainerRegistry_V20150921.CreateRepository`.
pub fn aws_json_call(
    base_url: &str,
    target: &str,
    region: &str,
    service: &str,
    body: &serde_json::Value,
) -> io::Result<HttpResponse> {
    let auth = format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/{region}/{service}/aws4_request, \
         SignedHeaders=host;x-amz-date;x-amz-target, Signature=00"
    );
    let body = serde_json::to_vec(body).map_err(|e| invalid(e.to_string()))?;
    http_request(
        base_url,
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", target),
            ("X-Amz-Date", "20240101T000000Z"),
            ("Authorization", &auth),
        ],
        &body,
    )
}
