//! STUB (not the real formatter): `--output text` is being written by another
//! engineer; this placeholder only keeps the build going until it lands.

use std::io::{self, Write};

use serde_json::Value;

pub fn write_text(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    writeln!(out, "{value}")
}
