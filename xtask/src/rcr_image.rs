//! rcr's `image` command line and help pages (`src/image/{cli,age,help}.rs`),
//! compiled into xtask for the completions and man pages. The commands
//! themselves are left out: they need the SDK.

#[path = "../../src/image/age.rs"]
pub mod age;
#[path = "../../src/image/cli.rs"]
pub mod cli;
#[path = "../../src/image/help.rs"]
pub mod help;
