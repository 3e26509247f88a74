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
            let format = match call
                .globals
                .output
                .clone()
                .or_else(|| std::env::var("AWS_DEFAULT_OUTPUT").ok())
            {
                Some(s) => output::Format::parse(&s)?,
                None => output::Format::Json,
            };
            let binary = match &call.globals.cli_binary_format {
                Some(s) => params::BinaryFormat::parse(s)?,
                None => params::BinaryFormat::Base64,
            };
            if params::skeleton::run(&call, format, binary)? {
                return Ok(());
            }
            let input = params::build_and_validate(&call, binary)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
            let response = runtime.block_on(async {
                let resolved = config::load(&call.globals, call.service).await?;
                let client = sdk::ServiceClient::new(
                    call.service,
                    &resolved.sdk_config,
                    resolved.endpoint_for_errors,
                );
                client.call(call.operation, &input).await
            })?;
            output::print_response(&response, format, call.operation.name)
        }
    }
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
