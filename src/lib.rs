//! rcr as a library: everything the `rcr` binary runs, and what the
//! project's tools (xtask's completions and man pages, the benchmarks) read.
//!
//! The layers depend one way (see the README's architecture section):
//! entry ([`run`]) → [`cli`] → [`settings`] and [`params`] → [`session`] /
//! [`sdk`] → [`paginate`] → [`output`], with [`error`] and the model tables
//! ([`model`], [`generated`]) at the bottom. [`response`] reads response
//! bodies with the model; [`custom`] holds the commands that are not one
//! model operation; [`credhelper`] is `docker-credential-rcr`, [`completer`] `rcr_completer`.

pub mod cli;
pub mod completer;
pub mod config;
pub mod credhelper;
pub mod custom;
pub mod debug;
pub mod error;
pub mod error_format;
pub mod generated;
pub mod model;
pub mod operation;
pub mod output;
pub mod pager;
pub mod paginate;
pub mod params;
#[cfg(test)]
mod reliability_fuzz;
pub mod response;
pub mod sdk;
pub mod session;
pub mod settings;
pub mod timestamp;
pub mod version;

use cli::Invocation;
use error::Error;

/// Runs one command line (without the program name) to its end.
pub fn run(args: &[String]) -> Result<(), Error> {
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
        Invocation::CredentialHelper(call) => credhelper::command::run(&call, args),
        Invocation::Operation(call) => operation::run(&call, args),
    }
}
