//! STUB (not the real formatter): `--output yaml` is being written by another
//! engineer; this placeholder only keeps the build going.

use std::io::{self, Write};

use serde_json::Value;

pub fn write_yaml(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    writeln!(out, "{value}")
}

pub fn write_yaml_stream_item(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    writeln!(out, "- {value}")
}
