//! `--endpoint-url` checked as aws checks it, in its three places and
//! words (the SDK would otherwise panic on an empty URL or report its
//! request's internals):
//! 1. [`check_argument`], when the argument is read (here, first thing
//!    when the configuration is loaded): Python's `urlsplit`
//!    must find a scheme (`Bad value for --endpoint-url "127.0.0.1:5000":
//!    scheme is missing. ...`, 252) and balanced IPv6 brackets (`Invalid
//!    IPv6 URL`, 255);
//! 2. [`check_endpoint`], when the client is made (after the region and
//!    the retry settings, before the credentials): botocore needs a host
//!    name made of DNS labels or an IPv6 address (`Invalid endpoint: URL`);
//! 3. [`check_request`], when the request would be sent (after the
//!    credentials): urllib3 takes only `http` and `https` and a port of
//!    digits up to 65535.

use crate::error::Error;

/// The parts of a URL as Python's `urllib.parse.urlsplit` cuts them.
struct Split<'a> {
    scheme: String,
    netloc: &'a str,
}

fn split(url: &str) -> Split<'_> {
    let mut rest = url;
    let mut scheme = String::new();
    if let Some(i) = url.find(':')
        && i > 0
        && url.as_bytes()[0].is_ascii_alphabetic()
        && url[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        scheme = url[..i].to_ascii_lowercase();
        rest = &url[i + 1..];
    }
    let netloc = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            &after[..end]
        }
        None => "",
    };
    Split { scheme, netloc }
}

/// `(hostname, port)` of a netloc as Python's `SplitResult` gives them
/// (the host lower-cased, `None` when empty).
fn host_and_port(netloc: &str) -> (Option<String>, Option<&str>) {
    let hostinfo = netloc.rsplit_once('@').map_or(netloc, |(_, h)| h);
    let (host, port) = match hostinfo.split_once('[') {
        Some((_, bracketed)) => {
            let (host, after) = bracketed.split_once(']').unwrap_or((bracketed, ""));
            (host, after.split_once(':').map(|(_, p)| p))
        }
        None => match hostinfo.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (hostinfo, None),
        },
    };
    let host = (!host.is_empty()).then(|| host.to_ascii_lowercase());
    (host, port.filter(|p| !p.is_empty()))
}

/// The checks of the argument itself.
pub fn check_argument(url: &str) -> Result<(), Error> {
    let parts = split(url);
    let netloc = parts.netloc;
    if netloc.contains('[') != netloc.contains(']') {
        return Err(Error::Other("Invalid IPv6 URL".into()));
    }
    if parts.scheme.is_empty() {
        return Err(Error::Client {
            code: "ParamValidation",
            message: format!(
                "Bad value for --endpoint-url \"{url}\": scheme is missing.  Must be of the form http://<hostname>/ or https://<hostname>/"
            ),
            exit: 252,
        });
    }
    Ok(())
}

/// botocore's test of an endpoint when it makes the client.
pub fn check_endpoint(url: &str) -> Result<(), Error> {
    let invalid = || Error::Other(format!("Invalid endpoint: {url}"));
    let parts = split(url);
    let (Some(host), _) = host_and_port(parts.netloc) else {
        return Err(invalid());
    };
    let is_ipv6 = parts.netloc.contains('[') && host.contains(':');
    if is_ipv6 || is_dns_name(&host) {
        Ok(())
    } else {
        Err(invalid())
    }
}

/// Dot-separated labels of letters, digits and inner hyphens, at most 63
/// characters each and 255 in all (a final dot allowed).
fn is_dns_name(host: &str) -> bool {
    if host.len() > 255 {
        return false;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    host.split('.').all(|label| {
        (1..=63).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

/// urllib3's checks when the request is sent.
pub fn check_request(url: &str) -> Result<(), Error> {
    let parts = split(url);
    if !matches!(parts.scheme.as_str(), "http" | "https") {
        return Err(Error::Other(format!(
            "An HTTP Client raised an unhandled exception: Not supported URL scheme {}",
            parts.scheme
        )));
    }
    if let (_, Some(port)) = host_and_port(parts.netloc) {
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::Other(format!(
                "Port could not be cast to integer value as {}",
                crate::python::str_repr(port)
            )));
        }
        if port.parse::<u32>().map_or(true, |p| p > 65535) {
            return Err(Error::Other("Port out of range 0-65535".into()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<(), Error>) -> String {
        r.err().map(|e| e.to_string()).unwrap_or_default()
    }

    #[test]
    fn argument() {
        assert!(check_argument("http://127.0.0.1:5000").is_ok());
        assert!(check_argument("HTTP://127.0.0.1").is_ok());
        assert!(check_argument("localhost:5000").is_ok());
        assert_eq!(
            check_argument("127.0.0.1:5000")
                .err()
                .map(|e| e.exit_code()),
            Some(252)
        );
        assert_eq!(check_argument("").err().map(|e| e.exit_code()), Some(252));
        assert_eq!(
            message(check_argument("http://[::1")),
            "rcr: [ERROR]: Invalid IPv6 URL"
        );
    }

    #[test]
    fn endpoint() {
        for ok in [
            "http://127.0.0.1:5000",
            "https://a-b.example.com./x",
            "http://[::1]:80",
            "ftp://127.0.0.1:1",
            "http://127.0.0.1:abc",
        ] {
            assert!(check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://",
            "https://",
            "http:///x",
            "file:///tmp",
            "http://a_b",
            "http://-a.com",
            "localhost:5000",
        ] {
            assert_eq!(
                message(check_endpoint(bad)),
                format!("rcr: [ERROR]: Invalid endpoint: {bad}"),
            );
        }
    }

    #[test]
    fn request() {
        assert!(check_request("http://127.0.0.1:65535").is_ok());
        assert!(check_request("https://127.0.0.1").is_ok());
        assert!(check_request("http://127.0.0.1:/").is_ok());
        assert_eq!(
            message(check_request("ftp://127.0.0.1:1")),
            "rcr: [ERROR]: An HTTP Client raised an unhandled exception: Not supported URL scheme ftp"
        );
        assert_eq!(
            message(check_request("http://127.0.0.1:99999")),
            "rcr: [ERROR]: Port out of range 0-65535"
        );
        assert_eq!(
            message(check_request("http://127.0.0.1:-1")),
            "rcr: [ERROR]: Port could not be cast to integer value as '-1'"
        );
    }
}
