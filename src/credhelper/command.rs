//! Running `rcr credential-helper configure|doctor`: the run's settings
//! (`crate::settings`: `--debug`, `--output`, `--query`, the checks of the
//! global options' values, the profile files read once), then the command,
//! then its report.
//!
//! A report is human lines by default; `--output json|text|table|yaml`
//! prints its document through the shared output layer instead (with
//! `--query`). Only the flag switches: `AWS_DEFAULT_OUTPUT` and the
//! profile's `output` are for service responses, and these reports are
//! meant to be read.

use serde_json::Value;

use super::cli::{Action, Call};
use crate::error::Error;
use crate::settings::Settings;
use crate::{output, session};

/// What a command found: lines for people, a document for `--output`, and
/// whether it succeeded (doctor exits 1 when a check failed).
pub struct Report {
    pub lines: Vec<String>,
    pub document: Value,
    pub ok: bool,
}

pub fn run(call: &Call, args: &[String]) -> Result<(), Error> {
    let settings = Settings::resolve(&call.globals);
    // The values aws checks (`--color`, the timeouts), before anything runs.
    settings.client()?;
    let (format, query) = settings.flag_output()?;
    session::start_debug_log(&settings, args);
    let (report, title) = match &call.action {
        Action::Configure(c) => (super::configure::run(c, &settings, args)?, "Configure"),
        Action::Doctor { hosts } => (super::doctor::run(hosts, &settings), "Doctor"),
    };
    match format {
        Some(format) => {
            let mut out = output::Output::stdout(format, query, title);
            out.response(&report.document)?;
            out.flush()?;
        }
        None => {
            let text: String = report.lines.iter().map(|l| format!("{l}\n")).collect();
            output::print_bytes(text.as_bytes())?;
        }
    }
    if !report.ok {
        // Not an aws-style error: the report already said what failed.
        std::process::exit(1);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// Any `credential-helper` command line is parsed or refused.
        #[test]
        fn command_lines_never_panic(words in prop::collection::vec(prop::sample::select(vec![
            "credential-helper", "configure", "doctor", "help", "--help", "--registry", "--account",
            "--region", "--region=", "--account=1", "--podman", "--docker-config", "--profile", "--output",
            "json", "x", "", "-", "--", "123456789012", "eu-west-1",
        ]), 0..10)) {
            let mut args = vec!["credential-helper".to_string()];
            args.extend(words.iter().map(|w| w.to_string()));
            let _ = super::super::cli::parse(&args);
        }
    }
}
