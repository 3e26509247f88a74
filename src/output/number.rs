//! Numbers printed the way the aws CLI (Python) prints them.
//!
//! The aws CLI turns every number of a response into a Python `int` or
//! `float` and prints it with `str()` / `repr()`, which for a float is the
//! shortest decimal string that reads back as the same double, in fixed
//! notation for decimal exponents from -4 to 15 (`0.0001`, `100.0`) and in
//! scientific notation with a signed, at least two-digit exponent otherwise
//! (`1e-05`, `1.5e+16`). The json, text, table and yaml printers all use
//! these helpers so that `7.5`, `100.0` and `1e-05` come out alike everywhere.

use std::io::{self, Write};

use serde_json::Number;

/// Python's `repr(float)` of `f`.
pub fn py_float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    let (digits, exp) = shortest_digits(f.abs());
    let sign = if f < 0.0 { "-" } else { "" };
    let mut out = String::from(sign);
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            // Safe: exp is below 16 here.
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(digits.len().min(1));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    }
    out
}

/// The shortest decimal digits that read back as `f` (positive, finite,
/// non-zero) and the decimal exponent of the first digit. Rust's `{:e}`
/// gives shortest digits too, but when two candidates are equally close to
/// `f` it may pick the odd one where Python's repr picks the even one
/// (`811212085039910.25` prints as `...910.2` in Python), so exact ties are
/// settled here the Python way.
fn shortest_digits(f: f64) -> (String, i32) {
    let (digits, exp) = split_exp(&format!("{f:e}"));
    let n = digits.len();
    let last_is_odd = digits.as_bytes().last().is_some_and(|d| d % 2 == 1);
    if !last_is_odd {
        return (digits, exp);
    }
    // 767 fractional digits hold any double's exact decimal expansion.
    let (exact, exact_exp) = split_exp(&format!("{f:.767e}"));
    let tie = exact_exp == exp
        && exact.as_bytes().get(n) == Some(&b'5')
        && exact.bytes().skip(n + 1).all(|d| d == b'0');
    if !tie {
        return (digits, exp);
    }
    let truncated = exact.get(..n).unwrap_or_default().to_string();
    let other = if truncated == digits {
        increment(&truncated)
    } else {
        Some(truncated)
    };
    match other {
        Some(o) if o.len() == n && reads_back(&o, exp, f) => (o, exp),
        _ => (digits, exp),
    }
}

/// `d.ddd` and the exponent out of Rust's `{:e}` output.
fn split_exp(sci: &str) -> (String, i32) {
    let (mantissa, exp) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci, 0),
    };
    (mantissa.chars().filter(char::is_ascii_digit).collect(), exp)
}

/// The decimal digit string plus one in its last place, if no carry
/// lengthens it.
fn increment(digits: &str) -> Option<String> {
    let mut bytes = digits.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(bytes).ok();
        }
    }
    None
}

fn reads_back(digits: &str, exp: i32, f: f64) -> bool {
    let (first, rest) = digits.split_at(digits.len().min(1));
    format!("{first}.{rest}0e{exp}").parse::<f64>() == Ok(f)
}

/// The Python `str()` of a JSON number: integers as they are, floats as
/// [`py_float_repr`].
pub fn number_string(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        py_float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Appends the Python `str()` of a JSON number to `buf` (see
/// [`number_string`]); integers, by far the most common, without a
/// temporary string.
pub fn push_number(buf: &mut String, n: &Number) {
    use std::fmt::Write as _;
    // Writing to a String cannot fail.
    let _ = if let Some(i) = n.as_i64() {
        write!(buf, "{i}")
    } else if let Some(u) = n.as_u64() {
        write!(buf, "{u}")
    } else {
        buf.push_str(&py_float_repr(n.as_f64().unwrap_or(f64::NAN)));
        Ok(())
    };
}

/// Writes a JSON number as Python prints it (see [`number_string`]).
pub fn write_number<W: Write + ?Sized>(out: &mut W, n: &Number) -> io::Result<()> {
    if let Some(i) = n.as_i64() {
        write!(out, "{i}")
    } else if let Some(u) = n.as_u64() {
        write!(out, "{u}")
    } else {
        out.write_all(py_float_repr(n.as_f64().unwrap_or(f64::NAN)).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected strings are Python 3.11's repr() of the same doubles.
    #[test]
    fn float_repr_matches_python() {
        let cases: &[(f64, &str)] = &[
            (7.5, "7.5"),
            (100.0, "100.0"),
            (1e-05, "1e-05"),
            (1.5e16, "1.5e+16"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (123456789.125, "123456789.125"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (-2.5e-7, "-2.5e-07"),
            (1e100, "1e+100"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.30000000000000004, "0.30000000000000004"),
            (1717171900.123456, "1717171900.123456"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (f, want) in cases {
            assert_eq!(py_float_repr(*f), *want, "{f:e}");
        }
    }

    #[test]
    fn numbers_keep_their_kind() {
        let v: serde_json::Value =
            serde_json::from_str("[1, -2, 18446744073709551615, 1.0, 2.5e-9]").unwrap();
        let got: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|n| number_string(n.as_number().unwrap()))
            .collect();
        assert_eq!(got, ["1", "-2", "18446744073709551615", "1.0", "2.5e-09"]);
        let mut buf = Vec::new();
        write_number(&mut buf, &Number::from(42)).unwrap();
        assert_eq!(buf, b"42");
    }
}
