//! rcr: a fast drop-in replacement for `aws ecr` and `aws ecr-public`.
//!
//! The entry: panics reported as aws-style failures, the completer and the
//! credential helper when started under their names, else [`rcr::run`] and aws v2's exit code.
//! Everything else lives in the library (`src/lib.rs`).

use std::process::ExitCode;

use rcr::{completer, credhelper};

fn main() -> ExitCode {
    tune_allocator();
    // Run as `rcr_completer`, rcr answers the shell's TAB (aws_completer's
    // protocol) and must stay silent whatever happens: decided first.
    if completer::invoked_as_completer() {
        return completer::main();
    }
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
    match rcr::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", rcr::error_format::report(&e, &args));
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(255))
        }
    }
}

/// Turns off glibc malloc's fastbins. A response document is a few hundred
/// thousand small allocations: with fastbins, each larger request or free
/// among them first sweeps every small free chunk back together
/// (`malloc_consolidate`): the largest single cost in a profile of a
/// 10,000-image listing (bench/run.sh case 4), about a sixth of its CPU.
/// Without them small chunks are merged as they are freed, and the thread
/// cache still serves the common sizes. No effect on other C libraries.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a malloc parameter; called before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
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
