//! The pager aws v2 puts between its output and a terminal.
//!
//! When stdout is a terminal, output goes through the pager the settings
//! chose (`AWS_PAGER`, else the profile's `cli_pager`, else `PAGER`, else
//! `less`; none when empty or with `--no-cli-pager`: see
//! `crate::settings`); `less` (or any pager) starts with `LESS=FRX` when
//! `LESS` is unset, so short output is printed and left on the screen.
//!
//! [`start`] points the process's stdout (fd 1) at the pager's stdin, so the
//! output layer keeps writing to stdout and needs no change; [`finish`] puts
//! stdout back, closes the pipe and waits for the pager. Errors go to stderr,
//! never through the pager, and the exit code stays rcr's.

use std::io::{self, IsTerminal, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;

struct Running {
    child: Child,
    /// The original stdout, restored by [`finish`].
    saved_stdout: OwnedFd,
}

static RUNNING: Mutex<Option<Running>> = Mutex::new(None);

/// Starts the pager when stdout is a terminal and a pager is configured.
/// Does nothing otherwise, or when the pager cannot be started.
/// `pager` is the settings' choice (`crate::settings`).
pub fn start(pager: Option<&str>) {
    if !io::stdout().is_terminal() {
        return;
    }
    let Some(pager) = pager else {
        return;
    };
    let mut cmd = Command::new("/bin/sh");
    cmd.arg("-c").arg(pager).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return;
    };
    let Some(stdin) = child.stdin.take() else {
        return;
    };
    let _ = io::stdout().flush();
    // SAFETY: dup and dup2 on descriptors this process owns; the saved copy
    // is owned by an OwnedFd from here on and closed exactly once.
    let saved = unsafe { libc::dup(1) };
    if saved < 0 {
        return;
    }
    let saved_stdout = unsafe { OwnedFd::from_raw_fd(saved) };
    if unsafe { libc::dup2(stdin.as_raw_fd(), 1) } < 0 {
        return;
    }
    // fd 1 now holds the pipe; the ChildStdin's own descriptor can close.
    drop(stdin);
    if let Ok(mut running) = RUNNING.lock() {
        *running = Some(Running {
            child,
            saved_stdout,
        });
    }
}

/// Closes the pager's input and waits for it; a no-op without a pager.
pub fn finish() {
    let running = match RUNNING.lock() {
        Ok(mut r) => r.take(),
        Err(_) => None,
    };
    let Some(mut running) = running else {
        return;
    };
    let _ = io::stdout().flush();
    // SAFETY: restores the original stdout over fd 1, which closes the
    // pipe's write end so that the pager sees the end of its input.
    unsafe {
        libc::dup2(running.saved_stdout.as_raw_fd(), 1);
    }
    let _ = running.child.wait();
}
