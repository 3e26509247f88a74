//! `help` and `--help` at every level: the root, each service (listing every
//! operation of the model plus the customizations), each operation (naming
//! every option of its synopsis in OPTIONS), get-login-password and wait.

use std::collections::BTreeSet;

use crate::common::Run;

/// rcr's stdout, stderr and exit code for `args`.
fn rcr(args: &[&str]) -> (String, String, i32) {
    Run::rcr().args(args).run().utf8()
}

fn help(args: &[&str]) -> String {
    let (out, err, code) = rcr(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert_eq!(err, "", "{args:?}");
    out
}

/// The bulleted names under a heading of a help page.
fn listed(page: &str, heading: &str) -> Vec<String> {
    page.split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .filter_map(|l| l.trim().strip_prefix("o ").map(str::to_string))
        .collect()
}

/// The operation names of a model file (`CreateRepository`).
fn model_operations(service: &str) -> BTreeSet<String> {
    let path = format!(
        "{}/models/{service}/service-2.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    model["operations"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

#[test]
fn root_help() {
    let page = help(&["help"]);
    assert!(page.starts_with("NAME\n       rcr -\n"), "{page}");
    assert_eq!(
        listed(&page, "AVAILABLE SERVICES"),
        ["credential-helper", "ecr", "ecr-public", "help", "image"]
    );
    assert!(page.contains("--endpoint-url (string)"));
    assert_eq!(help(&["--help"]), page);
}

#[test]
fn every_operation_of_each_service_has_help_naming_every_option() {
    for service in ["ecr", "ecr-public"] {
        let page = help(&[service, "help"]);
        assert_eq!(help(&[service, "--help"]), page);
        let commands = listed(&page, "AVAILABLE COMMANDS");
        assert!(commands.contains(&"get-login-password".to_string()));
        assert_eq!(commands.contains(&"wait".to_string()), service == "ecr");
        let ops: Vec<&String> = commands
            .iter()
            .filter(|c| !["get-login-password", "wait", "help"].contains(&c.as_str()))
            .collect();
        assert_eq!(ops.len(), model_operations(service).len(), "{service}");
        for op in ops {
            let page = help(&[service, op, "help"]);
            assert!(page.starts_with(&format!("NAME\n       {op} -\n")), "{op}");
            let synopsis = page
                .split("\nSYNOPSIS\n")
                .nth(1)
                .and_then(|s| s.split("\nOPTIONS\n").next())
                .unwrap();
            let options = format!("\n{}", page.split("\nOPTIONS\n").nth(1).unwrap());
            for flag in synopsis.split(|c: char| c.is_whitespace() || "[]|<>".contains(c)) {
                if flag.starts_with("--") {
                    assert!(
                        options.contains(&format!("\n       {flag} "))
                            || options.contains(&format!("| {flag} ")),
                        "{service} {op}: {flag} not in OPTIONS"
                    );
                }
            }
        }
    }
}

#[test]
fn operation_help_forms_agree() {
    let page = help(&["ecr", "create-repository", "help"]);
    assert_eq!(help(&["ecr", "create-repository", "--help"]), page);
    assert_eq!(
        help(&["--region", "eu-west-1", "ecr", "create-repository", "help"]),
        page
    );
    for expected in [
        "\nDESCRIPTION\n       Creates a repository.",
        "--repository-name (string) [required]",
        "Shorthand Syntax:\n\n          Key=string,Value=string ...",
        "JSON Syntax:\n\n          [\n            {\n              \"Key\": \"string\",",
        "\nGLOBAL OPTIONS\n",
        "\nOUTPUT\n       repository -> (structure)",
    ] {
        assert!(page.contains(expected), "{expected}\n{page}");
    }
}

#[test]
fn customization_help() {
    let page = help(&["ecr", "get-login-password", "help"]);
    assert!(page.contains("GetAuthorizationToken"));
    assert!(page.contains("--password-stdin"));
    let page = help(&["ecr", "wait", "help"]);
    assert_eq!(
        listed(&page, "AVAILABLE COMMANDS"),
        ["image-scan-complete", "lifecycle-policy-preview-complete"]
    );
    let page = help(&["ecr", "wait", "image-scan-complete", "help"]);
    assert!(page.contains("every 5 seconds"));
    assert!(page.contains("after 60 failed checks"));
    assert!(page.contains("--image-id (structure) [required]"));
}

#[test]
fn help_for_unknown_names_is_a_usage_error() {
    let (_, err, code) = rcr(&["ecr", "no-such-op", "help"]);
    assert_eq!(code, 252);
    assert!(err.contains("Found invalid choice 'no-such-op'"));
    let (_, _, code) = rcr(&["nosvc", "help"]);
    assert_eq!(code, 252);
}
