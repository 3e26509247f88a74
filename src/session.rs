//! One session with a service: the runtime, the configuration, the client.
//!
//! Every command that calls a service (operations, `get-login-password`,
//! `wait`, `credential-helper configure`) runs its work here, so that all of
//! them take the client's settings from the run's [`Settings`] (checking
//! their values first), honour `--debug`, load the configuration the same
//! way, hand the client the settings' timestamp format, and end with aws's
//! 130 on SIGINT (from a watcher thread, so even a main thread blocked on a
//! full pipe is interrupted).

use crate::error::Error;
use crate::model::Service;
use crate::sdk::{ClientOptions, ServiceClient};
use crate::settings::Settings;
use crate::{config, debug, version};

/// Runs `work` with a client of `service` on a current-thread runtime.
pub fn with_client<T>(
    settings: &Settings,
    service: &'static Service,
    args: &[String],
    work: impl AsyncFnOnce(&ServiceClient) -> Result<T, Error>,
) -> Result<T, Error> {
    let client_settings = settings.client()?;
    start_debug_log(settings, args);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
    watch_sigint();
    runtime.block_on(async {
        let resolved = config::load(&client_settings, service).await?;
        let options = ClientOptions::of(&resolved, settings.timestamps);
        let client = ServiceClient::new(service, &resolved.sdk_config, options);
        work(&client).await
    })
}

/// With `--debug`, turns the debug log on and starts it as aws's clidriver
/// does, with the version and the arguments (also for the commands that run
/// without a client, `credential-helper configure|doctor`).
pub fn start_debug_log(settings: &Settings, args: &[String]) {
    if settings.debug {
        debug::enable();
        debug::log(
            "rcr.clidriver",
            &format!(
                "CLI version: {}, arguments entered to CLI: {args:?}",
                version::version_line()
            ),
        );
    }
}

/// SIGINT ends the run with aws's 130 and its lone newline, wherever the
/// main thread is: waiting for the service, sleeping in a waiter, or blocked
/// writing output to a pipe nobody reads (a listener on the runtime would
/// never be polled there, and the run went on and exited 0). A thread of its
/// own waits for the signal and ends the process.
fn watch_sigint() {
    let spawned = std::thread::Builder::new().name("sigint".into()).spawn(|| {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
            let interrupted = Error::Interrupted;
            let _ =
                std::io::Write::write_all(&mut std::io::stderr(), interrupted.report().as_bytes());
            std::process::exit(interrupted.exit_code());
        }
    });
    // Without the thread SIGINT keeps its default action, which also ends
    // the process (the shell then reports 130).
    drop(spawned);
}
