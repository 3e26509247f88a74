//! The profile map: `[profiles]` in the helper's config file picks the AWS
//! profile per registry host or account, resolved as `--profile` would
//! (environment keys do not override it); unmapped registries keep the
//! default chain; the token cache keeps each profile's entries apart; a bad
//! entry is an error before anything is sent.

use crate::common::credhelper::*;
use crate::common::{CaptureServer, Run};
use serde_json::json;

const EU_ONE: &str = REGISTRY; // 123456789012, eu-west-1: mapped by host
const US_TWO: &str = "210987654321.dkr.ecr.us-east-1.amazonaws.com"; // mapped by account
const US_DEFAULT: &str = "333333333333.dkr.ecr.us-west-2.amazonaws.com"; // unmapped

const CREDENTIALS: &str = "[one]\naws_access_key_id = AKIDONE\naws_secret_access_key = s1\n\
                           [two]\naws_access_key_id = AKIDTWO\naws_secret_access_key = s2\n";

fn get(server: &CaptureServer, host: &str) -> Run {
    let mut run = helper("get");
    run.env("AWS_ENDPOINT_URL", server.url())
        .stdin(host)
        .write_credentials(CREDENTIALS);
    write_helper_config(
        &run,
        &format!(
            "[aliases]\n\"mirror.local:5000\" = \"{US_TWO}\"\n\n[profiles]\n\"{EU_ONE}\" = \"one\"\n\"210987654321\" = two # all of its registries\n"
        ),
    );
    run
}

/// Runs `get` for `host` with the same HOME as `base`.
fn get_in(base: &Run, server: &CaptureServer, host: &str) -> String {
    let mut run = helper("get");
    run.env("AWS_ENDPOINT_URL", server.url())
        .env("HOME", base.home_dir())
        .env("AWS_SHARED_CREDENTIALS_FILE", base.credentials_path())
        .env("AWS_CONFIG_FILE", base.config_path())
        .stdin(host);
    secret_of(&run.run())
}

#[test]
fn each_registry_uses_its_profile_and_the_rest_the_default_chain() {
    let server = token_server("pw-a");
    // The environment's keys (AKIDEXAMPLE) and AWS_PROFILE are set, as in a
    // shell where someone exported them: mapped registries ignore both.
    let mut base = get(&server, EU_ONE);
    base.env("AWS_PROFILE", "two");
    assert_eq!(secret_of(&base.run()), "pw-a");
    server.set_response("GetAuthorizationToken", ecr_token("pw-b", 43200));
    assert_eq!(get_in(&base, &server, US_TWO), "pw-b");
    server.set_response("GetAuthorizationToken", ecr_token("pw-c", 43200));
    assert_eq!(get_in(&base, &server, US_DEFAULT), "pw-c");
    // An alias of a registry takes that registry's profile.
    server.set_response("GetAuthorizationToken", ecr_token("pw-d", 43200));
    assert_eq!(get_in(&base, &server, "mirror.local:5000"), "pw-b");
    assert_eq!(
        scopes(&server),
        [
            "AKIDONE/eu-west-1/ecr",
            "AKIDTWO/us-east-1/ecr",
            "AKIDEXAMPLE/us-west-2/ecr"
        ]
    );

    // Every entry is cached apart: a second round costs no call.
    assert_eq!(cache_files(&base).len(), 3);
    assert_eq!(secret_of(&base.run()), "pw-a");
    assert_eq!(get_in(&base, &server, US_TWO), "pw-b");
    assert_eq!(get_in(&base, &server, US_DEFAULT), "pw-c");
    assert_eq!(server.requests().len(), 3);
    let entries: Vec<String> = cache_files(&base)
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("entry"))
        .collect();
    assert!(
        entries
            .iter()
            .any(|e| e.contains("profile=one") && !e.contains("AKIDEXAMPLE"))
    );
    assert!(entries.iter().any(|e| e.contains("profile=two")));
    assert!(entries.iter().any(|e| e.contains("env=AKIDEXAMPLE")));

    // Mapping the registry to another profile is another cache entry.
    write_helper_config(&base, &format!("[profiles]\n\"{EU_ONE}\" = \"two\"\n"));
    assert_eq!(secret_of(&base.run()), "pw-d");
    assert_eq!(scopes(&server)[3], "AKIDTWO/eu-west-1/ecr");
    assert_eq!(cache_files(&base).len(), 4);
}

#[test]
fn a_host_entry_wins_over_its_account_and_public_is_mapped_by_host() {
    let server = token_server("pw");
    let run = get(&server, EU_ONE);
    write_helper_config(
        &run,
        &format!("[profiles]\n\"123456789012\" = \"two\"\n\"{EU_ONE}\" = \"one\"\n"),
    );
    assert_eq!(secret_of(&run.run()), "pw");
    assert_eq!(
        get_in(
            &run,
            &server,
            "123456789012.dkr.ecr.ap-south-1.amazonaws.com"
        ),
        "pw"
    );
    assert_eq!(
        scopes(&server),
        ["AKIDONE/eu-west-1/ecr", "AKIDTWO/ap-south-1/ecr"]
    );

    let public =
        CaptureServer::start(json!({"GetAuthorizationToken": public_token("pw-pub", 43200)}));
    let run = get(&public, "public.ecr.aws");
    write_helper_config(&run, "[profiles]\n\"public.ecr.aws\" = \"two\"\n");
    assert_eq!(secret_of(&run.run()), "pw-pub");
    assert_eq!(scopes(&public), ["AKIDTWO/us-east-1/ecr-public"]);
}

#[test]
fn bad_entries_are_errors_and_nothing_is_sent() {
    let server = token_server("pw");
    for (config, host, want) in [
        (
            format!("[profiles]\n\"{EU_ONE}\" = \"nope\"\n"),
            EU_ONE,
            "the profile nope is not defined in",
        ),
        (
            "[profiles]\n\"123456789012\" = \"nope\"\n".to_string(),
            EU_ONE,
            "(line 2): the profile nope is not defined",
        ),
        (
            "[profiles]\n\"mirror.example.com\" = \"one\"\n".to_string(),
            US_DEFAULT,
            "line 2: `mirror.example.com` is neither a 12-digit account id nor an ECR registry host",
        ),
        (
            "[profiles]\n\"123456789012\" = \"one two\"\n".to_string(),
            US_DEFAULT,
            "line 2: `one two` is not a profile name",
        ),
        (
            "[profiles]\n\"123456789012\"\n".to_string(),
            US_DEFAULT,
            "line 2: expected `\"registry host or account id\" = \"profile\"`",
        ),
    ] {
        let run = get(&server, host);
        write_helper_config(&run, &config);
        let out = run.run();
        out.assert_exit(1);
        let stdout = out.stdout_str();
        assert!(stdout.starts_with("rcr credential helper: "), "{out}");
        assert!(stdout.contains("credential-helper.toml"), "{out}");
        assert!(stdout.contains(want), "{config}\n{out}");
        assert_eq!(stdout.lines().count(), 1, "one line for the client: {out}");
    }
    assert!(server.requests().is_empty());
    // An unknown profile is reported only where it is used.
    let run = get(&server, US_DEFAULT);
    write_helper_config(&run, "[profiles]\n\"123456789012\" = \"nope\"\n");
    assert_eq!(secret_of(&run.run()), "pw");
}

#[test]
fn a_mapped_profile_without_credentials_fails_without_falling_back() {
    let server = token_server("pw");
    let mut run = get(&server, EU_ONE);
    // The profile exists but holds no keys; the environment's keys must
    // not be used instead.
    run.write_config("[profile one]\nregion = eu-west-1\n")
        .write_credentials("");
    let out = run.run();
    out.assert_exit(1);
    assert!(
        out.stdout_str().contains("Unable to locate credentials"),
        "{out}"
    );
    assert!(server.requests().is_empty());
}
