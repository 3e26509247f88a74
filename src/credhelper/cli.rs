//! `rcr credential-helper configure|doctor`: the command line and help
//! pages of the helper's two customizations.
//!
//! Everything the parser, `help`, the man pages and the completions need
//! about these commands is here, in one place, and depends only on clap and
//! `src/cli/` (xtask compiles this file in, as it does `src/cli/`). Running
//! the commands is [`super::command`]'s job.
//!
//! `--region` is a global option, and `configure` also pairs it with each
//! `--account` (`--account A --region eu-west-1 --account B --region
//! us-east-1`): the pairs are read from the command line in order, a
//! `--region` before any `--account` being the default region.

use clap::{Arg, ArgAction, Command};

use crate::cli::Globals;
use crate::cli::globals::GLOBAL_OPTIONS;
use crate::custom::help::{Page, PageBuilder};
use crate::custom::{Customization, Scope};
use crate::error::Error;

/// The command's word after `rcr`.
pub const NAME: &str = "credential-helper";

/// `credential-helper` in the table of customizations.
pub static CUSTOMIZATION: Customization = Customization {
    name: NAME,
    scope: Scope::Top,
    about: "Set up and check docker-credential-rcr, the credential helper.",
    command: |_| command(),
    help: |_, words| help_topic(words).map(help_page),
    pages: |_| all_pages(),
    run: |_, args| super::command::run(&parse(args)?, args),
};
const CONFIGURE: &str = "configure";
const DOCTOR: &str = "doctor";

/// A help page of the customization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Group,
    Configure,
    Doctor,
}

/// A parsed `rcr credential-helper ...` command line.
#[derive(Debug)]
pub struct Call {
    pub globals: Globals,
    pub action: Action,
}

#[derive(Debug)]
pub enum Action {
    Configure(ConfigureArgs),
    Doctor { hosts: Vec<String> },
}

#[derive(Debug, Default)]
pub struct ConfigureArgs {
    /// `--registry` values as given.
    pub registries: Vec<String>,
    /// Each `--account` with the `--region`s that follow it.
    pub accounts: Vec<(String, Vec<String>)>,
    /// A `--region` given before any `--account`.
    pub default_region: Option<String>,
    pub podman: bool,
    pub docker_config: Option<String>,
}

/// The subcommand tree used for parsing, help and completions.
pub fn command() -> Command {
    let help = || Command::new("help").about("Show help for this command.");
    Command::new(NAME)
        .about("Set up and check docker-credential-rcr, the credential helper.")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .subcommand(help())
        .subcommand(
            Command::new(CONFIGURE)
                .about("Name rcr in Docker's (and podman's) credHelpers for ECR registries.")
                .disable_help_flag(true)
                .arg(
                    Arg::new("registry")
                        .long("registry")
                        .value_name("host")
                        .action(ArgAction::Append)
                        .num_args(1)
                        .help("A registry host: private ECR, public.ecr.aws or an alias."),
                )
                .arg(
                    Arg::new("account")
                        .long("account")
                        .value_name("id")
                        .action(ArgAction::Append)
                        .num_args(1)
                        .help("An account id; its registry in each --region given after it."),
                )
                .arg(
                    Arg::new("podman")
                        .long("podman")
                        .action(ArgAction::SetTrue)
                        .help("Also write the containers auth file (podman, skopeo, buildah)."),
                )
                .arg(
                    Arg::new("docker-config")
                        .long("docker-config")
                        .value_name("dir")
                        .num_args(1)
                        .help(
                            "Docker's config directory (default: $DOCKER_CONFIG, else ~/.docker).",
                        ),
                ),
        )
        .subcommand(
            Command::new(DOCTOR)
                .about("Check that pulls from ECR registries will get credentials from rcr.")
                .disable_help_flag(true)
                .arg(
                    Arg::new("host")
                        .value_name("host")
                        .num_args(0..)
                        .action(ArgAction::Append)
                        .help("Registries to check (default: those the configs route to rcr)."),
                ),
        )
}

/// The help topic of `words` (after `credential-helper`), or a usage error.
pub fn help_topic(words: &[&str]) -> Result<Topic, Error> {
    match words.first().copied() {
        None => Ok(Topic::Group),
        Some(CONFIGURE) => Ok(Topic::Configure),
        Some(DOCTOR) => Ok(Topic::Doctor),
        Some(other) => Err(invalid_choice(other)),
    }
}

fn invalid_choice(word: &str) -> Error {
    Error::usage(format!(
        "argument operation: Found invalid choice '{word}'\n"
    ))
}

/// Parses `rcr credential-helper ...`.
pub fn parse(args: &[String]) -> Result<Call, Error> {
    let args = &*crate::cli::argparse::expand_globals(args)?;
    let words = crate::cli::globals::positionals(args);
    match words.get(1).copied() {
        None => {
            return Err(Error::usage(
                "the following arguments are required: operation",
            ));
        }
        Some(CONFIGURE | DOCTOR) => {}
        Some(other) => return Err(invalid_choice(other)),
    }
    let (globals, sub) = crate::cli::parse_with_globals(args, &[], command())?;
    let strings = |m: &clap::ArgMatches, name: &str| -> Vec<String> {
        m.get_many::<String>(name)
            .map(|v| v.cloned().collect())
            .unwrap_or_default()
    };
    let action = match sub.subcommand() {
        Some((CONFIGURE, m)) => {
            let (accounts, default_region) = account_regions(args);
            Action::Configure(ConfigureArgs {
                registries: strings(m, "registry"),
                accounts,
                default_region,
                podman: m.get_flag("podman"),
                docker_config: m.get_one::<String>("docker-config").cloned(),
            })
        }
        Some((DOCTOR, m)) => Action::Doctor {
            hosts: strings(m, "host"),
        },
        _ => return Err(Error::internal("the command line parser lost the command")),
    };
    Ok(Call { globals, action })
}

/// The `--account` / `--region` pairs of a (clap-checked) command line, in
/// order, and the `--region` given before any `--account`.
fn account_regions(args: &[String]) -> (Vec<(String, Vec<String>)>, Option<String>) {
    let mut accounts: Vec<(String, Vec<String>)> = Vec::new();
    let mut default_region = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let (name, value) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let takes_value = GLOBAL_OPTIONS
            .iter()
            .any(|o| o.value.is_some() && name.strip_prefix("--") == Some(o.name))
            || matches!(name, "--account" | "--registry" | "--docker-config");
        let value = match value {
            Some(v) => Some(v),
            None if takes_value => {
                i += 1;
                args.get(i).cloned()
            }
            None => None,
        };
        match (name, value) {
            ("--account", Some(v)) => accounts.push((v, Vec::new())),
            ("--region", Some(v)) => match accounts.last_mut() {
                Some((_, regions)) => regions.push(v),
                None => default_region = Some(v),
            },
            _ => {}
        }
        i += 1;
    }
    (accounts, default_region)
}

/// Every page of the customization, for the man pages.
pub fn all_pages() -> Vec<Page> {
    [Topic::Group, Topic::Configure, Topic::Doctor]
        .into_iter()
        .map(help_page)
        .collect()
}

/// The help page of one topic.
pub fn help_page(topic: Topic) -> Page {
    let mut n = PageBuilder::default();
    let (name, summary) = match topic {
        Topic::Group => {
            group_page(&mut n);
            (
                format!("rcr-{NAME}"),
                "set up and check docker-credential-rcr",
            )
        }
        Topic::Configure => {
            configure_page(&mut n);
            (
                format!("rcr-{NAME}-{CONFIGURE}"),
                "route ECR registries to rcr in Docker's and podman's configs",
            )
        }
        Topic::Doctor => {
            doctor_page(&mut n);
            (
                format!("rcr-{NAME}-{DOCTOR}"),
                "check that ECR pulls will get credentials from rcr",
            )
        }
    };
    Page {
        name,
        summary: summary.to_string(),
        nodes: n.nodes,
    }
}

fn group_page(n: &mut PageBuilder) {
    n.name(NAME);
    n.heading("DESCRIPTION");
    n.para(
        0,
        "rcr is also a Docker credential helper: installed (or linked) under the name docker-credential-rcr, it answers container clients (Docker, podman, skopeo, buildah) with ECR tokens, cached on disk, for the registries their config routes to it. These commands set it up and check it; see docs/credential-helper.md.",
    );
    n.para(
        0,
        "The helper's own settings are in $XDG_CONFIG_HOME/rcr/credential-helper.toml (~/.config/rcr/credential-helper.toml): [aliases] maps other hosts (mirrors, pull-through proxies) to an ECR registry, and [profiles] maps a registry host, or an account id for all of its registries, to the AWS profile whose credentials are used for it, as --profile would use them.",
    );
    n.synopsis(format!("rcr {NAME} <subcommand> [parameters]"));
    n.heading("AVAILABLE COMMANDS");
    for c in [CONFIGURE, DOCTOR, "help"] {
        n.bullet(0, c);
    }
}

fn configure_page(n: &mut PageBuilder) {
    n.name(CONFIGURE);
    n.heading("DESCRIPTION");
    n.para(
        0,
        "Adds credHelpers entries naming rcr for the given registries to Docker's config file ($DOCKER_CONFIG/config.json, else ~/.docker/config.json) and, with --podman, to the containers auth file (REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json, else ~/.config/containers/auth.json). Every other key and entry of a file is kept; a file is replaced atomically and keeps its mode; a file that needs no change is not touched, so running the command again changes nothing.",
    );
    n.para(
        0,
        "Stored logins (auths entries) for the same registries are named, with the command that removes them: Docker asks rcr for those registries from now on, but other tools may still use the stale login.",
    );
    n.para(
        0,
        "Without --registry and --account, the registry of the configured credentials' account in the configured region is used: its host is the proxyEndpoint of an ECR GetAuthorizationToken call made with the global options (--profile, --region, --endpoint-url).",
    );
    n.synopsis(format!(
        "{CONFIGURE}\n[--registry <host>]...\n[--account <id> --region <region>...]...\n[--podman]\n[--docker-config <dir>]"
    ));
    n.heading("OPTIONS");
    n.option("--registry (string)",
        "A registry host: a private ECR registry (123456789012.dkr.ecr.eu-west-1.amazonaws.com), public.ecr.aws, or a host of the [aliases] table. May be repeated.",
    );
    n.option("--account (string)",
        "A 12-digit account id: its registry in each --region that follows it (--account 123456789012 --region eu-west-1 --region us-east-1); without one, in the --region given before any --account, else the configured region. May be repeated.",
    );
    n.option(
        "--podman (boolean)",
        "Also write the containers auth file that podman, skopeo and buildah read.",
    );
    n.option(
        "--docker-config (string)",
        "Docker's config directory, as docker --config takes it.",
    );
    n.global_options();
    n.heading("EXAMPLES");
    n.para(
        0,
        "To route two accounts' registries to rcr for Docker and podman:",
    );
    n.verbatim(2, format!(
        "rcr {NAME} {CONFIGURE} --account 123456789012 --region eu-west-1 --account 210987654321 --region us-east-1 --registry public.ecr.aws --podman"
    ));
    n.heading("OUTPUT");
    n.para(
        0,
        "One line per file and registry saying what changed. With --output, a document: files, each with its client, path, whether it was written, its registries and their status (added, replaced, unchanged) and its stale logins.",
    );
}

fn doctor_page(n: &mut PageBuilder) {
    n.name(DOCTOR);
    n.heading("DESCRIPTION");
    n.para(
        0,
        "Checks, one line each, what a pull from each registry depends on, and says what to do about each check that fails: docker-credential-rcr is on PATH and is this rcr; the helper's config file reads; Docker's config and the containers auth file route the registry to rcr; the registry is recognised (private with its region, public, or an alias) and which profile and identity would be used; credentials resolve; a token can be fetched; the age of the cached token.",
    );
    n.para(
        0,
        "The checks see what the helper would see when a client starts it from this shell. --profile and --endpoint-url check it as if AWS_PROFILE and AWS_ENDPOINT_URL were set to them (registries in [profiles] keep their profile); --region does not apply, since a registry's host names its region.",
    );
    n.para(
        0,
        "Without hosts, the registries that Docker's config and the containers auth file route to rcr are checked. Each network step has a time limit of a few seconds, so doctor ends quickly without a network. The exit status is 0 when every check passes, 1 otherwise. Nothing is written: a token doctor fetches is not cached.",
    );
    n.synopsis(format!("{DOCTOR}\n[<host> ...]"));
    n.heading("OPTIONS");
    n.option(
        "host (string)",
        "A registry host as a client would pass it (private ECR, public.ecr.aws, or an alias).",
    );
    n.global_options();
    n.heading("EXAMPLES");
    n.verbatim(
        2,
        format!("rcr {NAME} {DOCTOR} 123456789012.dkr.ecr.eu-west-1.amazonaws.com"),
    );
    n.heading("OUTPUT");
    n.para(
        0,
        "One line per check: ok, FAIL or info, the subject, what was found and, for a failure, the fix. With --output, a document: checks, each with subject, check, status, detail and fix, and ok.",
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::owned_words;

    #[test]
    fn pairs_accounts_with_the_regions_after_them() {
        let args = owned_words(&[
            "--region=eu-north-1",
            "credential-helper",
            "configure",
            "--account",
            "111111111111",
            "--region",
            "eu-west-1",
            "--region=us-east-1",
            "--profile",
            "x",
            "--account=222222222222",
            "--registry",
            "--region",
        ]);
        let (accounts, default_region) = account_regions(&args);
        assert_eq!(default_region.as_deref(), Some("eu-north-1"));
        assert_eq!(
            accounts,
            vec![
                (
                    "111111111111".to_string(),
                    owned_words(&["eu-west-1", "us-east-1"])
                ),
                ("222222222222".to_string(), vec![]),
            ]
        );
    }

    #[test]
    fn parses_both_commands() {
        let args = owned_words(&[
            "credential-helper",
            "configure",
            "--registry",
            "public.ecr.aws",
            "--account",
            "111111111111",
            "--region",
            "eu-west-1",
            "--podman",
            "--profile",
            "p",
        ]);
        let Ok(call) = parse(&args) else {
            panic!("configure parses");
        };
        assert_eq!(call.globals.profile.as_deref(), Some("p"));
        let Action::Configure(c) = call.action else {
            panic!("configure");
        };
        assert_eq!(c.registries, ["public.ecr.aws"]);
        assert!(c.podman);
        let args = owned_words(&["credential-helper", "doctor", "a", "--debug", "b"]);
        let Ok(call) = parse(&args) else {
            panic!("doctor parses");
        };
        assert!(call.globals.debug);
        assert!(matches!(call.action, Action::Doctor { hosts } if hosts == ["a", "b"]));
        let args = owned_words(&["credential-helper", "fix"]);
        assert!(parse(&args).is_err());
    }
}
