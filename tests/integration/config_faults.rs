//! Retries, timeouts and connection failures: what aws v2 prints and which
//! exit code it returns after the server fails, stalls or is not there.

#[path = "config_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{Home, Reply, Server, run};

const PUT: &[&str] = &[
    "ecr",
    "put-image",
    "--repository-name",
    "shop/cart",
    "--image-manifest",
    "{}",
];

fn with_endpoint<'a>(base: &[&'a str], url: &'a str) -> Vec<&'a str> {
    let mut v = base.to_vec();
    v.extend_from_slice(&["--endpoint-url", url]);
    v
}

#[test]
fn limit_exceeded_is_retried_like_aws() {
    // The reference err-limit.json: 3 requests, then 254.
    let server = Server::start(|_, _| {
        Some(Reply::error(
            400,
            "LimitExceededException",
            "The operation did not succeed because it would cause a service limit to be exceeded.",
        ))
    });
    let home = Home::new("", "");
    let url = server.url();
    let r = run(home.rcr(&with_endpoint(PUT, &url)));
    assert_eq!(r.code, 254);
    assert_eq!(
        r.stderr,
        "\nrcr: [ERROR]: An error occurred (LimitExceededException) when calling the PutImage operation (reached max retries: 2): The operation did not succeed because it would cause a service limit to be exceeded.\n"
    );
    assert_eq!(server.creds(), vec!["AKIDEXAMPLE/us-east-1/ecr"; 3]);
}

#[test]
fn server_errors_and_throttling_are_retried() {
    for (status, code) in [
        (500, "ServerException"),
        (503, "ServiceUnavailable"),
        (400, "ThrottlingException"),
    ] {
        let server = Server::start(move |_, _| Some(Reply::error(status, code, "try later")));
        let home = Home::new("", "");
        let url = server.url();
        let r = run(home
            .rcr(&with_endpoint(PUT, &url))
            .env("AWS_MAX_ATTEMPTS", "2"));
        assert_eq!(r.code, 254, "{code}: {}", r.stderr);
        assert_eq!(
            r.stderr,
            format!(
                "\nrcr: [ERROR]: An error occurred ({code}) when calling the PutImage operation (reached max retries: 1): try later\n"
            )
        );
        assert_eq!(server.requests().len(), 2, "{code}");
    }
}

#[test]
fn a_retry_that_succeeds_prints_the_result() {
    let server = Server::start(|_, n| {
        Some(if n == 0 {
            Reply::error(503, "ServiceUnavailable", "busy")
        } else {
            Reply::json(200, r#"{"imageIds":[]}"#)
        })
    });
    let home = Home::new("", "");
    let url = server.url();
    let r = run(home.rcr(&with_endpoint(
        &["ecr", "list-images", "--repository-name", "shop/cart"],
        &url,
    )));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "{\n    \"imageIds\": []\n}\n");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_errors_are_not_retried() {
    let server =
        Server::start(|_, _| Some(Reply::error(400, "RepositoryNotFoundException", "gone")));
    let home = Home::new("", "");
    let url = server.url();
    let r = run(home.rcr(&with_endpoint(PUT, &url)));
    assert_eq!(r.code, 254);
    assert_eq!(
        r.stderr,
        "\nrcr: [ERROR]: An error occurred (RepositoryNotFoundException) when calling the PutImage operation: gone\n"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn max_attempts_and_retry_mode_from_the_profile() {
    let server = Server::start(|_, _| Some(Reply::error(500, "ServerException", "x")));
    let home = Home::new("[default]\nmax_attempts = 1\nretry_mode = standard\n", "");
    let url = server.url();
    let r = run(home.rcr(&with_endpoint(PUT, &url)));
    assert_eq!(r.code, 254);
    assert!(
        r.stderr.contains("(reached max retries: 0)"),
        "{}",
        r.stderr
    );
    assert_eq!(server.requests().len(), 1);
    // The environment beats the profile.
    let r = run(home
        .rcr(&with_endpoint(PUT, &url))
        .env("AWS_MAX_ATTEMPTS", "2"));
    assert_eq!(r.code, 254);
    assert_eq!(server.requests().len(), 3);
    let r = run(home
        .rcr(&with_endpoint(PUT, &url))
        .env("AWS_RETRY_MODE", "sideways"));
    assert_eq!(r.code, 255, "{}", r.stderr);
}

#[test]
fn read_timeout_is_255() {
    let server = Server::start(|_, _| None);
    let home = Home::new("", "");
    let url = server.url();
    let start = Instant::now();
    let r = run(home
        .rcr(&with_endpoint(PUT, &url))
        .args(["--cli-read-timeout", "1"])
        .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(r.code, 255);
    assert_eq!(
        r.stderr,
        format!("\nrcr: [ERROR]: Read timeout on endpoint URL: \"{url}/\"\n")
    );
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn closed_port_is_255() {
    let home = Home::new("", "");
    let r = run(home
        .rcr(&with_endpoint(PUT, "http://127.0.0.1:9"))
        .env("AWS_MAX_ATTEMPTS", "1"));
    assert_eq!(r.code, 255);
    assert_eq!(
        r.stderr,
        "\nrcr: [ERROR]: Could not connect to the endpoint URL: \"http://127.0.0.1:9/\"\n"
    );
}

#[test]
fn sigint_is_130() {
    let server = Server::start(|_, _| None);
    let home = Home::new("", "");
    let url = server.url();
    let child = home
        .rcr(&with_endpoint(PUT, &url))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn rcr");
    // Wait until the request is in flight, then interrupt.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.requests().is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "\n");
}
