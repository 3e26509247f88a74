//! rcr: a fast drop-in replacement for `aws ecr` and `aws ecr-public`.
//!
//! `main` parses the command line, runs the command and turns its result into
//! aws v2's exit code; everything else lives in the modules below.

mod cli;
mod config;
mod credhelper;
mod custom;
mod debug;
mod error;
mod generated;
mod image;
mod model;
mod operation;
mod output;
mod pager;
mod paginate;
mod params;
#[cfg(test)]
mod reliability_fuzz;
mod sdk;
mod session;
mod version;

use std::process::ExitCode;

use cli::Invocation;
use error::Error;

fn main() -> ExitCode {
    install_panic_hook();
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
            report.push_str(&format!("{}\n", std::backtrace::Backtrace::force_capture()));
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
            println!("{}", version::version_line());
            Ok(())
        }
        Invocation::LoginPassword { globals, service } => {
            custom::login::run(&globals, service, args)
        }
        Invocation::Wait { call, waiter } => custom::wait::run(&call, waiter, args),
        Invocation::Image(call) => image::run(&call, args),
        Invocation::Help(topic) => custom::print_help(&topic),
        Invocation::Operation(call) => operation::run(&call, args),
    }
}
