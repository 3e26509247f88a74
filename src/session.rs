//! One session with a service: the runtime, the configuration, the client.
//!
//! Every command that calls a service (operations, `get-login-password`,
//! `wait`) runs its work here, so that all of them check the global options,
//! honour `--debug`, load the configuration the same way, and end with aws's
//! 130 on SIGINT.

use crate::cli::Globals;
use crate::error::Error;
use crate::model::Service;
use crate::sdk::ServiceClient;
use crate::{config, debug, version};

/// Runs `work` with a client of `service` on a current-thread runtime.
pub fn with_client<T>(
    globals: &Globals,
    service: &'static Service,
    args: &[String],
    work: impl AsyncFnOnce(&ServiceClient) -> Result<T, Error>,
) -> Result<T, Error> {
    config::check_globals(globals)?;
    if globals.debug {
        debug::enable();
        debug::log(
            "rcr.clidriver",
            &format!(
                "CLI version: {}, arguments entered to CLI: {args:?}",
                version::version_line()
            ),
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("could not start the runtime: {e}")))?;
    runtime.block_on(async {
        let session = async {
            let resolved = config::load(globals, service).await?;
            let client =
                ServiceClient::new(service, &resolved.sdk_config, resolved.endpoint_for_errors);
            work(&client).await
        };
        // SIGINT ends the run with aws's 130.
        tokio::select! {
            result = session => result,
            _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        }
    })
}
