//! `rcr credential-helper doctor`: a healthy setup passes every check
//! (exit 0); each broken one (helper not on PATH, no credentials, host not
//! routed, endpoint refusing or not answering, a bad profile entry) fails
//! the right check with a fix (exit 1). Every run must end in under 5
//! seconds, which is the point of doctor's time limits.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::common::credhelper::*;
use crate::common::{CaptureServer, Output, Run};

const LIMIT: Duration = Duration::from_secs(5);

/// A doctor run for REGISTRY with the helper on PATH, the registry routed
/// in Docker's config, and `server` as the endpoint.
fn healthy(server: &CaptureServer) -> Run {
    let mut run = rcr_credential_helper(&["doctor", REGISTRY]);
    run.env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()))
        .env("AWS_ENDPOINT_URL", server.url());
    run.write_file(
        "home/.docker/config.json",
        format!("{{\"credHelpers\": {{\"{REGISTRY}\": \"rcr\"}}}}"),
    );
    run
}

/// Runs `run`, checks the time limit, and returns the output.
#[track_caller]
fn timed(run: &Run) -> Output {
    let started = Instant::now();
    let out = run.run();
    let took = started.elapsed();
    assert!(took < LIMIT, "doctor took {took:?}:\n{out}");
    out
}

/// Runs the doctor within the time limit, checks its exit code, and returns
/// the run and what it printed.
fn doctor(run: &Run, code: i32) -> (Output, String) {
    let out = timed(run);
    out.assert_exit(code);
    let text = out.stdout_str();
    (out, text)
}

/// The line of `check` (the text after the subject), failing if absent.
#[track_caller]
fn line<'a>(out: &'a str, check: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains(&format!(": {check}: ")))
        .unwrap_or_else(|| panic!("no {check} line in:\n{out}"))
}

/// Asserts that the doctor's `check` line says `said`.
#[track_caller]
fn assert_line(text: &str, check: &str, said: &str, out: &Output) {
    assert!(line(text, check).contains(said), "{out}");
}

#[test]
fn a_healthy_setup_passes_every_check() {
    let server = token_server("pw");
    let run = healthy(&server);
    let (out, text) = doctor(&run, 0);
    assert!(!text.contains("FAIL"), "{out}");
    assert!(line(&text, "on PATH").starts_with("ok    docker-credential-rcr: on PATH:"));
    assert!(line(&text, "on PATH").contains("is this rcr"));
    assert!(line(&text, "docker").starts_with(&format!("ok    {REGISTRY}: docker: ")));
    assert!(line(&text, "registry").contains("account 123456789012, region eu-west-1"));
    assert!(line(&text, "profile").contains("default chain, environment keys (AKIDEXAMPLE)"));
    assert_line(
        &text,
        "credentials",
        "access key id AKIDEXAMPLE from EnvironmentVariable",
        &out,
    );
    assert!(line(&text, "token").starts_with("ok "), "{out}");
    assert_line(&text, "token", "(user AWS, valid for 1", &out);
    assert!(line(&text, "cache").contains("no cached token"));
    // Doctor caches nothing; after a pull (a `get`) it shows the entry.
    assert!(cache_files(&run).is_empty());
    let mut get = helper("get");
    get.env("HOME", run.home_dir())
        .env("AWS_ENDPOINT_URL", server.url())
        .stdin(REGISTRY);
    secret_of(&get.run());
    let out = timed(&run);
    out.assert_exit(0);
    let cache = line(&out.stdout_str(), "cache").to_string();
    assert!(
        cache.contains(" s ago, handed out for 9 h more")
            || cache.contains(" s ago, handed out for 8 h 59 min more"),
        "{out}"
    );

    // --output json: the same checks as a document; hosts default to the
    // routed ones.
    let mut all = rcr_credential_helper(&["doctor", "--output", "json"]);
    all.env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()))
        .env("AWS_ENDPOINT_URL", server.url())
        .env("HOME", run.home_dir());
    let out = timed(&all);
    out.assert_exit(0);
    let doc = out.stdout_json();
    assert_eq!(doc["ok"], true);
    let checks = doc["checks"].as_array().expect("checks");
    assert!(
        checks
            .iter()
            .any(|c| c["subject"] == REGISTRY && c["check"] == "token" && c["status"] == "ok"),
        "{doc}"
    );
}

#[test]
fn a_mapped_profile_is_named_and_used() {
    let server = token_server("pw");
    let mut run = healthy(&server);
    run.write_credentials("[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = s\n");
    write_helper_config(&run, "[profiles]\n\"123456789012\" = \"team\"\n");
    let (out, text) = doctor(&run, 0);
    assert_line(
        &text,
        "profile",
        "profile team, as --profile team (from [profiles] \"123456789012\" = \"team\" (line 2)",
        &out,
    );
    assert_line(
        &text,
        "credentials",
        "profile team: access key id AKIDTEAM",
        &out,
    );
    assert_eq!(scopes(&server), ["AKIDTEAM/eu-west-1/ecr"]);

    // An entry naming a profile nobody defined fails the config check.
    write_helper_config(&run, "[profiles]\n\"123456789012\" = \"gone\"\n");
    let (out, text) = doctor(&run, 1);
    assert!(
        line(&text, "helper config").starts_with("FAIL  config:"),
        "{out}"
    );
    assert_line(
        &text,
        "helper config",
        "the profile gone is not defined",
        &out,
    );
    assert_line(&text, "helper config", "=> fix: define the profile", &out);
}

#[test]
fn the_helper_missing_from_path_fails() {
    let server = token_server("pw");
    let mut run = healthy(&server);
    run.env("PATH", "/usr/bin:/bin");
    let out = timed(&run);
    out.assert_exit(1);
    let l = line(&out.stdout_str(), "on PATH").to_string();
    assert!(
        l.starts_with("FAIL  docker-credential-rcr: on PATH: not found on PATH"),
        "{out}"
    );
    assert!(l.contains("=> fix: ln -s"), "{out}");

    // Another program under that name is not this rcr.
    let mut run = healthy(&server);
    let other = run.write_file(
        "other-bin/docker-credential-rcr",
        "#!/bin/sh\necho other 1.0\n",
    );
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&other).expect("meta").permissions(),
        0o755,
    );
    std::fs::set_permissions(&other, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    run.env(
        "PATH",
        format!("{}:/usr/bin:/bin", other.parent().expect("dir").display()),
    );
    let out = timed(&run);
    out.assert_exit(1);
    assert!(
        line(&out.stdout_str(), "on PATH").contains("is another program or version"),
        "{out}"
    );
}

#[test]
fn no_credentials_fails() {
    let server = token_server("pw");
    let mut run = healthy(&server);
    run.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let out = timed(&run);
    out.assert_exit(1);
    let l = line(&out.stdout_str(), "credentials").to_string();
    assert!(
        l.starts_with(&format!(
            "FAIL  {REGISTRY}: credentials: the default chain:"
        )),
        "{out}"
    );
    assert!(l.contains("Unable to locate credentials"), "{out}");
    assert!(l.contains("=> fix: configure credentials"), "{out}");
    assert!(server.requests().is_empty());
}

#[test]
fn a_host_not_routed_fails() {
    let server = token_server("pw");
    let run = healthy(&server);
    run.write_file(
        "home/.docker/config.json",
        "{\"credHelpers\": {\"gcr.io\": \"gcloud\"}, \"credsStore\": \"desktop\"}",
    );
    let (out, text) = doctor(&run, 1);
    let l = line(&text, "docker");
    assert!(
        l.contains("credsStore sends it to docker-credential-desktop"),
        "{out}"
    );
    assert!(
        l.contains(&format!(
            "=> fix: rcr credential-helper configure --registry {REGISTRY}"
        )),
        "{out}"
    );

    // Routed for podman only: Docker's check fails, podman's passes.
    let mut run = healthy(&server);
    let auth = run.write_file(
        "auth.json",
        format!("{{\"credHelpers\": {{\"{REGISTRY}\": \"rcr\"}}}}"),
    );
    run.env("REGISTRY_AUTH_FILE", &auth);
    run.write_file("home/.docker/config.json", "{}");
    let out = timed(&run);
    out.assert_exit(1);
    assert!(
        line(&out.stdout_str(), "podman").starts_with("ok "),
        "{out}"
    );
    assert!(
        line(&out.stdout_str(), "docker").starts_with("FAIL "),
        "{out}"
    );

    // No config at all, and no host given: nothing to check is a failure.
    let mut run = rcr_credential_helper(&["doctor"]);
    run.env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()));
    let out = timed(&run);
    out.assert_exit(1);
    assert!(
        line(&out.stdout_str(), "routing").contains("no registry is routed to rcr"),
        "{out}"
    );

    // A host rcr does not know.
    let mut run = healthy(&server);
    run.arg("ghcr.io");
    let out = timed(&run);
    out.assert_exit(1);
    assert!(
        out.stdout_str()
            .contains("FAIL  ghcr.io: registry: not an ECR registry host and not in [aliases]"),
        "{out}"
    );
}

#[test]
fn an_unreachable_endpoint_fails_quickly() {
    // Refused: nothing listens on the port.
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let server = CaptureServer::empty();
    let mut run = healthy(&server);
    run.env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{closed}"));
    let (out, text) = doctor(&run, 1);
    assert!(line(&text, "credentials").starts_with("ok "), "{out}");
    let l = line(&text, "token");
    assert!(l.starts_with("FAIL "), "{out}");
    assert!(l.contains("=> fix: check the network"), "{out}");

    // Silent: the connection is accepted (by the kernel) and never answered.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut run = healthy(&server);
    run.env(
        "AWS_ENDPOINT_URL",
        format!("http://{}", silent.local_addr().expect("addr")),
    );
    let (out, text) = doctor(&run, 1);
    let l = line(&text, "token");
    assert!(l.starts_with("FAIL "), "{out}");
    assert!(l.contains("within") || l.contains("timeout"), "{out}");
    drop(silent);
}

#[test]
fn profile_and_endpoint_options_stand_for_the_helpers_environment() {
    let server = token_server("pw");
    let mut run = healthy(&server);
    run.env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .write_credentials("[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = s\n")
        .args(["--profile", "team", "--endpoint-url"])
        .arg(server.url());
    let (out, text) = doctor(&run, 0);
    assert_line(
        &text,
        "profile",
        "the default chain, profile team (AWS_PROFILE)",
        &out,
    );
    assert_line(&text, "credentials", "access key id AKIDTEAM", &out);
    assert_eq!(scopes(&server), ["AKIDTEAM/eu-west-1/ecr"]);
}
