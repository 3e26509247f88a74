//! The command line: from argv to a resolved [`Invocation`].
//!
//! Parsing is two steps, as in ripgrep: a pre-scan finds the service and
//! operation words (skipping global options wherever they are), then clap
//! parses the line against a tree holding only that one operation, built from
//! the model's input members. Building just one operation keeps startup cheap;
//! [`full_tree`] builds every operation for completions and man pages.

pub mod globals;

use clap::builder::ValueRange;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::error::Error;
use crate::image;
use crate::model::{Member, Operation, Service, ShapeKind, Waiter};
use crate::sdk;
use globals::GLOBAL_OPTIONS;

/// The global options as given on the command line.
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
    pub no_cli_pager: bool,
}

/// What the user asked for.
#[derive(Debug)]
pub enum Invocation {
    Version,
    Operation(OperationCall),
    /// `get-login-password` (a customization, see `src/custom/`).
    LoginPassword {
        globals: Globals,
        service: &'static Service,
    },
    /// `wait <waiter>`: the polled operation's call and the waiter.
    Wait {
        call: OperationCall,
        waiter: &'static Waiter,
    },
    /// `image ...`: rcr's own image commands (see `src/image/`).
    Image(image::cli::ImageCall),
    /// `help` or `--help` after any command.
    Help(HelpTopic),
}

/// What `help` was asked about.
#[derive(Debug, Clone, Copy)]
pub enum HelpTopic {
    Root,
    Service(&'static Service),
    Operation(&'static Service, &'static Operation),
    LoginPassword(&'static Service),
    Wait(&'static Service),
    Waiter(&'static Service, &'static Waiter),
    /// `image` (`None`) or one of its subcommands.
    Image(Option<&'static str>),
}

/// The command name of the login customization.
pub const LOGIN: &str = "get-login-password";

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

pub fn parse(args: &[String]) -> Result<Invocation, Error> {
    let words = globals::positionals(args);
    if args.iter().any(|a| a == "--version") && words.is_empty() {
        return Ok(Invocation::Version);
    }
    if let Some(topic) = help_topic(args, &words)? {
        return Ok(Invocation::Help(topic));
    }
    let Some(service_name) = words.first().copied() else {
        return Err(Error::usage(
            "the following arguments are required: command",
        ));
    };
    if service_name == image::cli::NAME {
        return parse_image(args, &words);
    }
    let Some(service) = sdk::service(service_name) else {
        return Err(Error::usage(format!(
            "argument command: Found invalid choice '{service_name}'\n"
        )));
    };
    let Some(operation_name) = words.get(1).copied() else {
        return Err(Error::usage(
            "the following arguments are required: operation",
        ));
    };
    if operation_name == LOGIN {
        let command = root_command()
            .subcommand(Command::new(service.cli_name).subcommand(Command::new(LOGIN)));
        let matches = command
            .try_get_matches_from(argv_of(args))
            .map_err(clap_error)?;
        let globals = read_globals(&matches);
        return Ok(Invocation::LoginPassword { globals, service });
    }
    if operation_name == "wait" && !service.waiters.is_empty() {
        let Some(waiter_name) = words.get(2).copied() else {
            return Err(Error::usage(
                "the following arguments are required: waiter_name",
            ));
        };
        let (waiter, operation) = find_waiter(service, waiter_name)?;
        let command = root_command().subcommand(
            Command::new(service.cli_name).subcommand(
                Command::new("wait")
                    .subcommand(operation_command(service, operation).name(waiter.cli_name)),
            ),
        );
        let matches = command
            .try_get_matches_from(argv_of(args))
            .map_err(clap_error)?;
        let globals = read_globals(&matches);
        let op_matches = matches
            .subcommand_matches(service.cli_name)
            .and_then(|m| m.subcommand_matches("wait"))
            .and_then(|m| m.subcommand_matches(waiter.cli_name))
            .ok_or_else(|| Error::internal("the command line parser lost the waiter"))?;
        let call = operation_call(globals, service, operation, op_matches);
        check_required(&call)?;
        return Ok(Invocation::Wait { call, waiter });
    }
    let Some(operation) = service.operation(operation_name) else {
        return Err(Error::usage(format!(
            "argument operation: Found invalid choice '{operation_name}'\n"
        )));
    };

    let command = root_command().subcommand(
        Command::new(service.cli_name).subcommand(operation_command(service, operation)),
    );
    let matches = command
        .try_get_matches_from(argv_of(args))
        .map_err(clap_error)?;
    let globals = read_globals(&matches);
    let op_matches = matches
        .subcommand_matches(service.cli_name)
        .and_then(|m| m.subcommand_matches(operation.cli_name))
        .ok_or_else(|| Error::internal("the command line parser lost the operation"))?;
    let call = operation_call(globals, service, operation, op_matches);
    check_required(&call)?;
    Ok(Invocation::Operation(call))
}

/// `image <subcommand> ...`: the global options parsed as for a service,
/// the rest by `image::cli`.
fn parse_image(args: &[String], words: &[&str]) -> Result<Invocation, Error> {
    match words.get(1).copied() {
        None => {
            return Err(Error::usage(
                "the following arguments are required: operation",
            ));
        }
        Some(sub) if !image::cli::SUBCOMMANDS.iter().any(|(n, _)| *n == sub) => {
            return Err(image::cli::invalid_subcommand(sub));
        }
        Some(_) => {}
    }
    let matches = root_command()
        .subcommand(image::cli::command())
        .try_get_matches_from(argv_of(args))
        .map_err(clap_error)?;
    let globals = read_globals(&matches);
    let image_matches = matches
        .subcommand_matches(image::cli::NAME)
        .ok_or_else(|| Error::internal("the command line parser lost the image command"))?;
    Ok(Invocation::Image(image::cli::call(globals, image_matches)?))
}

fn argv_of(args: &[String]) -> Vec<String> {
    let mut argv = Vec::with_capacity(args.len() + 1);
    argv.push("rcr".to_string());
    argv.extend(args.iter().cloned());
    argv
}

/// A waiter by command name, with the operation it polls.
fn find_waiter(
    service: &'static Service,
    name: &str,
) -> Result<(&'static Waiter, &'static Operation), Error> {
    service
        .waiter(name)
        .and_then(|w| {
            service
                .operations
                .iter()
                .find(|o| o.name == w.operation)
                .map(|o| (w, o))
        })
        .ok_or_else(|| {
            Error::usage(format!(
                "argument waiter_name: Found invalid choice '{name}'\n"
            ))
        })
}

/// `help` as the last positional word, or `--help` anywhere: the topic named
/// by the words before it.
fn help_topic(args: &[String], words: &[&str]) -> Result<Option<HelpTopic>, Error> {
    let words = match words.split_last() {
        Some((&"help", before)) => before,
        _ if args.iter().any(|a| a == "--help") => words,
        _ => return Ok(None),
    };
    let Some(&service_name) = words.first() else {
        return Ok(Some(HelpTopic::Root));
    };
    if service_name == image::cli::NAME {
        return match words.get(1).copied() {
            None => Ok(Some(HelpTopic::Image(None))),
            Some(sub) => match image::cli::SUBCOMMANDS.iter().find(|(n, _)| *n == sub) {
                Some((name, _)) => Ok(Some(HelpTopic::Image(Some(name)))),
                None => Err(image::cli::invalid_subcommand(sub)),
            },
        };
    }
    let Some(service) = sdk::service(service_name) else {
        return Err(Error::usage(format!(
            "argument command: Found invalid choice '{service_name}'\n"
        )));
    };
    let topic = match words.get(1).copied() {
        None => HelpTopic::Service(service),
        Some(LOGIN) => HelpTopic::LoginPassword(service),
        Some("wait") if !service.waiters.is_empty() => match words.get(2) {
            None => HelpTopic::Wait(service),
            Some(name) => HelpTopic::Waiter(service, find_waiter(service, name)?.0),
        },
        Some(name) => match service.operation(name) {
            Some(op) => HelpTopic::Operation(service, op),
            None => {
                return Err(Error::usage(format!(
                    "argument operation: Found invalid choice '{name}'\n"
                )));
            }
        },
    };
    Ok(Some(topic))
}

/// The call described by an operation's matches.
fn operation_call(
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
/// validation checks the merged document instead.
fn check_required(call: &OperationCall) -> Result<(), Error> {
    if call.cli_input_json.is_some()
        || call.cli_input_yaml.is_some()
        || call.generate_cli_skeleton.is_some()
    {
        return Ok(());
    }
    let given: Vec<&str> = call.members.iter().map(|(m, _)| m.name).collect();
    let missing: Vec<String> = call
        .service
        .shape(call.operation.input)
        .kind
        .members()
        .iter()
        .filter(|m| m.required && !given.contains(&m.name))
        .map(|m| format!("--{}", m.cli_name))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )))
    }
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
            None => arg.action(ArgAction::SetTrue),
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
                        .overrides_with(no),
                )
                .arg(
                    Arg::new(no)
                        .long(no)
                        .action(ArgAction::SetTrue)
                        .overrides_with(member.cli_name),
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
            .num_args(if many {
                ValueRange::new(1..)
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

/// Every service, operation and customization, for completions and man
/// pages. Unlike the parsing tree, it lists enum values as possible values
/// (aws does not check them client-side, so the parser must not) and carries
/// short descriptions from the model.
#[allow(dead_code)] // Used by xtask (completions), which compiles this module in.
pub fn full_tree() -> Command {
    use crate::custom::html::summary;
    let help = || Command::new("help").about("Show help for this command.");
    let mut root = root_command()
        .about("A fast drop-in replacement for aws ecr and aws ecr-public.")
        .subcommand(help());
    for (name, values) in [
        (
            "output",
            &["json", "text", "table", "yaml", "yaml-stream"][..],
        ),
        ("color", &["on", "off", "auto"][..]),
        ("cli-binary-format", &["base64", "raw-in-base64-out"][..]),
    ] {
        root = root.mut_arg(name, |a| {
            a.value_parser(clap::builder::PossibleValuesParser::new(values))
        });
    }
    for service in sdk::SERVICES {
        let mut svc = Command::new(service.cli_name)
            .about(summary(service.doc, 80))
            .disable_help_subcommand(true)
            .subcommand(help())
            .subcommand(
                Command::new(LOGIN).about("Print a password for a container client's login."),
            );
        for op in service.operations {
            svc = svc.subcommand(tree_operation(service, op).about(summary(op.doc, 80)));
        }
        if !service.waiters.is_empty() {
            let mut wait = Command::new("wait")
                .about("Wait until a particular condition is satisfied.")
                .disable_help_subcommand(true)
                .subcommand(help());
            for w in service.waiters {
                if let Some(op) = service.operations.iter().find(|o| o.name == w.operation) {
                    wait = wait.subcommand(
                        tree_operation(service, op)
                            .name(w.cli_name)
                            .about(format!("Wait until {} polling {}.", w.name, op.cli_name)),
                    );
                }
            }
            svc = svc.subcommand(wait);
        }
        root = root.subcommand(svc);
    }
    root.subcommand(image::cli::tree())
}

/// An operation's command with enum values as possible values.
#[allow(dead_code)] // Used by `full_tree`.
fn tree_operation(service: &Service, operation: &Operation) -> Command {
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
        no_cli_pager: f("no-cli-pager"),
    }
}

/// clap's errors in argparse's words.
fn clap_error(e: clap::Error) -> Error {
    use clap::error::{ContextKind, ErrorKind};
    let context = |kind| e.get(kind).map(|v| v.to_string()).unwrap_or_default();
    match e.kind() {
        ErrorKind::UnknownArgument => Error::usage(format!(
            "Unknown options: {}",
            context(ContextKind::InvalidArg)
        )),
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
