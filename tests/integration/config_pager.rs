//! The pager: used only when stdout is a terminal (the test runs rcr under
//! `script` to give it one), chosen from AWS_PAGER, the profile's cli_pager,
//! PAGER, started with LESS=FRX when LESS is unset; --no-cli-pager and an
//! empty value disable it; errors never go through it and keep their code.

use serde_json::json;

use crate::common::{CaptureServer, Home, Output, repository_call};

/// Runs rcr under `script` so that its stdout is a terminal.
fn on_terminal(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut run = home.rcr(args);
    for (k, v) in env {
        run.env(k, v);
    }
    run.run_on_terminal()
}

#[test]
fn pager_choice() {
    let server = CaptureServer::start(json!({"*": {"imageIds": []}}));
    let home = Home::new("[default]\ncli_pager = cat > profile-pager.out\n", "");
    let url = server.url();
    let args = repository_call("list-images", "shop/cart", &url, &[]);
    let dir = home.dir.to_str().expect("utf-8").to_string();
    let out = |name: &str| std::fs::read_to_string(home.path(name)).unwrap_or_default();

    // AWS_PAGER wins; LESS=FRX is set for it.
    let pager = format!("echo \"$LESS\" > {dir}/less.out; cat > {dir}/aws-pager.out");
    let r = on_terminal(&home, &args, &[("AWS_PAGER", &pager), ("PAGER", "false")]);
    assert_eq!(r.exit_code(), 0, "{}", r.stdout_str());
    assert_eq!(out("aws-pager.out"), "{\n    \"imageIds\": []\n}\n");
    assert_eq!(out("less.out"), "FRX\n");

    // Without AWS_PAGER: the profile's cli_pager (run in the current dir).
    let profile_pager = format!("cat > {dir}/profile-pager.out");
    home.write_config(&format!("[default]\ncli_pager = {profile_pager}\n"));
    let r = home
        .rcr(&args)
        .env_remove("AWS_PAGER")
        .env("PAGER", "false")
        .env("LESS", "X")
        .run_on_terminal();
    assert_eq!(r.exit_code(), 0, "{}", r.stdout_str());
    assert!(out("profile-pager.out").contains("imageIds"));

    // --no-cli-pager: straight to the terminal.
    let r = on_terminal(
        &home,
        &[&args[..], &["--no-cli-pager"]].concat(),
        &[("AWS_PAGER", "false")],
    );
    assert_eq!(r.exit_code(), 0);
    assert!(r.stdout_str().contains("imageIds"), "{}", r.stdout_str());

    // Not a terminal: no pager even when one is set.
    let r = home
        .rcr(&args)
        .env("AWS_PAGER", format!("cat > {dir}/pipe.out"))
        .run();
    assert_eq!(r.exit_code(), 0);
    assert!(r.stdout_str().contains("imageIds"));
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
    );
    assert_eq!(r.exit_code(), 255);
    assert_eq!(out("err.out"), "");
}
