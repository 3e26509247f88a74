//! `--output json`: Python's `json.dumps(indent=4, ensure_ascii=False)`.
//!
//! Written by hand rather than with serde_json's pretty printer because aws's
//! bytes differ from it: floats print as Python's `repr`, and only `"`, `\`
//! and control characters are escaped.

use std::io::{self, Write};

use serde_json::Value;

use super::number::write_number;

/// The text is gathered in a buffer handed to the writer whenever it holds
/// this much: one call per 64 KiB rather than one per token.
const FLUSH_AT: usize = 64 * 1024;

/// Writes `value` and a final newline.
pub fn write_json(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    let mut json = Json {
        buf: Vec::with_capacity(FLUSH_AT + 1024),
        out,
    };
    json.value(value, 0)?;
    json.buf.push(b'\n');
    json.flush()
}

struct Json<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn Write,
}

impl Json<'_> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn indent(&mut self, level: usize) {
        self.buf.resize(self.buf.len() + level * 4, b' ');
    }

    fn value(&mut self, value: &Value, level: usize) -> io::Result<()> {
        match value {
            Value::Null => self.buf.extend_from_slice(b"null"),
            Value::Bool(true) => self.buf.extend_from_slice(b"true"),
            Value::Bool(false) => self.buf.extend_from_slice(b"false"),
            // Writing to a Vec cannot fail.
            Value::Number(n) => write_number(&mut self.buf, n)?,
            Value::String(s) => push_string(&mut self.buf, s),
            Value::Array(items) => {
                if items.is_empty() {
                    self.buf.extend_from_slice(b"[]");
                    return Ok(());
                }
                self.buf.extend_from_slice(b"[\n");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.buf.extend_from_slice(b",\n");
                    }
                    self.indent(level + 1);
                    self.value(item, level + 1)?;
                    self.maybe_flush()?;
                }
                self.buf.push(b'\n');
                self.indent(level);
                self.buf.push(b']');
            }
            Value::Object(map) => {
                if map.is_empty() {
                    self.buf.extend_from_slice(b"{}");
                    return Ok(());
                }
                self.buf.extend_from_slice(b"{\n");
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        self.buf.extend_from_slice(b",\n");
                    }
                    self.indent(level + 1);
                    push_string(&mut self.buf, k);
                    self.buf.extend_from_slice(b": ");
                    self.value(v, level + 1)?;
                    self.maybe_flush()?;
                }
                self.buf.push(b'\n');
                self.indent(level);
                self.buf.push(b'}');
            }
        }
        Ok(())
    }
}

/// Appends `s` as a JSON string: only `"`, `\` and control characters are
/// escaped, as Python's `json.dumps(ensure_ascii=False)` does.
fn push_string(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            0x08 => buf.extend_from_slice(b"\\b"),
            0x0c => buf.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xf)]);
            }
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(v: &Value) -> String {
        let mut out = Vec::new();
        write_json(&mut out, v).expect("write to a Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn python_layout() {
        let v = json!({"a": [1, 2.5, {"b": []}], "c": {}, "d": "é\"\n\u{1}", "e": null, "f": true});
        assert_eq!(
            render(&v),
            "{\n    \"a\": [\n        1,\n        2.5,\n        {\n            \"b\": []\n        }\n    ],\n    \"c\": {},\n    \"d\": \"é\\\"\\n\\u0001\",\n    \"e\": null,\n    \"f\": true\n}\n"
        );
    }

    #[test]
    fn floats_as_python_repr() {
        assert_eq!(render(&json!(100.0)), "100.0\n");
        assert_eq!(render(&json!(1e-05)), "1e-05\n");
        assert_eq!(render(&json!(7.5)), "7.5\n");
    }
}
