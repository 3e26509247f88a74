//! `--query`'s lexer: the expression cut into tokens the way Python
//! jmespath 1.0.1 (inside aws) cuts it, with its positions (in characters)
//! and its lexer errors.
//!
//! Python reads the whole expression before parsing, so a lexer error
//! anywhere wins over any parse error. A backtick literal is JSON as
//! Python's `json.loads` reads it; one that is not JSON is the legacy
//! literal of JEP-12: the JSON string made from its text with leading white
//! space removed (`` `latest` `` is `"latest"`), and a lexer error when even
//! that is no JSON string (`` `foo"bar` ``).

use serde_json::Value;

/// The kinds of token, named as Python's lexer names them (upper case in
/// its error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Eof,
    UnquotedIdentifier,
    QuotedIdentifier,
    Literal,
    Number,
    Dot,
    Star,
    Lbracket,
    Rbracket,
    Flatten,
    Filter,
    Lbrace,
    Rbrace,
    Comma,
    Colon,
    Current,
    Lparen,
    Rparen,
    Pipe,
    Or,
    And,
    Expref,
    Not,
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Kind {
    /// The type name in Python's `got: rbracket` (lower case).
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Eof => "eof",
            Kind::UnquotedIdentifier => "unquoted_identifier",
            Kind::QuotedIdentifier => "quoted_identifier",
            Kind::Literal => "literal",
            Kind::Number => "number",
            Kind::Dot => "dot",
            Kind::Star => "star",
            Kind::Lbracket => "lbracket",
            Kind::Rbracket => "rbracket",
            Kind::Flatten => "flatten",
            Kind::Filter => "filter",
            Kind::Lbrace => "lbrace",
            Kind::Rbrace => "rbrace",
            Kind::Comma => "comma",
            Kind::Colon => "colon",
            Kind::Current => "current",
            Kind::Lparen => "lparen",
            Kind::Rparen => "rparen",
            Kind::Pipe => "pipe",
            Kind::Or => "or",
            Kind::And => "and",
            Kind::Expref => "expref",
            Kind::Not => "not",
            Kind::Eq => "eq",
            Kind::Ne => "ne",
            Kind::Lt => "lt",
            Kind::Lte => "lte",
            Kind::Gt => "gt",
            Kind::Gte => "gte",
        }
    }
}

/// A token's value: the text of punctuation and identifiers, the number of
/// an index, the JSON of a literal.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenValue {
    Text(String),
    Number(i64),
    Json(Value),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: Kind,
    /// The position of its first character, in characters.
    pub start: usize,
    pub value: TokenValue,
}

impl Token {
    /// Python's `str()` of the token's value, as its parse errors show it.
    pub(super) fn shown(&self) -> String {
        match &self.value {
            TokenValue::Text(s) => s.clone(),
            TokenValue::Number(n) => n.to_string(),
            TokenValue::Json(v) => crate::python::str(v),
        }
    }

    pub(super) fn text(&self) -> &str {
        match &self.value {
            TokenValue::Text(s) => s,
            _ => "",
        }
    }
}

/// A lexer error: Python's `LexerError` message and position.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct LexError {
    pub position: usize,
    pub message: String,
}

/// Cuts `expr` into tokens, ending with `Eof`.
pub(super) fn tokenize(expr: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = expr.chars().collect();
    let mut lexer = Lexer { chars, pos: 0 };
    let mut tokens = Vec::new();
    while let Some(token) = lexer.next_token()? {
        tokens.push(token);
    }
    tokens.push(Token {
        kind: Kind::Eof,
        start: lexer.chars.len(),
        value: TokenValue::Text(String::new()),
    });
    Ok(tokens)
}

struct Lexer {
    chars: Vec<char>,
    pos: usize,
}

impl Lexer {
    fn peek(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn simple(&mut self, kind: Kind, len: usize) -> Token {
        let start = self.pos;
        self.pos += len;
        Token {
            kind,
            start,
            value: TokenValue::Text(self.chars[start..self.pos].iter().collect()),
        }
    }

    fn next_token(&mut self) -> Result<Option<Token>, LexError> {
        while matches!(self.peek(0), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
        let Some(c) = self.peek(0) else {
            return Ok(None);
        };
        let next = self.peek(1);
        let token = match c {
            '.' => self.simple(Kind::Dot, 1),
            '*' => self.simple(Kind::Star, 1),
            ']' => self.simple(Kind::Rbracket, 1),
            ',' => self.simple(Kind::Comma, 1),
            ':' => self.simple(Kind::Colon, 1),
            '@' => self.simple(Kind::Current, 1),
            '(' => self.simple(Kind::Lparen, 1),
            ')' => self.simple(Kind::Rparen, 1),
            '{' => self.simple(Kind::Lbrace, 1),
            '}' => self.simple(Kind::Rbrace, 1),
            '[' => match next {
                Some(']') => self.simple(Kind::Flatten, 2),
                Some('?') => self.simple(Kind::Filter, 2),
                _ => self.simple(Kind::Lbracket, 1),
            },
            '|' if next == Some('|') => self.simple(Kind::Or, 2),
            '|' => self.simple(Kind::Pipe, 1),
            '&' if next == Some('&') => self.simple(Kind::And, 2),
            '&' => self.simple(Kind::Expref, 1),
            '<' if next == Some('=') => self.simple(Kind::Lte, 2),
            '<' => self.simple(Kind::Lt, 1),
            '>' if next == Some('=') => self.simple(Kind::Gte, 2),
            '>' => self.simple(Kind::Gt, 1),
            '!' if next == Some('=') => self.simple(Kind::Ne, 2),
            '!' => self.simple(Kind::Not, 1),
            '=' if next == Some('=') => self.simple(Kind::Eq, 2),
            '=' => {
                return Err(LexError {
                    position: self.pos,
                    message: "Unknown token '='".into(),
                });
            }
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = self.pos;
                while self
                    .peek(0)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                Token {
                    kind: Kind::UnquotedIdentifier,
                    start,
                    value: TokenValue::Text(self.chars[start..self.pos].iter().collect()),
                }
            }
            '0'..='9' | '-' => self.number()?,
            '\'' => self.raw_string()?,
            '"' => self.quoted_identifier()?,
            '`' => self.literal()?,
            other => {
                return Err(LexError {
                    position: self.pos,
                    message: format!("Unknown token {other}"),
                });
            }
        };
        Ok(Some(token))
    }

    fn number(&mut self) -> Result<Token, LexError> {
        let start = self.pos;
        self.pos += 1;
        while self.peek(0).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        if text == "-" {
            return Err(LexError {
                position: start,
                message: "Unknown token '-'".into(),
            });
        }
        // Python's int has no bound; an index beyond i64 finds nothing
        // either way and a slice bound beyond it clamps the same.
        let n = text.parse::<i64>().unwrap_or(if text.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        });
        Ok(Token {
            kind: Kind::Number,
            start,
            value: TokenValue::Number(n),
        })
    }

    /// The text up to the closing `delimiter`, backslashes kept (each one
    /// also keeps the character after it from closing).
    fn until(&mut self, delimiter: char) -> Result<String, LexError> {
        let start = self.pos;
        self.pos += 1;
        let mut buf = String::new();
        loop {
            let Some(mut c) = self.peek(0) else {
                return Err(self.unclosed(start, delimiter));
            };
            if c == delimiter {
                break;
            }
            if c == '\\' {
                buf.push('\\');
                self.pos += 1;
                match self.peek(0) {
                    Some(n) => c = n,
                    None => return Err(self.unclosed(start, delimiter)),
                }
            }
            buf.push(c);
            self.pos += 1;
        }
        self.pos += 1;
        Ok(buf)
    }

    fn unclosed(&self, start: usize, delimiter: char) -> LexError {
        LexError {
            position: start,
            message: format!("Unclosed {delimiter} delimiter"),
        }
    }

    fn raw_string(&mut self) -> Result<Token, LexError> {
        let start = self.pos;
        let text = self.until('\'')?.replace("\\'", "'");
        Ok(Token {
            kind: Kind::Literal,
            start,
            value: TokenValue::Json(Value::String(text)),
        })
    }

    fn quoted_identifier(&mut self) -> Result<Token, LexError> {
        let start = self.pos;
        let lexeme = format!("\"{}\"", self.until('"')?);
        match python_json_loads(&lexeme) {
            Ok(Value::String(name)) => Ok(Token {
                kind: Kind::QuotedIdentifier,
                start,
                value: TokenValue::Text(name),
            }),
            // A quote, text without a bare quote, a quote: a string or
            // nothing.
            Ok(_) => Err(LexError {
                position: start,
                message: "Expecting value".into(),
            }),
            Err(message) => Err(LexError {
                position: start,
                message,
            }),
        }
    }

    fn literal(&mut self) -> Result<Token, LexError> {
        let start = self.pos;
        let lexeme = self.until('`')?.replace("\\`", "`");
        let value = match python_json_loads(&lexeme) {
            Ok(v) => v,
            Err(_) => {
                let body = lexeme.trim_start_matches(crate::python::is_space);
                match python_json_loads(&format!("\"{body}\"")) {
                    Ok(v) => v,
                    Err(_) => {
                        return Err(LexError {
                            position: start,
                            message: format!("Bad token {lexeme}"),
                        });
                    }
                }
            }
        };
        Ok(Token {
            kind: Kind::Literal,
            start,
            value: TokenValue::Json(value),
        })
    }
}

/// Python's `json.loads(text)`, or the part of its error message before the
/// first colon (what the lexer shows of it).
fn python_json_loads(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(&without_negative_int_zero(text)) {
        Ok(v) => Ok(v),
        Err(_) => Err(string_error(text).unwrap_or("Expecting value").to_string()),
    }
}

/// `-0` is Python's int 0, where serde_json reads the float -0.0: the text
/// with each integer `-0` outside strings written `0`.
fn without_negative_int_zero(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("-0") {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            if c == '\\' {
                out.push(c);
                i += 1;
                if let Some(&n) = chars.get(i) {
                    out.push(n);
                }
            } else {
                in_string = c != '"';
                out.push(c);
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '-'
            && chars.get(i + 1) == Some(&'0')
            && !chars
                .get(i + 2)
                .is_some_and(|n| n.is_ascii_digit() || matches!(n, '.' | 'e' | 'E'))
        {
            // Drop the sign; the 0 follows.
        } else {
            out.push(c);
        }
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// The name of Python's JSON decoder error for the first bad spot of a
/// quoted string `text` (`"..."`), if it has one.
fn string_error(text: &str) -> Option<&'static str> {
    let body = text.strip_prefix('"')?;
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next() {
                None => return Some("Unterminated string starting at"),
                Some('u') => {
                    let hex: String = chars.clone().take(4).collect();
                    if hex.len() != 4 || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        return Some("Invalid \\uXXXX escape");
                    }
                    chars.nth(3);
                }
                Some('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't') => {}
                Some(_) => return Some("Invalid \\escape"),
            },
            c if u32::from(c) < 0x20 => return Some("Invalid control character at"),
            _ => {}
        }
    }
    Some("Unterminated string starting at")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn literal(expr: &str) -> Result<Value, LexError> {
        let tokens = tokenize(expr)?;
        match &tokens[0].value {
            TokenValue::Json(v) => Ok(v.clone()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn legacy_literals_are_strings() {
        assert_eq!(literal("`latest`"), Ok(json!("latest")));
        assert_eq!(literal("`  abc`"), Ok(json!("abc")));
        assert_eq!(literal("`2024-01-01`"), Ok(json!("2024-01-01")));
        assert_eq!(literal("`a\\`b`"), Ok(json!("a`b")));
        assert_eq!(literal("``"), Ok(json!("")));
        assert_eq!(literal("`\"json\"`"), Ok(json!("json")));
        assert_eq!(literal("` 12 `"), Ok(json!(12)));
        assert_eq!(
            literal("`foo\"bar`"),
            Err(LexError {
                position: 0,
                message: "Bad token foo\"bar".into()
            })
        );
    }

    #[test]
    fn json_as_python_reads_it() {
        assert_eq!(literal("`-0`"), Ok(json!(0)));
        assert_eq!(literal("`[-0, -0.0, \"-0\"]`"), Ok(json!([0, -0.0, "-0"])));
        assert_eq!(string_error(r#""a\q""#), Some("Invalid \\escape"));
        assert_eq!(string_error(r#""\u12""#), Some("Invalid \\uXXXX escape"));
        assert_eq!(
            string_error("\"a\nb\""),
            Some("Invalid control character at")
        );
        assert_eq!(
            string_error(r#""a\""#),
            Some("Unterminated string starting at")
        );
        assert_eq!(string_error(r#""\u00e9\n""#), None);
    }

    #[test]
    fn raw_strings_keep_backslashes() {
        let tokens = tokenize(r"'a\\b\'c'").expect("lexes");
        assert_eq!(tokens[0].value, TokenValue::Json(json!("a\\\\b'c")));
    }
}
