//! The pager: used only when stdout is a terminal (the test runs rcr under
//! `script` to give it one), chosen from AWS_PAGER, the profile's cli_pager,
//! PAGER, started with LESS=FRX when LESS is unset; --no-cli-pager and an
//! empty value disable it; errors never go through it and keep their code.

#[path = "config_support/mod.rs"]
mod support;

use std::process::Command;

use support::{Home, Reply, Server, run};

/// Runs rcr under `script` so that its stdout is a terminal; `None` when
/// `script` is missing.
fn on_terminal(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Option<support::Run> {
    let mut line = String::from(env!("CARGO_BIN_EXE_rcr"));
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let base = home.rcr(&[]);
    let mut script = Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    script.env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    for (k, v) in env {
        script.env(k, v);
    }
    script.output().ok().map(|o| support::Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    })
}

#[test]
fn pager_choice() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script not available; skipping");
        return;
    }
    let server = Server::start(|_, _| Some(Reply::json(200, r#"{"imageIds":[]}"#)));
    let home = Home::new("[default]\ncli_pager = cat > profile-pager.out\n", "");
    let url = server.url();
    let args = [
        "ecr",
        "list-images",
        "--repository-name",
        "shop/cart",
        "--endpoint-url",
        &url,
    ];
    let dir = home.dir.to_str().expect("utf-8").to_string();
    let out = |name: &str| std::fs::read_to_string(home.path(name)).unwrap_or_default();

    // AWS_PAGER wins; LESS=FRX is set for it.
    let pager = format!("echo \"$LESS\" > {dir}/less.out; cat > {dir}/aws-pager.out");
    let r =
        on_terminal(&home, &args, &[("AWS_PAGER", &pager), ("PAGER", "false")]).expect("script");
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(out("aws-pager.out"), "{\n    \"imageIds\": []\n}\n");
    assert_eq!(out("less.out"), "FRX\n");

    // Without AWS_PAGER: the profile's cli_pager (run in the current dir).
    let profile_pager = format!("cat > {dir}/profile-pager.out");
    std::fs::write(
        home.path(".aws/config"),
        format!("[default]\ncli_pager = {profile_pager}\n"),
    )
    .expect("config");
    let r = on_terminal_without_aws_pager(&home, &args, &[("PAGER", "false"), ("LESS", "X")]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(out("profile-pager.out").contains("imageIds"));

    // --no-cli-pager: straight to the terminal.
    let r = on_terminal(
        &home,
        &[&args[..], &["--no-cli-pager"]].concat(),
        &[("AWS_PAGER", "false")],
    )
    .expect("script");
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("imageIds"), "{}", r.stdout);

    // Not a terminal: no pager even when one is set.
    let r = run(home
        .rcr(&args)
        .env("AWS_PAGER", format!("cat > {dir}/pipe.out")));
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("imageIds"));
    assert_eq!(out("pipe.out"), "");

    // An error keeps its exit code and does not go through the pager.
    let r = on_terminal(
        &home,
        &[
            "ecr",
            "list-images",
            "--repository-name",
            "shop/cart",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ],
        &[
            ("AWS_PAGER", &format!("cat > {dir}/err.out")),
            ("AWS_MAX_ATTEMPTS", "1"),
        ],
    )
    .expect("script");
    assert_eq!(r.code, 255);
    assert_eq!(out("err.out"), "");
}

/// Like [`on_terminal`] but with AWS_PAGER removed from the environment.
fn on_terminal_without_aws_pager(home: &Home, args: &[&str], env: &[(&str, &str)]) -> support::Run {
    let mut line = String::from("unset AWS_PAGER; exec ");
    line.push_str(env!("CARGO_BIN_EXE_rcr"));
    for a in args {
        line.push_str(&format!(" '{a}'"));
    }
    let base = home.rcr(&[]);
    let mut script = Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    script.env_clear();
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            script.env(k, v);
        }
    }
    for (k, v) in env {
        script.env(k, v);
    }
    let o = script.output().expect("script");
    support::Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}
