//! Project automation: `cargo xtask codegen|completions|man [--check]`.
//!
//! The service models in `models/` are the single source of truth. `codegen`
//! writes from them the committed Rust in `src/generated/`: the static model
//! tables (`*_model.rs`, read by the parser, validation, help, pagination and
//! waiters) and the bridge between `serde_json::Value` documents and the typed
//! SDK inputs and outputs (`*_bridge.rs`). `completions` writes the shell
//! completions in `completions/` from rcr's command tree and `man` the man
//! pages in `man/` from rcr's help pages; `all` runs the three in order.
//! With `--check` nothing is written and the command fails when a committed
//! file differs from what it would write, so CI catches a model or generator
//! change whose output was not committed.

mod codegen;
mod docs;
mod names;
mod sdk_source;

// rcr's command tree and help pages, compiled into this tool from rcr's own
// sources so that completions and man pages cannot drift from the binary.
// Only model tables, the clap tree and the pure help renderer are included;
// the SDK side of rcr is replaced by the small `sdk` stand-in below.
#[allow(dead_code)]
#[path = "../../src/cli/mod.rs"]
mod cli;
#[allow(dead_code)]
#[path = "../../src/error.rs"]
mod error;
#[path = "../../src/model.rs"]
mod model;

#[allow(dead_code)]
#[path = "rcr_custom.rs"]
mod custom;
#[allow(dead_code)]
#[path = "rcr_generated.rs"]
mod generated;
#[allow(dead_code)]
#[path = "rcr_image.rs"]
mod image;

/// Stand-in for rcr's `src/sdk/mod.rs`: the same service list, without the
/// SDK clients.
#[allow(dead_code)]
mod sdk {
    use crate::model::Service;

    pub static SERVICES: [&Service; 2] = [
        &crate::generated::ecr_model::SERVICE,
        &crate::generated::ecr_public_model::SERVICE,
    ];

    pub fn service(cli_name: &str) -> Option<&'static Service> {
        SERVICES.iter().copied().find(|s| s.cli_name == cli_name)
    }
}

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen|completions|man|all [--check]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let check = args.iter().any(|a| a == "--check");
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::run(&root, check),
        Some("completions") => docs::run_completions(&root, check),
        Some("man") => docs::run_man(&root, check),
        // The docs are built from the generated tables compiled into this
        // binary, so after a model change `all` needs a second run (or
        // `codegen` then `completions`/`man` as separate invocations).
        Some("all") => codegen::run(&root, check)
            .and_then(|()| docs::run_completions(&root, check))
            .and_then(|()| docs::run_man(&root, check)),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
