//! A canned AWS JSON endpoint for bench/run.sh: answers each POST with the
//! body captured from moto for its `X-Amz-Target`, doing no other work, so
//! that a client's own cost is not hidden behind moto's (moto spends about
//! as long on a small call as rcr does in total, and seconds on 10,000
//! images).
//!
//! A request with `maxResults` is answered from the file named
//! `<X-Amz-Target>@<maxResults>@<nextToken>` when there is one (the token
//! empty on the first page), so that paging clients page as they would
//! against ECR; moto itself answers DescribeImages in one page.
//!
//! Standard library only: run.sh builds it with plain `rustc -O`.
//! Usage: standin DIR PORTFILE — serves the files of DIR (each named by its
//! X-Amz-Target) on 127.0.0.1 at a free port, written to PORTFILE.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: standin DIR PORTFILE");
        std::process::exit(2);
    }
    let mut bodies = HashMap::new();
    let entries =
        std::fs::read_dir(&args[1]).unwrap_or_else(|e| fail(&format!("{}: {e}", args[1])));
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let body = std::fs::read(entry.path()).unwrap_or_else(|e| fail(&format!("{name}: {e}")));
        bodies.insert(name, body);
    }
    let bodies = Arc::new(bodies);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| fail(&format!("bind: {e}")));
    let port = listener
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| fail(&format!("{e}")));
    let tmp = format!("{}.tmp", args[2]);
    std::fs::write(&tmp, port.to_string()).unwrap_or_else(|e| fail(&format!("{tmp}: {e}")));
    std::fs::rename(&tmp, &args[2]).unwrap_or_else(|e| fail(&format!("{}: {e}", args[2])));
    for stream in listener.incoming().flatten() {
        let bodies = bodies.clone();
        // One thread per connection: a client that keeps its connection
        // open must not block the next one.
        std::thread::spawn(move || {
            let _ = serve(stream, &bodies);
        });
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("standin: {msg}");
    std::process::exit(1);
}

/// Answers requests on one keep-alive connection until the client closes it.
fn serve(stream: TcpStream, bodies: &HashMap<String, Vec<u8>>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut target = String::new();
        let mut length = 0usize;
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("x-amz-target") {
                    target = value.to_string();
                } else if name.eq_ignore_ascii_case("content-length") {
                    length = value.parse().unwrap_or(0);
                }
            }
        }
        let mut request_body = vec![0; length];
        reader.read_exact(&mut request_body)?;
        let page = page_key(&target, &String::from_utf8_lossy(&request_body));
        let found = page.and_then(|key| bodies.get(&key)).or_else(|| bodies.get(&target));
        let (status, body): (&str, &[u8]) = match found {
            Some(b) => ("200 OK", b),
            None => (
                "400 Bad Request",
                b"{\"__type\":\"UnknownOperationException\",\"message\":\"not captured\"}",
            ),
        };
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/x-amz-json-1.1\r\n\
             x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        writer.write_all(head.as_bytes())?;
        writer.write_all(body)?;
        writer.flush()?;
    }
}

/// The file name of the page a request asks for, when it sends `maxResults`.
/// The clients send compact JSON, so a scan for the two members suffices.
fn page_key(target: &str, request: &str) -> Option<String> {
    let max: String = member_text(request, "maxResults")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let token = member_text(request, "nextToken")
        .and_then(|t| t.strip_prefix('"'))
        .and_then(|t| t.split('"').next())
        .unwrap_or("");
    Some(format!("{target}@{max}@{token}"))
}

/// What follows `"name":` (and any spaces) in a JSON text.
fn member_text<'a>(json: &'a str, name: &str) -> Option<&'a str> {
    let at = json.find(&format!("\"{name}\""))?;
    let rest = json[at + name.len() + 2..].trim_start().strip_prefix(':')?;
    Some(rest.trim_start())
}
