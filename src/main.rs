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
mod model;
mod operation;
mod output;
mod pager;
mod paginate;
mod params;
mod sdk;
mod session;
mod version;

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
            println!("{}", version::version_line());
            Ok(())
        }
        Invocation::LoginPassword { globals, service } => {
            custom::login::run(&globals, service, args)
        }
        Invocation::Wait { call, waiter } => custom::wait::run(&call, waiter, args),
        Invocation::Help(topic) => custom::print_help(&topic),
        Invocation::Operation(call) => operation::run(&call, args),
    }
}
