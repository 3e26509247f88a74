//! rcr: a fast drop-in replacement for `aws ecr` and `aws ecr-public`.
//!
//! `main` parses the command line, runs the command and turns its result into
//! aws v2's exit code; everything else lives in the modules below.

mod cli;
mod config;
mod credhelper;
mod debug;
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
    // Run as `docker-credential-rcr`, rcr is a credential helper: decided
    // first, so the helper's cached path pays for nothing else.
    if credhelper::invoked_as_helper() {
        return credhelper::main();
    }
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
            config::check_globals(&call.globals)?;
            if call.globals.debug {
                debug::enable();
                debug::log(
                    "rcr.clidriver",
                    &format!(
                        "CLI version: {}, arguments entered to CLI: {args:?}",
                        version_line()
                    ),
                );
            }
            let input = params::build_input(&call, binary)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
            let response = runtime.block_on(async {
                let work = async {
                    let resolved = config::load(&call.globals, call.service).await?;
                    let client = sdk::ServiceClient::new(
                        call.service,
                        &resolved.sdk_config,
                        resolved.endpoint_for_errors,
                    );
                    client.call(call.operation, &input).await
                };
                // SIGINT ends the run with aws's 130.
                tokio::select! {
                    result = work => result,
                    _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
                }
            })?;
            output::pager::start(&call.globals);
            let printed = output::print_response(&response, format, call.operation.name);
            output::pager::finish();
            printed
        }
    }
}

/// `rcr/<version>` and the platform, in the shape of aws's version line
/// (`aws-cli/2.36.7 Python/3.11.7 Linux/6.18.44 source/x86_64.debian.12`):
/// the compiler where aws names Python, and the distribution as aws's source
/// builds show it.
fn version_line() -> String {
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "windows" => "Windows",
        other => other,
    };
    let mut source = std::env::consts::ARCH.to_string();
    if let Ok(release) = std::fs::read_to_string("/etc/os-release") {
        let field = |key: &str| {
            release.lines().find_map(|l| {
                l.strip_prefix(key)
                    .and_then(|v| v.strip_prefix('='))
                    .map(|v| v.trim_matches('"').to_string())
            })
        };
        if let (Some(id), Some(version)) = (field("ID"), field("VERSION_ID")) {
            let major = version.split('.').next().unwrap_or_default();
            source = format!("{source}.{id}.{major}");
        }
    }
    format!(
        "rcr/{} Rust/{} {os}/{} source/{source}",
        env!("CARGO_PKG_VERSION"),
        env!("RCR_RUSTC_VERSION"),
        kernel.trim(),
    )
}
