//! The Docker credential helper protocol as `docker-credential-rcr` speaks
//! it: each verb, malformed input, registry recognition (which region and
//! service the token comes from) and the no-credentials error.

use std::time::Duration;

use crate::common;
use crate::common::CaptureServer;
use crate::common::credhelper::*;
use serde_json::json;

#[test]
fn version_names_the_helper() {
    let out = helper("version").run();
    out.assert_exit(0);
    assert_eq!(
        out.stdout_str(),
        format!(
            "docker-credential-rcr (rcr) {}\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn wrong_argument_counts_print_the_usage() {
    let usage = "Usage: docker-credential-rcr <store|get|erase|list|version>\n";
    let out = common::Run::new(program()).run();
    out.assert_exit(1);
    assert_eq!(out.stdout_str(), usage);
    let out = common::Run::new(program()).args(["get", "extra"]).run();
    out.assert_exit(1);
    assert_eq!(out.stdout_str(), usage);
}

#[test]
fn unknown_verb_is_refused() {
    let out = helper("fetch").stdin("x").run();
    out.assert_exit(1);
    assert_eq!(out.stdout_str(), "Unknown credential action `fetch`\n");
}

#[test]
fn get_without_a_server_url() {
    for input in ["", " \n\t\n"] {
        let out = helper("get").stdin(input).run();
        out.assert_exit(1);
        assert_eq!(out.stdout_str(), "no credentials server URL\n", "{input:?}");
    }
}

#[test]
fn get_for_other_hosts_is_not_found_without_any_call() {
    let server = token_server("pw");
    for input in [
        &b"https://index.docker.io/v1/"[..],
        b"ghcr.io",
        b"quay.io:443/v2/",
        b"123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example",
        b"!!! garbage !!! {\"ServerURL\": 1}",
        b"\xff\xfe\x00binary\x01",
    ] {
        let out = get_via(&server, input).run();
        out.assert_exit(1);
        assert_eq!(
            out.stdout_str(),
            NOT_FOUND,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
    assert!(server.requests().is_empty(), "no AWS call for other hosts");
}

#[test]
fn get_private_registry_in_its_region() {
    let server = token_server("pw-eu");
    for input in [
        REGISTRY.to_string(),
        format!("https://{REGISTRY}\n"),
        format!("https://{REGISTRY}:443/v2/"),
    ] {
        let out = get_via(&server, input.clone())
            .env("RCR_CREDENTIAL_CACHE", "off")
            .run();
        out.assert_exit(0);
        // Exactly the reference implementation's encoding: the trimmed URL
        // echoed, then user name and secret, and a newline.
        assert_eq!(
            out.stdout_str(),
            format!(
                "{{\"ServerURL\":\"{}\",\"Username\":\"AWS\",\"Secret\":\"pw-eu\"}}\n",
                input.trim()
            )
        );
    }
    server.assert_calls(
        3,
        "AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken",
        "AKIDEXAMPLE/eu-west-1/ecr",
        &json!({}),
    );
}

#[test]
fn get_dual_stack_and_china_hosts() {
    let server = token_server("pw");
    for (host, region) in [
        ("123456789012.dkr-ecr.ap-south-1.on.aws", "ap-south-1"),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
            "cn-north-1",
        ),
    ] {
        let out = helper("get")
            .env("AWS_ENDPOINT_URL_ECR", server.url())
            .stdin(host)
            .run();
        assert_eq!(secret_of(&out), "pw");
        let last = server.requests().pop().expect("one request");
        assert_eq!(last.cred, Some(format!("AKIDEXAMPLE/{region}/ecr")));
    }
}

#[test]
fn get_public_registry_uses_ecr_public_in_us_east_1() {
    let server =
        CaptureServer::start(json!({"GetAuthorizationToken": public_token("pw-pub", 43200)}));
    let out = helper("get")
        .env("AWS_ENDPOINT_URL_ECR_PUBLIC", server.url())
        .env("AWS_DEFAULT_REGION", "eu-central-1")
        .stdin("https://public.ecr.aws")
        .run();
    assert_eq!(secret_of(&out), "pw-pub");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    requests[0].assert_call(
        "SpencerFrontendService.GetAuthorizationToken",
        "AKIDEXAMPLE/us-east-1/ecr-public",
    );
}

#[test]
fn service_errors_are_reported_on_stdout() {
    let server = CaptureServer::start(json!({"GetAuthorizationToken": {
        "__status": 400, "__type": "AccessDeniedException", "message": "not allowed"}}));
    let out = get_via(&server, REGISTRY).run();
    out.assert_exit(1);
    assert_eq!(
        out.stdout_str(),
        "rcr: [ERROR]: An error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: not allowed\n"
    );
}

#[test]
fn no_credentials_fail_fast_and_clearly() {
    let server = token_server("pw");
    let out = get_via(&server, REGISTRY)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .run();
    out.assert_exit(1);
    assert!(
        out.stdout_str()
            .contains("(NoCredentials): Unable to locate credentials"),
        "{out}"
    );
    assert!(
        out.duration < Duration::from_secs(1),
        "took {:?}",
        out.duration
    );
    assert!(server.requests().is_empty());
}

#[test]
fn store_accepts_valid_input_and_stores_nothing() {
    let run = helper("store");
    let mut run = run;
    run.stdin(r#"{"ServerURL":"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com","Username":"AWS","Secret":"x"}"#);
    let out = run.run();
    out.assert_exit(0);
    assert_eq!(out.stdout_str(), "");
    assert!(cache_files(&run).is_empty());

    for (input, message) in [
        ("", "EOF\n"),
        (
            r#"{"Username":"AWS","Secret":"x"}"#,
            "no credentials server URL\n",
        ),
        (
            r#"{"ServerURL":"h","Secret":"x"}"#,
            "no credentials username\n",
        ),
    ] {
        let out = helper("store").stdin(input).run();
        out.assert_exit(1);
        assert_eq!(out.stdout_str(), message, "{input:?}");
    }
    let out = helper("store").stdin("garbage").run();
    out.assert_exit(1);
    assert!(!out.stdout_str().is_empty());
}

#[test]
fn erase_and_list_on_an_empty_cache() {
    let out = helper("erase").stdin(REGISTRY).run();
    out.assert_exit(0);
    assert_eq!(out.stdout_str(), "");
    let out = helper("erase").stdin("ghcr.io").run();
    out.assert_exit(0);
    let out = helper("erase").stdin("").run();
    out.assert_exit(1);
    assert_eq!(out.stdout_str(), "no credentials server URL\n");
    let out = helper("list").run();
    out.assert_exit(0);
    assert_eq!(out.stdout_str(), "{}\n");
}

#[test]
fn aliases_map_other_hosts_to_a_registry() {
    let server = token_server("pw-alias");
    let mut run = helper("get");
    run.env("AWS_ENDPOINT_URL", server.url());
    write_helper_config(
        &run,
        &format!(
            "# mirrors\n[aliases]\n\"127.0.0.1:5000\" = \"{REGISTRY}\"\nmirror.example.com = \"public.ecr.aws\"\n"
        ),
    );
    run.stdin("127.0.0.1:5000");
    assert_eq!(secret_of(&run.run()), "pw-alias");
    assert_eq!(
        server.requests()[0].cred.as_deref(),
        Some("AKIDEXAMPLE/eu-west-1/ecr")
    );
    // Another port is another registry.
    run.stdin("127.0.0.1:5001");
    let out = run.run();
    out.assert_exit(1);
    assert_eq!(out.stdout_str(), NOT_FOUND);

    // XDG_CONFIG_HOME moves the file.
    let mut run = helper("get");
    run.env("AWS_ENDPOINT_URL", server.url());
    let xdg = run.write_file(
        "xdg/rcr/credential-helper.toml",
        format!("[aliases]\n\"mirror.local\" = \"{REGISTRY}\"\n"),
    );
    run.env(
        "XDG_CONFIG_HOME",
        xdg.parent().and_then(|p| p.parent()).expect("xdg dir"),
    );
    run.stdin("https://mirror.local/v2/");
    assert_eq!(secret_of(&run.run()), "pw-alias");
}

#[test]
fn bad_alias_files_are_reported() {
    // A `get` of mirror.example.com with `config` as the helper's file: it
    // fails.
    let get_mirror = |config: &str| {
        let mut run = helper("get");
        write_helper_config(&run, config);
        run.stdin("mirror.example.com");
        let out = run.run();
        out.assert_exit(1);
        (run, out)
    };
    let (_, out) = get_mirror("[aliases]\nthis is not an alias\n");
    out.assert_stdout_contains("credential-helper.toml: line 2: expected");
    let (mut run, out) = get_mirror("[aliases]\n\"mirror.example.com\" = \"ghcr.io\"\n");
    assert_eq!(
        out.stdout_str(),
        "rcr credential helper: the alias mirror.example.com maps to ghcr.io, which is not an ECR registry\n"
    );
    // An ECR host never needs the alias file.
    run.stdin(REGISTRY)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let out = run.run();
    assert!(!out.stdout_str().contains("alias"), "{out}");
}

#[test]
fn plain_rcr_is_unaffected() {
    let out = common::Run::rcr().arg("--version").run();
    out.assert_exit(0);
    assert!(out.stdout_str().starts_with("rcr/"), "{out}");
}
