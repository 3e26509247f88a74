//! `rcr image`: the ECR chores aws leaves to shell loops, as commands of
//! their own (a customization aws does not have; nothing under `ecr` or
//! `ecr-public` changes).
//!
//! - `ls`: newest-first listing with filters and a bounded `--limit`;
//! - `retag`: new tags for an image without pulling or pushing it;
//! - `gc`: a deletion plan, applied in batches, index-aware;
//! - `scan-gate`: a CI gate on scan findings.
//!
//! Each command runs through the shared layers like any operation: the
//! run's settings (`crate::settings`: output, query, pager, timestamp
//! format) and configuration (`session::with_client`), model
//! operations called through the generated bridge, the model's paginators,
//! the output layer (every `--output` format and `--query`), and aws's exit
//! codes. A command computes one document; this module prints it. The
//! command line is in `cli.rs` and the help pages in `help.rs`, both free of
//! I/O so that `cargo xtask` can compile them for completions and man pages.

pub mod age;
pub mod cli;
mod gc;
pub mod glob;
pub mod help;
mod ls;
mod retag;
mod scan_gate;
mod shared;

use serde_json::Value;

use crate::custom::{Customization, Scope};
use crate::error::Error;
use crate::generated::ecr_model::SERVICE;
use crate::settings::{OutputSettings, Settings};
use crate::{output, pager, session};
use cli::{ImageCall, ImageCommand};

/// `rcr image` in the table of customizations.
pub static CUSTOMIZATION: Customization = Customization {
    name: cli::NAME,
    scope: Scope::Top,
    about: "ECR chores aws leaves to scripts: list, retag, clean up, gate on scans.",
    command: |_| cli::tree(),
    help: |_, words| match words.first() {
        None => Ok(help::page(None)),
        Some(word) => match cli::SUBCOMMANDS.iter().find(|(n, _)| n == word) {
            Some((name, _)) => Ok(help::page(Some(name))),
            None => Err(cli::invalid_subcommand(word)),
        },
    },
    pages: |_| help::all_pages(),
    run: |_, args| run(&parse(args)?, args),
};

/// Parses `rcr image <subcommand> ...`: the global options as for a
/// service, the rest by [`cli`].
fn parse(args: &[String]) -> Result<ImageCall, Error> {
    let args = &*crate::cli::argparse::expand_globals(args)?;
    let words = crate::cli::globals::positionals(args);
    match words.get(1) {
        None => {
            return Err(Error::usage(
                "the following arguments are required: operation",
            ));
        }
        Some(sub) if !cli::SUBCOMMANDS.iter().any(|(n, _)| n == sub) => {
            return Err(cli::invalid_subcommand(sub));
        }
        Some(_) => {}
    }
    let (globals, matches) = crate::cli::parse_with_globals(args, &[], cli::command())?;
    cli::call(globals, &matches)
}

/// How a command ends once its document is printed.
enum End {
    Success,
    /// The document is printed, then the error (a partial failure).
    Failed(Error),
    /// scan-gate found findings at or above the threshold: exit 1.
    GateClosed,
}

pub fn run(call: &ImageCall, args: &[String]) -> Result<(), Error> {
    let settings = Settings::resolve(&call.globals);
    let OutputSettings { format, query } = settings.output()?;
    let end = session::with_client(&settings, &SERVICE, args, async |client| {
        let (document, title, end) = match &call.command {
            ImageCommand::Ls(a) => (ls::run(client, a).await?, "DescribeImages", End::Success),
            ImageCommand::Retag(a) => {
                let (document, failure) = retag::run(client, a).await?;
                (document, "Retag", failure.map_or(End::Success, End::Failed))
            }
            ImageCommand::Gc(a) => {
                let (document, failure) = gc::run(client, a).await?;
                (document, "Gc", failure.map_or(End::Success, End::Failed))
            }
            ImageCommand::ScanGate(a) => {
                let verdict = scan_gate::run(client, a).await?;
                let end = if verdict.blocked {
                    End::GateClosed
                } else {
                    End::Success
                };
                (verdict.document, "ScanGate", end)
            }
        };
        print(&settings, format, query, title, &document)?;
        Ok(end)
    })?;
    match end {
        End::Success => Ok(()),
        End::Failed(e) => Err(e),
        // Not an error: the gate's verdict, after the output is flushed.
        End::GateClosed => std::process::exit(1),
    }
}

fn print(
    settings: &Settings,
    format: output::Format,
    query: Option<output::Query>,
    title: &str,
    document: &Value,
) -> Result<(), Error> {
    pager::start(settings.pager.as_deref());
    let mut out = output::Output::stdout(format, query, title);
    let printed = out.response(document).and_then(|()| out.flush());
    pager::finish();
    printed
}
