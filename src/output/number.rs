//! Numbers written the way the aws CLI (Python) prints them: every number
//! of a response is a Python `int` or `float` printed with `str()`, so the
//! json, text, table and yaml printers all go through
//! [`crate::python::number_str`] and `7.5`, `100.0` and `1e-05` come out
//! alike everywhere.

use std::io::{self, Write};

use serde_json::Number;

/// Writes a JSON number as Python prints it: integers without a temporary
/// string, floats as [`crate::python::float_repr`].
pub fn write_number<W: Write + ?Sized>(out: &mut W, n: &Number) -> io::Result<()> {
    if let Some(i) = n.as_i64() {
        write!(out, "{i}")
    } else if let Some(u) = n.as_u64() {
        write!(out, "{u}")
    } else {
        out.write_all(crate::python::float_repr(n.as_f64().unwrap_or(f64::NAN)).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_python_text() {
        let mut buf = Vec::new();
        write_number(&mut buf, &Number::from(42)).unwrap();
        write_number(&mut buf, &Number::from_f64(1e-5).unwrap()).unwrap();
        assert_eq!(buf, b"421e-05");
    }
}
