//! rcr: a fast drop-in replacement for `aws ecr` and `aws ecr-public`.
//!
//! `main` parses the command line, runs the command and turns its result into
//! aws v2's exit code; everything else lives in the modules below.

mod cli;
mod config;
mod custom;
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
    install_panic_hook();
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

/// A panic is a bug, but it must still end like any other failure: one
/// aws-style line on stderr and exit 255. The default hook prints the panic
/// message, which may hold a `Debug` dump of whatever was at hand
/// (credentials, a signed request, a response carrying a token), so only the
/// location is shown; `RUST_BACKTRACE` adds the call stack (function names,
/// no data).
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let mut report = format!(
            "\nrcr: [ERROR]: internal error{place}: rcr stopped unexpectedly; please report this bug\n"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            report.push_str(&format!(
                "{}\n",
                std::backtrace::Backtrace::force_capture()
            ));
        }
        // Written in one call; a failure to write has nowhere to go.
        let _ = std::io::Write::write_all(&mut std::io::stderr(), report.as_bytes());
        std::process::exit(255);
    }));
    // Lets the tests drive the hook (debug builds only): the panic message
    // is what must never reach the terminal.
    #[cfg(debug_assertions)]
    if let Some(message) = std::env::var_os("RCR_TEST_PANIC") {
        panic!("{}", message.to_string_lossy());
    }
}

fn run(args: &[String]) -> Result<(), Error> {
    match cli::parse(args)? {
        Invocation::Version => {
            println!("{}", version_line());
            Ok(())
        }
        Invocation::LoginPassword { globals, service } => custom::login::run(&globals, service),
        Invocation::Wait { call, waiter } => custom::wait::run(&call, waiter),
        Invocation::Help(topic) => custom::print_help(&topic),
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
            let input = params::build_and_validate(&call, binary)?;
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
