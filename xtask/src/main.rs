//! Project automation: `cargo xtask codegen [--check]`.
//!
//! The service models in `models/` are the single source of truth. This tool
//! writes from them the committed Rust in `src/generated/`: the static model
//! tables (`*_model.rs`, read by the parser, validation, help, pagination and
//! waiters) and the bridge between `serde_json::Value` documents and the typed
//! SDK inputs and outputs (`*_bridge.rs`). With `--check` it writes nothing and
//! fails when the committed files differ from what it would write, so CI
//! catches a model or generator change whose output was not committed.

mod codegen;
mod names;
mod sdk_source;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let result = match args.first().map(String::as_str) {
        Some("codegen") => {
            let check = args.iter().any(|a| a == "--check");
            codegen::run(&root, check)
        }
        _ => Err("usage: cargo xtask codegen [--check]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
