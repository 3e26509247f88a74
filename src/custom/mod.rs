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

use crate::cli::HelpTopic;
use crate::error::Error;

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
