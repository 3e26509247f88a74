//! The command line of `rcr image`: the clap tree of its subcommands and
//! their arguments read into ready-to-run values.
//!
//! Global options are not here: `src/cli/` parses them for `image` exactly as
//! for any service, with this tree hung under the root command. Values are
//! checked while parsing (AGE, numbers, choices, conflicting flags) so that a
//! bad command line is a usage error (252) before any configuration is loaded
//! or anything is sent. Nothing here does I/O: `cargo xtask` compiles this
//! file in for completions and man pages.

use clap::{Arg, ArgAction, ArgMatches, Command};

use super::age::parse_age;
use crate::cli::Globals;
use crate::error::Error;

/// The top-level command word.
pub const NAME: &str = "image";

/// The subcommands with their one-line summaries, in help order.
pub const SUBCOMMANDS: &[(&str, &str)] = &[
    (
        "ls",
        "List a repository's images, newest pushed first, with filters and a limit.",
    ),
    (
        "retag",
        "Add tags to an image without pulling or pushing it.",
    ),
    (
        "gc",
        "Plan, then apply, the deletion of old or untagged images, index-aware.",
    ),
    (
        "scan-gate",
        "Wait for an image's scan and fail when findings reach a severity.",
    ),
];

/// Each subcommand's positional words as its synopsis shows them.
pub const POSITIONAL_SYNOPSIS: &[(&str, &str)] = &[
    ("ls", "REPOSITORY"),
    ("retag", "REPOSITORY SOURCE NEW_TAG [NEW_TAG ...]"),
    ("gc", "REPOSITORY"),
    ("scan-gate", "REPOSITORY TAG_OR_DIGEST"),
];

/// Flags a subcommand cannot do without.
pub const REQUIRED_FLAGS: &[&str] = &["fail-on"];

/// Severities from the most to the least severe (`--fail-on` choices).
pub const SEVERITIES: &[&str] = &[
    "CRITICAL",
    "HIGH",
    "MEDIUM",
    "LOW",
    "INFORMATIONAL",
    "UNDEFINED",
];

/// `--sort` choices.
pub const SORT_KEYS: &[&str] = &["pushed", "pulled", "size", "tag"];

/// The default of `scan-gate --timeout`: as long as aws's
/// `wait image-scan-complete` (60 attempts, 5 s apart).
pub const DEFAULT_SCAN_TIMEOUT: u64 = 300;

/// One `rcr image ...` command line, parsed.
#[derive(Debug)]
pub struct ImageCall {
    pub globals: Globals,
    pub command: ImageCommand,
}

#[derive(Debug)]
pub enum ImageCommand {
    Ls(LsArgs),
    Retag(RetagArgs),
    Gc(GcArgs),
    ScanGate(ScanGateArgs),
}

/// Which images by tag state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagState {
    Any,
    Tagged,
    Untagged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Pushed,
    Pulled,
    Size,
    Tag,
}

/// The repository a command works on, and the registry (account id) that
/// holds it when `--registry-id` names one (else the caller's).
#[derive(Debug)]
pub struct Repository {
    pub name: String,
    pub registry_id: Option<String>,
}

#[derive(Debug)]
pub struct LsArgs {
    pub repository: Repository,
    pub sort: SortKey,
    pub reverse: bool,
    pub tags: Vec<String>,
    pub tag_state: TagState,
    /// Seconds: only images pushed at least this long ago.
    pub older_than: Option<u64>,
    /// Seconds: only images pushed less than this long ago.
    pub newer_than: Option<u64>,
    pub limit: Option<usize>,
}

#[derive(Debug)]
pub struct RetagArgs {
    pub repository: Repository,
    /// A tag, or a digest (`sha256:...`).
    pub source: String,
    pub new_tags: Vec<String>,
}

#[derive(Debug)]
pub struct GcArgs {
    pub repository: Repository,
    pub keep: Option<usize>,
    pub keep_tags: Vec<String>,
    pub older_than: Option<u64>,
    pub untagged: bool,
    pub apply: bool,
}

#[derive(Debug)]
pub struct ScanGateArgs {
    pub repository: Repository,
    /// A tag, or a digest (`sha256:...`).
    pub image: String,
    /// One of [`SEVERITIES`].
    pub fail_on: &'static str,
    pub ignore: Vec<String>,
    pub timeout_seconds: u64,
}

/// A flag taking one value, given once (the last one wins, as in argparse).
fn value(name: &'static str, value_name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value_name)
        .help(help)
        .num_args(1)
        .action(ArgAction::Set)
        .overrides_with(name)
}

/// A flag that may be given several times, one value each.
fn repeated(name: &'static str, value_name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name(value_name)
        .help(help)
        .num_args(1)
        .action(ArgAction::Append)
}

fn switch(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .help(help)
        .action(ArgAction::SetTrue)
}

/// The id of every subcommand's positional words.
const POSITIONALS: &str = "positionals";

/// Positional words; counted by hand so that a missing one gets argparse's
/// wording rather than clap's. `value_names` name each position (the last
/// repeats): the completer reads them to offer repositories and images.
fn positionals(value_names: &'static [&'static str], help: &'static str) -> Arg {
    Arg::new(POSITIONALS)
        .value_names(value_names)
        .help(help)
        .num_args(0..)
        .action(ArgAction::Append)
}

fn registry_id() -> Arg {
    value(
        "registry-id",
        "string",
        "The registry (account id) that holds the repository; default: the caller's.",
    )
}

/// The parsing tree of `image`: every subcommand and its arguments.
pub fn command() -> Command {
    // Every subcommand takes its positional words (the repository first),
    // then `--registry-id`, then its own flags.
    let sub = |name: &'static str, words: &'static [&'static str], help: &'static str| {
        let about = SUBCOMMANDS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, a)| *a);
        Command::new(name)
            .about(about)
            .disable_help_flag(true)
            .arg(positionals(words, help))
            .arg(registry_id())
    };
    let ls = sub("ls", &["REPOSITORY"], "The repository to list.")
        .arg(value(
            "sort",
            "pushed|pulled|size|tag",
            "Order: pushed (newest first, the default), pulled (last recorded pull, most recent first), size (largest first), tag (alphabetical).",
        ))
        .arg(switch("reverse", "Reverse the order."))
        .arg(repeated(
            "tag",
            "GLOB",
            "Only images with a tag matching GLOB (* and ?); may be repeated.",
        ))
        .arg(switch("tagged", "Only tagged images."))
        .arg(switch("untagged", "Only untagged images."))
        .arg(value(
            "older-than",
            "AGE",
            "Only images pushed at least AGE ago (45s, 90m, 12h, 30d, 2w).",
        ))
        .arg(value(
            "newer-than",
            "AGE",
            "Only images pushed less than AGE ago.",
        ))
        .arg(value(
            "limit",
            "N",
            "Print only the first N images of the order; memory stays bounded by N.",
        ));
    let retag = sub(
        "retag",
        &["REPOSITORY", "SOURCE", "NEW_TAG"],
        "The repository, the image (a tag or a sha256: digest) and the tags to add.",
    );
    let gc = sub("gc", &["REPOSITORY"], "The repository to clean.")
        .arg(value(
            "keep",
            "N",
            "Keep the N most recently pushed candidates.",
        ))
        .arg(repeated(
            "keep-tag",
            "GLOB",
            "Protect images with a tag matching GLOB (* and ?); may be repeated.",
        ))
        .arg(value(
            "older-than",
            "AGE",
            "Only images pushed at least AGE ago are candidates.",
        ))
        .arg(switch("untagged", "Only untagged images are candidates."))
        .arg(switch(
            "apply",
            "Delete the planned images; without it the plan is only printed.",
        ));
    let scan_gate = sub(
        "scan-gate",
        &["REPOSITORY", "TAG_OR_DIGEST"],
        "The repository and the image (a tag or a sha256: digest).",
    )
    .arg(value(
            "fail-on",
            "SEVERITY",
            "The lowest severity that fails the gate: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL or UNDEFINED.",
        ))
        .arg(repeated(
            "ignore",
            "FINDING",
            "A finding name or vulnerability id (CVE-2024-1234) to ignore; may be repeated.",
        ))
        .arg(value(
            "timeout",
            "SECONDS",
            "How long to wait for the scan to finish (default 300).",
        ));
    Command::new(NAME)
        .about("ECR chores aws leaves to scripts: list, retag, clean up, gate on scans.")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_required(true)
        .subcommands([ls, retag, gc, scan_gate])
}

/// The tree for completions and man pages: choices listed, and `help`
/// everywhere.
pub fn tree() -> Command {
    let help = || Command::new("help").about("Show help for this command.");
    let choices =
        |values: &'static [&'static str]| clap::builder::PossibleValuesParser::new(values);
    command()
        .subcommand(help())
        .mut_subcommand("ls", |c| {
            c.mut_arg("sort", |a| a.value_parser(choices(SORT_KEYS)))
                .subcommand(help())
        })
        .mut_subcommand("retag", |c| c.subcommand(help()))
        .mut_subcommand("gc", |c| c.subcommand(help()))
        .mut_subcommand("scan-gate", |c| {
            c.mut_arg("fail-on", |a| a.value_parser(choices(SEVERITIES)))
                .subcommand(help())
        })
}

/// Reads the matches of `image` into a call.
pub fn call(globals: Globals, matches: &ArgMatches) -> Result<ImageCall, Error> {
    let command = match matches.subcommand() {
        Some(("ls", m)) => ImageCommand::Ls(ls_args(m)?),
        Some(("retag", m)) => ImageCommand::Retag(retag_args(m)?),
        Some(("gc", m)) => ImageCommand::Gc(gc_args(m)?),
        Some(("scan-gate", m)) => ImageCommand::ScanGate(scan_gate_args(m)?),
        Some((other, _)) => return Err(invalid_subcommand(other)),
        None => {
            return Err(Error::usage(
                "the following arguments are required: operation",
            ));
        }
    };
    Ok(ImageCall { globals, command })
}

pub fn invalid_subcommand(name: &str) -> Error {
    Error::usage(format!(
        "argument operation: Found invalid choice '{name}'\n"
    ))
}

fn words(m: &ArgMatches, id: &str) -> Vec<String> {
    m.get_many::<String>(id)
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}

fn one(m: &ArgMatches, id: &str) -> Option<String> {
    m.get_one::<String>(id).cloned()
}

/// Exactly `names.len()` positional words (the last may repeat when `many`).
fn take_positionals(words: Vec<String>, names: &[&str], many: bool) -> Result<Vec<String>, Error> {
    if words.len() < names.len() {
        return Err(Error::usage(format!(
            "the following arguments are required: {}",
            names[words.len()..].join(", ")
        )));
    }
    if !many && words.len() > names.len() {
        return Err(Error::usage(format!(
            "Unknown options: {}",
            words[names.len()..].join(", ")
        )));
    }
    Ok(words)
}

/// The repository: the first positional word (taken from `positionals`),
/// with `--registry-id`.
fn repository(positionals: &mut Vec<String>, m: &ArgMatches) -> Repository {
    Repository {
        name: positionals.remove(0),
        registry_id: one(m, "registry-id"),
    }
}

fn age(m: &ArgMatches, flag: &'static str) -> Result<Option<u64>, Error> {
    one(m, flag)
        .map(|v| parse_age(&format!("--{flag}"), &v).map_err(Error::usage))
        .transpose()
}

fn count(m: &ArgMatches, flag: &'static str, min: usize) -> Result<Option<usize>, Error> {
    let Some(text) = one(m, flag) else {
        return Ok(None);
    };
    match text.trim().parse::<usize>() {
        Ok(n) if n >= min => Ok(Some(n)),
        Ok(_) => Err(Error::usage(format!(
            "argument --{flag}: must be at least {min}, got '{text}'"
        ))),
        Err(_) => Err(Error::usage(format!(
            "argument --{flag}: invalid int value: '{text}'"
        ))),
    }
}

fn choice(flag: &str, text: &str, choices: &'static [&'static str]) -> Result<&'static str, Error> {
    choices
        .iter()
        .copied()
        .find(|c| c.eq_ignore_ascii_case(text.trim()))
        .ok_or_else(|| {
            let listed: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
            Error::usage(format!(
                "argument --{flag}: invalid choice: '{text}' (choose from {})",
                listed.join(", ")
            ))
        })
}

fn ls_args(m: &ArgMatches) -> Result<LsArgs, Error> {
    let mut pos = take_positionals(words(m, POSITIONALS), &["REPOSITORY"], false)?;
    let sort = match one(m, "sort") {
        None => SortKey::Pushed,
        Some(s) => match choice("sort", &s, SORT_KEYS)? {
            "pulled" => SortKey::Pulled,
            "size" => SortKey::Size,
            "tag" => SortKey::Tag,
            _ => SortKey::Pushed,
        },
    };
    let tag_state = match (m.get_flag("tagged"), m.get_flag("untagged")) {
        (true, true) => {
            return Err(Error::usage(
                "argument --untagged: not allowed with argument --tagged",
            ));
        }
        (true, false) => TagState::Tagged,
        (false, true) => TagState::Untagged,
        (false, false) => TagState::Any,
    };
    Ok(LsArgs {
        repository: repository(&mut pos, m),
        sort,
        reverse: m.get_flag("reverse"),
        tags: words(m, "tag"),
        tag_state,
        older_than: age(m, "older-than")?,
        newer_than: age(m, "newer-than")?,
        limit: count(m, "limit", 1)?,
    })
}

fn retag_args(m: &ArgMatches) -> Result<RetagArgs, Error> {
    let mut pos = take_positionals(
        words(m, POSITIONALS),
        &["REPOSITORY", "SOURCE", "NEW_TAG"],
        true,
    )?;
    let repository = repository(&mut pos, m);
    let source = pos.remove(0);
    Ok(RetagArgs {
        repository,
        source,
        new_tags: pos,
    })
}

fn gc_args(m: &ArgMatches) -> Result<GcArgs, Error> {
    let mut pos = take_positionals(words(m, POSITIONALS), &["REPOSITORY"], false)?;
    let args = GcArgs {
        repository: repository(&mut pos, m),
        keep: count(m, "keep", 0)?,
        keep_tags: words(m, "keep-tag"),
        older_than: age(m, "older-than")?,
        untagged: m.get_flag("untagged"),
        apply: m.get_flag("apply"),
    };
    // Without a selector every image would be a candidate: a slip of the
    // keyboard away from emptying the repository.
    if args.keep.is_none() && args.older_than.is_none() && !args.untagged {
        return Err(Error::usage(
            "one of the arguments --keep --older-than --untagged is required",
        ));
    }
    Ok(args)
}

fn scan_gate_args(m: &ArgMatches) -> Result<ScanGateArgs, Error> {
    let mut pos = take_positionals(
        words(m, POSITIONALS),
        &["REPOSITORY", "TAG_OR_DIGEST"],
        false,
    )?;
    let Some(fail_on) = one(m, "fail-on") else {
        return Err(Error::usage(
            "the following arguments are required: --fail-on",
        ));
    };
    let repository = repository(&mut pos, m);
    let image = pos.remove(0);
    let timeout_seconds = match one(m, "timeout") {
        None => DEFAULT_SCAN_TIMEOUT,
        Some(t) => t
            .trim()
            .parse::<u64>()
            .map_err(|_| Error::usage(format!("argument --timeout: invalid int value: '{t}'")))?,
    };
    Ok(ScanGateArgs {
        repository,
        image,
        fail_on: choice("fail-on", &fail_on, SEVERITIES)?,
        ignore: words(m, "ignore"),
        timeout_seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<ImageCommand, Error> {
        let argv = std::iter::once("image").chain(args.iter().copied());
        let matches = command()
            .try_get_matches_from(argv)
            .map_err(|e| Error::usage(e.to_string()))?;
        call(Globals::default(), &matches).map(|c| c.command)
    }

    fn usage(args: &[&str]) -> String {
        match parse(args) {
            Err(Error::Usage(m)) => m,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn ls_defaults_and_flags() {
        let ImageCommand::Ls(a) = parse(&["ls", "shop/cart"]).unwrap() else {
            panic!()
        };
        assert_eq!(a.repository.name, "shop/cart");
        assert_eq!(a.sort, SortKey::Pushed);
        assert_eq!(a.tag_state, TagState::Any);
        assert_eq!(a.limit, None);
        let ImageCommand::Ls(a) = parse(&[
            "ls",
            "--limit",
            "20",
            "r",
            "--tag",
            "v*",
            "--tag",
            "latest",
            "--older-than",
            "30d",
            "--sort",
            "size",
            "--reverse",
            "--untagged",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.limit, Some(20));
        assert_eq!(a.tags, vec!["v*", "latest"]);
        assert_eq!(a.older_than, Some(30 * 86_400));
        assert_eq!(a.sort, SortKey::Size);
        assert!(a.reverse);
        assert_eq!(a.tag_state, TagState::Untagged);
    }

    #[test]
    fn usage_errors() {
        assert_eq!(
            usage(&["ls"]),
            "the following arguments are required: REPOSITORY"
        );
        assert!(usage(&["ls", "r", "--limit", "0"]).contains("--limit"));
        assert!(usage(&["ls", "r", "--limit", "x"]).contains("invalid int value"));
        assert!(usage(&["ls", "r", "--sort", "age"]).contains("invalid choice: 'age'"));
        assert!(usage(&["ls", "r", "--tagged", "--untagged"]).contains("not allowed"));
        assert!(usage(&["ls", "r", "--older-than", "3y"]).contains("invalid age"));
        assert_eq!(
            usage(&["retag", "r", "v1"]),
            "the following arguments are required: NEW_TAG"
        );
        assert!(usage(&["gc", "r"]).contains("--keep --older-than --untagged"));
        assert_eq!(
            usage(&["scan-gate", "r", "v1"]),
            "the following arguments are required: --fail-on"
        );
        assert!(usage(&["scan-gate", "r", "v1", "--fail-on", "SEVERE"]).contains("invalid choice"));
    }

    #[test]
    fn retag_and_gate() {
        let ImageCommand::Retag(a) = parse(&["retag", "r", "sha256:ab", "v2", "stable"]).unwrap()
        else {
            panic!()
        };
        assert_eq!((a.source.as_str(), a.new_tags.len()), ("sha256:ab", 2));
        let ImageCommand::ScanGate(a) = parse(&[
            "scan-gate",
            "r",
            "v1",
            "--fail-on",
            "high",
            "--ignore",
            "CVE-1",
        ])
        .unwrap() else {
            panic!()
        };
        assert_eq!(a.fail_on, "HIGH");
        assert_eq!(a.timeout_seconds, DEFAULT_SCAN_TIMEOUT);
        let ImageCommand::Gc(a) =
            parse(&["gc", "r", "--keep", "0", "--keep-tag", "prod-*"]).unwrap()
        else {
            panic!()
        };
        assert_eq!((a.keep, a.apply), (Some(0), false));
    }
}
