//! Python's text for values: the one place rcr reproduces how CPython
//! prints and reads things, because the aws CLI is Python and its messages
//! and outputs carry Python's text (`value: 'x', type: <class 'int'>`,
//! `True`, `None`, `1e-05`, the `json.dumps` inside a pagination token).
//!
//! What is here is Python's behaviour only: `repr()` and `str()` of the
//! values `json.loads` builds, `repr(float)`, type names, `json.dumps` with
//! `ensure_ascii`, `int(str)` / `float(str)`, `str.isprintable` /
//! `str.isspace`, and the lookup in code point tables printed from
//! `unicodedata`. Which type names botocore lists as valid, how JMESPath
//! names types and every other piece of wording stays with the module that
//! prints it. This module depends on nothing in rcr.
//!
//! Known gap: Python escapes code points that are unassigned in its Unicode
//! database; which ones those are changes with each Python release, so
//! [`is_printable`] escapes only the assigned non-printable characters and
//! the permanent noncharacters, and keeps other unassigned code points.

use serde_json::{Number, Value};

/// The Python type of a value (`type(v)`), for the values rcr describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PyType {
    NoneType,
    Bool,
    Int,
    Float,
    Str,
    Bytes,
    List,
    Dict,
}

impl PyType {
    /// The type of what `json.loads` builds for `v`.
    pub fn of(v: &Value) -> PyType {
        match v {
            Value::Null => PyType::NoneType,
            Value::Bool(_) => PyType::Bool,
            Value::Number(n) if n.is_f64() => PyType::Float,
            Value::Number(_) => PyType::Int,
            Value::String(_) => PyType::Str,
            Value::Array(_) => PyType::List,
            Value::Object(_) => PyType::Dict,
        }
    }

    /// `type(v).__name__`: `int`, `NoneType`.
    pub fn name(self) -> &'static str {
        match self {
            PyType::NoneType => "NoneType",
            PyType::Bool => "bool",
            PyType::Int => "int",
            PyType::Float => "float",
            PyType::Str => "str",
            PyType::Bytes => "bytes",
            PyType::List => "list",
            PyType::Dict => "dict",
        }
    }

    /// `str(type(v))`: `<class 'int'>`.
    pub fn class(self) -> &'static str {
        match self {
            PyType::NoneType => "<class 'NoneType'>",
            PyType::Bool => "<class 'bool'>",
            PyType::Int => "<class 'int'>",
            PyType::Float => "<class 'float'>",
            PyType::Str => "<class 'str'>",
            PyType::Bytes => "<class 'bytes'>",
            PyType::List => "<class 'list'>",
            PyType::Dict => "<class 'dict'>",
        }
    }
}

/// `type(v).__name__` of what `json.loads` builds for `v`.
pub fn type_name(v: &Value) -> &'static str {
    PyType::of(v).name()
}

/// `str(type(v))` of what `json.loads` builds for `v`: `<class 'str'>`.
pub fn class_name(v: &Value) -> &'static str {
    PyType::of(v).class()
}

/// `a == b` for what `json.loads` builds: numbers and booleans compare by
/// value (`True == 1`, `1 == 1.0`), lists and dicts element by element.
pub fn eq(a: &Value, b: &Value) -> bool {
    let as_number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    };
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| eq(v, w)))
        }
        _ => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

/// `str(v)`: a string as it is, anything else as [`repr`] (`None`, `True`,
/// `1.5`, `['a', 1]`, `{'k': 'v'}`).
pub fn str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => repr(other),
    }
}

/// `repr(v)` of what `json.loads` builds for `v`.
pub fn repr(v: &Value) -> String {
    let mut out = String::new();
    push_value(&mut out, v, &REPR);
    out
}

/// How a printer writes the leaves of a value: `repr()` and `json.dumps`
/// lay out lists and dicts alike and differ only in these.
struct Printer<'a> {
    null: &'static str,
    bools: [&'static str; 2],
    string: fn(&mut String, &str),
    /// Between items, and after a key.
    separators: (&'a str, &'a str),
}

/// `repr()`'s leaves: `None`, `False`/`True`, quoted strings.
const REPR: Printer<'static> = Printer {
    null: "None",
    bools: ["False", "True"],
    string: push_str_repr,
    separators: (", ", ": "),
};

/// `v` as `printer` writes it: numbers as Python prints them, lists as
/// `[a, b]` and dicts as `{k: v}` with its separators.
fn push_value(out: &mut String, v: &Value, printer: &Printer<'_>) {
    match v {
        Value::Null => out.push_str(printer.null),
        Value::Bool(b) => out.push_str(printer.bools[usize::from(*b)]),
        Value::Number(n) => out.push_str(&number_str(n)),
        Value::String(s) => (printer.string)(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(printer.separators.0);
                }
                push_value(out, item, printer);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(printer.separators.0);
                }
                (printer.string)(out, k);
                out.push_str(printer.separators.1);
                push_value(out, item, printer);
            }
            out.push('}');
        }
    }
}

/// `repr(s)` of a string: single quotes unless the text holds `'` and no
/// `"`; `\\`, the quote, `\t`, `\n`, `\r` escaped; other non-printable
/// characters as `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_str_repr(&mut out, s);
    out
}

fn push_str_repr(out: &mut String, s: &str) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !is_printable(c) => {
                let cp = u32::from(c);
                let escaped = if cp < 0x100 {
                    format!("\\x{cp:02x}")
                } else if cp < 0x10000 {
                    format!("\\u{cp:04x}")
                } else {
                    format!("\\U{cp:08x}")
                };
                out.push_str(&escaped);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's `str.isprintable()` for one character: false for the Unicode
/// categories Cc, Cf, Cs, Co, Zl, Zp and Zs (but the space), and for the
/// noncharacters; see the module's note on other unassigned code points.
pub fn is_printable(c: char) -> bool {
    !in_ranges(NON_PRINTABLE, c)
}

/// Whether `c` falls in one of `ranges`: sorted, disjoint, inclusive code
/// point ranges, the form of the tables printed from Python's
/// `unicodedata` (this module's non-printable one, `output::table`'s East
/// Asian widths).
pub fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = u32::from(c);
    ranges
        .binary_search_by(|&(first, last)| {
            if last < cp {
                std::cmp::Ordering::Less
            } else if first > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The ranges Python 3.11 (Unicode 14) calls non-printable among assigned
/// characters, plus the 66 noncharacters and U+13439..U+1343F (format
/// characters since Unicode 15), sorted. Printed by
/// `[c for c in range(0x110000) if not chr(c).isprintable() and
/// unicodedata.category(chr(c)) != 'Cn']` and merged into ranges.
const NON_PRINTABLE: &[(u32, u32)] = &[
    (0x0, 0x1f),
    (0x7f, 0xa0),
    (0xad, 0xad),
    (0x600, 0x605),
    (0x61c, 0x61c),
    (0x6dd, 0x6dd),
    (0x70f, 0x70f),
    (0x890, 0x891),
    (0x8e2, 0x8e2),
    (0x1680, 0x1680),
    (0x180e, 0x180e),
    (0x2000, 0x200f),
    (0x2028, 0x202f),
    (0x205f, 0x2064),
    (0x2066, 0x206f),
    (0x3000, 0x3000),
    (0xd800, 0xf8ff),
    (0xfdd0, 0xfdef),
    (0xfeff, 0xfeff),
    (0xfff9, 0xfffb),
    (0xfffe, 0xffff),
    (0x110bd, 0x110bd),
    (0x110cd, 0x110cd),
    (0x13430, 0x1343f),
    (0x1bca0, 0x1bca3),
    (0x1d173, 0x1d17a),
    (0x1fffe, 0x1ffff),
    (0x2fffe, 0x2ffff),
    (0x3fffe, 0x3ffff),
    (0x4fffe, 0x4ffff),
    (0x5fffe, 0x5ffff),
    (0x6fffe, 0x6ffff),
    (0x7fffe, 0x7ffff),
    (0x8fffe, 0x8ffff),
    (0x9fffe, 0x9ffff),
    (0xafffe, 0xaffff),
    (0xbfffe, 0xbffff),
    (0xcfffe, 0xcffff),
    (0xdfffe, 0xdffff),
    (0xe0001, 0xe0001),
    (0xe0020, 0xe007f),
    (0xefffe, 0x10ffff),
];

/// Python's `str.isspace()` for one character: Unicode white space and the
/// separators U+001C..U+001F.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `int(s)` (base 10) when it fits an `i64`: surrounding white
/// space, a sign, ASCII digits with single `_` between them.
pub fn int_from_str(s: &str) -> Option<i64> {
    let t = trim_number(s);
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return None;
    }
    let n: i64 = without_underscores(digits)?.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// Python's `float(s)`: surrounding white space, `inf`/`infinity`/`nan`
/// in any case, decimal digits with single `_` between digits.
pub fn float_from_str(s: &str) -> Option<f64> {
    let t = trim_number(s);
    // Rust's grammar is Python's without the underscores: signs, `inf`,
    // `infinity`, `nan` in any case, `5.`, `.5`, exponents.
    without_underscores(t)?.parse::<f64>().ok()
}

/// Python's `int(s)` as a JSON number, or the message of the `ValueError`
/// it raises.
pub fn int_value(s: &str) -> Result<Value, String> {
    int_from_str(s)
        .map(Value::from)
        .ok_or_else(|| format!("invalid literal for int() with base 10: {}", str_repr(s)))
}

/// Python's `float(s)` as a JSON number, or the message of the
/// `ValueError` it raises (infinities and NaN, which a JSON number cannot
/// hold, get that message too).
pub fn float_value(s: &str) -> Result<Value, String> {
    float_from_str(s)
        .and_then(Number::from_f64)
        .map(Value::Number)
        .ok_or_else(|| format!("could not convert string to float: {}", str_repr(s)))
}

/// `int()` and `float()` strip white space the way `str.strip()` does, but
/// the separators U+001C..U+001F stay (they are ASCII, which is stripped
/// by the C parser's narrower rule).
fn trim_number(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

/// The number text without its `_` separators, or `None` when one is not
/// between two digits.
fn without_underscores(t: &str) -> Option<String> {
    let bytes = t.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            let before = i.checked_sub(1).and_then(|j| bytes.get(j));
            let after = bytes.get(i + 1);
            if !before.is_some_and(u8::is_ascii_digit) || !after.is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
    }
    Some(t.replace('_', ""))
}

/// `str()` (and `repr()`) of a JSON number: an integer as it is, a float as
/// [`float_repr`].
pub fn number_str(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        float_repr(n.as_f64().unwrap_or(f64::NAN))
    }
}

/// Python's `repr(float)`: the shortest decimal string that reads back as
/// the same double, in fixed notation for decimal exponents from -4 to 15
/// (`0.0001`, `100.0`) and in scientific notation with a signed, at least
/// two-digit exponent otherwise (`1e-05`, `1.5e+16`).
pub fn float_repr(f: f64) -> String {
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

/// `json.dumps`'s default separators: `", "` between items, `": "` after keys.
pub const DUMPS_SEPARATORS: (&str, &str) = (", ", ": ");

/// `separators=(",", ":")`.
pub const COMPACT_SEPARATORS: (&str, &str) = (",", ":");

/// `json.dumps(v, separators=separators)` on one line, with `ensure_ascii`:
/// everything outside printable ASCII is a `\uXXXX` escape (UTF-16 units).
pub fn dumps(v: &Value, separators: (&str, &str)) -> String {
    let mut out = String::new();
    let printer = Printer {
        null: "null",
        bools: ["false", "true"],
        string: push_json_string,
        separators,
    };
    push_value(&mut out, v, &printer);
    out
}

fn push_json_string(out: &mut String, t: &str) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Every expected string in these tables was printed by CPython 3.11
    // (`repr(s)`, `repr(json.loads(d))`, `str(...)`, `json.dumps(...)`,
    // `int(s)`, `float(s)`) for the same input.

    #[test]
    fn str_repr_matches_python() {
        let cases: &[(&str, &str)] = &[
            ("abc", "'abc'"),
            ("", "''"),
            ("a'b", "\"a'b\""),
            ("a\"b", "'a\"b'"),
            ("a'b\"c", "'a\\'b\"c'"),
            ("'", "\"'\""),
            ("\"", "'\"'"),
            ("back\\slash", "'back\\\\slash'"),
            ("tab\u{9}nl\u{a}ret\u{d}", "'tab\\tnl\\nret\\r'"),
            ("\u{0}\u{1}\u{1f}\u{7f}", "'\\x00\\x01\\x1f\\x7f'"),
            ("\u{b}\u{c}", "'\\x0b\\x0c'"),
            ("caf\u{e9}", "'caf\u{e9}'"),
            ("\u{4e2d}\u{6587}", "'\u{4e2d}\u{6587}'"),
            ("emoji \u{1f600}", "'emoji \u{1f600}'"),
            ("\u{85} next line", "'\\x85 next line'"),
            ("\u{a0}nbsp", "'\\xa0nbsp'"),
            ("soft\u{ad}hyphen", "'soft\\xadhyphen'"),
            ("zero\u{200b}width", "'zero\\u200bwidth'"),
            ("\u{2028}\u{2029}", "'\\u2028\\u2029'"),
            ("\u{feff}bom", "'\\ufeffbom'"),
            ("\u{3000}ideo", "'\\u3000ideo'"),
            ("\u{e000}private", "'\\ue000private'"),
            ("\u{f0000}plane15", "'\\U000f0000plane15'"),
            ("\u{e0041}tag", "'\\U000e0041tag'"),
            ("\u{fffe}\u{ffff}", "'\\ufffe\\uffff'"),
            ("\u{600}arabic", "'\\u0600arabic'"),
            ("\u{202e}RTL", "'\\u202eRTL'"),
            ("\u{2066}isolate", "'\\u2066isolate'"),
            ("\u{1680}ogham", "'\\u1680ogham'"),
        ];
        for (input, want) in cases {
            assert_eq!(str_repr(input), *want, "{input:?}");
        }
    }

    #[test]
    fn repr_and_str_of_values_match_python() {
        // str() prints what repr() does for all but a string at the top.
        let cases: &[(&str, &str)] = &[
            ("null", "None"),
            ("true", "True"),
            ("false", "False"),
            ("0", "0"),
            ("-7", "-7"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("1.0", "1.0"),
            ("2.5", "2.5"),
            ("1e16", "1e+16"),
            ("1e-05", "1e-05"),
            ("0.1", "0.1"),
            ("100.0", "100.0"),
            ("-0.0", "-0.0"),
            ("1.5e+300", "1.5e+300"),
            ("[]", "[]"),
            ("{}", "{}"),
            ("[1, 2.5, true, null, \"x\"]", "[1, 2.5, True, None, 'x']"),
            (
                "{\"a\": [1, {\"b\": \"it's\"}], \"c\": \"\\u00e9\\n\"}",
                "{'a': [1, {'b': \"it's\"}], 'c': '\u{e9}\\n'}",
            ),
            (
                "[\"a'b\", \"q\\\"\", {\"k\": -0.0}]",
                "[\"a'b\", 'q\"', {'k': -0.0}]",
            ),
        ];
        for (doc, want) in cases {
            let v: Value = serde_json::from_str(doc).expect("valid JSON");
            assert_eq!(repr(&v), *want, "repr of {doc}");
            assert_eq!(str(&v), *want, "str of {doc}");
        }
        assert_eq!(repr(&json!("x")), "'x'");
        assert_eq!(str(&json!("x")), "x");
    }

    #[test]
    fn type_names_match_python() {
        let cases: &[(Value, &str)] = &[
            (json!(null), "NoneType"),
            (json!(true), "bool"),
            (json!(1), "int"),
            (json!(1.0), "float"),
            (json!("s"), "str"),
            (json!([]), "list"),
            (json!({}), "dict"),
        ];
        for (v, name) in cases {
            assert_eq!(type_name(v), *name);
            assert_eq!(class_name(v), format!("<class '{name}'>"));
        }
        assert_eq!(PyType::Bytes.class(), "<class 'bytes'>");
    }

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
            (811212085039910.2, "811212085039910.2"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(*f), *want, "{f:e}");
        }
    }

    #[test]
    fn numbers_keep_their_kind() {
        let v: Value =
            serde_json::from_str("[1, -2, 18446744073709551615, 1.0, 2.5e-9]").expect("JSON");
        let got: Vec<String> = v
            .as_array()
            .expect("array")
            .iter()
            .map(|n| number_str(n.as_number().expect("number")))
            .collect();
        assert_eq!(got, ["1", "-2", "18446744073709551615", "1.0", "2.5e-09"]);
    }

    #[test]
    fn dumps_matches_python() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "{\"a\": [1, 2.5, {\"b\": []}], \"c\": {}, \"d\": \"\\u00e9\\\"\\n\\u0001\\b\\f\\t\\r/\", \"e\": null, \"f\": true}",
                "{\"a\": [1, 2.5, {\"b\": []}], \"c\": {}, \"d\": \"\\u00e9\\\"\\n\\u0001\\b\\f\\t\\r/\", \"e\": null, \"f\": true}",
                "{\"a\":[1,2.5,{\"b\":[]}],\"c\":{},\"d\":\"\\u00e9\\\"\\n\\u0001\\b\\f\\t\\r/\",\"e\":null,\"f\":true}",
            ),
            (
                "\"emoji \\ud83d\\ude00 \\u007f\"",
                "\"emoji \\ud83d\\ude00 \\u007f\"",
                "\"emoji \\ud83d\\ude00 \\u007f\"",
            ),
            (
                "[1e16, 1e-05, -0.0, 100.0, 18446744073709551615]",
                "[1e+16, 1e-05, -0.0, 100.0, 18446744073709551615]",
                "[1e+16,1e-05,-0.0,100.0,18446744073709551615]",
            ),
        ];
        for (doc, want, want_compact) in cases {
            let v: Value = serde_json::from_str(doc).expect("valid JSON");
            assert_eq!(dumps(&v, DUMPS_SEPARATORS), *want, "{doc}");
            assert_eq!(dumps(&v, COMPACT_SEPARATORS), *want_compact, "{doc}");
        }
    }

    #[test]
    fn int_and_float_from_str_match_python() {
        // (text, int(text), float(text)); None where Python raises.
        let cases: &[(&str, Option<i64>, Option<f64>)] = &[
            ("12", Some(12), Some(12.0)),
            (" 7 ", Some(7), Some(7.0)),
            ("+3", Some(3), Some(3.0)),
            ("-4", Some(-4), Some(-4.0)),
            ("1_000", Some(1000), Some(1000.0)),
            ("007", Some(7), Some(7.0)),
            ("\u{3000}3", Some(3), Some(3.0)),
            ("\u{85}3", Some(3), Some(3.0)),
            ("\u{b}3\u{c}", Some(3), Some(3.0)),
            ("1__0", None, None),
            ("_1", None, None),
            ("1_", None, None),
            ("-_1", None, None),
            ("", None, None),
            ("abc", None, None),
            ("1.5", None, Some(1.5)),
            ("0x10", None, None),
            ("\u{1c}3", None, None),
            ("3\u{1c}", None, None),
            (" 2 ", Some(2), Some(2.0)),
            ("1e5", None, Some(100000.0)),
            ("1E+05", None, Some(100000.0)),
            ("1_0.5", None, Some(10.5)),
            (".5", None, Some(0.5)),
            ("5.", None, Some(5.0)),
            ("-.5e-3", None, Some(-0.0005)),
            ("1_000.000_1", None, Some(1000.0001)),
            ("1e1_0", None, Some(10000000000.0)),
            ("\u{a0}1.25\u{2003}", None, Some(1.25)),
            ("inf", None, Some(f64::INFINITY)),
            ("-Infinity", None, Some(f64::NEG_INFINITY)),
            ("1e400", None, Some(f64::INFINITY)),
            ("1_.5", None, None),
            ("._5", None, None),
            (".", None, None),
        ];
        for (input, want_int, want_float) in cases {
            assert_eq!(int_from_str(input), *want_int, "int({input:?})");
            assert_eq!(float_from_str(input), *want_float, "float({input:?})");
        }
        assert!(float_from_str("nan").is_some_and(f64::is_nan));
    }

    #[test]
    fn printable_table_is_sorted_and_disjoint() {
        for pair in NON_PRINTABLE.windows(2) {
            assert!(pair[0].0 <= pair[0].1 && pair[0].1 < pair[1].0, "{pair:?}");
        }
        assert!(is_printable(' ') && is_printable('a') && is_printable('\u{e9}'));
        assert!(!is_printable('\u{200b}') && !is_printable('\u{10ffff}'));
        assert!(is_space('\u{1c}') && is_space('\u{3000}') && !is_space('a'));
    }
}
