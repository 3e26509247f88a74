//! The command line: the global options, and an operation's call.
//!
//! Parsing is two steps, as in ripgrep: a pre-scan ([`globals::positionals`])
//! finds the service and operation words (skipping global options wherever
//! they are), then clap parses the line against a tree holding only that one
//! operation, built from the model's input members. Building just one
//! operation keeps startup cheap; `custom::full_tree` builds every operation for
//! completions and man pages. The entry (`crate::run`) decides what the words
//! name: an operation here, or a customization (`crate::custom`), which
//! parses its own arguments with [`parse_with_globals`] / [`parse_known`].
//!
//! argparse's habits that clap lacks live in [`argparse`], used by every
//! parser: abbreviated options spelled out in aws's two stages (the global
//! options first, then the command's own), the ambiguity error, the words no
//! option takes (reported after the required arguments), and the
//! `Maybe you meant:` suggestions of an invalid choice.

pub mod argparse;
mod commands;
pub mod globals;

use clap::builder::ValueRange;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::error::Error;
use crate::model::{Member, Operation, Service, ShapeKind};
use globals::GLOBAL_OPTIONS;

/// The global options as given on the command line (raw text; their values
/// with the environment and the profile become typed settings in
/// `crate::settings`).
#[derive(Debug, Default, Clone)]
pub struct Globals {
    pub debug: bool,
    pub endpoint_url: Option<String>,
    pub no_verify_ssl: bool,
    pub no_paginate: bool,
    pub output: Option<String>,
    pub query: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    pub color: Option<String>,
    pub no_sign_request: bool,
    pub ca_bundle: Option<String>,
    pub cli_read_timeout: Option<String>,
    pub cli_connect_timeout: Option<String>,
    pub cli_binary_format: Option<String>,
    pub cli_error_format: Option<String>,
    pub no_cli_pager: bool,
}

/// An operation with its arguments, not yet turned into an input document.
#[derive(Debug)]
pub struct OperationCall {
    pub globals: Globals,
    pub service: &'static Service,
    pub operation: &'static Operation,
    /// (member, raw words given after its flag) in command-line order of the model.
    pub members: Vec<(&'static Member, MemberValue)>,
    pub cli_input_json: Option<String>,
    pub cli_input_yaml: Option<String>,
    pub generate_cli_skeleton: Option<String>,
    pub starting_token: Option<String>,
    pub page_size: Option<String>,
    pub max_items: Option<String>,
}

/// The value a member's flag was given.
#[derive(Debug, Clone)]
pub enum MemberValue {
    /// `--force` / `--no-force`.
    Bool(bool),
    /// The words after the flag (one for most members, several for lists).
    Words(Vec<String>),
}

/// Words as the owned strings a command line is made of.
pub fn owned_words(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The words before `--version` when the line has it (aws prints its
/// version wherever the option stands, once the words before it parsed).
pub fn before_version(args: &[String]) -> Option<&[String]> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let at = args[..end].iter().position(|a| a == "--version")?;
    Some(&args[..at])
}

/// The words naming the help page asked for: those before a last `help`
/// word, or all of them with `--help` anywhere; `None` when no help is
/// asked for.
pub fn help_words<'a>(args: &[String], words: &[&'a str]) -> Option<Vec<&'a str>> {
    match words.split_last() {
        Some((&"help", before)) => Some(before.to_vec()),
        _ if args.iter().any(|a| a == "--help") => Some(words.to_vec()),
        _ => None,
    }
}

/// The usage error for a command word that names nothing, with aws's
/// suggestions: among aws's commands (what aws would suggest) and rcr's
/// own top-level commands.
pub fn invalid_command(word: &str) -> Error {
    let mut choices = commands::AWS_COMMANDS.to_vec();
    choices.extend(crate::custom::top_levels().map(|c| c.name));
    argparse::invalid_choice("command", word, &choices)
}

/// The usage error for an operation word that names nothing in `service`,
/// with suggestions among its operations and customizations.
pub fn invalid_operation(service: &Service, word: &str) -> Error {
    let mut choices: Vec<&str> = service.operations.iter().map(|o| o.cli_name).collect();
    choices.extend(crate::custom::for_service(service).map(|c| c.name));
    argparse::invalid_choice("operation", word, &choices)
}

/// Parses the whole command line against `command` placed under the root
/// (with `parents`, the words between, such as the service): the global
/// options and `command`'s own matches. Words no option takes are an
/// error (aws's `Unknown options`, after the usage block).
pub fn parse_with_globals(
    args: &[String],
    parents: &[&'static str],
    command: Command,
) -> Result<(Globals, ArgMatches), Error> {
    let known = parse_known(args, parents, command)?;
    known.no_strays()?;
    Ok((known.globals, known.matches))
}

/// A command line parsed as argparse's `parse_known_args` does: the global
/// options, the command's matches, and the words nothing took (which the
/// caller reports once it has checked the required arguments, as aws does).
#[derive(Debug)]
pub struct Known {
    pub globals: Globals,
    pub matches: ArgMatches,
    /// The words no option took, in command-line order.
    pub strays: Vec<String>,
}

impl Known {
    /// aws's `Unknown options: a, b` when words were left over.
    pub fn no_strays(&self) -> Result<(), Error> {
        if self.strays.is_empty() {
            return Ok(());
        }
        // An operation's parser has an optional `help` positional: it takes
        // the first stray argument, which aws then lists last
        // (`--bogus a b` is `--bogus, b, a`).
        let mut words: Vec<&str> = self.strays.iter().map(String::as_str).collect();
        if let Some(at) = words.iter().position(|w| !argparse::is_option_word(w)) {
            let help = words.remove(at);
            words.push(help);
        }
        Err(Error::UnknownOptions(words.join(", ")))
    }
}

/// [`parse_with_globals`], leaving the words nothing took in
/// [`Known::strays`]. For a command without subcommands or positionals
/// (an operation, a waiter, `get-login-password`) its own options may be
/// abbreviated, as the global ones may (`crate::run` spelled those out).
pub fn parse_known(
    args: &[String],
    parents: &[&'static str],
    command: Command,
) -> Result<Known, Error> {
    // The line as typed or already spelled out: the same after this.
    let args = &*argparse::expand_globals(args)?;
    let name = command.get_name().to_string();
    let leaf =
        command.get_subcommands().next().is_none() && command.get_positionals().next().is_none();
    let (args, strays) = if leaf {
        own_options(args, parents.len() + 1, &command)?
    } else {
        (std::borrow::Cow::Borrowed(args), Vec::new())
    };
    let mut tree = command;
    for parent in parents.iter().rev() {
        tree = Command::new(*parent).subcommand(tree);
    }
    let matches = root_command()
        .subcommand(tree)
        .try_get_matches_from(argv_of(&args))
        .map_err(clap_error)?;
    let globals = globals_of(&matches)?;
    let mut own = &matches;
    for word in parents.iter().map(|p| p.to_string()).chain([name]) {
        own = own
            .subcommand_matches(&word)
            .ok_or_else(|| Error::internal("the command line parser lost a command"))?;
    }
    Ok(Known {
        globals,
        matches: own.clone(),
        strays,
    })
}

/// The operation parser's stage of aws: `command`'s abbreviated options
/// spelled out, and the words no option takes taken out of the line. `path` is the number of words naming the
/// command (service, operation, ...).
fn own_options<'a>(
    args: &'a [String],
    path: usize,
    command: &Command,
) -> Result<(std::borrow::Cow<'a, [String]>, Vec<String>), Error> {
    use argparse::Arity;
    let names: Vec<&str> = command
        .get_arguments()
        .filter_map(|a| a.get_long())
        .collect();
    let is_global = |word: &str| {
        let flag = word.trim_start_matches('-');
        globals::find(flag.split_once('=').map_or(flag, |(n, _)| n)).is_some()
    };
    let args = argparse::expand_options(args, &names, is_global)?;
    let arity = |name: &str| -> Option<Arity> {
        if let Some(global) = globals::find(name) {
            return Some(match global.value {
                Some(_) => Arity::One,
                None => Arity::None,
            });
        }
        let arg = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name))?;
        if !arg.get_action().takes_values() {
            return Some(Arity::None);
        }
        Some(match arg.get_num_args() {
            Some(range) if range.max_values() > 1 => Arity::Many,
            Some(range) if range.min_values() == 0 => Arity::Optional,
            _ => Arity::One,
        })
    };
    let strays = argparse::stray_words(&args, arity, path);
    if strays.is_empty() {
        return Ok((args, Vec::new()));
    }
    let words: Vec<String> = strays.iter().map(|&i| args[i].clone()).collect();
    let kept: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, _)| !strays.contains(i))
        .map(|(_, w)| w.clone())
        .collect();
    Ok((std::borrow::Cow::Owned(kept), words))
}

/// The call of `operation` of `service` on this command line: argparse's
/// order of errors, the required arguments before any unknown word.
pub fn parse_operation(
    args: &[String],
    service: &'static Service,
    operation: &'static Operation,
) -> Result<OperationCall, Error> {
    let known = parse_known(
        args,
        &[service.cli_name],
        operation_command(service, operation),
    )?;
    let call = operation_call(known.globals.clone(), service, operation, &known.matches);
    check_required(&call)?;
    known.no_strays()?;
    Ok(call)
}

fn argv_of(args: &[String]) -> Vec<String> {
    let mut argv = Vec::with_capacity(args.len() + 1);
    argv.push("rcr".to_string());
    argv.extend(args.iter().cloned());
    argv
}

/// The call described by an operation's matches.
pub fn operation_call(
    globals: Globals,
    service: &'static Service,
    operation: &'static Operation,
    op_matches: &ArgMatches,
) -> OperationCall {
    let mut members = Vec::new();
    for member in service.shape(operation.input).kind.members() {
        let kind = &service.shape(member.shape).kind;
        if matches!(kind, ShapeKind::Boolean) {
            if op_matches.get_flag(member.cli_name) {
                members.push((member, MemberValue::Bool(true)));
            } else if op_matches.get_flag(&no_flag(member.cli_name)) {
                members.push((member, MemberValue::Bool(false)));
            }
            continue;
        }
        if let Some(values) = op_matches.get_many::<String>(member.cli_name) {
            members.push((member, MemberValue::Words(values.cloned().collect())));
        }
    }
    let get = |name: &str| op_matches.get_one::<String>(name).cloned();
    OperationCall {
        globals,
        service,
        operation,
        members,
        cli_input_json: get("cli-input-json"),
        cli_input_yaml: get("cli-input-yaml"),
        generate_cli_skeleton: get("generate-cli-skeleton"),
        starting_token: operation
            .paginator
            .as_ref()
            .and_then(|_| get("starting-token")),
        page_size: operation.paginator.as_ref().and_then(|_| get("page-size")),
        max_items: operation.paginator.as_ref().and_then(|_| get("max-items")),
    }
}

/// aws's argparse check: required members must be flags unless an input
/// document (`--cli-input-json/yaml`) may supply them; then botocore's
/// validation checks the merged document instead. The parser skips it for
/// `--generate-cli-skeleton`, whose `output` kind runs it itself
/// (`params::require_flags`).
pub fn check_required(call: &OperationCall) -> Result<(), Error> {
    if call.generate_cli_skeleton.is_some() {
        return Ok(());
    }
    crate::params::require_flags(call)
}

fn no_flag(name: &str) -> String {
    format!("no-{name}")
}

fn leak(s: String) -> &'static str {
    // A handful of flag names per run, alive until exit anyway.
    Box::leak(s.into_boxed_str())
}

/// The root command with the global options, accepted anywhere.
pub fn root_command() -> Command {
    let mut cmd = Command::new("rcr")
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .subcommand_required(true);
    for opt in GLOBAL_OPTIONS {
        let arg = Arg::new(opt.name)
            .long(opt.name)
            .global(true)
            .help(opt.help);
        let arg = match opt.value {
            Some(v) => arg
                .value_name(v)
                .num_args(1)
                .allow_negative_numbers(true)
                .action(ArgAction::Set)
                .overrides_with(opt.name),
            // Repeating a switch is allowed, as in argparse.
            None => arg.action(ArgAction::SetTrue).overrides_with(opt.name),
        };
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The subcommand of one operation: a flag per input member, then the
/// input-document options and, for paginated operations, the paging options.
pub fn operation_command(service: &Service, operation: &Operation) -> Command {
    let mut cmd = Command::new(operation.cli_name).disable_help_flag(true);
    for member in service.shape(operation.input).kind.members() {
        let kind = &service.shape(member.shape).kind;
        let help = member_type_help(service, member);
        if matches!(kind, ShapeKind::Boolean) {
            let no = leak(no_flag(member.cli_name));
            cmd = cmd
                .arg(
                    Arg::new(member.cli_name)
                        .long(member.cli_name)
                        .action(ArgAction::SetTrue)
                        .help(help)
                        .overrides_with_all([no, member.cli_name]),
                )
                .arg(
                    Arg::new(no)
                        .long(no)
                        .action(ArgAction::SetTrue)
                        .overrides_with_all([member.cli_name, no]),
                );
            continue;
        }
        let many = matches!(kind, ShapeKind::List { .. });
        let arg = Arg::new(member.cli_name)
            .long(member.cli_name)
            .value_name(kind.type_name())
            .help(help)
            // argparse ends a list (nargs='+') at the next `--option`.
            .allow_hyphen_values(!many)
            .allow_negative_numbers(many)
            .action(ArgAction::Set)
            .overrides_with(member.cli_name)
            // aws's list options take any number of words (nargs='*'):
            // none is an empty list, which validation then judges.
            .num_args(if many {
                ValueRange::new(0..)
            } else {
                ValueRange::new(1..=1)
            });
        cmd = cmd.arg(arg);
    }
    for (name, help) in [
        (
            "cli-input-json",
            "Read arguments from the JSON string provided (or file://path).",
        ),
        (
            "cli-input-yaml",
            "Read arguments from the YAML string provided (or file://path).",
        ),
    ] {
        cmd = cmd.arg(
            Arg::new(name)
                .long(name)
                .value_name("string")
                .help(help)
                .allow_hyphen_values(true)
                .num_args(1)
                .overrides_with(name),
        );
    }
    cmd = cmd.arg(
        Arg::new("generate-cli-skeleton")
            .long("generate-cli-skeleton")
            .value_name("input|yaml-input|output")
            .num_args(0..=1)
            .default_missing_value("input")
            .help("Print a JSON skeleton of the input (or output) and exit without calling the service."),
    );
    if operation.paginator.is_some() {
        for (name, help) in [
            (
                "starting-token",
                "A token to specify where to start paginating (the NextToken of a previous run).",
            ),
            (
                "page-size",
                "The size of each page to get in the AWS service call.",
            ),
            (
                "max-items",
                "The total number of items to return in the command's output.",
            ),
        ] {
            cmd = cmd.arg(
                Arg::new(name)
                    .long(name)
                    .help(help)
                    .num_args(1)
                    .allow_negative_numbers(true)
                    .overrides_with(name),
            );
        }
    }
    cmd
}

fn member_type_help(service: &Service, member: &Member) -> String {
    let kind = &service.shape(member.shape).kind;
    let required = if member.required { " (required)" } else { "" };
    format!("({}){required}", kind.type_name())
}

/// The root command with the choices of the global options listed, for
/// completions and man pages (the parser checks them itself, with aws's
/// messages).
pub fn root_with_choices() -> Command {
    let mut root = root_command();
    for (name, values) in [
        ("output", globals::OUTPUT_FORMATS),
        ("cli-error-format", globals::ERROR_FORMATS),
        ("color", &["on", "off", "auto"][..]),
        ("cli-binary-format", &["base64", "raw-in-base64-out"][..]),
    ] {
        root = root.mut_arg(name, |a| {
            a.value_parser(clap::builder::PossibleValuesParser::new(values))
        });
    }
    root
}

/// An operation's command with enum values as possible values, for
/// completions and man pages. Unlike the parsing tree, it lists them (aws
/// does not check them client-side, so the parser must not).
pub fn tree_operation(service: &Service, operation: &Operation) -> Command {
    let mut cmd = operation_command(service, operation);
    for member in service.shape(operation.input).kind.members() {
        let mut kind = &service.shape(member.shape).kind;
        if let ShapeKind::List { member, .. } = kind {
            kind = &service.shape(*member).kind;
        }
        if let ShapeKind::String { enum_values, .. } = kind
            && !enum_values.is_empty()
        {
            cmd = cmd.mut_arg(member.cli_name, |a| {
                a.value_parser(clap::builder::PossibleValuesParser::new(*enum_values))
            });
        }
    }
    cmd
}

fn read_globals(m: &ArgMatches) -> Globals {
    let s = |name: &str| m.get_one::<String>(name).cloned();
    let f = |name: &str| m.get_flag(name);
    Globals {
        debug: f("debug"),
        endpoint_url: s("endpoint-url"),
        no_verify_ssl: f("no-verify-ssl"),
        no_paginate: f("no-paginate"),
        output: s("output"),
        query: s("query"),
        profile: s("profile"),
        region: s("region"),
        color: s("color"),
        no_sign_request: f("no-sign-request"),
        ca_bundle: s("ca-bundle"),
        cli_read_timeout: s("cli-read-timeout"),
        cli_connect_timeout: s("cli-connect-timeout"),
        cli_binary_format: s("cli-binary-format"),
        cli_error_format: s("cli-error-format"),
        no_cli_pager: f("no-cli-pager"),
    }
}

/// The global options, with the values aws's main parser checks by choice
/// checked (252 before anything else, the operation's own arguments
/// included, is looked at).
fn globals_of(m: &ArgMatches) -> Result<Globals, Error> {
    let globals = read_globals(m);
    for (name, value, choices) in [
        ("output", &globals.output, globals::OUTPUT_FORMATS),
        (
            "cli-error-format",
            &globals.cli_error_format,
            globals::ERROR_FORMATS,
        ),
    ] {
        if let Some(value) = value
            && !choices.contains(&value.as_str())
        {
            return Err(Error::usage(format!(
                "argument --{name}: Found invalid choice '{value}'\n"
            )));
        }
    }
    globals::mark_parsed();
    Ok(globals)
}

/// clap's errors in argparse's words.
fn clap_error(e: clap::Error) -> Error {
    use clap::error::{ContextKind, ErrorKind};
    let context = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    match e.kind() {
        ErrorKind::UnknownArgument => Error::UnknownOptions(context(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => Error::usage(format!(
            "argument operation: Found invalid choice '{}'\n",
            context(ContextKind::InvalidSubcommand)
        )),
        ErrorKind::NoEquals
        | ErrorKind::InvalidValue
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::TooFewValues => {
            let arg = context(ContextKind::InvalidArg);
            let arg = arg
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            Error::usage(format!("argument {arg}: expected one argument"))
        }
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
                .to_string();
            Error::usage(first)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ecr_call(words: &[&str]) -> Result<OperationCall, Error> {
        let service = crate::sdk::service("ecr").expect("ecr");
        let operation = service
            .operation("describe-images")
            .expect("describe-images");
        let mut args = owned_words(&["ecr", "describe-images"]);
        args.extend(owned_words(words));
        let args = argparse::expand_globals(&args)?.into_owned();
        parse_operation(&args, service, operation)
    }

    #[test]
    fn operation_options_may_be_abbreviated() {
        let call = ecr_call(&["--repo", "app", "--max-i", "5", "--out", "text"]).expect("parses");
        assert_eq!(call.max_items.as_deref(), Some("5"));
        assert_eq!(call.globals.output.as_deref(), Some("text"));
        assert!(
            matches!(&call.members[..], [(m, MemberValue::Words(w))] if m.name == "repositoryName" && w == &["app"])
        );
        let e = ecr_call(&["--repository-name", "app", "--max", "1"]).expect_err("ambiguous");
        assert!(
            e.to_string()
                .contains("ambiguous option: --max could match --max-results, --max-items"),
            "{e}"
        );
    }

    #[test]
    fn required_arguments_come_before_strays() {
        let e = ecr_call(&["--bogus", "x"]).expect_err("missing");
        assert!(
            e.to_string()
                .contains("the following arguments are required: --repository-name"),
            "{e}"
        );
        let e = ecr_call(&["--repository-name", "app", "--bogus", "a", "b"]).expect_err("strays");
        assert!(
            matches!(&e, Error::UnknownOptions(w) if w == "--bogus, b, a"),
            "{e:?}"
        );
    }
}
