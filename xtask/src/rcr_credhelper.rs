//! The credential helper's command line and help pages
//! (`src/credhelper/cli.rs`), compiled into xtask for the completions and
//! man pages. The helper itself is left out: it needs the SDK.

#[path = "../../src/credhelper/cli.rs"]
pub mod cli;
