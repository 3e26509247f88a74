//! STUB (not the real formatter): `--output table` is being written by
//! another engineer; this placeholder only keeps the build going.

use std::io::{self, Write};

use serde_json::Value;

pub fn write_table(out: &mut dyn Write, title: &str, value: &Value) -> io::Result<()> {
    writeln!(out, "{title}: {value}")
}
