//! rcr: a fast drop-in replacement for `aws ecr` and `aws ecr-public`.
//!
//! `main` parses the command line, runs the command and turns its result into
//! aws v2's exit code; everything else lives in the modules below.

mod cli;
mod config;
mod error;
mod generated;
mod model;
mod output;
mod paginate;
mod params;
mod sdk;

use std::process::ExitCode;

use cli::Invocation;
use error::Error;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", e.report());
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(255))
        }
    }
}

fn run(args: &[String]) -> Result<(), Error> {
    match cli::parse(args)? {
        Invocation::Version => {
            println!("{}", version_line());
            Ok(())
        }
        Invocation::Operation(call) => {
            let profile = profile_name(&call.globals);
            let setting = |key: &str| config::profiles::setting(&profile, key);
            let format = output::Format::resolve(
                call.globals.output.as_deref(),
                setting("output").as_deref(),
            )?;
            let query = match &call.globals.query {
                Some(q) => Some(output::Query::compile(q)?),
                None => None,
            };
            if setting("cli_timestamp_format").as_deref() == Some("wire") {
                output::timestamp::set_format(output::timestamp::TimestampFormat::Wire);
            }
            let binary = match &call.globals.cli_binary_format {
                Some(s) => params::BinaryFormat::parse(s)?,
                None => params::BinaryFormat::Base64,
            };
            let input = params::build_input(&call, binary)?;
            let paging = paging_options(&call)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
            runtime.block_on(async {
                let resolved = config::load(&call.globals, call.service).await?;
                let client = sdk::ServiceClient::new(
                    call.service,
                    &resolved.sdk_config,
                    resolved.endpoint_for_errors,
                );
                let mut out = output::Output::stdout(format, query, call.operation.name);
                match (&call.operation.paginator, paging) {
                    (Some(paginator), Some(options)) => {
                        let mut pages = paginate::Pages::new(paginator, input, &options)?;
                        while let Some(request) = pages.request() {
                            let request = request.clone();
                            let response = client.call(call.operation, &request).await?;
                            let page = pages.accept(response)?;
                            out.page(paginator, page, pages.non_aggregate())?;
                        }
                        out.end_pages(paginator, pages.non_aggregate(), pages.resume_token())?;
                    }
                    _ => {
                        let response = client.call(call.operation, &input).await?;
                        out.response(&response)?;
                    }
                }
                out.flush()
            })
        }
    }
}

/// The profile whose config-file settings apply: `--profile`, else
/// `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else `default`.
fn profile_name(globals: &cli::Globals) -> String {
    let env = |k: &str| std::env::var(k).ok().filter(|s| !s.is_empty());
    globals
        .profile
        .clone()
        .or_else(|| env("AWS_PROFILE"))
        .or_else(|| env("AWS_DEFAULT_PROFILE"))
        .unwrap_or_else(|| "default".into())
}

/// aws's paging rules: `None` for one plain call (no paginator,
/// `--no-paginate`, or the input token / limit member given by hand, which
/// turns paging off as in aws), else the paging options.
fn paging_options(call: &cli::OperationCall) -> Result<Option<paginate::PageOptions>, Error> {
    let Some(paginator) = &call.operation.paginator else {
        return Ok(None);
    };
    let int =
        |flag: &str, v: &Option<String>| -> Result<Option<i64>, Error> {
            match v {
                None => Ok(None),
                Some(s) => s.trim().parse::<i64>().map(Some).map_err(|_| {
                    Error::usage(format!("argument {flag}: invalid int value: '{s}'"))
                }),
            }
        };
    let page_size = int("--page-size", &call.page_size)?;
    let max_items = int("--max-items", &call.max_items)?;
    let by_hand = call.members.iter().any(|(m, _)| {
        paginator.input_token.contains(&m.name) || paginator.limit_key == Some(m.name)
    });
    if call.globals.no_paginate || by_hand {
        let used: Vec<&str> = [
            ("--starting-token", call.starting_token.is_some()),
            ("--page-size", page_size.is_some_and(|n| n != 0)),
            ("--max-items", max_items.is_some_and(|n| n != 0)),
        ]
        .iter()
        .filter(|(_, given)| *given)
        .map(|(name, _)| *name)
        .collect();
        if !used.is_empty() {
            return Err(Error::Other(format!(
                "Error during pagination: Cannot specify --no-paginate along with pagination arguments: {}",
                used.join(", ")
            )));
        }
        return Ok(None);
    }
    if max_items.is_some_and(|n| n <= 0) {
        eprintln!("warning: Non-positive values for --max-items may result in undefined behavior.");
    }
    Ok(Some(paginate::PageOptions {
        starting_token: call.starting_token.clone(),
        page_size,
        max_items,
    }))
}

/// `rcr/<version>` and the platform, in the shape of aws's version line.
fn version_line() -> String {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows",
        other => other,
    };
    format!(
        "rcr/{} {os}/{} source/{}",
        env!("CARGO_PKG_VERSION"),
        kernel.trim(),
        std::env::consts::ARCH
    )
}
