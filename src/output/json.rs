//! `--output json`: Python's `json.dumps(indent=4, ensure_ascii=False)`.
//!
//! Written by hand rather than with serde_json's pretty printer because aws's
//! bytes differ from it: floats print as Python's `repr`, and only `"`, `\`
//! and control characters are escaped.

use std::io::{self, Write};

use serde_json::Value;

use super::number::write_number;

/// Writes `value` and a final newline.
pub fn write_json(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    write_value(out, value, 0)?;
    out.write_all(b"\n")
}

fn indent(out: &mut dyn Write, level: usize) -> io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = level * 4;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

fn write_value(out: &mut dyn Write, value: &Value, level: usize) -> io::Result<()> {
    match value {
        Value::Null => out.write_all(b"null"),
        Value::Bool(true) => out.write_all(b"true"),
        Value::Bool(false) => out.write_all(b"false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            if items.is_empty() {
                return out.write_all(b"[]");
            }
            out.write_all(b"[\n")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                indent(out, level + 1)?;
                write_value(out, item, level + 1)?;
            }
            out.write_all(b"\n")?;
            indent(out, level)?;
            out.write_all(b"]")
        }
        Value::Object(map) => {
            if map.is_empty() {
                return out.write_all(b"{}");
            }
            out.write_all(b"{\n")?;
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.write_all(b",\n")?;
                }
                indent(out, level + 1)?;
                write_string(out, k)?;
                out.write_all(b": ")?;
                write_value(out, v, level + 1)?;
            }
            out.write_all(b"\n")?;
            indent(out, level)?;
            out.write_all(b"}")
        }
    }
}

pub fn write_string(out: &mut dyn Write, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<&[u8]> = match b {
            b'"' => Some(b"\\\""),
            b'\\' => Some(b"\\\\"),
            b'\n' => Some(b"\\n"),
            b'\r' => Some(b"\\r"),
            b'\t' => Some(b"\\t"),
            0x08 => Some(b"\\b"),
            0x0c => Some(b"\\f"),
            _ => None,
        };
        if let Some(esc) = escape {
            out.write_all(&bytes[start..i])?;
            out.write_all(esc)?;
            start = i + 1;
        } else if b < 0x20 {
            out.write_all(&bytes[start..i])?;
            write!(out, "\\u{:04x}", b)?;
            start = i + 1;
        }
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
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
