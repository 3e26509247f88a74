//! The config and credentials files are read once per run (issue 13): the
//! run's settings read them and hand the contents to aws-config (loader,
//! region chain, the `--profile` credentials provider), so `strace` sees one
//! `openat` of each. Before the settings step, one `describe-repositories`
//! opened each file five times.

use serde_json::json;

use crate::common::{CaptureServer, Run, rcr_bin, require_program};

/// How many times a successful run of `args` (under `strace -f`) opened the
/// config file and the credentials file, with `env` added.
fn opens(args: &[&str], env: &[(&str, &str)]) -> (usize, usize) {
    opens_answered(json!({"*": {"repositories": []}}), 0, args, env)
}

/// [`opens`] against a server answering `script`, the run ending with `exit`.
fn opens_answered(
    script: serde_json::Value,
    exit: i32,
    args: &[&str],
    env: &[(&str, &str)],
) -> (usize, usize) {
    require_program("strace", "strace");
    let server = CaptureServer::start(script);
    let mut run = Run::new("strace");
    run.write_config(
        "[default]\nregion = us-east-1\noutput = json\ncli_timestamp_format = iso8601\ncli_pager =\n\
         [profile dev]\nregion = eu-west-1\ncli_binary_format = base64\n",
    );
    run.write_credentials(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s\n\
         [dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n",
    );
    let trace = run.dir().join("trace");
    run.args(["-f", "-e", "trace=openat", "-o"])
        .arg(&trace)
        .arg(rcr_bin())
        .args(args)
        .args(["--endpoint-url", &server.url()]);
    for (k, v) in env {
        run.env(k, v);
    }
    let out = run.run();
    assert_eq!(out.exit_code(), exit, "{}", out.stderr_str());
    let trace = std::fs::read_to_string(&trace).expect("strace wrote its trace");
    let count = |path: std::path::PathBuf| {
        let quoted = format!("\"{}\"", path.display());
        trace
            .lines()
            .filter(|l| l.contains("openat(") && l.contains(&quoted))
            .count()
    };
    (count(run.config_path()), count(run.credentials_path()))
}

#[test]
fn describe_repositories_opens_each_file_once() {
    assert_eq!(opens(&["ecr", "describe-repositories"], &[]), (1, 1));
}

#[test]
fn an_explicit_profile_over_environment_keys_opens_each_file_once() {
    // `--profile` with keys in the environment takes the profile-only
    // credentials provider, which gets the same contents.
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
    ];
    assert_eq!(
        opens(&["ecr", "describe-repositories", "--profile", "dev"], &env),
        (1, 1)
    );
}

#[test]
fn a_service_error_is_reported_without_opening_the_files_again() {
    // The error format may come from the profile (`cli_error_format`): it is
    // read from the contents the run's settings read.
    let script =
        json!({"*": {"__status": 400, "__type": "RepositoryNotFoundException", "message": "none"}});
    assert_eq!(
        opens_answered(script, 254, &["ecr", "describe-repositories"], &[]),
        (1, 1)
    );
}
