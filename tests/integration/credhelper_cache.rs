//! The credential helper's token cache: hits, the expiry margin, identities
//! kept apart, corrupt and unwritable caches, `RCR_CREDENTIAL_CACHE=off`,
//! `erase` / `list`, and concurrent `get`s from several processes. The
//! capture server plays GetAuthorizationToken, so each test controls the
//! token's expiry and counts the calls.

use std::os::unix::fs::PermissionsExt;

use crate::common::credhelper::*;
use crate::common::{CaptureServer, Run};
use serde_json::{Value, json};

/// A server answering with a token of `password`, and a `get` run against
/// it.
fn get_run_with_token(password: &str) -> (CaptureServer, Run) {
    let server = token_server(password);
    let run = get_via(&server, REGISTRY);
    (server, run)
}

fn calls(server: &CaptureServer) -> usize {
    server.requests().len()
}

fn edit_entry(run: &Run, edit: impl Fn(&mut Value)) {
    let files = cache_files(run);
    assert_eq!(files.len(), 1, "{files:?}");
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(&files[0]).expect("entry")).expect("entry is JSON");
    edit(&mut v);
    std::fs::write(&files[0], v.to_string()).expect("write entry");
}

#[test]
fn second_get_is_a_hit_and_the_file_is_private() {
    let (server, run) = get_run_with_token("pw1");
    assert_eq!(secret_of(&run.run()), "pw1");
    assert_eq!(calls(&server), 1);
    server.set_response("GetAuthorizationToken", ecr_token("pw2", 43200));
    let out = run.run();
    assert_eq!(secret_of(&out), "pw1");
    assert_eq!(calls(&server), 1, "a fresh cached token costs no call");

    let files = cache_files(&run);
    assert_eq!(files.len(), 1);
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&files[0]), 0o600);
    assert_eq!(mode(&cache_dir(&run)), 0o700);
    let text = std::fs::read_to_string(&files[0]).expect("entry");
    assert!(
        !text.contains("secretexample"),
        "never the AWS secret: {text}"
    );
    assert!(
        text.contains("AKIDEXAMPLE"),
        "keyed by the access key id: {text}"
    );
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(cache_dir(&run))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn tokens_are_refetched_within_the_safety_margin() {
    let (server, run) = get_run_with_token("pw1");
    assert_eq!(secret_of(&run.run()), "pw1");
    server.set_response("GetAuthorizationToken", ecr_token("pw2", 43200));

    // 8 of 12 hours gone: 4 hours left, more than the 3-hour margin.
    edit_entry(&run, |v| {
        v["fetchedAt"] = json!(now() - 8 * 3600);
        v["expiresAt"] = json!(now() + 4 * 3600);
    });
    assert_eq!(secret_of(&run.run()), "pw1");
    assert_eq!(calls(&server), 1);

    // 10 of 12 hours gone: still valid for AWS, but inside the margin.
    edit_entry(&run, |v| {
        v["fetchedAt"] = json!(now() - 10 * 3600);
        v["expiresAt"] = json!(now() + 2 * 3600);
    });
    assert_eq!(secret_of(&run.run()), "pw2");
    assert_eq!(calls(&server), 2);

    // Expired outright.
    edit_entry(&run, |v| {
        v["fetchedAt"] = json!(now() - 13 * 3600);
        v["expiresAt"] = json!(now() - 3600);
    });
    server.set_response("GetAuthorizationToken", ecr_token("pw3", 43200));
    assert_eq!(secret_of(&run.run()), "pw3");
    assert_eq!(calls(&server), 3);
    assert_eq!(secret_of(&run.run()), "pw3");
    assert_eq!(calls(&server), 3);
}

#[test]
fn short_lived_and_expired_tokens_are_never_reused() {
    // Four minutes of life is inside the five-minute minimum margin; a
    // token that arrives expired (moto's) is handed out once, not cached.
    for expires_in in [240, -3600] {
        let server =
            CaptureServer::start(json!({"GetAuthorizationToken": ecr_token("pw", expires_in)}));
        let run = get_via(&server, REGISTRY);
        for n in 1..=2 {
            assert_eq!(secret_of(&run.run()), "pw");
            assert_eq!(calls(&server), n, "expires in {expires_in}");
        }
        assert!(cache_files(&run).is_empty());
    }
}

#[test]
fn identities_are_kept_apart() {
    let (server, mut run) = get_run_with_token("pw-env");
    run.write_credentials(
        "[one]\naws_access_key_id = AKIDONE\naws_secret_access_key = s1\n\
         [two]\naws_access_key_id = AKIDTWO\naws_secret_access_key = s2\n",
    );
    assert_eq!(secret_of(&run.run()), "pw-env");

    // Profiles instead of environment keys.
    run.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    server.set_response("GetAuthorizationToken", ecr_token("pw-one", 43200));
    run.env("AWS_PROFILE", "one");
    assert_eq!(secret_of(&run.run()), "pw-one");
    server.set_response("GetAuthorizationToken", ecr_token("pw-two", 43200));
    run.env("AWS_PROFILE", "two");
    assert_eq!(secret_of(&run.run()), "pw-two");
    assert_eq!(calls(&server), 3);
    let creds: Vec<_> = server
        .requests()
        .into_iter()
        .filter_map(|r| r.cred)
        .collect();
    assert_eq!(
        creds,
        [
            "AKIDEXAMPLE/eu-west-1/ecr",
            "AKIDONE/eu-west-1/ecr",
            "AKIDTWO/eu-west-1/ecr"
        ]
    );

    // Each identity now hits its own entry.
    server.set_response("GetAuthorizationToken", ecr_token("pw-new", 43200));
    run.env("AWS_PROFILE", "one");
    assert_eq!(secret_of(&run.run()), "pw-one");
    run.env("AWS_PROFILE", "two");
    assert_eq!(secret_of(&run.run()), "pw-two");
    run.env_remove("AWS_PROFILE")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secretexample");
    assert_eq!(secret_of(&run.run()), "pw-env");
    assert_eq!(calls(&server), 3);
    assert_eq!(cache_files(&run).len(), 3);

    // A setting that changes who a profile is (roles are covered by the
    // unit tests: assuming one needs STS) changes the key.
    run.write_config("[profile one]\nrole_session_name = a\n");
    run.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_PROFILE", "one");
    assert_eq!(secret_of(&run.run()), "pw-new");
    assert_eq!(calls(&server), 4);
}

#[test]
fn corrupt_entries_are_ignored_and_rewritten() {
    let (server, run) = get_run_with_token("pw1");
    assert_eq!(secret_of(&run.run()), "pw1");
    let file = cache_files(&run).remove(0);
    server.set_response("GetAuthorizationToken", ecr_token("pw2", 43200));
    for garbage in [
        &b"{\"registry\": "[..],
        b"",
        b"\x00\xff not json",
        b"[]",
        b"{\"registry\":1}",
    ] {
        std::fs::write(&file, garbage).expect("corrupt the entry");
        let out = run.run();
        assert_eq!(
            secret_of(&out),
            "pw2",
            "{}",
            String::from_utf8_lossy(garbage)
        );
        let v: Value = serde_json::from_slice(&std::fs::read(&file).expect("entry"))
            .expect("rewritten entry is JSON");
        assert_eq!(v["secret"], "pw2");
    }
    assert_eq!(calls(&server), 6);
    // An entry for another key in this file's place (a collision, an edit)
    // is a miss too.
    edit_entry(&run, |v| v["registry"] = json!("other.example"));
    assert_eq!(secret_of(&run.run()), "pw2");
    assert_eq!(calls(&server), 7);
}

#[test]
fn an_unusable_cache_still_answers() {
    let (server, mut run) = get_run_with_token("pw");
    // The cache "directory" is a file: nothing can be cached, the client
    // still gets its token each time.
    let file = run.write_file("not-a-dir", "x");
    run.env("XDG_CACHE_HOME", &file);
    assert_eq!(secret_of(&run.run()), "pw");
    assert_eq!(secret_of(&run.run()), "pw");
    assert_eq!(calls(&server), 2);
}

#[test]
fn xdg_cache_home_and_off_switch() {
    let (server, mut run) = get_run_with_token("pw");
    let xdg = run.dir().join("xdg-cache");
    run.env("XDG_CACHE_HOME", &xdg);
    assert_eq!(secret_of(&run.run()), "pw");
    assert!(xdg.join("rcr/credential-helper").is_dir());
    assert!(cache_files(&run).is_empty(), "nothing under ~/.cache");

    let mut off = get_via(&server, REGISTRY);
    off.env("RCR_CREDENTIAL_CACHE", "off");
    assert_eq!(secret_of(&off.run()), "pw");
    assert_eq!(secret_of(&off.run()), "pw");
    assert_eq!(calls(&server), 3);
    assert!(!cache_dir(&off).exists());
}

#[test]
fn list_and_erase_follow_the_cache() {
    let (server, run) = get_run_with_token("pw1");
    write_helper_config(
        &run,
        &format!(
            "[aliases]\n\"mirror.local:5000\" = \"{REGISTRY}\"\n\"other.local\" = \"public.ecr.aws\"\n"
        ),
    );
    assert_eq!(secret_of(&run.run()), "pw1");

    let mut list = Run::new(program());
    list.arg("list");
    // Same HOME as `run`: point at its directories.
    list.env("HOME", run.home_dir());
    let out = list.run();
    out.assert_exit(0);
    assert_eq!(
        out.stdout_str(),
        format!("{{\"{REGISTRY}\":\"AWS\",\"mirror.local:5000\":\"AWS\"}}\n")
    );

    let mut erase = Run::new(program());
    erase
        .arg("erase")
        .env("HOME", run.home_dir())
        .stdin("mirror.local:5000");
    erase.run().assert_exit(0);
    assert!(cache_files(&run).is_empty());
    assert_eq!(list.run().stdout_str(), "{}\n");
    server.set_response("GetAuthorizationToken", ecr_token("pw2", 43200));
    assert_eq!(secret_of(&run.run()), "pw2");
    assert_eq!(calls(&server), 2);
}

#[test]
fn concurrent_gets_share_one_fetch() {
    // A slow answer widens the window in which all helpers miss at once.
    let mut answer = ecr_token("pw-shared", 43200);
    answer["__delay_ms"] = json!(300);
    let server = CaptureServer::start(json!({"GetAuthorizationToken": answer}));
    let run = get_via(&server, REGISTRY);
    let running: Vec<_> = (0..8).map(|_| run.spawn()).collect();
    for r in running {
        assert_eq!(secret_of(&r.wait()), "pw-shared");
    }
    assert_eq!(calls(&server), 1, "the entry lock lets one helper fetch");
    assert_eq!(cache_files(&run).len(), 1);

    // Expired entry, many readers, and a writer replacing the file: every
    // reader sees a whole entry (old or new), never a torn one.
    edit_entry(&run, |v| v["expiresAt"] = json!(now() - 1));
    server.set_response("GetAuthorizationToken", ecr_token("pw-next", 43200));
    let running: Vec<_> = (0..8).map(|_| run.spawn()).collect();
    for r in running {
        assert_eq!(secret_of(&r.wait()), "pw-next");
    }
    assert_eq!(calls(&server), 2);
}
