//! The customizations: commands that are not one model operation.
//!
//! As in aws, `get-login-password` (a password for `docker login`), `wait`
//! (polling an operation until a waiter's acceptor matches) and `help`. The
//! first two still call the service only through the generated bridge with
//! model operations; help renders the model's documentation. `html.rs` and
//! `help.rs` do no I/O and depend only on the model tables and the CLI tree,
//! so `cargo xtask man` includes them to write the man pages.

pub mod help;
pub mod html;
pub mod login;
pub mod wait;

use std::io::{self, Write};

use crate::cli::{Globals, HelpTopic};
use crate::config;
use crate::error::Error;
use crate::model::Service;
use crate::sdk::ServiceClient;

/// The single-threaded runtime the service calls run on, as in `main`.
fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))
}

/// A client of `service` configured from the global options.
async fn client(globals: &Globals, service: &'static Service) -> Result<ServiceClient, Error> {
    let resolved = config::load(globals, service).await?;
    Ok(ServiceClient::new(
        service,
        &resolved.sdk_config,
        resolved.endpoint_for_errors,
    ))
}

/// Prints the help page of `topic` on stdout.
///
/// aws pages help through its pager on a terminal; the pager module of the
/// output layer is not on this branch yet, so help is written directly.
pub fn print_help(topic: &HelpTopic) -> Result<(), Error> {
    let text = help::render_text(&help::page(topic), help::WIDTH);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Other(format!("could not write the output: {e}"))),
    }
}
