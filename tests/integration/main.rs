//! rcr's integration tests, as one test binary: each file of this directory
//! is a module (named `<area>_<topic>`, the area being the part of rcr it
//! tests), and `common` (tests/common/) is the shared support every module
//! uses for servers, moto, aws v1 and isolated runs.
//!
//! One binary instead of one per file because every test binary is linked
//! on its own, and on the project's 2-core machines linking two dozen of
//! them dominated the test build. To add a test file, see tests/README.md:
//! create `tests/integration/<area>_<topic>.rs` and add `mod <area>_<topic>;`
//! below; `every_test_file_is_a_module` fails when that line is missing.

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod completer_rcr_completer;
mod config_credentials;
mod config_faults;
mod config_files_once;
mod config_pager;
mod config_tls;
mod corpus_scripts;
mod credhelper_cache;
mod credhelper_configure;
mod credhelper_doctor;
mod credhelper_e2e;
mod credhelper_profiles;
mod credhelper_protocol;
mod custom_help;
mod custom_login;
mod custom_login_e2e;
mod custom_wait;
mod errors_bodies;
mod errors_structured;
mod image;
mod infra_selftest;
mod moto_ecr;
mod operations;
mod output_differential;
mod output_jmespath_compliance;
mod output_response_differential;
mod params_argparse;
mod params_cli;
mod reference;
mod reliability_faults;
mod reliability_input;
mod reliability_nothing_lost;
mod reliability_pipes_signals;
mod reliability_secrets;

/// A file in this directory without its `mod` line above would compile
/// into nothing and its tests would silently never run.
#[test]
fn every_test_file_is_a_module() {
    let dir = common::repo_root().join("tests/integration");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("read main.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("read tests/integration") {
        let path = entry.expect("directory entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs")
            && stem != "main"
            && !main.contains(&format!("\nmod {stem};\n"))
        {
            missing.push(stem.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "tests/integration/main.rs lacks `mod` lines for {missing:?}: their tests never run"
    );
}
