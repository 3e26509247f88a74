//! AWS shorthand syntax (`Key=env,Value=dev`, `filters=[{a=b}]`), parsed the
//! way aws reads it, then shaped by the member's model.
//!
//! Parsing is two steps, as in aws: [`parse`] reads the text purely by its
//! syntax into [`SValue`]s (strings, lists, maps; the grammar and its error
//! messages follow awscli's `ShorthandParser`, including its quirks: csv
//! backtracking, `\,` escapes, `@=` param files), then [`to_json`] walks the
//! model to turn a lone value into a one-element list where a list is
//! expected and to coerce integers, floats and booleans. Anything the model
//! does not accept is left as is for [`super::validate`] to report, exactly
//! as botocore does after awscli's parser.
//!
//! Positions in error messages count characters (code points), as Python does.

use serde_json::{Map, Value};

use super::paramfile::{self, ArgText};
use crate::model::{Service, ShapeId, ShapeKind};
use crate::python::{self, PyType};

/// A shorthand value before the model gives it types.
#[derive(Debug, Clone, PartialEq)]
pub enum SValue {
    Str(String),
    /// Raw bytes from `key@=fileb://path`.
    Bytes(Vec<u8>),
    List(Vec<SValue>),
    /// Keys in the order given (a repeated key inside `{...}` keeps its first
    /// place and takes the last value, like a Python dict).
    Map(Vec<(String, SValue)>),
}

/// A shorthand syntax error, worded as awscli words it (without the
/// `Error parsing parameter` prefix, which the caller adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShorthandError(pub String);

/// Integer or float coercion failed: Python's `int()`/`float()` message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoerceError(pub String);

/// Parses one shorthand word into a map of its top-level keys.
pub fn parse(input: &str) -> Result<SValue, ShorthandError> {
    let mut p = Parser {
        s: input.chars().collect(),
        i: 0,
        resolve_files: false,
        file_error: None,
    };
    let v = p.parameter();
    if let Some(e) = p.file_error {
        return Err(e);
    }
    v
}

/// `string.whitespace` in Python: what the parser skips between tokens.
fn is_py_ascii_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The characters a value may start with (`_START_WORD`).
fn is_start_char(c: char) -> bool {
    bmp_except(c, "\"',=[{")
}

/// The characters after the first one of a value (`_FIRST_FOLLOW_CHARS`).
fn is_first_follow(c: char) -> bool {
    python::is_space(c) || bmp_except(c, "\"',]}")
}

/// The characters after the first one of a later csv item (`_SECOND_FOLLOW_CHARS`).
fn is_second_follow(c: char) -> bool {
    python::is_space(c) || bmp_except(c, "\"',=")
}

/// botocore's character classes are ranges from `!` to U+FFFF with a few
/// delimiters cut out: `c` in that span and not one of `delimiters`.
fn bmp_except(c: char, delimiters: &str) -> bool {
    ('!'..='\u{ffff}').contains(&c) && !delimiters.contains(c)
}

struct Parser {
    s: Vec<char>,
    i: usize,
    /// Set after `key@=`: the value names a param file.
    resolve_files: bool,
    /// A param file named after `@=` could not be read.
    file_error: Option<ShorthandError>,
}

impl Parser {
    fn at_eof(&self) -> bool {
        self.i >= self.s.len()
    }

    fn current(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    fn text(&self) -> String {
        self.s.iter().collect()
    }

    /// awscli's `_error_location`: the input with a caret under `index`,
    /// cut at the line holding the caret.
    fn location(&self, index: usize) -> String {
        let index = index.min(self.s.len());
        let before = &self.s[..index];
        let mut num_spaces = index;
        if let Some(nl) = before.iter().rposition(|&c| c == '\n') {
            num_spaces = index - nl - 1;
        }
        let (consumed, remaining) = match self.s[index..].iter().position(|&c| c == '\n') {
            Some(off) => (
                self.s[..index + off].iter().collect::<String>(),
                self.s[index + off..].iter().collect::<String>(),
            ),
            None => (self.text(), String::new()),
        };
        format!("{consumed}\n{}^{remaining}", " ".repeat(num_spaces))
    }

    fn syntax_error(&self, expected: &str, actual: &str, index: usize) -> ShorthandError {
        ShorthandError(format!(
            "Expected: '{expected}', received: '{actual}' for input:\n{}",
            self.location(index)
        ))
    }

    fn consume_whitespace(&mut self) {
        while self.current().is_some_and(is_py_ascii_ws) {
            self.i += 1;
        }
    }

    fn expect(&mut self, ch: char, consume_whitespace: bool) -> Result<(), ShorthandError> {
        if consume_whitespace {
            self.consume_whitespace();
        }
        match self.current() {
            None => return Err(self.syntax_error(&ch.to_string(), "EOF", self.i)),
            Some(actual) if actual != ch => {
                return Err(self.syntax_error(&ch.to_string(), &actual.to_string(), self.i));
            }
            Some(_) => self.i += 1,
        }
        if consume_whitespace {
            self.consume_whitespace();
        }
        Ok(())
    }

    fn parameter(&mut self) -> Result<SValue, ShorthandError> {
        let mut params: Vec<(String, SValue)> = Vec::new();
        let (key, val) = self.keyval()?;
        params.push((key, val));
        let mut last_index = self.i;
        while !self.at_eof() {
            self.expect(',', true)?;
            let (key, val) = self.keyval()?;
            if params.iter().any(|(k, _)| *k == key) {
                return Err(ShorthandError(format!(
                    "Second instance of key \"{key}\" encountered for input:\n{}\nThis is often because there is a preceding \",\" instead of a space.",
                    self.location(last_index + 1)
                )));
            }
            params.push((key, val));
            last_index = self.i;
        }
        Ok(SValue::Map(params))
    }

    /// `key=value` or `key@=file://...`.
    fn key_and_equals(&mut self) -> Result<String, ShorthandError> {
        let key = self.key();
        self.resolve_files = false;
        let save = self.i;
        self.consume_whitespace();
        if self.current() == Some('@') {
            self.i += 1;
            self.consume_whitespace();
            self.resolve_files = true;
        } else {
            self.i = save;
        }
        self.expect('=', true)?;
        Ok(key)
    }

    fn keyval(&mut self) -> Result<(String, SValue), ShorthandError> {
        let key = self.key_and_equals()?;
        let values = self.values()?;
        Ok((key, values))
    }

    fn key(&mut self) -> String {
        let start = self.i;
        while let Some(c) = self.current() {
            if !(c.is_ascii_alphanumeric() || "-_.#/:".contains(c)) {
                break;
            }
            self.i += 1;
        }
        self.s[start..self.i].iter().collect()
    }

    fn values(&mut self) -> Result<SValue, ShorthandError> {
        match self.current() {
            None => Ok(SValue::Str(String::new())),
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            Some(_) => self.csv_value(),
        }
    }

    fn csv_value(&mut self) -> Result<SValue, ShorthandError> {
        let first = self.first_value()?;
        self.consume_whitespace();
        if self.current() != Some(',') {
            return Ok(first);
        }
        self.expect(',', true)?;
        let mut list = vec![first];
        loop {
            let item = match self.second_value() {
                Ok(v) => v,
                Err(e) => {
                    if self.at_eof() {
                        return Err(e);
                    }
                    self.backtrack_to(',');
                    break;
                }
            };
            self.consume_whitespace();
            if self.at_eof() {
                list.push(item);
                break;
            }
            if let Err(e) = self.expect(',', true) {
                if self.at_eof() {
                    return Err(e);
                }
                self.backtrack_to(',');
                break;
            }
            list.push(item);
        }
        if list.len() == 1 {
            return Ok(list.swap_remove(0));
        }
        Ok(SValue::List(list))
    }

    fn backtrack_to(&mut self, ch: char) {
        while self.i > 0 && self.s.get(self.i) != Some(&ch) {
            self.i -= 1;
        }
    }

    /// Length of a match of `(\\,|[start])(\\,|[follow])*` at the cursor.
    fn match_word(&self, follow: fn(char) -> bool) -> Option<usize> {
        let s = &self.s[self.i..];
        let step = |j: usize, class: &dyn Fn(char) -> bool| -> usize {
            if s.get(j) == Some(&'\\') && s.get(j + 1) == Some(&',') {
                2
            } else if s.get(j).is_some_and(|&c| class(c)) {
                1
            } else {
                0
            }
        };
        let mut j = step(0, &is_start_char);
        if j == 0 {
            return None;
        }
        loop {
            let n = step(j, &follow);
            if n == 0 {
                return Some(j);
            }
            j += n;
        }
    }

    fn take(&mut self, n: usize) -> String {
        let v: String = self.s[self.i..self.i + n].iter().collect();
        self.i += n;
        v
    }

    fn unquoted(&mut self, follow: fn(char) -> bool) -> Option<SValue> {
        let n = self.match_word(follow)?;
        let raw = self.take(n);
        let processed = raw
            .replace("\\,", ",")
            .trim_end_matches(python::is_space)
            .to_string();
        Some(self.maybe_file(processed))
    }

    fn value(&mut self) -> SValue {
        self.unquoted(is_first_follow)
            .unwrap_or(SValue::Str(String::new()))
    }

    fn first_value(&mut self) -> Result<SValue, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => Ok(self.value()),
        }
    }

    fn second_value(&mut self) -> Result<SValue, ShorthandError> {
        match self.current() {
            Some('\'') => self.quoted('\''),
            Some('"') => self.quoted('"'),
            _ => self
                .unquoted(is_second_follow)
                .ok_or_else(|| self.syntax_error("<second>", "<none>", self.i)),
        }
    }

    /// `'...'` / `"..."`: the pattern `q(?:\\q|[^q])*q`, then `\q` → `q` and
    /// `\\` → `\`.
    fn quoted(&mut self, q: char) -> Result<SValue, ShorthandError> {
        let s = &self.s[self.i..];
        let mut j = 1;
        let mut end = None;
        while j < s.len() {
            if s[j] == '\\' && s.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            if s[j] == q {
                end = Some(j);
                break;
            }
            j += 1;
        }
        // The regex backtracks: a `\q` right before the end may be `\` then
        // the closing quote.
        let end = match end {
            Some(e) => e,
            None => match s.iter().rposition(|&c| c == q) {
                Some(e) if e > 0 => e,
                _ => {
                    let name = if q == '\'' {
                        "singled quoted"
                    } else {
                        "double quoted"
                    };
                    return Err(self.syntax_error(&format!("<{name}>"), "<none>", self.i));
                }
            },
        };
        let inner: String = s[1..end].iter().collect();
        self.i += end + 1;
        let value = inner
            .replace(&format!("\\{q}"), &q.to_string())
            .replace("\\\\", "\\");
        Ok(self.maybe_file(value))
    }

    fn maybe_file(&mut self, value: String) -> SValue {
        if !self.resolve_files || !(value.starts_with("file://") || value.starts_with("fileb://")) {
            return SValue::Str(value);
        }
        match paramfile::resolve_arg("", &value) {
            Ok(ArgText::Text(t)) => SValue::Str(t),
            Ok(ArgText::Bytes(b)) => SValue::Bytes(b),
            Err(e) => {
                if self.file_error.is_none() {
                    let text = e.report();
                    let msg = text
                        .split_once("Unable to load paramfile")
                        .map(|(_, rest)| format!("Unable to load paramfile{}", rest.trim_end()))
                        .unwrap_or_else(|| text.trim().to_string());
                    self.file_error = Some(ShorthandError(msg));
                }
                SValue::Str(value)
            }
        }
    }

    fn explicit_list(&mut self) -> Result<SValue, ShorthandError> {
        self.expect('[', true)?;
        let mut values = Vec::new();
        while self.current() != Some(']') {
            let before = self.i;
            values.push(self.explicit_values()?);
            self.consume_whitespace();
            if self.current() != Some(']') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            if self.i == before {
                // Cannot happen (expect fails at EOF), but never loop forever.
                return Err(self.syntax_error("]", "EOF", self.i));
            }
        }
        self.expect(']', false)?;
        Ok(SValue::List(values))
    }

    fn explicit_values(&mut self) -> Result<SValue, ShorthandError> {
        match self.current() {
            Some('[') => self.explicit_list(),
            Some('{') => self.hash_literal(),
            _ => self.first_value(),
        }
    }

    fn hash_literal(&mut self) -> Result<SValue, ShorthandError> {
        self.expect('{', true)?;
        let mut keyvals: Vec<(String, SValue)> = Vec::new();
        while self.current() != Some('}') {
            let before = self.i;
            let key = self.key_and_equals()?;
            let v = self.explicit_values()?;
            self.consume_whitespace();
            if self.current() != Some('}') {
                self.expect(',', false)?;
                self.consume_whitespace();
            }
            match keyvals.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = v,
                None => keyvals.push((key, v)),
            }
            if self.i == before {
                return Err(self.syntax_error("}", "EOF", self.i));
            }
        }
        self.expect('}', false)?;
        Ok(SValue::Map(keyvals))
    }
}

/// Turns a parsed shorthand value into the JSON value of `shape`, the way
/// awscli's `BackCompatVisitor` adjusts it: a non-list where the model has a
/// list becomes a one-element list, integers/floats are converted (failure
/// is Python's `int()`/`float()` error), `true`/`false` become booleans.
/// Other mismatches stay for validation to report.
///
/// Blobs: `@=fileb://` bytes are always encoded; text is encoded when
/// `raw_blobs` (`--cli-binary-format raw-in-base64-out`), else it is the
/// base64 text itself.
pub fn to_json(
    service: &Service,
    shape: ShapeId,
    value: SValue,
    raw_blobs: bool,
) -> Result<Value, CoerceError> {
    let kind = &service.shape(shape).kind;
    // The walk follows the value, which is finite, so recursive shapes end.
    match (kind, value) {
        (ShapeKind::Structure { members, .. }, SValue::Map(entries)) => {
            let mut map = Map::new();
            for (k, v) in entries {
                let v = match members.iter().find(|m| m.name == k) {
                    Some(m) => to_json(service, m.shape, v, raw_blobs)?,
                    None => raw(v),
                };
                map.insert(k, v);
            }
            Ok(Value::Object(map))
        }
        (ShapeKind::Map { value: vs, .. }, SValue::Map(entries)) => {
            let mut map = Map::new();
            for (k, v) in entries {
                map.insert(k, to_json(service, *vs, v, raw_blobs)?);
            }
            Ok(Value::Object(map))
        }
        (ShapeKind::List { member, .. }, SValue::List(items)) => items
            .into_iter()
            .map(|v| to_json(service, *member, v, raw_blobs))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        (ShapeKind::List { .. }, v) => {
            // `foo=bar` where a list is expected: `["bar"]` (not converted further).
            Ok(Value::Array(vec![raw(v)]))
        }
        (ShapeKind::Integer { .. } | ShapeKind::Long { .. }, v) => match v {
            SValue::Str(s) => python::int_value(&s).map_err(CoerceError),
            other => Err(CoerceError(format!(
                "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                py_type(&other).name()
            ))),
        },
        (ShapeKind::Float { .. } | ShapeKind::Double { .. }, v) => match v {
            SValue::Str(s) => python::float_value(&s).map_err(CoerceError),
            other => Err(CoerceError(format!(
                "float() argument must be a string or a real number, not '{}'",
                py_type(&other).name()
            ))),
        },
        (ShapeKind::Boolean, SValue::Str(s)) => Ok(match s.to_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(s),
        }),
        (ShapeKind::Blob { .. }, SValue::Bytes(b)) => {
            use base64::Engine as _;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(b),
            ))
        }
        (ShapeKind::Blob { .. }, SValue::Str(s)) if raw_blobs => {
            use base64::Engine as _;
            Ok(Value::String(
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes()),
            ))
        }
        (_, v) => Ok(raw(v)),
    }
}

/// The Python type of what the shorthand parser built.
fn py_type(v: &SValue) -> PyType {
    match v {
        SValue::Str(_) => PyType::Str,
        SValue::Bytes(_) => PyType::Bytes,
        SValue::List(_) => PyType::List,
        SValue::Map(_) => PyType::Dict,
    }
}

/// A value the model does not describe, kept as parsed (strings stay strings).
fn raw(v: SValue) -> Value {
    match v {
        SValue::Str(s) => Value::String(s),
        SValue::Bytes(b) => Value::String(String::from_utf8_lossy(&b).into_owned()),
        SValue::List(items) => Value::Array(items.into_iter().map(raw).collect()),
        SValue::Map(entries) => {
            Value::Object(entries.into_iter().map(|(k, v)| (k, raw(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> SValue {
        SValue::Str(v.into())
    }

    fn m(entries: &[(&str, SValue)]) -> SValue {
        SValue::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_string(), v.clone()))
                .collect(),
        )
    }

    fn ok(input: &str) -> SValue {
        parse(input).unwrap_or_else(|e| panic!("{input:?} failed: {}", e.0))
    }

    fn err(input: &str) -> String {
        match parse(input) {
            Ok(v) => panic!("{input:?} parsed as {v:?}"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn key_value_pairs() {
        assert_eq!(
            ok("Key=a,Value=b"),
            m(&[("Key", s("a")), ("Value", s("b"))])
        );
        assert_eq!(ok("scanOnPush=true"), m(&[("scanOnPush", s("true"))]));
        assert_eq!(ok("a = b "), m(&[("a", s("b"))]));
        assert!(err(" a=b").starts_with("Expected: '=', received: 'a'"));
    }

    #[test]
    fn empty_values() {
        assert_eq!(ok("Value="), m(&[("Value", s(""))]));
        assert_eq!(ok("Key=a,Value="), m(&[("Key", s("a")), ("Value", s(""))]));
        assert_eq!(ok("a=,b=c"), m(&[("a", s("")), ("b", s("c"))]));
    }

    #[test]
    fn values_with_special_characters() {
        assert_eq!(
            ok("kmsKey=arn:aws:kms:x/y=z*"),
            m(&[("kmsKey", s("arn:aws:kms:x/y=z*"))])
        );
        assert_eq!(ok("filter=prod*"), m(&[("filter", s("prod*"))]));
        assert_eq!(ok("a=b{c"), m(&[("a", s("b{c"))]));
        assert!(err("a=b{c}d").starts_with("Expected: ',', received: '}'"));
        assert_eq!(ok("a=ünïcödé"), m(&[("a", s("ünïcödé"))]));
    }

    #[test]
    fn csv_lists_and_backtracking() {
        assert_eq!(
            ok("architectures=ARM64,x86-64,description=x"),
            m(&[
                ("architectures", SValue::List(vec![s("ARM64"), s("x86-64")])),
                ("description", s("x")),
            ])
        );
        assert_eq!(ok("a=b,c"), m(&[("a", SValue::List(vec![s("b"), s("c")]))]));
        assert_eq!(
            ok("Key=a,,Value=b"),
            m(&[("Key", s("a")), ("Value", s("b"))])
        );
    }

    #[test]
    fn explicit_lists_and_hashes() {
        assert_eq!(
            ok("architectures=[ARM64,x86-64]"),
            m(&[("architectures", SValue::List(vec![s("ARM64"), s("x86-64")]))])
        );
        assert_eq!(
            ok("repositoryFilters=[{filter=prod*,filterType=WILDCARD}]"),
            m(&[(
                "repositoryFilters",
                SValue::List(vec![m(&[
                    ("filter", s("prod*")),
                    ("filterType", s("WILDCARD"))
                ])])
            )])
        );
        assert_eq!(ok("a=[]"), m(&[("a", SValue::List(vec![]))]));
        assert_eq!(ok("a={}"), m(&[("a", m(&[]))]));
        assert_eq!(
            ok("a=[[x,y],[z]]"),
            m(&[(
                "a",
                SValue::List(vec![
                    SValue::List(vec![s("x"), s("y")]),
                    SValue::List(vec![s("z")])
                ])
            )])
        );
        assert_eq!(ok("a={b=1,b=2}"), m(&[("a", m(&[("b", s("2"))]))]));
    }

    #[test]
    fn quoted_values_and_escapes() {
        assert_eq!(ok("a='x,y'"), m(&[("a", s("x,y"))]));
        assert_eq!(ok("a=\"x y\""), m(&[("a", s("x y"))]));
        assert_eq!(ok(r"a='x\'y'"), m(&[("a", s("x'y"))]));
        assert_eq!(ok(r#"a="x\"y""#), m(&[("a", s("x\"y"))]));
        assert_eq!(ok(r"a='x\\y'"), m(&[("a", s(r"x\y"))]));
        assert_eq!(ok(r"a=x\,y"), m(&[("a", s("x,y"))]));
        assert_eq!(ok(r"a=x\y"), m(&[("a", s(r"x\y"))]));
        assert_eq!(
            ok("a='p',\"q\""),
            m(&[("a", SValue::List(vec![s("p"), s("q")]))])
        );
    }

    #[test]
    fn dangling_equals_and_missing_equals() {
        assert_eq!(
            err("scanOnPush"),
            "Expected: '=', received: 'EOF' for input:\nscanOnPush\n          ^"
        );
        assert_eq!(err(""), "Expected: '=', received: 'EOF' for input:\n\n^");
        assert_eq!(
            err("a=b,c=d,"),
            "Expected: '<second>', received: '<none>' for input:\na=b,c=d,\n        ^"
        );
        assert_eq!(
            err("=x,"),
            "Expected: '<second>', received: '<none>' for input:\n=x,\n   ^"
        );
    }

    #[test]
    fn unbalanced_brackets() {
        assert_eq!(
            err("a=[b,c"),
            "Expected: ',', received: 'EOF' for input:\na=[b,c\n      ^"
        );
        assert_eq!(
            err("a={b=c"),
            "Expected: ',', received: 'EOF' for input:\na={b=c\n      ^"
        );
        assert_eq!(
            err("a=[b]]"),
            "Expected: ',', received: ']' for input:\na=[b]]\n     ^"
        );
        assert!(err("a={b}").starts_with("Expected: '=', received: '}'"));
    }

    #[test]
    fn bad_quotes() {
        assert_eq!(
            err("a='xy"),
            "Expected: '<singled quoted>', received: '<none>' for input:\na='xy\n  ^"
        );
        assert_eq!(
            err("a=\"xy"),
            "Expected: '<double quoted>', received: '<none>' for input:\na=\"xy\n  ^"
        );
        assert!(err("a='x'y").starts_with("Expected: ',', received: 'y'"));
    }

    #[test]
    fn duplicate_keys() {
        assert_eq!(
            err("Key=a,Value=b,Key=c"),
            "Second instance of key \"Key\" encountered for input:\nKey=a,Value=b,Key=c\n              ^\nThis is often because there is a preceding \",\" instead of a space."
        );
    }

    #[test]
    fn multi_line_error_location() {
        assert_eq!(
            err("a=[\nb"),
            "Expected: ',', received: 'EOF' for input:\na=[\nb\n ^"
        );
        assert_eq!(
            err("a=[b\n,c}\nd"),
            "Expected: ',', received: '}' for input:\na=[b\n,c}\n  ^\nd"
        );
    }

    #[test]
    fn param_file_values() {
        let dir = std::env::temp_dir().join(format!("rcr-sh-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("v.txt");
        std::fs::write(&path, "from file").expect("write");
        let input = format!("a@=file://{}", path.display());
        assert_eq!(ok(&input), m(&[("a", s("from file"))]));
        // Without `@` the text is the value.
        let input = format!("a=file://{}", path.display());
        assert_eq!(
            ok(&input),
            m(&[("a", s(&format!("file://{}", path.display())))])
        );
        assert!(err("a@=file:///nonexistent/rcr").starts_with("Unable to load paramfile"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn to_plain(v: &SValue) -> Value {
        match v {
            SValue::Str(s) => Value::String(s.clone()),
            SValue::Bytes(b) => Value::String(String::from_utf8_lossy(b).into_owned()),
            SValue::List(items) => Value::Array(items.iter().map(to_plain).collect()),
            SValue::Map(e) => {
                Value::Object(e.iter().map(|(k, v)| (k.clone(), to_plain(v))).collect())
            }
        }
    }

    /// Every input of the oracle file (fixed cases and 3000 random ones run
    /// through awscli 1.46.3's `ShorthandParser`) parses to the same value or
    /// fails with the same message.
    #[test]
    fn matches_awscli_parser() {
        let cases: Vec<Value> = serde_json::from_str(include_str!(
            "../../tests/fixtures/params/shorthand-oracle.json"
        ))
        .expect("oracle file is JSON");
        let mut mismatches = Vec::new();
        for case in &cases {
            let input = case["input"].as_str().unwrap_or_default();
            let got = match parse(input) {
                Ok(v) => serde_json::json!({ "input": input, "ok": to_plain(&v) }),
                Err(e) => serde_json::json!({ "input": input, "err": e.0 }),
            };
            if &got != case {
                mismatches.push(format!("{case}\n  got {got}"));
            }
        }
        assert!(
            mismatches.is_empty(),
            "{} of {} differ:\n{}",
            mismatches.len(),
            cases.len(),
            mismatches
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
