//! `--output yaml` and `--output yaml-stream`, byte for byte as aws CLI v2.
//!
//! aws v2 dumps responses with ruamel.yaml's safe dumper in block style; as
//! it ships ruamel.yaml.clib, the bytes are made by libyaml's C emitter
//! (v2's own tests note that astral characters come out escaped, which
//! only the C emitter does), while ruamel's YAML 1.2 resolver decides which
//! strings must be quoted because they would read back as another type. A
//! top-level scalar (a `--query` result) is printed as JSON instead
//! (`"sha256:..."`, `null`), and yaml-stream prints each page as one item
//! of a top-level list.
//!
//! This is a small emitter of its own rather than a YAML crate because no
//! crate makes ruamel's choices: serde_yaml is deprecated; serde_yml (0.0.12)
//! keeps the input's key order and quotes `yes`, which ruamel leaves plain;
//! yaml-rust2 (0.10) starts with `---`, indents list items under their key,
//! double-quotes `'1.0'` and leaves `1_000` plain, which ruamel quotes
//! (checked on one document; saphyr, yaml-rust2's successor, was not
//! tried); and none folds long scalars at column 80 the way libyaml does.
//! What this file reproduces, as learnt by running ruamel.yaml 0.17.21
//! with its C emitter (ruamel.yaml.clib 0.2.12) on thousands of documents:
//! - keys sorted in code point order; list items `- ` at the parent key's
//!   indent; `[]` and `{}` for empty lists and objects;
//! - a string is plain unless it would resolve to another YAML 1.2 type
//!   (`'1.0'`, `'true'`, `'null'`, `''`, timestamps), has indicator
//!   characters where YAML would misread them (`'- x'`, `'a: b'`,
//!   `'#x'`), or leading/trailing spaces or line breaks; then it is single
//!   quoted, or double quoted with escapes when it holds characters that
//!   YAML cannot print as they are (tabs, control characters, characters
//!   outside the Basic Multilingual Plane, U+FEFF);
//! - plain and quoted scalars are folded at a space once the line is past
//!   column 80; line breaks in single-quoted scalars become blank lines;
//! - keys longer than 128 bytes, or holding line breaks, use the explicit
//!   `? key` / `: value` form.

use std::io::{self, Write};

use serde_json::{Map, Value};

use crate::python;

/// Writes `value` as `--output yaml` prints a whole (merged) response.
pub fn write_yaml<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    match value {
        Value::Array(_) | Value::Object(_) => {
            let mut e = Emitter::new();
            e.emit_document(value, false);
            out.write_all(e.out.as_bytes())
        }
        scalar => {
            let mut s = json_scalar(scalar);
            s.push('\n');
            out.write_all(s.as_bytes())
        }
    }
}

/// Writes one page of `--output yaml-stream`: the page as an item of a
/// top-level list, so that N calls print the N pages as one YAML list.
pub fn write_yaml_stream_item<W: Write + ?Sized>(out: &mut W, value: &Value) -> io::Result<()> {
    let mut e = Emitter::new();
    e.emit_document(value, true);
    out.write_all(e.out.as_bytes())
}

/// A scalar as Python's `json.dumps(value, ensure_ascii=False)` prints it.
fn json_scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => python::number_str(n),
        Value::String(s) => {
            let mut o = String::with_capacity(s.len() + 2);
            o.push('"');
            for c in s.chars() {
                match c {
                    '"' => o.push_str("\\\""),
                    '\\' => o.push_str("\\\\"),
                    '\n' => o.push_str("\\n"),
                    '\r' => o.push_str("\\r"),
                    '\t' => o.push_str("\\t"),
                    '\u{8}' => o.push_str("\\b"),
                    '\u{c}' => o.push_str("\\f"),
                    c if u32::from(c) < 0x20 => o.push_str(&format!("\\u{:04x}", u32::from(c))),
                    c => o.push(c),
                }
            }
            o.push('"');
            o
        }
        // Not reached: lists and objects go through the emitter.
        other => other.to_string(),
    }
}

const BEST_WIDTH: usize = 80;
const BEST_INDENT: i64 = 2;
/// Longest key (in UTF-8 bytes) that is still written as `key: value`.
const MAX_SIMPLE_KEY_BYTES: usize = 128;

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// What an analysis of a scalar's characters allows (libyaml's rules).
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
}

/// Where the node being written sits; decides indentation and key style.
#[derive(Clone, Copy, Default)]
struct Ctx {
    mapping: bool,
    simple_key: bool,
}

/// A model of libyaml's block emitter: the output so far plus the little
/// state (column, "last char written was whitespace", "only indentation on
/// this line so far", current indent) that decides spaces and line breaks.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
        }
    }

    fn emit_document(&mut self, value: &Value, as_list_item: bool) {
        if as_list_item {
            // A one-item top-level sequence holding the page.
            self.increase_indent(false, false);
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(value, Ctx::default());
            self.pop_indent();
        } else {
            self.emit_node(value, Ctx::default());
        }
        // Document end: finish the last line.
        self.indent = -1;
        self.write_indent();
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, value: &Value, ctx: Ctx) {
        match value {
            Value::Array(items) if items.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(map) if map.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(items) => self.emit_block_sequence(items, ctx),
            Value::Object(map) => self.emit_block_mapping(map),
            Value::String(s) => self.emit_scalar(s, is_plain_implicit(s), ctx),
            Value::Null => self.emit_scalar("null", true, ctx),
            Value::Bool(b) => self.emit_scalar(if *b { "true" } else { "false" }, true, ctx),
            Value::Number(n) => {
                let text = match n.as_f64() {
                    Some(f) if n.is_f64() => float_text(f),
                    _ => python::number_str(n),
                };
                self.emit_scalar(&text, true, ctx);
            }
        }
    }

    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value], ctx: Ctx) {
        let indentless = ctx.mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, Ctx::default());
        }
        self.pop_indent();
    }

    fn emit_block_mapping(&mut self, map: &Map<String, Value>) {
        self.increase_indent(false, false);
        let mut entries: Vec<(&String, &Value)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        let as_value = Ctx {
            mapping: true,
            simple_key: false,
        };
        for (key, value) in entries {
            self.write_indent();
            if is_simple_key(key) {
                let as_key = Ctx {
                    mapping: true,
                    simple_key: true,
                };
                self.emit_scalar(key, is_plain_implicit(key), as_key);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_scalar(key, is_plain_implicit(key), as_value);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(value, as_value);
        }
        self.pop_indent();
    }

    fn emit_scalar(&mut self, text: &str, plain_implicit: bool, ctx: Ctx) {
        let style = select_style(text, plain_implicit, ctx.simple_key);
        self.increase_indent(true, false);
        let allow_breaks = !ctx.simple_key;
        match style {
            Style::Plain => self.write_plain(text, allow_breaks),
            Style::Single => self.write_single_quoted(text, allow_breaks),
            Style::Double => self.write_double_quoted(text, allow_breaks),
        }
        // What follows a scalar is neither after white space nor at an
        // indentation (libyaml's writers each end so).
        self.whitespace = false;
        self.indention = false;
        self.pop_indent();
    }

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        if !self.whitespace && !text.is_empty() {
            self.put(' ');
        }
        let chars: Vec<char> = text.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_is_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i != 0
                    && i != last
                    && !next_is_space
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                if c == '\n' {
                    self.put_break();
                } else {
                    // Other line breaks are copied and end the line too.
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        if breaks {
            self.write_indent();
        }
        self.write_indicator("'", false, false, false);
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = text.chars().collect();
        let last = chars.len().saturating_sub(1);
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let esc = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match esc {
                    Some(e) => self.put(e),
                    None => {
                        let cp = u32::from(c);
                        let hex = if cp <= 0xff {
                            format!("x{cp:02X}")
                        } else if cp <= 0xffff {
                            format!("u{cp:04X}")
                        } else {
                            format!("U{cp:08X}")
                        };
                        for h in hex.chars() {
                            self.put(h);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i != last {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
    }
}

/// ruamel's float text: Python's repr, `.inf` / `.nan` for the specials.
fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_string()
    } else {
        python::float_repr(f)
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Characters libyaml writes as they are (its `IS_PRINTABLE`): note that
/// NEL, U+FEFF, U+FFFE/U+FFFF and everything past the BMP are not.
fn is_printable(c: char) -> bool {
    matches!(u32::from(c),
        0x0a | 0x20..=0x7e | 0xa0..=0xd7ff | 0xe000..=0xfefe | 0xff00..=0xfffd)
}

fn is_blankz(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\0') || is_break(c),
    }
}

/// libyaml's analysis of which styles can carry `text` unchanged.
fn analyze(text: &str) -> Analysis {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
        };
    }
    let mut block_indicators = text.starts_with("---") || text.starts_with("...");
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = is_blankz(chars.get(i + 1).copied());
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c) {
                block_indicators = true;
            }
            if (c == '?' || c == ':') && followed_by_whitespace {
                block_indicators = true;
            }
            if c == '-' && followed_by_whitespace {
                block_indicators = true;
            }
        } else {
            if c == ':' && followed_by_whitespace {
                block_indicators = true;
            }
            if c == '#' && preceded_by_whitespace {
                block_indicators = true;
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if is_break(c) {
            line_breaks = true;
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(Some(c));
    }
    let mut block_plain = true;
    let mut single = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        block_plain = false;
    }
    if break_space {
        block_plain = false;
        single = false;
    }
    if space_break || special {
        block_plain = false;
        single = false;
    }
    if line_breaks || block_indicators {
        block_plain = false;
    }
    Analysis {
        multiline: line_breaks,
        block_plain_allowed: block_plain,
        single_quoted_allowed: single,
    }
}

fn select_style(text: &str, plain_implicit: bool, simple_key: bool) -> Style {
    let a = analyze(text);
    let mut style = Style::Plain;
    if simple_key && a.multiline {
        style = Style::Double;
    }
    if style == Style::Plain
        && (!a.block_plain_allowed || (text.is_empty() && simple_key) || !plain_implicit)
    {
        style = Style::Single;
    }
    if style == Style::Single && !a.single_quoted_allowed {
        style = Style::Double;
    }
    style
}

fn is_simple_key(key: &str) -> bool {
    !analyze(key).multiline && key.len() <= MAX_SIMPLE_KEY_BYTES
}

/// Whether the string `s`, written plain, would read back as a string
/// under ruamel's YAML 1.2 implicit resolvers (so it needs no quotes).
/// Like ruamel, only the resolvers registered for the first character are
/// tried.
fn is_plain_implicit(s: &str) -> bool {
    let first = s.chars().next();
    let resolves_to_other = match first {
        None => true, // null
        Some(c) => {
            ("tTfF".contains(c)
                && matches!(s, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"))
                || ("-+0123456789.".contains(c) && is_float_12(s))
                || ("-+0123456789".contains(c) && is_int_12(s))
                || s == "<<"
                || ("~nN".contains(c) && matches!(s, "~" | "null" | "Null" | "NULL"))
                || (c.is_ascii_digit() && is_timestamp(s))
                || s == "="
                || matches!(s, "!" | "&" | "*")
        }
    };
    !resolves_to_other
}

/// A cursor over ASCII bytes for the resolver patterns.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, f: impl Fn(u8) -> bool) -> bool {
        match self.peek() {
            Some(c) if f(c) => {
                self.i += 1;
                true
            }
            _ => false,
        }
    }
    fn eat_many(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.eat(&f) {}
        self.i - start
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
    fn sign(&mut self) {
        self.eat(|c| c == b'+' || c == b'-');
    }
}

fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}

fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `[eE][-+]?[0-9]+` (sign optional) or `[eE][-+][0-9]+` (sign required),
/// then the end of the string.
fn exponent_then_end(c: &mut Cur, sign_required: bool) -> bool {
    if !c.eat(|x| x == b'e' || x == b'E') {
        return false;
    }
    let signed = c.eat(|x| x == b'+' || x == b'-');
    if sign_required && !signed {
        return false;
    }
    c.eat_many(digit) > 0 && c.done()
}

fn is_float_12(s: &str) -> bool {
    let b = s.as_bytes();
    // [-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    // [-+]?[0-9][0-9_]*(?:[eE][-+]?[0-9]+)
    let mut c = Cur { b, i: 0 };
    c.sign();
    if c.eat(digit) {
        c.eat_many(digit_);
        if c.eat(|x| x == b'.') {
            c.eat_many(digit_);
            if c.done() {
                return true;
            }
            return exponent_then_end(&mut c, false);
        }
        return exponent_then_end(&mut c, false);
    }
    // [-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?   and   [-+]?\.(?:inf|Inf|INF)
    let mut c = Cur { b, i: 0 };
    c.sign();
    if c.eat(|x| x == b'.') {
        let rest = &s[c.i..];
        if matches!(rest, "inf" | "Inf" | "INF") {
            return true;
        }
        if c.eat_many(digit_) > 0 {
            return c.done() || exponent_then_end(&mut c, true);
        }
    }
    // \.(?:nan|NaN|NAN)
    matches!(s, ".nan" | ".NaN" | ".NAN")
}

fn is_int_12(s: &str) -> bool {
    let b = s.as_bytes();
    let start = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let body = b.get(start..).unwrap_or_default();
    let all = |bytes: &[u8], f: fn(u8) -> bool| !bytes.is_empty() && bytes.iter().all(|&x| f(x));
    // [0-9_]+ covers 0[0-7_]+ as well.
    all(body, digit_)
        || body
            .strip_prefix(b"0b")
            .is_some_and(|r| all(r, |x| x == b'0' || x == b'1' || x == b'_'))
        || body
            .strip_prefix(b"0o")
            .is_some_and(|r| all(r, |x| (b'0'..=b'7').contains(&x) || x == b'_'))
        || body
            .strip_prefix(b"0x")
            .is_some_and(|r| all(r, |x| x.is_ascii_hexdigit() || x == b'_'))
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let date = |c: &mut Cur, short: bool| -> bool {
        if c.eat_many(digit) != 4 || !c.eat(|x| x == b'-') {
            return false;
        }
        let m = c.eat_many(digit);
        if !(if short { (1..=2).contains(&m) } else { m == 2 }) || !c.eat(|x| x == b'-') {
            return false;
        }
        let d = c.eat_many(digit);
        if short { (1..=2).contains(&d) } else { d == 2 }
    };
    // [0-9]{4}-[0-9]{2}-[0-9]{2}
    let mut c = Cur { b, i: 0 };
    if date(&mut c, false) && c.done() {
        return true;
    }
    // [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
    // (?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9]{2})?))?
    let mut c = Cur { b, i: 0 };
    if !date(&mut c, true) {
        return false;
    }
    if !c.eat(|x| x == b'T' || x == b't') && c.eat_many(|x| x == b' ' || x == b'\t') == 0 {
        return false;
    }
    if !(1..=2).contains(&c.eat_many(digit)) || !c.eat(|x| x == b':') {
        return false;
    }
    if c.eat_many(digit) != 2 || !c.eat(|x| x == b':') || c.eat_many(digit) != 2 {
        return false;
    }
    if c.eat(|x| x == b'.') {
        c.eat_many(digit);
    }
    if c.done() {
        return true;
    }
    c.eat_many(|x| x == b' ' || x == b'\t');
    if c.eat(|x| x == b'Z') {
        return c.done();
    }
    if !c.eat(|x| x == b'+' || x == b'-') || !(1..=2).contains(&c.eat_many(digit)) {
        return false;
    }
    if c.eat(|x| x == b':') && c.eat_many(digit) != 2 {
        return false;
    }
    c.done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::recorded::{DESCRIBE_IMAGES, DESCRIBE_REPOSITORIES, printed};

    // Expected bytes come from aws CLI v2's recorded runs (shared
    // aws-v2-reference) or from ruamel.yaml 0.17.21 with its C emitter,
    // configured as aws v2 configures it (tests/fixtures/output/oracle.py).

    fn yaml(json: &str) -> String {
        printed(json, write_yaml)
    }

    fn stream(json: &str) -> String {
        printed(json, write_yaml_stream_item)
    }

    #[test]
    fn reference_pagination_two_pages() {
        let mut out = Vec::new();
        for page in [
            r#"{"imageIds": [{"imageDigest": "sha256:4444444444444444444444444444444444444444444444444444444444444444", "imageTag": "1.0"}], "nextToken": "p2"}"#,
            r#"{"imageIds": [{"imageDigest": "sha256:5555555555555555555555555555555555555555555555555555555555555555"}]}"#,
        ] {
            let v: Value = serde_json::from_str(page).unwrap();
            write_yaml_stream_item(&mut out, &v).unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "- imageIds:\n  - imageDigest: sha256:4444444444444444444444444444444444444444444444444444444444444444\n    imageTag: '1.0'\n  nextToken: p2\n- imageIds:\n  - imageDigest: sha256:5555555555555555555555555555555555555555555555555555555555555555\n"
        );
    }

    /// The recorded responses as `--output yaml` prints them whole, and as
    /// one page of a paginated run.
    #[test]
    fn recorded_responses_whole_and_as_pages() {
        for (doc, whole, page) in [
            (
                DESCRIBE_IMAGES,
                "imageDetails:\n- artifactMediaType: application/vnd.oci.image.config.v1+json\n  imageDigest: sha256:4444444444444444444444444444444444444444444444444444444444444444\n  imagePushedAt: '2024-05-31T16:10:00+00:00'\n  imageSizeInBytes: 1024\n  imageTags:\n  - '1.0'\n  - stable\n  registryId: '210987654321'\n  repositoryName: shop/cart\n- imageDigest: sha256:5555555555555555555555555555555555555555555555555555555555555555\n  imagePushedAt: '2024-05-31T16:11:40.123456+00:00'\n  imageSizeInBytes: 2048\n  registryId: '210987654321'\n  repositoryName: shop/cart\n",
                "- imageDetails:\n  - artifactMediaType: application/vnd.oci.image.config.v1+json\n    imageDigest: sha256:4444444444444444444444444444444444444444444444444444444444444444\n    imagePushedAt: '2024-05-31T16:10:00+00:00'\n    imageSizeInBytes: 1024\n    imageTags:\n    - '1.0'\n    - stable\n    registryId: '210987654321'\n    repositoryName: shop/cart\n  - imageDigest: sha256:5555555555555555555555555555555555555555555555555555555555555555\n    imagePushedAt: '2024-05-31T16:11:40.123456+00:00'\n    imageSizeInBytes: 2048\n    registryId: '210987654321'\n    repositoryName: shop/cart\n",
            ),
            (
                DESCRIBE_REPOSITORIES,
                "repositories:\n- createdAt: '2024-05-31T16:08:37.250000+00:00'\n  encryptionConfiguration:\n    encryptionType: KMS\n    kmsKey: arn:aws:kms:eu-west-1:210987654321:key/k1\n  imageScanningConfiguration:\n    scanOnPush: true\n  imageTagMutability: IMMUTABLE\n  registryId: '210987654321'\n  repositoryArn: arn:aws:ecr:eu-west-1:210987654321:repository/shop/cart\n  repositoryName: shop/cart\n  repositoryUri: 210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart\n",
                "- repositories:\n  - createdAt: '2024-05-31T16:08:37.250000+00:00'\n    encryptionConfiguration:\n      encryptionType: KMS\n      kmsKey: arn:aws:kms:eu-west-1:210987654321:key/k1\n    imageScanningConfiguration:\n      scanOnPush: true\n    imageTagMutability: IMMUTABLE\n    registryId: '210987654321'\n    repositoryArn: arn:aws:ecr:eu-west-1:210987654321:repository/shop/cart\n    repositoryName: shop/cart\n    repositoryUri: 210987654321.dkr.ecr.eu-west-1.amazonaws.com/shop/cart\n",
            ),
        ] {
            assert_eq!(yaml(doc), whole);
            assert_eq!(stream(doc), page);
        }
    }

    #[test]
    fn reference_runs() {
        assert_eq!(
            yaml(r#""sha256:4444444444444444444444444444444444444444444444444444444444444444""#),
            "\"sha256:4444444444444444444444444444444444444444444444444444444444444444\"\n"
        );
        assert_eq!(yaml(r#"null"#), "null\n");
    }

    #[test]
    fn top_level_scalars_print_as_json() {
        assert_eq!(yaml(r#"true"#), "true\n");
        assert_eq!(yaml(r#"false"#), "false\n");
        assert_eq!(yaml(r#"5"#), "5\n");
        assert_eq!(yaml(r#"1.5"#), "1.5\n");
        assert_eq!(yaml(r#"100.0"#), "100.0\n");
        assert_eq!(yaml(r#"1e-05"#), "1e-05\n");
        assert_eq!(yaml(r#"1.5e+16"#), "1.5e+16\n");
        assert_eq!(yaml(r#""é \"q\"\\""#), "\"é \\\"q\\\"\\\\\"\n");
        assert_eq!(yaml(r#""""#), "\"\"\n");
        assert_eq!(yaml(r#"18446744073709551615"#), "18446744073709551615\n");
        assert_eq!(yaml(r#"[]"#), "[]\n");
        assert_eq!(yaml(r#"{}"#), "{}\n");
    }

    #[test]
    fn quoting() {
        assert_eq!(
            yaml(
                r##"{"s": ["1.0", "210987654321", "2024-05-31T16:10:00+00:00", "2024-05-31", "true", "True", "yes", "no", "on", "null", "~", "", "1_000", "0o17", "0x1F", "12:30", "1e3", ".inf", "-", "- x", "a - b", "a: b", "a:b", "a:", ":a", "#x", "a #b", "a#b", "it's", "'q", "\"q", " lead", "trail ", "a  b", "---", "...x", "@x", "%x", "`x", "!x", "&x", "*x", "|", ">", "?", "? x", "[x", "x]", "{x", "a,b", "=", "<<", "sha256:4444444444444444444444444444444444444444444444444444444444444444"]}"##
            ),
            "s:\n- '1.0'\n- '210987654321'\n- '2024-05-31T16:10:00+00:00'\n- '2024-05-31'\n- 'true'\n- 'True'\n- yes\n- no\n- on\n- 'null'\n- '~'\n- ''\n- '1_000'\n- '0o17'\n- '0x1F'\n- 12:30\n- '1e3'\n- '.inf'\n- '-'\n- '- x'\n- a - b\n- 'a: b'\n- a:b\n- 'a:'\n- :a\n- '#x'\n- 'a #b'\n- a#b\n- it's\n- '''q'\n- '\"q'\n- ' lead'\n- 'trail '\n- a  b\n- '---'\n- '...x'\n- '@x'\n- '%x'\n- '`x'\n- '!x'\n- '&x'\n- '*x'\n- '|'\n- '>'\n- '?'\n- '? x'\n- '[x'\n- x]\n- '{x'\n- a,b\n- '='\n- '<<'\n- sha256:4444444444444444444444444444444444444444444444444444444444444444\n"
        );
    }

    #[test]
    fn long_scalars_fold_at_80() {
        assert_eq!(
            yaml(
                r#"{"plain": "word word word word word word word word word word word word word word word word word word word word end", "trailing_space": "word word word word word word word word word word word word word word word word word word word word end ", "tab": "a\tword word word word word word word word word word word word word word word word word word word word end", "nested": {"deeper": ["word word word word word word word word word word word word word word word word word word word word end"]}, "double_space": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  yyyyyyyyyy z", "quote": "'word word word word word word word word word word word word word word word word word word word word end"}"#
            ),
            "double_space: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  yyyyyyyyyy\n  z\nnested:\n  deeper:\n  - word word word word word word word word word word word word word word word word\n    word word word word end\nplain: word word word word word word word word word word word word word word word\n  word word word word word end\nquote: '''word word word word word word word word word word word word word word word\n  word word word word word end'\ntab: \"a\\tword word word word word word word word word word word word word word word\n  word word word word word end\"\ntrailing_space: 'word word word word word word word word word word word word word\n  word word word word word word word end '\n"
        );
    }

    #[test]
    fn line_breaks() {
        assert_eq!(
            yaml(
                r#"{"two_lines": "line1\nline2", "ends_with_break": "a\n", "space_then_break": "a \nb", "break_then_space": "a\n b", "crlf": "a\r\nb", "ls": "a b", "nel": "ab", "multi\nline key": 1}"#
            ),
            "break_then_space: \"a\\n b\"\ncrlf: \"a\\r\\nb\"\nends_with_break: 'a\n\n  '\nls: 'a\u{2028}  b'\n? 'multi\n\n  line key'\n: 1\nnel: \"a\\Nb\"\nspace_then_break: \"a \\nb\"\ntwo_lines: 'line1\n\n  line2'\n"
        );
    }

    #[test]
    fn unicode() {
        assert_eq!(
            yaml(
                r#"{"é": "café", "日本": "日本語のタグ", "emoji": "😀 smile", "bom": "﻿x", "nbsp": "a b", "del": "ab", "nul": "a\u0000b", "esc": "\u001b[0m", "combining": "é"}"#
            ),
            "bom: \"\\uFEFFx\"\ncombining: é\ndel: \"a\\x7Fb\"\nemoji: \"\\U0001F600 smile\"\nesc: \"\\e[0m\"\nnbsp: a b\nnul: \"a\\0b\"\né: café\n日本: 日本語のタグ\n"
        );
    }

    #[test]
    fn structures_numbers_and_keys() {
        assert_eq!(
            yaml(
                r#"{"empty_list": [], "empty_map": {}, "null": null, "list_of_lists": [[1, 2], [], [[3]]], "list_of_maps": [{"b": 1, "a": 2}, {}, {"c": [{"d": null}]}], "zeta": {"y": {"x": {}}}}"#
            ),
            "empty_list: []\nempty_map: {}\nlist_of_lists:\n- - 1\n  - 2\n- []\n- - - 3\nlist_of_maps:\n- a: 2\n  b: 1\n- {}\n- c:\n  - d: null\n'null': null\nzeta:\n  y:\n    x: {}\n"
        );
        assert_eq!(
            yaml(r#"[1, "a", null, [true, false], {"k": "v"}]"#),
            "- 1\n- a\n- null\n- - true\n  - false\n- k: v\n"
        );
        assert_eq!(
            yaml(
                r#"{"ints": [0, -1, 9007199254740993, 18446744073709551615, -9223372036854775808], "floats": [7.5, 100.0, 1e-05, 1.5e+16, 0.1, -0.0, 1e+100, 5e-324, 0.30000000000000004]}"#
            ),
            "floats:\n- 7.5\n- 100.0\n- 1e-05\n- 1.5e+16\n- 0.1\n- -0.0\n- 1e+100\n- 5e-324\n- 0.30000000000000004\nints:\n- 0\n- -1\n- 9007199254740993\n- 18446744073709551615\n- -9223372036854775808\n"
        );
        assert_eq!(
            yaml(
                r#"{"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": "simple", "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": {"a": 1}, "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé": [1, 2], "Z": 0, "a": 1, "B": 2, "": "empty key"}"#
            ),
            "'': empty key\nB: 2\nZ: 0\na: 1\nkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: simple\n? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: a: 1\n? ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\n: - 1\n  - 2\n"
        );
    }

    #[test]
    fn pages_are_list_items() {
        assert_eq!(
            stream(
                r#"{"imageIds": [{"imageDigest": "sha256:4444444444444444444444444444444444444444444444444444444444444444", "imageTag": "1.0"}], "nextToken": "p2"}"#
            ),
            "- imageIds:\n  - imageDigest: sha256:4444444444444444444444444444444444444444444444444444444444444444\n    imageTag: '1.0'\n  nextToken: p2\n"
        );
        assert_eq!(
            stream(
                r#"{"imageIds": [{"imageDigest": "sha256:5555555555555555555555555555555555555555555555555555555555555555"}]}"#
            ),
            "- imageIds:\n  - imageDigest: sha256:5555555555555555555555555555555555555555555555555555555555555555\n"
        );
        assert_eq!(stream(r#"{}"#), "- {}\n");
        assert_eq!(stream(r#"[]"#), "- []\n");
        assert_eq!(stream(r#""x""#), "- x\n");
        assert_eq!(stream(r#"null"#), "- null\n");
        assert_eq!(
            stream(
                r#"[[1], {"a": ["word word word word word word word word word word word word word word word word word word word word end"]}]"#
            ),
            "- - - 1\n  - a:\n    - word word word word word word word word word word word word word word word word\n      word word word word end\n"
        );
    }
}
