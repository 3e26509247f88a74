//! Numbers as Python prints them (placeholder until the output formatters land).

use std::io::{self, Write};

/// Python's `repr(float)`: shortest round-trip digits, `.0` on integral values,
/// exponent form below 1e-4 and from 1e16.
pub fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

pub fn write_number(out: &mut dyn Write, n: &serde_json::Number) -> io::Result<()> {
    if n.is_f64() {
        out.write_all(py_float_repr(n.as_f64().unwrap_or(0.0)).as_bytes())
    } else {
        write!(out, "{n}")
    }
}
