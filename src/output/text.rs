//! `--output text`: the aws CLI's tab-separated text format.
//!
//! One call formats one response, one page of a paginated response, or one
//! `--query` result, exactly as aws CLI v2 prints it. The layout, learnt by
//! running the aws CLI on many documents:
//! - an object prints one line with the values of its scalar members, in
//!   key order (code point order), prefixed by the upper-cased name of the
//!   member that holds it (nothing at the top level); then each member that
//!   is a list or object, in key order, under its own name;
//! - a list of objects prints one such line per element, with a column for
//!   every scalar key that any element has (empty where an element lacks
//!   it), each line followed by that element's nested lists and objects;
//! - a list of scalars prints one `NAME\tvalue` line per element under a
//!   name, or all of them on one tab-separated line at the top level (a
//!   `--query` result); nested lists follow the scalars;
//! - scalars print as Python prints them: `None`, `True`, `False`, `1.0`.
//!
//! Empty lists and objects print nothing, not even a blank line.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::python;

/// Lines gather in a buffer handed to the writer whenever it holds this
/// much, so a large output never sits whole in memory.
const FLUSH_AT: usize = 64 * 1024;

/// Writes `value` in aws's text format.
pub fn write_text<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    let mut sink = Sink {
        buf: String::with_capacity(FLUSH_AT + 1024),
        out,
        fields: 0,
    };
    sink.value(value, None)?;
    sink.flush()
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// The text being written: the pending lines and the number of fields of
/// the current one (a tab goes before every field but the first).
struct Sink<'a, W: Write + ?Sized> {
    buf: String,
    out: &'a mut W,
    fields: usize,
}

impl<W: Write + ?Sized> Sink<'_, W> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }

    /// Starts a line, with `prefix` (an upper-cased name) as its first field.
    fn start_line(&mut self, prefix: Option<&str>) {
        self.fields = 0;
        if let Some(p) = prefix {
            self.buf.push_str(p);
            self.fields = 1;
        }
    }

    /// Starts a line with the upper-cased `name` as its first field.
    fn start_line_named(&mut self, name: Option<&str>) {
        self.fields = 0;
        if let Some(n) = name {
            push_upper(&mut self.buf, n);
            self.fields = 1;
        }
    }

    /// Starts the next field of the line.
    fn field(&mut self) -> &mut String {
        if self.fields > 0 {
            self.buf.push('\t');
        }
        self.fields += 1;
        &mut self.buf
    }

    fn end_line(&mut self) -> io::Result<()> {
        self.buf.push('\n');
        if self.buf.len() >= FLUSH_AT {
            self.flush()?;
        }
        Ok(())
    }

    fn value(&mut self, value: &Value, name: Option<&str>) -> io::Result<()> {
        match value {
            Value::Object(map) => self.object(map, name),
            Value::Array(items) => self.list(items, name),
            scalar => {
                self.start_line_named(name);
                push_scalar(self.field(), scalar);
                self.end_line()
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>, name: Option<&str>) -> io::Result<()> {
        let entries = sorted_entries(map);
        if entries.iter().any(|(_, v)| is_scalar(v)) {
            self.start_line_named(name);
            for (_, v) in entries.iter().filter(|(_, v)| is_scalar(v)) {
                push_scalar(self.field(), v);
            }
            self.end_line()?;
        }
        for &(key, v) in entries.iter().filter(|(_, v)| !is_scalar(v)) {
            self.value(v, Some(key))?;
        }
        Ok(())
    }

    fn list(&mut self, items: &[Value], name: Option<&str>) -> io::Result<()> {
        if items.iter().any(Value::is_object) {
            return self.object_list(items, name);
        }
        match name {
            Some(n) => {
                let upper = upper_case(n);
                for item in items.iter().filter(|v| is_scalar(v)) {
                    self.start_line(Some(&upper));
                    push_scalar(self.field(), item);
                    self.end_line()?;
                }
            }
            None if items.iter().any(is_scalar) => {
                self.start_line(None);
                for item in items.iter().filter(|v| is_scalar(v)) {
                    push_scalar(self.field(), item);
                }
                self.end_line()?;
            }
            None => {}
        }
        for item in items.iter().filter(|v| !is_scalar(v)) {
            self.value(item, name)?;
        }
        Ok(())
    }

    fn object_list(&mut self, items: &[Value], name: Option<&str>) -> io::Result<()> {
        // Columns: every key that holds a scalar in at least one element.
        let mut columns: Vec<&str> = Vec::new();
        for map in items.iter().filter_map(Value::as_object) {
            for (k, v) in map {
                if is_scalar(v) && !columns.contains(&k.as_str()) {
                    columns.push(k);
                }
            }
        }
        columns.sort_unstable();
        let upper = name.map(upper_case);
        // Each element's cells by column, and its other members; found by
        // one pass over its entries (no hashing of keys).
        let mut cells: Vec<Option<&Value>> = Vec::with_capacity(columns.len());
        let mut nested: Vec<(&str, &Value)> = Vec::new();
        let mut seen: Vec<(&str, Option<usize>)> = Vec::new();
        for item in items {
            let Some(map) = item.as_object() else {
                // aws fails with a Python error on a list mixing objects with
                // other values; print the odd element as it would print alone.
                self.value(item, name)?;
                continue;
            };
            cells.clear();
            cells.resize(columns.len(), None);
            nested.clear();
            for (position, (k, v)) in map.iter().enumerate() {
                match column_of(&columns, &mut seen, position, k) {
                    Some(i) => cells[i] = Some(v),
                    None => nested.push((k.as_str(), v)),
                }
            }
            if !columns.is_empty() {
                self.start_line(upper.as_deref());
                for cell in &cells {
                    let buf = self.field();
                    match cell {
                        None => {}
                        Some(v) if is_scalar(v) => push_scalar(buf, v),
                        // A key that is a scalar in another element: aws
                        // prints Python's repr of the list or object in the
                        // cell.
                        Some(v) => buf.push_str(&python::repr(v)),
                    }
                }
                self.end_line()?;
            }
            // Only lists and objects are left out of the columns.
            nested.sort_unstable_by(|a, b| a.0.cmp(b.0));
            for &(key, v) in &nested {
                self.value(v, Some(key))?;
            }
        }
        Ok(())
    }
}

/// The column of key `k` at `position` in its element. Elements of a list
/// mostly have the same keys in the same order, so the answer for the
/// previous element's key at that position is tried first (one comparison
/// instead of a search).
fn column_of<'a>(
    columns: &[&str],
    seen: &mut Vec<(&'a str, Option<usize>)>,
    position: usize,
    k: &'a str,
) -> Option<usize> {
    if let Some(&(key, column)) = seen.get(position)
        && key == k
    {
        return column;
    }
    let column = columns.binary_search(&k).ok();
    if position < seen.len() {
        seen[position] = (k, column);
    } else {
        seen.push((k, column));
    }
    column
}

/// Python's `str.upper()` of a member name (ASCII without a new string).
fn push_upper(buf: &mut String, name: &str) {
    if name.is_ascii() {
        buf.extend(name.bytes().map(|b| char::from(b.to_ascii_uppercase())));
    } else {
        buf.push_str(&name.to_uppercase());
    }
}

fn upper_case(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    push_upper(&mut s, name);
    s
}

/// The entries of `map` sorted by key (code point order; keys are unique).
fn sorted_entries(map: &Map<String, Value>) -> Vec<(&str, &Value)> {
    let mut entries: Vec<(&str, &Value)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    entries
}

/// Appends a scalar as Python's `str()` prints it (integers without a
/// temporary string: they are most of a listing's numbers).
pub(crate) fn push_scalar(buf: &mut String, v: &Value) {
    match v {
        Value::Number(n) if n.is_i64() || n.is_u64() => {
            use std::fmt::Write as _;
            // Writing to a String cannot fail.
            let _ = write!(buf, "{n}");
        }
        Value::String(s) => buf.push_str(s),
        other => buf.push_str(&python::str(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::recorded::{DESCRIBE_IMAGES, DESCRIBE_REPOSITORIES, printed};

    fn text(json: &str) -> String {
        printed(json, write_text)
    }

    // Every expected string below was printed by the aws CLI's own text
    // formatter (awscli 1.46.3, same bytes as v2) for the same document.

    #[test]
    fn reference_describe_images() {
        let doc = DESCRIBE_IMAGES;
        assert_eq!(
            text(doc),
            "IMAGEDETAILS\tapplication/vnd.oci.image.config.v1+json\tsha256:4444444444444444444444444444444444444444444444444444444444444444\t2024-05-31T16:10:00+00:00\t1024\t210987654321\tshop/cart\nIMAGETAGS\t1.0\nIMAGETAGS\tstable\nIMAGEDETAILS\t\tsha256:5555555555555555555555555555555555555555555555555555555555555555\t2024-05-31T16:11:40.123456+00:00\t2048\t210987654321\tshop/cart\n"
        );
    }

    #[test]
    fn reference_describe_repositories() {
        let doc = DESCRIBE_REPOSITORIES;
        assert_eq!(
            text(doc),
            "REPOSITORIES\t2024-05-31T16:08:37.250000+00:00\tIMMUTABLE\t210987654321\tarn:aws:ecr:eu-west-1:210987654321:repository/shop/cart\tshop/cart\t210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart\nENCRYPTIONCONFIGURATION\tKMS\tarn:aws:kms:eu-west-1:210987654321:key/k1\nIMAGESCANNINGCONFIGURATION\tTrue\n"
        );
    }

    #[test]
    fn query_scalars() {
        for (json, want) in [
            ("null", "None\n"),
            ("true", "True\n"),
            ("false", "False\n"),
            ("5", "5\n"),
            ("1.5", "1.5\n"),
            ("-0.0", "-0.0\n"),
            ("1e-5", "1e-05\n"),
            ("\"abc\"", "abc\n"),
            ("\"\"", "\n"),
            ("\"日本\"", "日本\n"),
            (r#""x\ty\nz""#, "x\ty\nz\n"),
        ] {
            assert_eq!(text(json), want, "{json}");
        }
    }

    #[test]
    fn empty_things_print_nothing() {
        for doc in [
            "[]",
            "{}",
            "[[]]",
            "[{}]",
            "[{},{}]",
            r#"{"a":[]}"#,
            r#"{"a":{}}"#,
        ] {
            assert_eq!(text(doc), "", "{doc}");
        }
        assert_eq!(text(r#"{"x":[{"a":{}}, {"a":[]}]}"#), "");
    }

    #[test]
    fn lists_of_scalars() {
        assert_eq!(
            text(r#"["a","b",3,null,true,1.0]"#),
            "a\tb\t3\tNone\tTrue\t1.0\n"
        );
        assert_eq!(text("[null]"), "None\n");
        assert_eq!(text(r#"[["a","b"],["c"]]"#), "a\tb\nc\n");
        assert_eq!(text(r#"["a",["b","c"],"d"]"#), "a\td\nb\tc\n");
        assert_eq!(text(r#"[[1,[2]],3,[4,5]]"#), "3\n1\n2\n4\t5\n");
        assert_eq!(text(r#"{"a":[1,2]}"#), "A\t1\nA\t2\n");
        assert_eq!(text(r#"{"a":[1,[2,3],4]}"#), "A\t1\nA\t4\nA\t2\nA\t3\n");
        assert_eq!(
            text(r#"{"a":[["x",[1,2]],"y"]}"#),
            "A\ty\nA\tx\nA\t1\nA\t2\n"
        );
    }

    #[test]
    fn objects_and_lists_of_objects() {
        assert_eq!(text(r#"{"b":1,"a":"x","c":null}"#), "x\t1\tNone\n");
        assert_eq!(
            text(r#"{"Zz":{"y":1},"a":2,"B":[{"k":"v"}]}"#),
            "2\nB\tv\nZZ\t1\n"
        );
        assert_eq!(text(r#"[{"a":1},{"b":2}]"#), "1\t\n\t2\n");
        assert_eq!(
            text(r#"{"a":[{"b":1,"z":[1]},{"c":2}]}"#),
            "A\t1\t\nZ\t1\nA\t\t2\n"
        );
        assert_eq!(text(r#"{"a":{"b":[1,2],"c":3}}"#), "A\t3\nB\t1\nB\t2\n");
        assert_eq!(text(r#"{"a":[{"b":{"c":[{"d":5}]}}]}"#), "C\t5\n");
        assert_eq!(text(r#"{"x":[{"a":1},{}]}"#), "X\t1\nX\t\n");
        assert_eq!(text(r#"[{"a":1},{"b":[1]}]"#), "1\n\nB\t1\n");
        assert_eq!(text(r#"{"x":[[{"a":1}],[{"b":2}]]}"#), "X\t1\nX\t2\n");
        assert_eq!(
            text(r#"{"a":{"b":null,"c":{"d":[null]}}}"#),
            "A\tNone\nD\tNone\n"
        );
    }

    #[test]
    fn keys_upper_case_like_python() {
        assert_eq!(text(r#"{"é":1,"ß":{"ﬁx":[1]}}"#), "1\nFIX\t1\n");
    }

    #[test]
    fn numbers() {
        assert_eq!(
            text(r#"{"a":1e100,"b":123456789012345678,"c":7.5,"d":100.0}"#),
            "1e+100\t123456789012345678\t7.5\t100.0\n"
        );
    }

    #[test]
    fn cell_holding_a_list_prints_python_repr() {
        assert_eq!(text(r#"[{"a":1},{"a":[1]}]"#), "1\n[1]\n");
        assert_eq!(text(r#"[{"a":[1]},{"a":1}]"#), "[1]\n1\n");
    }

    #[test]
    fn oracle_more() {
        assert_eq!(
            text(
                r#"{"名前": ["日本語", "é"], "n": 18446744073709551615, "f": [1e-05, 1.5e+16, 0.1]}"#
            ),
            "18446744073709551615\nF\t1e-05\nF\t1.5e+16\nF\t0.1\n名前\t日本語\n名前\té\n"
        );
        assert_eq!(
            text(r#"{"NextToken": {"NextToken": "abc"}}"#),
            "NEXTTOKEN\tabc\n"
        );
    }
}
