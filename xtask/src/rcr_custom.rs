//! rcr's help pages (`src/custom/help.rs`, `src/custom/html.rs`), compiled
//! into xtask for the man pages. The login and wait commands are left out:
//! they need the SDK.

#[path = "../../src/custom/help.rs"]
pub mod help;
#[path = "../../src/custom/html.rs"]
pub mod html;
