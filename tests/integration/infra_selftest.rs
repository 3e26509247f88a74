//! Tests of the test infrastructure itself (tests/common), independent of
//! rcr: the isolated runner (also on a terminal, and with a shared HOME),
//! the scripted capture server (driven by a raw HTTP client and by the real
//! aws CLI v1), moto_server, the aws v1 oracle, the reference-case loader
//! and the required-program check. If these fail, no other integration test's
//! verdict can be trusted.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::capture::credential_scope;
use crate::common::http::BufConn;
use crate::common::{CaptureServer, Run, aws_json_call, http_request, reference_cases};
use serde_json::{Value, json};

const ECR: &str = "AmazonEC2ContainerRegistry_V20150921";

fn ecr_call(server: &CaptureServer, op: &str, body: Value) -> common::HttpResponse {
    aws_json_call(
        &server.url(),
        &format!("{ECR}.{op}"),
        "us-east-1",
        "ecr",
        &body,
    )
    .expect("request to the capture server")
}

// ------------------------------------------------------------ capture ---

#[test]
fn capture_answers_scripted_body_and_records_request() {
    let server = CaptureServer::start(json!({
        "DescribeImages": {
            "imageDetails": [{"repositoryName": "shop/cart", "imageSizeInBytes": 1024}]
        }
    }));
    let resp = aws_json_call(
        &server.url(),
        &format!("{ECR}.DescribeImages"),
        "eu-west-1",
        "ecr",
        &json!({"repositoryName": "shop/cart"}),
    )
    .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(
        resp.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(
        resp.json(),
        Some(json!({"imageDetails": [{"repositoryName": "shop/cart", "imageSizeInBytes": 1024}]}))
    );

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/");
    assert_eq!(
        r.target.as_deref(),
        Some("AmazonEC2ContainerRegistry_V20150921.DescribeImages")
    );
    assert_eq!(r.operation.as_deref(), Some("DescribeImages"));
    assert_eq!(r.body, json!({"repositoryName": "shop/cart"}));
    assert_eq!(r.cred.as_deref(), Some("AKIDEXAMPLE/eu-west-1/ecr"));
    // Header lookup ignores case.
    assert_eq!(r.header("X-AMZ-DATE"), Some("20240101T000000Z"));
    assert_eq!(r.header("x-amz-target"), r.target.as_deref());
    assert_eq!(
        server.requests_json(),
        vec![json!({
            "target": "AmazonEC2ContainerRegistry_V20150921.DescribeImages",
            "body": {"repositoryName": "shop/cart"},
            "cred": "AKIDEXAMPLE/eu-west-1/ecr"
        })]
    );
    assert!(server.url().starts_with("http://127.0.0.1:"));
}

#[test]
fn capture_ecr_public_target_and_cred() {
    let server = CaptureServer::start(json!({"PutRepositoryCatalogData": {"catalogData": {}}}));
    let resp = aws_json_call(
        &server.url(),
        "SpencerFrontendService.PutRepositoryCatalogData",
        "us-east-1",
        "ecr-public",
        &json!({"repositoryName": "shop"}),
    )
    .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json(), Some(json!({"catalogData": {}})));
    let r = &server.requests()[0];
    assert_eq!(r.operation.as_deref(), Some("PutRepositoryCatalogData"));
    assert_eq!(r.cred.as_deref(), Some("AKIDEXAMPLE/us-east-1/ecr-public"));
}

#[test]
fn capture_pages_by_next_token() {
    let server = CaptureServer::start(json!({
        "ListImages": [
            {"__when_token": null, "imageIds": [{"imageTag": "1.0"}], "nextToken": "p2"},
            {"__when_token": "p2", "imageIds": [{"imageTag": "2.0"}]}
        ]
    }));
    let first = ecr_call(&server, "ListImages", json!({"repositoryName": "r"}));
    assert_eq!(
        first.json(),
        Some(json!({"imageIds": [{"imageTag": "1.0"}], "nextToken": "p2"}))
    );
    let second = ecr_call(
        &server,
        "ListImages",
        json!({"repositoryName": "r", "nextToken": "p2"}),
    );
    assert_eq!(
        second.json(),
        Some(json!({"imageIds": [{"imageTag": "2.0"}]}))
    );
    // An explicit null token is the same as no token.
    let again = ecr_call(&server, "ListImages", json!({"nextToken": null}));
    assert_eq!(again.json().unwrap()["nextToken"], "p2");

    let unknown = ecr_call(&server, "ListImages", json!({"nextToken": "zz"}));
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.json().unwrap()["__type"],
        "CaptureServerNoMatchingPage"
    );
    assert_eq!(server.requests().len(), 4);
    assert_eq!(server.requests()[1].body["nextToken"], "p2");
}

#[test]
fn capture_error_responses() {
    let server = CaptureServer::start(json!({
        "DescribeImages": {
            "__status": 400,
            "__type": "RepositoryNotFoundException",
            "message": "The repository with name 'shop/cart' does not exist"
        },
        "PutImage": {"__status": 500, "__type": "ServerException", "message": "boom"},
        "ListImages": {"__type": "InvalidParameterException", "message": "no status given"}
    }));
    let resp = ecr_call(&server, "DescribeImages", json!({}));
    assert_eq!(resp.status, 400);
    assert_eq!(
        resp.header("x-amzn-errortype"),
        Some("RepositoryNotFoundException")
    );
    assert_eq!(
        resp.json(),
        Some(json!({
            "__type": "RepositoryNotFoundException",
            "message": "The repository with name 'shop/cart' does not exist"
        }))
    );
    let resp = ecr_call(&server, "PutImage", json!({}));
    assert_eq!(resp.status, 500);
    assert_eq!(resp.json().unwrap()["__type"], "ServerException");
    // `__type` alone defaults to 400.
    assert_eq!(ecr_call(&server, "ListImages", json!({})).status, 400);

    let resp = ecr_call(&server, "DeleteRepository", json!({}));
    assert_eq!(resp.status, 400);
    assert_eq!(resp.json().unwrap()["__type"], "UnknownOperationException");
    assert_eq!(
        resp.header("x-amzn-ErrorType"),
        Some("UnknownOperationException")
    );
    // Without any X-Amz-Target too.
    let resp = http_request(&server.url(), "GET", "/", &[], b"").unwrap();
    assert_eq!(resp.status, 400);
    assert_eq!(server.requests().len(), 5);
    assert_eq!(server.requests()[4].target, None);
    assert_eq!(server.requests()[4].cred, None);
}

#[test]
fn capture_raw_bodies_delay_headers_and_times() {
    let server = CaptureServer::start(json!({
        "DescribeRepositories": "{\"repositories\": [",
        "ListImages": {"__status": 200, "__raw": "not json at all", "__headers": {"x-extra": "1"}},
        "GetAuthorizationToken": {"__delay_ms": 300, "authorizationData": []},
        "DeleteRepository": {"__disconnect": true},
        "PutImage": [
            {"__status": 500, "__type": "ServerException", "message": "try again", "__times": 2},
            {"image": {"imageId": {"imageTag": "t"}}}
        ]
    }));
    let resp = ecr_call(&server, "DescribeRepositories", json!({}));
    assert_eq!(
        (resp.status, resp.body_str().as_str()),
        (200, "{\"repositories\": [")
    );

    let resp = ecr_call(&server, "ListImages", json!({}));
    assert_eq!(resp.body, b"not json at all");
    assert_eq!(resp.header("X-Extra"), Some("1"));

    let t = Instant::now();
    let resp = ecr_call(&server, "GetAuthorizationToken", json!({}));
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(resp.json(), Some(json!({"authorizationData": []})));

    // __disconnect: the connection closes with no response at all.
    let err = aws_json_call(
        &server.url(),
        &format!("{ECR}.DeleteRepository"),
        "us-east-1",
        "ecr",
        &json!({}),
    );
    assert!(err.is_err(), "{err:?}");

    let statuses: Vec<u16> = (0..4)
        .map(|_| ecr_call(&server, "PutImage", json!({})).status)
        .collect();
    assert_eq!(statuses, [500, 500, 200, 200]);

    // set_response resets the __times counts of that operation.
    server.set_response(
        "PutImage",
        json!([{"__status": 503, "__type": "ThrottlingException", "__times": 1}, {}]),
    );
    assert_eq!(ecr_call(&server, "PutImage", json!({})).status, 503);
    assert_eq!(ecr_call(&server, "PutImage", json!({})).status, 200);
    server.clear_requests();
    assert!(server.requests().is_empty());
}

/// Reads one response off a raw connection: (status, body).
fn read_response(conn: &mut BufConn<&TcpStream>) -> (u16, Vec<u8>) {
    let head = conn.read_head().unwrap().expect("a response");
    let status: u16 = head
        .start_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let body = conn.read_body(&head).unwrap();
    (status, body)
}

#[test]
fn capture_keep_alive_pipelining_chunked_and_expect_continue() {
    let server = CaptureServer::start(json!({
        "ListImages": {"imageIds": []},
        "PutImage": {"image": {}}
    }));
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut w = &stream;
    let mut conn = BufConn::new(&stream);
    let target = |op: &str| format!("X-Amz-Target: {ECR}.{op}\r\n");

    // 1) plain Content-Length request.
    let body = br#"{"repositoryName":"a"}"#;
    write!(
        w,
        "POST / HTTP/1.1\r\nHost: x\r\n{}Content-Length: {}\r\n\r\n",
        target("ListImages"),
        body.len()
    )
    .unwrap();
    w.write_all(body).unwrap();
    assert_eq!(
        read_response(&mut conn),
        (200, br#"{"imageIds":[]}"#.to_vec())
    );

    // 2) chunked body, with a chunk extension and a trailer.
    write!(
        w,
        "POST / HTTP/1.1\r\nHost: x\r\n{}Transfer-Encoding: chunked\r\n\r\n\
         5;ext=1\r\n{{\"rep\r\n11\r\nositoryName\":\"b\"}}\r\n0\r\nX-Trailer: t\r\n\r\n",
        target("PutImage")
    )
    .unwrap();
    assert_eq!(read_response(&mut conn).0, 200);

    // 3) Expect: 100-continue: body is sent only after the interim response.
    let body = br#"{"repositoryName":"c"}"#;
    write!(
        w,
        "POST / HTTP/1.1\r\nHost: x\r\n{}Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
        target("ListImages"),
        body.len()
    )
    .unwrap();
    let interim = conn.read_head().unwrap().unwrap();
    assert!(
        interim.start_line.contains(" 100 "),
        "{}",
        interim.start_line
    );
    w.write_all(body).unwrap();
    assert_eq!(read_response(&mut conn).0, 200);

    // 4) two pipelined requests in one write.
    let one = format!(
        "POST / HTTP/1.1\r\nHost: x\r\n{}Content-Length: 2\r\n\r\n{{}}",
        target("ListImages")
    );
    w.write_all(format!("{one}{one}").as_bytes()).unwrap();
    assert_eq!(read_response(&mut conn).0, 200);
    assert_eq!(read_response(&mut conn).0, 200);

    // 5) Connection: close ends the connection after the response.
    write!(
        w,
        "POST / HTTP/1.1\r\nHost: x\r\n{}Connection: close\r\nContent-Length: 0\r\n\r\n",
        target("ListImages")
    )
    .unwrap();
    assert_eq!(read_response(&mut conn).0, 200);
    assert!(conn.read_to_end().unwrap().is_empty());

    let reqs = server.requests();
    assert_eq!(reqs.len(), 6);
    assert!(reqs.iter().all(|r| r.connection == reqs[0].connection));
    assert_eq!(reqs[0].body, json!({"repositoryName": "a"}));
    assert_eq!(reqs[1].body, json!({"repositoryName": "b"}));
    assert_eq!(reqs[2].body, json!({"repositoryName": "c"}));
    assert_eq!(reqs[3].body, json!({}));
    assert_eq!(reqs[5].body, Value::Null);
}

#[test]
fn capture_survives_garbage_and_stops_on_drop() {
    let server = CaptureServer::start(json!({"ListImages": {}}));
    let addr = server.addr();
    // Garbage, a bad Content-Length, and a half-sent request: each gets an
    // error or a closed connection, never a crash of the server.
    for junk in [
        &b"\x00\x01\x02 garbage\r\n\r\n"[..],
        b"POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n{}",
        b"no-colon-header-line\r\nfoo\r\n\r\n",
    ] {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(junk).unwrap();
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut sink = Vec::new();
        let _ = s.read_to_end(&mut sink);
    }
    // An idle keep-alive connection stays open across Drop without hanging it.
    let _idle = TcpStream::connect(addr).unwrap();
    let ok = ecr_call(&server, "ListImages", json!({}));
    assert_eq!(ok.status, 200);
    let t = Instant::now();
    drop(server);
    assert!(
        t.elapsed() < Duration::from_secs(3),
        "drop took {:?}",
        t.elapsed()
    );
    assert!(
        http_request(&format!("http://{addr}"), "GET", "/", &[], b"").is_err(),
        "server still answering after drop"
    );
}

#[test]
fn capture_wildcard_take_requests_and_creds() {
    let server = CaptureServer::start(json!({
        "ListImages": {"imageIds": []},
        "*": {"__status": 400, "__type": "Nope", "message": "any other"},
    }));
    let named = ecr_call(&server, "ListImages", json!({"repositoryName": "a"}));
    assert_eq!(named.status, 200);
    assert_eq!(named.json(), Some(json!({"imageIds": []})));
    let other = ecr_call(&server, "DescribeImages", json!({}));
    assert_eq!(other.status, 400);
    assert_eq!(other.json().expect("json")["__type"], "Nope");
    assert_eq!(
        server.creds(),
        vec!["AKIDEXAMPLE/us-east-1/ecr", "AKIDEXAMPLE/us-east-1/ecr"]
    );
    let taken = server.take_requests();
    assert_eq!(taken.len(), 2);
    assert!(server.requests().is_empty());
    // Arrival numbers go on after a take.
    ecr_call(&server, "ListImages", json!({}));
    assert_eq!(server.requests()[0].index, 2);
}

#[test]
fn credential_scope_parsing() {
    assert_eq!(
        credential_scope(
            "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00"
        )
        .as_deref(),
        Some("AKID/us-east-1/ecr")
    );
    assert_eq!(
        credential_scope("AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/ecr-public/aws4_request,SignedHeaders=host").as_deref(),
        Some("AKID/eu-west-1/ecr-public")
    );
    assert_eq!(credential_scope("Basic dXNlcjpwYXNz"), None);
    assert_eq!(credential_scope("Credential=a/b"), None);
    assert_eq!(credential_scope(""), None);
    assert_eq!(credential_scope("Credential="), None);
}

// -------------------------------------------------------------- runner ---

fn env_of(out: &common::Output) -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = out
        .stdout_str()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    vars.sort();
    vars
}

#[test]
fn run_environment_is_isolated() {
    let run = Run::new("/usr/bin/env");
    let out = run.run();
    out.assert_success();
    let vars = env_of(&out);
    let keys: Vec<&str> = vars.iter().map(|(k, _)| k.as_str()).collect();
    let mut expected = vec![
        "AWS_ACCESS_KEY_ID",
        "AWS_CONFIG_FILE",
        "AWS_DEFAULT_REGION",
        "AWS_EC2_METADATA_DISABLED",
        "AWS_PAGER",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SHARED_CREDENTIALS_FILE",
        "HOME",
        "NO_COLOR",
        "PATH",
        "TZ",
    ];
    // Coverage tooling variables are passed through when present.
    expected.extend(
        [
            "CARGO_LLVM_COV",
            "CARGO_LLVM_COV_TARGET_DIR",
            "LLVM_PROFILE_FILE",
        ]
        .into_iter()
        .filter(|k| std::env::var_os(k).is_some()),
    );
    expected.sort();
    assert_eq!(keys, expected);
    let get = |k: &str| vars.iter().find(|(n, _)| n == k).unwrap().1.clone();
    assert_eq!(get("AWS_ACCESS_KEY_ID"), "AKIDEXAMPLE");
    assert_eq!(get("AWS_SECRET_ACCESS_KEY"), "secretexample");
    assert_eq!(get("AWS_DEFAULT_REGION"), "us-east-1");
    assert_eq!(get("AWS_EC2_METADATA_DISABLED"), "true");
    assert_eq!(get("AWS_PAGER"), "");
    assert_eq!(get("TZ"), "UTC");
    assert_eq!(get("NO_COLOR"), "1");
    assert_eq!(get("HOME"), run.home_dir().to_str().unwrap());
    assert!(run.home_dir().is_dir());
    for f in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
        let meta = std::fs::metadata(get(f)).unwrap();
        assert!(
            meta.is_file() && meta.len() == 0,
            "{f} should be an empty file"
        );
    }
    assert_ne!(get("HOME"), std::env::var("HOME").unwrap_or_default());
}

#[test]
fn run_env_overrides_removals_and_fresh_home() {
    let mut run = Run::new("/usr/bin/env");
    run.env_remove("AWS_DEFAULT_REGION")
        .env("TZ", "America/New_York")
        .env("EXTRA", "x y")
        .write_config("[default]\nregion = eu-west-1\n");
    let vars = env_of(&run.run());
    assert!(!vars.iter().any(|(k, _)| k == "AWS_DEFAULT_REGION"));
    assert!(vars.contains(&("TZ".into(), "America/New_York".into())));
    assert!(vars.contains(&("EXTRA".into(), "x y".into())));
    assert_eq!(
        std::fs::read_to_string(run.config_path()).unwrap(),
        "[default]\nregion = eu-west-1\n"
    );
    // Removing then setting again brings it back.
    run.env("AWS_DEFAULT_REGION", "ap-south-1");
    assert!(env_of(&run.run()).contains(&("AWS_DEFAULT_REGION".into(), "ap-south-1".into())));
    // Reference-format env maps: null removes.
    let mut changes = std::collections::BTreeMap::new();
    changes.insert("AWS_ACCESS_KEY_ID".to_owned(), None);
    changes.insert("TZ".to_owned(), Some("Asia/Tokyo".to_owned()));
    run.env_changes(&changes);
    let vars = env_of(&run.run());
    assert!(!vars.iter().any(|(k, _)| k == "AWS_ACCESS_KEY_ID"));
    assert!(vars.contains(&("TZ".into(), "Asia/Tokyo".into())));
    // Each Run gets its own HOME.
    assert_ne!(Run::new("true").home_dir(), run.home_dir());
}

#[test]
#[should_panic(expected = "AWS_EC2_METADATA_DISABLED is forced to true")]
fn run_metadata_disable_cannot_be_overridden() {
    Run::new("true").env("AWS_EC2_METADATA_DISABLED", "false");
}

#[test]
#[should_panic(expected = "AWS_EC2_METADATA_DISABLED is forced to true")]
fn run_metadata_disable_cannot_be_removed() {
    Run::new("true").env_remove("AWS_EC2_METADATA_DISABLED");
}

#[test]
fn run_stdin_stdout_stderr_and_exit_code() {
    let out = Run::new("/bin/sh")
        .args(["-c", "cat; echo err >&2; exit 7"])
        .stdin(b"hello\x00\xffbytes".to_vec())
        .run();
    assert_eq!(out.stdout, b"hello\x00\xffbytes");
    assert_eq!(out.stderr, b"err\n");
    assert_eq!(out.exit_code(), 7);
    out.assert_exit(7);
    // Without stdin the child reads /dev/null (never the test's terminal).
    let out = Run::new("/bin/cat").run();
    assert_eq!((out.exit_code(), out.stdout.len()), (0, 0));
    // Large outputs on both pipes do not deadlock.
    let out = Run::new("/bin/sh")
        .args([
            "-c",
            "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2",
        ])
        .run();
    assert_eq!((out.stdout.len(), out.stderr.len()), (3_000_000, 3_000_000));
}

#[test]
fn run_signal_and_exit_code_mapping() {
    let running = Run::new("/bin/sleep").arg("30").spawn();
    std::thread::sleep(Duration::from_millis(100));
    assert!(running.signal(common::SIGINT));
    let out = running.wait();
    assert_eq!(out.signal, Some(common::SIGINT));
    assert_eq!(out.exit_code(), 130);
    assert!(out.duration < Duration::from_secs(10));
}

#[test]
#[should_panic(expected = "TIMEOUT")]
fn run_timeout_kills_and_fails() {
    Run::new("/bin/sh")
        .args(["-c", "sleep 30 & sleep 30"])
        .timeout(Duration::from_millis(300))
        .run();
}

#[test]
fn run_timeout_is_prompt() {
    let t = Instant::now();
    let r = std::panic::catch_unwind(|| {
        Run::new("/bin/sleep")
            .arg("30")
            .timeout(Duration::from_millis(200))
            .run()
    });
    assert!(r.is_err());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[test]
fn run_lingering_grandchild_does_not_hang() {
    // The shell exits at once but leaves a background sleep holding stdout.
    let t = Instant::now();
    let out = Run::new("/bin/sh")
        .args(["-c", "echo hi; sleep 30 &"])
        .timeout(Duration::from_secs(1))
        .run();
    assert_eq!(out.exit_code(), 0);
    assert_eq!(out.stdout, b"hi\n");
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

#[test]
fn run_on_terminal_gives_a_terminal_with_the_same_environment() {
    let out = Run::new("/bin/sh")
        .args(["-c", "test -t 1 && echo \"tty $MARK\"; exit 3"])
        .env("MARK", "kept")
        .run_on_terminal();
    assert_eq!(out.exit_code(), 3, "{out}");
    assert!(out.stdout_str().contains("tty kept"), "{out}");
    // Not on a terminal otherwise.
    let out = Run::new("/bin/sh")
        .args(["-c", "test -t 1 || echo pipe"])
        .run();
    assert_eq!(out.stdout_str(), "pipe\n");
}

#[test]
fn home_is_shared_by_its_runs() {
    let home = common::Home::new("[default]\nregion = eu-west-1\n", "[default]\n");
    let env = home.rcr(&["--version"]).effective_env();
    assert_eq!(env["HOME"], home.dir.as_os_str());
    assert_eq!(env["AWS_CONFIG_FILE"], home.path(".aws/config").as_os_str());
    assert_eq!(
        std::fs::read_to_string(&env["AWS_CONFIG_FILE"]).expect("config"),
        "[default]\nregion = eu-west-1\n"
    );
    home.write_config("");
    assert_eq!(
        std::fs::read_to_string(home.path(".aws/config")).expect("config"),
        ""
    );
}

#[test]
fn programs_are_found_or_required() {
    assert!(common::have_program("sh"));
    assert!(!common::have_program("rcr-no-such-program"));
    let missing = std::panic::catch_unwind(|| {
        common::require_program("rcr-no-such-program", "no-such-package")
    });
    assert!(missing.is_err(), "a missing program must fail the test");
}

#[test]
fn free_ports_are_distinct_and_bindable() {
    let ports: std::collections::HashSet<u16> = (0..50).map(|_| common::free_port()).collect();
    assert_eq!(ports.len(), 50);
    let p = *ports.iter().next().unwrap();
    std::net::TcpListener::bind(("127.0.0.1", p)).expect("free port is bindable");
}

// ---------------------------------------------------------- reference ---

#[test]
fn reference_cases_load_and_replay_against_capture_server() {
    let cases = reference_cases();
    assert!(cases.len() >= 29, "only {} reference cases", cases.len());
    for case in &cases {
        assert_eq!(
            case.command.first().map(String::as_str),
            Some("aws"),
            "{}",
            case.name
        );
        assert!(
            case.endpoint == "none" || case.uses_endpoint_url(),
            "{}: endpoint {:?}",
            case.name,
            case.endpoint
        );
        // Replaying the requests v2 made must get answers the script defines
        // and record exactly what v2's recording says reached the server.
        let server = CaptureServer::start(case.server_responses.clone());
        for req in &case.aws_v2.requests {
            let target = req["target"].as_str().unwrap();
            let cred = req["cred"].as_str().unwrap();
            let mut parts = cred.split('/');
            let (_, region, service) = (parts.next(), parts.next().unwrap(), parts.next().unwrap());
            let resp = aws_json_call(&server.url(), target, region, service, &req["body"]).unwrap();
            let is_error = resp.json().is_some_and(|b| b.get("__type").is_some());
            assert_eq!(
                is_error,
                case.aws_v2.exit_code == 254,
                "{}: answer {} {}",
                case.name,
                resp.status,
                resp.body_str()
            );
        }
        assert_eq!(
            server.requests_json(),
            case.aws_v2.requests,
            "{}",
            case.name
        );
    }
    let no_region = cases.iter().find(|c| c.name == "err-no-region").unwrap();
    assert_eq!(no_region.env.get("AWS_DEFAULT_REGION"), Some(&None));
    assert!(!no_region.uses_endpoint_url());
    assert_eq!(
        no_region.args("http://x"),
        ["ecr", "list-images", "--repository-name", "shop/cart"]
    );
    let service = cases.iter().find(|c| c.name == "err-service").unwrap();
    assert_eq!(
        &service.args("http://x")[..3],
        ["--endpoint-url", "http://x", "ecr"]
    );
    assert!(
        service
            .expected_stderr_for_rcr()
            .starts_with("\nrcr: [ERROR]: An error occurred")
    );
}

// ------------------------------------------------------------- python ---

#[test]
fn moto_server_answers_ecr_calls() {
    let moto = require_moto!();
    let url = moto.url();
    let resp = http_request(
        &url,
        "POST",
        "/",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.CreateRepository"),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/ecr/aws4_request, SignedHeaders=host, Signature=00",
            ),
        ],
        br#"{"repositoryName": "shop/cart"}"#,
    )
    .expect("moto CreateRepository");
    assert_eq!(
        resp.status,
        200,
        "{}\nmoto log:\n{}",
        resp.body_str(),
        moto.log()
    );
    let body = resp.json().expect("JSON from moto");
    assert_eq!(body["repository"]["repositoryName"], "shop/cart");

    let resp = moto.ecr_call("DescribeRepositories", &json!({}));
    let listed = resp.json().expect("JSON from moto");
    let names: Vec<&str> = listed["repositories"]
        .as_array()
        .expect("repositories list")
        .iter()
        .filter_map(|r| r["repositoryName"].as_str())
        .collect();
    assert_eq!(names, ["shop/cart"]);

    moto.reset();
    let resp = moto.ecr_call("DescribeRepositories", &json!({}));
    assert_eq!(resp.json().unwrap()["repositories"], json!([]));

    // Drop kills the server.
    drop(moto);
    assert!(http_request(&url, "GET", "/", &[], b"").is_err());
}

#[test]
fn aws_v1_version_and_describe_repositories_against_moto() {
    let aws = require_aws_v1!();
    let out = aws.run(["--version"]);
    out.assert_success();
    let version = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert!(version.starts_with("aws-cli/1.46.3 "), "{version}");

    let moto = require_moto!();
    moto.ecr_call("CreateRepository", &json!({"repositoryName": "shop/cart"}));
    let out = aws.run([
        "ecr",
        "describe-repositories",
        "--endpoint-url",
        &moto.url(),
    ]);
    out.assert_success();
    let json = out.stdout_json();
    assert_eq!(json["repositories"][0]["repositoryName"], "shop/cart");
    // cli_timestamp_format = iso8601 is in effect.
    let created = json["repositories"][0]["createdAt"].as_str().unwrap();
    assert!(
        created.contains('T') && created.ends_with("+00:00"),
        "{created}"
    );
}

/// The aws v1 oracle, driven against the capture server with v2's recorded
/// script, prints v2's recorded bytes for the json/text/table cases: checks
/// the capture server with a real SDK client (keep-alive, signing) and the
/// claim that v1 is a byte-exact oracle for those formats.
#[test]
fn aws_v1_matches_v2_recordings_via_capture_server() {
    let aws = require_aws_v1!();
    let mut checked = 0;
    for case in reference_cases() {
        let format_ok = ["-json", "-text", "-table"]
            .iter()
            .any(|s| case.name.ends_with(s));
        if !format_ok || case.aws_v2.exit_code != 0 {
            continue;
        }
        let server = CaptureServer::start(case.server_responses.clone());
        let out = aws
            .command()
            .env_changes(&case.env)
            .args(case.args(&server.url()))
            .run();
        out.assert_success();
        assert_eq!(out.stdout_str(), case.aws_v2.stdout, "{}", case.name);
        assert_eq!(
            server.requests_json(),
            case.aws_v2.requests,
            "{}",
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 6, "only {checked} cases checked");
}

#[test]
fn split_command_quotes_escapes_and_assignments() {
    let line =
        r#"AWS_DEFAULT_OUTPUT=text aws ecr x --query "a[?b==\`c\`]" 'it''s' a\ b "" --x=1 "Q=1""#;
    let c = common::split_command(line).expect("splits");
    assert_eq!(c.env, vec![("AWS_DEFAULT_OUTPUT".into(), "text".into())]);
    assert_eq!(
        c.words,
        [
            "aws",
            "ecr",
            "x",
            "--query",
            "a[?b==`c`]",
            "its",
            "a b",
            "",
            "--x=1",
            "Q=1"
        ]
    );
    let mut all = vec!["AWS_DEFAULT_OUTPUT=text".to_owned()];
    all.extend(c.words.iter().cloned());
    assert_eq!(common::shell::sh_words(line), all);
    // A quoted name is a word, not an assignment.
    let quoted = common::split_command(r#""A=1" aws"#).expect("splits");
    assert!(quoted.env.is_empty());
    assert_eq!(quoted.words, ["A=1", "aws"]);
}

#[test]
fn split_command_refuses_what_a_shell_would_expand() {
    for line in [
        "aws $X",
        "aws \"$X\"",
        "aws `x`",
        "aws \"`x`\"",
        "aws a|b",
        "aws a*",
        "aws 'x",
        "X=1",
    ] {
        assert!(common::split_command(line).is_err(), "{line}");
    }
}

#[test]
fn stderr_as_rcr_renames_only_the_program() {
    let aws = "\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n\naws: [ERROR]: argument --output: Found invalid choice 'x' (see ~/.aws/config)\n";
    assert_eq!(
        common::differential::stderr_as_rcr(aws),
        "\nusage: rcr [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  rcr help\n  rcr <command> help\n\nrcr: [ERROR]: argument --output: Found invalid choice 'x' (see ~/.aws/config)\n"
    );
}

#[test]
fn compact_diff_shows_only_the_lines_that_differ() {
    let diff = common::differential::compact_diff(b"a\nb\nc\nd\n", b"a\nB\nc\nd\ne\n");
    assert_eq!(diff, "  - \"b\\n\"\n  + \"B\\n\"\n  + \"e\\n\"\n");
    assert_eq!(
        common::differential::compact_diff(b"", b"x\n"),
        "  - (nothing)\n  + \"x\\n\"\n"
    );
    let long: String = (0..20).map(|i| format!("{i}\n")).collect();
    let diff = common::differential::compact_diff(b"", long.as_bytes());
    assert!(diff.contains("  ... 13 more lines ...\n"), "{diff}");
    assert!(diff.ends_with("  + \"19\\n\"\n"), "{diff}");
}

/// `FaultServer::answering_at_once` writes its bytes before reading
/// anything (what a TLS client meets at a plain HTTP port) and counts the
/// connection.
#[test]
fn fault_server_answers_at_once() {
    let server = common::FaultServer::answering_at_once(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    let mut stream = TcpStream::connect(server.authority()).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("read timeout");
    let mut got = [0u8; 28];
    stream.read_exact(&mut got).expect("the answer, unasked");
    assert_eq!(&got, b"HTTP/1.1 400 Bad Request\r\n\r\n");
    assert_eq!(server.heads().len(), 1);
    assert!(server.url().ends_with(&server.authority()));
}
