//! `rcr credential-helper configure`: credHelpers entries naming rcr in
//! Docker's config and the containers auth file, with everything else in
//! the files kept as data, atomic replacement with the mode kept, nothing
//! written on a second run, stale logins named, each file location rule,
//! the default registry from GetAuthorizationToken, and bad input refused
//! before any file is touched.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::Run;
use crate::common::credhelper::*;
use serde_json::{Value, json};

const EU: &str = REGISTRY;
const US: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

fn docker_config(run: &Run) -> PathBuf {
    run.home_dir().join(".docker/config.json")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()))
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A Docker config with other helpers, a stored login for EU, keys rcr
/// does not know, and formatting no tool would write.
const BUSY: &str = "{ \"zzz-unknown\" : {\"nested\": [1, 2.5, \"x\", null, {\"deep\": true}]},\r\n\n\n  \"auths\":{\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com\":{\"auth\":\"QVdTOnB3\"},\"ghcr.io\":{\"auth\":\"eDp5\"}},\n\t\t\"credHelpers\": {\"gcr.io\": \"gcloud\", \"123456789012.dkr.ecr.us-east-1.amazonaws.com\": \"ecr-login\"},\n\"credsStore\":\"desktop\",   \"aaa\": \"\u{e9}\\u00e9\\n\", \"experimental\": \"enabled\", \"big\": 12345678901234 }";

#[test]
fn keeps_every_other_entry_and_names_stale_logins() {
    let mut run = rcr_credential_helper(&[
        "configure",
        "--registry",
        EU,
        "--account",
        "123456789012",
        "--region",
        "us-east-1",
    ]);
    let file = run.write_file("home/.docker/config.json", BUSY);
    run.env("PATH", bin_dir());
    let out = run.run();
    out.assert_exit(0);
    let before: Value = serde_json::from_str(BUSY).expect("BUSY is JSON");
    let after = read_json(&file);
    // Same keys in the same order; every value but credHelpers unchanged.
    assert_eq!(keys(&after), keys(&before));
    for key in keys(&before) {
        if key != "credHelpers" {
            assert_eq!(after[&key], before[&key], "{key}");
        }
    }
    assert_eq!(
        keys(&after["credHelpers"]),
        ["gcr.io", US, EU],
        "existing entries first, new ones appended"
    );
    assert_eq!(after["credHelpers"]["gcr.io"], "gcloud");
    assert_eq!(after["credHelpers"][US], "rcr");
    assert_eq!(after["credHelpers"][EU], "rcr");
    assert!(
        std::fs::read_to_string(&file)
            .expect("file")
            .starts_with("{\n\t\"zzz-unknown\": {\n\t\t\"nested\": [")
    );

    let stdout = out.stdout_str();
    for said in [
        format!("credHelpers {EU}: added"),
        format!("credHelpers {US}: now rcr (was ecr-login)"),
        format!("still holds a stored login for https://{EU}"),
        format!("remove it with `docker logout {EU}`"),
        "config.json: written".to_string(),
    ] {
        assert!(stdout.contains(&said), "{said}: {out}");
    }
    assert!(!stdout.contains("ghcr.io"), "{out}");
    assert!(
        !stdout.contains("not on PATH"),
        "the helper is on PATH: {out}"
    );
    // No temporary file left next to it.
    let names: Vec<String> = std::fs::read_dir(file.parent().expect("dir"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["config.json"]);
}

#[test]
fn a_second_run_changes_nothing_and_modes_and_links_are_kept() {
    let run = rcr_credential_helper(&[
        "configure",
        "--registry",
        EU,
        "--registry",
        "public.ecr.aws",
    ]);
    // The config is a link to a file with mode 0640 elsewhere (dotfile
    // managers do this): the link stays, its target is replaced.
    let real = run.write_file("dotfiles/docker.json", "{\"auths\": {}}");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    std::fs::create_dir_all(run.home_dir().join(".docker")).expect("mkdir");
    std::os::unix::fs::symlink(&real, docker_config(&run)).expect("link");
    run.run().assert_exit(0);
    assert!(
        docker_config(&run)
            .symlink_metadata()
            .expect("link")
            .file_type()
            .is_symlink()
    );
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o7777;
    assert_eq!(mode(&real), 0o640);
    assert_eq!(
        read_json(&real)["credHelpers"],
        json!({EU: "rcr", "public.ecr.aws": "rcr"})
    );

    let bytes = std::fs::read(&real).expect("file");
    let mtime = std::fs::metadata(&real)
        .expect("meta")
        .modified()
        .expect("mtime");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let out = run.run();
    out.assert_exit(0)
        .assert_stdout_contains(&format!("credHelpers {EU}: already rcr"));
    assert!(out.stdout_str().contains("config.json: unchanged"), "{out}");
    assert_eq!(std::fs::read(&real).expect("file"), bytes, "byte-identical");
    assert_eq!(
        std::fs::metadata(&real)
            .expect("meta")
            .modified()
            .expect("mtime"),
        mtime,
        "untouched"
    );

    // A new file is private, in a private directory.
    let fresh = rcr_credential_helper(&["configure", "--registry", EU]);
    fresh.run().assert_exit(0);
    assert_eq!(mode(&docker_config(&fresh)), 0o600);
    assert_eq!(mode(&fresh.home_dir().join(".docker")), 0o700);
}

#[test]
fn finds_each_config_file_where_the_clients_look() {
    let args = ["configure", "--registry", EU, "--podman"];
    let routed = |p: &Path| read_json(p)["credHelpers"][EU] == "rcr";

    // Defaults: ~/.docker/config.json and ~/.config/containers/auth.json.
    let run = rcr_credential_helper(&args);
    run.run().assert_exit(0);
    assert!(routed(&docker_config(&run)));
    assert!(routed(&run.home_dir().join(".config/containers/auth.json")));

    // XDG_RUNTIME_DIR, DOCKER_CONFIG.
    let mut run = rcr_credential_helper(&args);
    let runtime = run.dir().join("runtime");
    let docker = run.dir().join("docker-dir");
    run.env("XDG_RUNTIME_DIR", &runtime)
        .env("DOCKER_CONFIG", &docker);
    run.run().assert_exit(0);
    assert!(routed(&runtime.join("containers/auth.json")));
    assert!(routed(&docker.join("config.json")));
    assert!(!docker_config(&run).exists());

    // REGISTRY_AUTH_FILE wins over XDG_RUNTIME_DIR; --docker-config over
    // DOCKER_CONFIG.
    let mut run = rcr_credential_helper(&args);
    let auth = run.dir().join("auth/custom.json");
    let flag_dir = run.dir().join("flag-dir");
    let (runtime, docker) = (run.dir().join("runtime"), run.dir().join("docker-dir"));
    run.env("XDG_RUNTIME_DIR", &runtime)
        .env("REGISTRY_AUTH_FILE", &auth)
        .env("DOCKER_CONFIG", &docker)
        .arg("--docker-config")
        .arg(&flag_dir);
    let out = run.run();
    out.assert_exit(0);
    assert!(routed(&auth));
    assert!(routed(&flag_dir.join("config.json")));
    assert!(!runtime.exists() && !docker.exists());
    // Without --podman the auth file is left alone.
    let mut run = rcr_credential_helper(&["configure", "--registry", EU]);
    let auth = run.write_file("auth.json", "{}");
    run.env("REGISTRY_AUTH_FILE", &auth);
    run.run().assert_exit(0);
    assert_eq!(std::fs::read_to_string(&auth).expect("auth"), "{}");
}

#[test]
fn podman_stale_logins_name_podman_logout() {
    let mut run = rcr_credential_helper(&["configure", "--registry", EU, "--podman"]);
    let auth = run.write_file(
        "auth.json",
        format!("{{\"auths\": {{\"{EU}\": {{\"auth\": \"x\"}}}}}}"),
    );
    run.env("REGISTRY_AUTH_FILE", &auth);
    let out = run.run();
    out.assert_exit(0);
    assert!(
        out.stdout_str().contains(&format!(
            "remove it with `podman logout --authfile {} {EU}`",
            auth.display()
        )),
        "{out}"
    );
    // The login itself is left for the user to remove.
    assert_eq!(read_json(&auth)["auths"][EU]["auth"], "x");
}

#[test]
fn accounts_regions_aliases_and_the_default_registry() {
    let mut run = rcr_credential_helper(&[
        "--region",
        "eu-central-1",
        "configure",
        "--account",
        "111111111111",
        "--account",
        "222222222222",
        "--region",
        "us-east-1",
        "--region",
        "cn-north-1",
        "--registry",
        "https://Mirror.Local:5000/v2/",
    ]);
    write_helper_config(
        &run,
        &format!("[aliases]\n\"mirror.local:5000\" = \"{EU}\"\n"),
    );
    run.arg("--output").arg("json");
    let out = run.run();
    out.assert_exit(0);
    let doc = out.stdout_json();
    assert_eq!(
        doc["registries"],
        json!([
            "mirror.local:5000",
            "111111111111.dkr.ecr.eu-central-1.amazonaws.com",
            "222222222222.dkr.ecr.us-east-1.amazonaws.com",
            "222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn"
        ])
    );
    assert_eq!(doc["files"][0]["client"], "docker");
    assert_eq!(doc["files"][0]["written"], true);
    assert_eq!(
        doc["files"][0]["registries"][0],
        json!({"registry": "mirror.local:5000", "status": "added", "previous": null})
    );
    assert_eq!(
        keys(&read_json(&docker_config(&run))["credHelpers"]).len(),
        4
    );

    // An account without a region of its own takes the configured one.
    let mut run = rcr_credential_helper(&["configure", "--account", "111111111111"]);
    run.env("AWS_DEFAULT_REGION", "ap-south-1");
    run.run().assert_exit(0);
    assert_eq!(
        keys(&read_json(&docker_config(&run))["credHelpers"]),
        ["111111111111.dkr.ecr.ap-south-1.amazonaws.com"]
    );

    // Nothing given: the registry GetAuthorizationToken names for the
    // configured credentials and region.
    let server = token_server("pw");
    let mut run = rcr_credential_helper(&["configure", "--region", "eu-west-1"]);
    run.arg("--endpoint-url").arg(server.url());
    let out = run.run();
    out.assert_exit(0);
    assert_eq!(keys(&read_json(&docker_config(&run))["credHelpers"]), [EU]);
    assert_eq!(scopes(&server), ["AKIDEXAMPLE/eu-west-1/ecr"]);
    // ... with --profile, that profile's credentials.
    let mut run = rcr_credential_helper(&["configure", "--profile", "ci"]);
    run.write_config("[profile ci]\nregion = eu-west-1\n")
        .write_credentials("[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = s\n")
        .env("AWS_ENDPOINT_URL", server.url())
        .env_remove("AWS_DEFAULT_REGION");
    run.run().assert_exit(0);
    assert_eq!(scopes(&server)[1], "AKIDCI/eu-west-1/ecr");
}

#[test]
fn bad_input_touches_no_file() {
    for (args, code, want) in [
        (
            vec!["--account", "1234"],
            252,
            "'1234' is not a 12-digit account id",
        ),
        (
            vec!["--registry", "ghcr.io"],
            252,
            "'ghcr.io' is neither an ECR registry host nor a host of [aliases]",
        ),
        (
            vec!["--account", "111111111111", "--region", "Not A Region"],
            252,
            "is not a region name",
        ),
        (vec!["--bogus"], 252, "Unknown options: --bogus"),
    ] {
        let mut run = rcr_credential_helper(&["configure"]);
        run.args(&args).env_remove("AWS_DEFAULT_REGION");
        let file = run.write_file("home/.docker/config.json", BUSY);
        let out = run.run();
        out.assert_exit(code);
        assert!(out.stderr_str().contains(want), "{args:?}\n{out}");
        assert_eq!(std::fs::read_to_string(&file).expect("file"), BUSY);
    }
    // An account and no region anywhere.
    let mut run = rcr_credential_helper(&["configure", "--account", "111111111111"]);
    run.env_remove("AWS_DEFAULT_REGION");
    let out = run.run();
    out.assert_exit(252);
    assert!(
        out.stderr_str().contains("no region for 111111111111"),
        "{out}"
    );
    // A file that is not a JSON object is not rewritten.
    for text in ["{\"credHelpers\": ", "[]", "{\"credHelpers\": [\"x\"]}"] {
        let run = rcr_credential_helper(&["configure", "--registry", EU]);
        let file = run.write_file("home/.docker/config.json", text);
        let out = run.run();
        out.assert_exit(255);
        assert!(out.stderr_str().contains("config.json"), "{out}");
        assert_eq!(std::fs::read_to_string(&file).expect("file"), text);
    }
}

#[test]
fn help_pages_and_usage_errors() {
    let text = |args: &[&str]| {
        let out = rcr_credential_helper(args).run();
        out.assert_exit(0);
        out.stdout_str()
    };
    let group = text(&["help"]);
    assert!(
        group.starts_with("NAME\n       credential-helper -\n"),
        "{group}"
    );
    assert!(
        group.contains("o configure") && group.contains("o doctor"),
        "{group}"
    );
    let page = text(&["configure", "help"]);
    assert_eq!(text(&["configure", "--help"]), page);
    for option in [
        "--registry (string)",
        "--account (string)",
        "--podman (boolean)",
        "--docker-config (string)",
        "--profile (string)",
    ] {
        assert!(page.contains(option), "{option}\n{page}");
    }
    let doctor: Vec<String> = text(&["doctor", "help"])
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert!(
        doctor
            .join(" ")
            .contains("The exit status is 0 when every check passes, 1 otherwise.")
    );
    for (args, want) in [
        (&[][..], "the following arguments are required: operation"),
        (&["fix"][..], "Found invalid choice 'fix'"),
        (&["fix", "help"][..], "Found invalid choice 'fix'"),
        (
            &["doctor", "--output", "csv"][..],
            "argument --output: Found invalid choice 'csv'",
        ),
    ] {
        let out = rcr_credential_helper(args).run();
        out.assert_exit(252);
        assert!(out.stderr_str().contains(want), "{args:?}\n{out}");
    }
}
