//! The shared output layer: every command prints through here.
//!
//! The response (already JSON in the model's member order, timestamps
//! formatted) goes to the formatter the user chose, through one buffered,
//! locked writer on stdout. A closed pipe ends the output quietly.

pub mod json;
pub mod number;
pub mod pager;
pub mod timestamp;

use std::io::{self, Write};

use serde_json::Value;

use crate::error::Error;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Text,
    Table,
    Yaml,
    YamlStream,
}

impl Format {
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "json" => Ok(Format::Json),
            "text" => Ok(Format::Text),
            "table" => Ok(Format::Table),
            "yaml" => Ok(Format::Yaml),
            "yaml-stream" => Ok(Format::YamlStream),
            other => Err(Error::usage(format!(
                "argument --output: Found invalid choice '{other}'\n"
            ))),
        }
    }
}

/// Prints one complete response. An empty response prints nothing, as in aws.
pub fn print_response(value: &Value, format: Format, _title: &str) -> Result<(), Error> {
    if value.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(());
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let result = match format {
        Format::Json => json::write_json(&mut out, value),
        _ => {
            return Err(Error::usage(
                "this output format is not supported by this build of rcr",
            ));
        }
    };
    finish(result.and_then(|()| out.flush()))
}

/// A closed pipe (`rcr ... | head`) is not an error worth a message.
fn finish(result: io::Result<()>) -> Result<(), Error> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Other(format!("could not write the output: {e}"))),
    }
}
