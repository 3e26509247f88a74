//! rcr's generated model tables (`src/generated/*_model.rs`), compiled into
//! xtask for the completions and man pages. The bridges are left out: they
//! need the SDK.

#[path = "../../src/generated/ecr_model.rs"]
pub mod ecr_model;
#[path = "../../src/generated/ecr_public_model.rs"]
pub mod ecr_public_model;
