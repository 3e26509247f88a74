//! rcr as a library: everything the `rcr` binary runs, and what the
//! project's tools (xtask's completions and man pages, the benchmarks) read.
//!
//! [`run`] is the entry: it decides what the command line's words name
//! (`--version`, `help`, a customization of [`custom::CUSTOMIZATIONS`], or a
//! model operation) and hands over. The layers below depend one way:
//! [`cli`] (global options, an operation's flags) → [`settings`] (the run's
//! settings from flags, environment and profile, resolved once) and
//! [`params`] (the input document, from JSON and the model) → [`session`] /
//! [`sdk`] (sending) →
//! [`paginate`] → [`response`] (the body read with the model) → [`output`]
//! (formatting JSON values), with [`error`], the model tables ([`model`],
//! [`generated`]), [`timestamp`] and [`python`] (Python's text for values)
//! at the bottom. [`credhelper`] is `docker-credential-rcr` and
//! [`completer`] is `rcr_completer`, the same binary under other names.

pub mod cli;
pub mod completer;
pub mod config;
pub mod credhelper;
pub mod custom;
pub mod debug;
pub mod error;
pub mod error_format;
pub mod generated;
pub mod image;
pub mod model;
pub mod operation;
pub mod output;
pub mod pager;
pub mod paginate;
pub mod params;
pub mod python;
#[cfg(test)]
mod reliability_fuzz;
pub mod response;
pub mod sdk;
pub mod session;
pub mod settings;
pub mod timestamp;
pub mod version;
pub mod xdg;

use error::Error;

/// Runs one command line (without the program name) to its end: `--version`,
/// `help`, a customization from the table (`custom::CUSTOMIZATIONS`), or a
/// model operation.
pub fn run(typed: &[String]) -> Result<(), Error> {
    // aws's main parser: abbreviated global options spelled out (an
    // ambiguous one stops the line), then the choices of the globals.
    // (The commands get the line as typed, for `--debug`'s record of it,
    // and parse it through `cli`, which spells it out the same way.)
    let args = &*cli::argparse::expand_globals(typed)?;
    if let Some(before) = cli::before_version(args) {
        // argparse acts on `--version` where it stands: what comes before
        // it has been checked, what comes after is never looked at.
        cli::globals::check_choices(before)?;
        if let Some(&first) = cli::globals::command_words(before).first()
            && first != "help"
            && custom::top_level(first).is_none()
            && sdk::service(first).is_none()
        {
            return Err(cli::invalid_command(first));
        }
        return output::print_bytes(format!("{}\n", version::version_line()).as_bytes());
    }
    cli::globals::check_choices(args)?;
    // The main parser is done: errors from here on are written in the
    // format the command line chose.
    cli::globals::mark_parsed();
    settings::check_command_line(args)?;
    let words = cli::globals::positionals(args);
    if let Some(topic) = cli::help_words(args, &words) {
        return custom::print_help(&topic);
    }
    let words = cli::globals::command_words(args);
    let Some(&first) = words.first() else {
        return Err(Error::usage(
            "the following arguments are required: command",
        ));
    };
    if let Some(customization) = custom::top_level(first) {
        return (customization.run)(None, typed);
    }
    let service = sdk::service(first).ok_or_else(|| cli::invalid_command(first))?;
    let Some(&second) = words.get(1) else {
        return Err(Error::usage(
            "the following arguments are required: operation",
        ));
    };
    if let Some(customization) = custom::of_service(service, second) {
        return (customization.run)(Some(service), typed);
    }
    let operation = service
        .operation(second)
        .ok_or_else(|| cli::invalid_operation(service, second))?;
    operation::run(&cli::parse_operation(args, service, operation)?, typed)
}
