//! `--query`: JMESPath over the response, with Python jmespath's results.
//!
//! The jmespath crate parses the expression; the evaluation is ours, over
//! `serde_json::Value`, because the crate's values keep objects in sorted
//! key order while aws prints them in the response's (model) order and
//! multiselect hashes in the expression's order. The rules follow Python
//! jmespath's `TreeInterpreter` and `Functions` (which aws uses): `null` for
//! a field of a non-object, `0 == false` is false, ordering comparisons only
//! between numbers or between strings, projections dropping nulls.

use std::borrow::Cow;
use std::cmp::Ordering;

use jmespath::ast::{Ast, Comparator};
use serde_json::{Map, Number, Value};

use crate::error::Error;

/// A compiled `--query` expression.
#[derive(Debug, Clone)]
pub struct Query {
    ast: Ast,
}

impl Query {
    /// Parses `expr`; a bad expression is aws's `Bad value for --query` (252).
    pub fn compile(expr: &str) -> Result<Query, Error> {
        match jmespath::parse(expr) {
            Ok(ast) => Ok(Query { ast }),
            Err(e) => Err(Error::Client {
                code: "ParamValidation",
                message: format!(
                    "Bad value for --query {expr}: {}",
                    python_error(expr, e.offset)
                ),
                exit: 252,
            }),
        }
    }

    /// Evaluates the query on `value`.
    pub fn search(&self, value: &Value) -> Result<Value, Error> {
        eval(&self.ast, value).map_err(Error::Other)
    }
}

/// Python jmespath's wording for a parse error at char `offset`: at the end
/// of the expression it is an incomplete expression, elsewhere an invalid
/// token, named by its lexer type.
fn python_error(expr: &str, offset: usize) -> String {
    let chars: Vec<char> = expr.chars().collect();
    // Python tokenizes the whole expression first: an unknown character
    // anywhere is a lexer error before any parse error.
    if let Some(col) = unknown_char(&chars) {
        // Python quotes the lone `=` (it expected `==`), not other characters.
        let token = match chars[col] {
            '=' => "'='".to_string(),
            c => c.to_string(),
        };
        return format!(
            "Bad jmespath expression: Unknown token {token}:\n{expr}\n{}^",
            " ".repeat(col)
        );
    }
    let caret = |column: usize| format!("\"{expr}\"\n{}^", " ".repeat(column + 1));
    let prev = chars[..offset.min(chars.len())]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace())
        .copied();
    let (text, kind) = if offset >= chars.len() {
        (String::new(), "EOF")
    } else {
        token_at(&chars[offset..])
    };
    if prev == Some('.') {
        return format!(
            "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: {}: Parse error at column {offset}, token \"{text}\" ({kind}), for expression:\n{}",
            kind.to_ascii_lowercase(),
            caret(offset)
        );
    }
    if offset >= chars.len() {
        return format!(
            "Invalid jmespath expression: Incomplete expression:\n{}",
            caret(chars.len())
        );
    }
    // A whole expression was read and a token that cannot continue it
    // follows: Python's "Unexpected token".
    let ends_expression = prev.is_some_and(|c| {
        c.is_alphanumeric() || matches!(c, '_' | ']' | '}' | ')' | '`' | '"' | '\'' | '*' | '@')
    });
    let starts_operand = matches!(
        kind,
        "UNQUOTED_IDENTIFIER"
            | "QUOTED_IDENTIFIER"
            | "NUMBER"
            | "CURRENT"
            | "LITERAL"
            | "NOT"
            | "EXPREF"
    );
    if ends_expression && starts_operand {
        return format!(
            "Unexpected token: {text}: Parse error at column {offset}, token \"{text}\" ({kind}), for expression:\n{}",
            caret(offset)
        );
    }
    format!(
        "invalid token: Parse error at column {offset}, token \"{text}\" ({kind}), for expression:\n{}",
        caret(offset)
    )
}

/// The column of the first character Python's lexer rejects, skipping
/// quoted identifiers and literals.
fn unknown_char(chars: &[char]) -> Option<usize> {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '"' | '\'' | '`') {
            i += 1;
            while i < chars.len() && chars[i] != c {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        if matches!(c, '!' | '<' | '>' | '=') && next == Some('=') {
            i += 2;
            continue;
        }
        if c == '=' {
            return Some(i);
        }
        let known =
            c.is_ascii_alphanumeric() || c.is_whitespace() || "_-.*[]{},:@()|&!<>=?".contains(c);
        if !known {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The token starting at `rest` and its Python jmespath lexer type name.
fn token_at(rest: &[char]) -> (String, &'static str) {
    let two: String = rest.iter().take(2).collect();
    let one = rest[0];
    let pair = match two.as_str() {
        "[]" => Some("flatten"),
        "[?" => Some("filter"),
        "||" => Some("or"),
        "&&" => Some("and"),
        "==" => Some("eq"),
        "!=" => Some("ne"),
        "<=" => Some("lte"),
        ">=" => Some("gte"),
        _ => None,
    };
    if let Some(kind) = pair {
        return (two, kind);
    }
    let kind = match one {
        '.' => "dot",
        '*' => "star",
        ']' => "rbracket",
        '[' => "lbracket",
        '{' => "lbrace",
        '}' => "rbrace",
        ',' => "comma",
        ':' => "colon",
        '@' => "current",
        '(' => "lparen",
        ')' => "rparen",
        '|' => "pipe",
        '&' => "expref",
        '!' => "not",
        '<' => "lt",
        '>' => "gt",
        c if c.is_ascii_digit() || c == '-' => {
            let n: String = rest
                .iter()
                .enumerate()
                .take_while(|(i, c)| c.is_ascii_digit() || (*i == 0 && **c == '-'))
                .map(|(_, c)| *c)
                .collect();
            return (n, "NUMBER");
        }
        c if c.is_ascii_alphabetic() || c == '_' => {
            let id: String = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            return (id, "UNQUOTED_IDENTIFIER");
        }
        '"' => {
            let s: String = rest.iter().skip(1).take_while(|c| **c != '"').collect();
            return (s, "QUOTED_IDENTIFIER");
        }
        '\'' => {
            let s: String = rest.iter().skip(1).take_while(|c| **c != '\'').collect();
            return (s, "LITERAL");
        }
        _ => "UNKNOWN",
    };
    (one.to_string(), upper(kind))
}

fn upper(kind: &'static str) -> &'static str {
    match kind {
        "flatten" => "FLATTEN",
        "filter" => "FILTER",
        "or" => "OR",
        "and" => "AND",
        "eq" => "EQ",
        "ne" => "NE",
        "lte" => "LTE",
        "gte" => "GTE",
        "dot" => "DOT",
        "star" => "STAR",
        "rbracket" => "RBRACKET",
        "lbracket" => "LBRACKET",
        "lbrace" => "LBRACE",
        "rbrace" => "RBRACE",
        "comma" => "COMMA",
        "colon" => "COLON",
        "current" => "CURRENT",
        "lparen" => "LPAREN",
        "rparen" => "RPAREN",
        "pipe" => "PIPE",
        "expref" => "EXPREF",
        "not" => "NOT",
        "lt" => "LT",
        "gt" => "GT",
        other => other,
    }
}

pub(super) type EvalResult = Result<Value, String>;

/// Python truthiness as jmespath defines it.
pub fn is_false(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(_) => false,
    }
}

pub(super) fn num(n: &Number) -> f64 {
    n.as_f64().unwrap_or(0.0)
}

/// Python `==` with jmespath's special case for 0/1 against booleans.
pub(super) fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num(x) == num(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equals(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equals(v, w)))
        }
        _ => a == b,
    }
}

pub(super) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num(x).partial_cmp(&num(y)),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// A comparison's value: Python's `==`/`!=`, and the orderings of two
/// numbers or two strings (null for anything else).
fn comparison(comparator: &Comparator, l: &Value, r: &Value) -> Value {
    match comparator {
        Comparator::Equal => Value::Bool(equals(l, r)),
        Comparator::NotEqual => Value::Bool(!equals(l, r)),
        op => match compare(l, r) {
            None => Value::Null,
            Some(ord) => Value::Bool(match op {
                Comparator::LessThan => ord == Ordering::Less,
                Comparator::LessThanEqual => ord != Ordering::Greater,
                Comparator::GreaterThan => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }),
        },
    }
}

pub(super) fn eval(ast: &Ast, value: &Value) -> EvalResult {
    eval_ref(ast, value).map(Cow::into_owned)
}

/// Evaluates without copying what it only passes through: field lookups,
/// filters and projections borrow from the input, so a query over a large
/// response copies only its result.
fn eval_ref<'a>(ast: &Ast, value: &'a Value) -> Result<Cow<'a, Value>, String> {
    static NULL: Value = Value::Null;
    Ok(match ast {
        Ast::Identity { .. } => Cow::Borrowed(value),
        Ast::Field { name, .. } => Cow::Borrowed(value.get(name.as_str()).unwrap_or(&NULL)),
        Ast::Index { idx, .. } => match value {
            Value::Array(a) => {
                let i = if *idx < 0 {
                    a.len() as i64 + i64::from(*idx)
                } else {
                    i64::from(*idx)
                };
                Cow::Borrowed(
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| a.get(i))
                        .unwrap_or(&NULL),
                )
            }
            _ => Cow::Borrowed(&NULL),
        },
        Ast::Subexpr { lhs, rhs, .. } => match eval_ref(lhs, value)? {
            Cow::Borrowed(l) => eval_ref(rhs, l)?,
            Cow::Owned(l) => Cow::Owned(eval_ref(rhs, &l)?.into_owned()),
        },
        Ast::Condition {
            predicate, then, ..
        } => {
            if is_false(&*eval_ref(predicate, value)?) {
                Cow::Borrowed(&NULL)
            } else {
                eval_ref(then, value)?
            }
        }
        Ast::Comparison {
            comparator,
            lhs,
            rhs,
            ..
        } => {
            let l = eval_ref(lhs, value)?;
            let r = eval_ref(rhs, value)?;
            Cow::Owned(comparison(comparator, &l, &r))
        }
        Ast::Projection { lhs, rhs, .. } => {
            let base = eval_ref(lhs, value)?;
            let Value::Array(items) = &*base else {
                return Ok(Cow::Borrowed(&NULL));
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let v = eval_ref(rhs, item)?;
                if !v.is_null() {
                    out.push(v.into_owned());
                }
            }
            Cow::Owned(Value::Array(out))
        }
        _ => Cow::Owned(eval_node(ast, value)?),
    })
}

/// The nodes that build new values anyway.
fn eval_node(ast: &Ast, value: &Value) -> EvalResult {
    Ok(match ast {
        // The nodes eval_ref borrows through: it handles them before it
        // comes here.
        Ast::Identity { .. }
        | Ast::Field { .. }
        | Ast::Index { .. }
        | Ast::Subexpr { .. }
        | Ast::Condition { .. }
        | Ast::Comparison { .. }
        | Ast::Projection { .. } => eval_ref(ast, value)?.into_owned(),
        Ast::Slice {
            start, stop, step, ..
        } => match value {
            Value::Array(a) => Value::Array(slice(a, *start, *stop, *step)?),
            _ => Value::Null,
        },
        Ast::Literal { value: lit, .. } => serde_json::to_value(&**lit).unwrap_or(Value::Null),
        Ast::ObjectValues { node, .. } => match eval(node, value)? {
            Value::Object(map) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
            _ => Value::Null,
        },
        Ast::Flatten { node, .. } => match eval(node, value)? {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Array(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Value::Array(out)
            }
            _ => Value::Null,
        },
        Ast::MultiList { elements, .. } => {
            if value.is_null() {
                Value::Null
            } else {
                Value::Array(
                    elements
                        .iter()
                        .map(|e| eval(e, value))
                        .collect::<Result<_, _>>()?,
                )
            }
        }
        Ast::MultiHash { elements, .. } => {
            if value.is_null() {
                Value::Null
            } else {
                let mut map = Map::new();
                for kv in elements {
                    map.insert(kv.key.clone(), eval(&kv.value, value)?);
                }
                Value::Object(map)
            }
        }
        Ast::Not { node, .. } => {
            let v = eval(node, value)?;
            // Python: `not 0` would be true, but jmespath treats numbers as truthy.
            Value::Bool(!matches!(v, Value::Number(_)) && is_false(&v))
        }
        Ast::And { lhs, rhs, .. } => {
            let l = eval(lhs, value)?;
            if is_false(&l) { l } else { eval(rhs, value)? }
        }
        Ast::Or { lhs, rhs, .. } => {
            let l = eval(lhs, value)?;
            if is_false(&l) { eval(rhs, value)? } else { l }
        }
        Ast::Expref { .. } => {
            return Err("expression references are only valid as function arguments".into());
        }
        Ast::Function { name, args, .. } => super::query_functions::call(name, args, value)?,
    })
}

/// Python's `list[start:stop:step]`.
fn slice(
    a: &[Value],
    start: Option<i32>,
    stop: Option<i32>,
    step: i32,
) -> Result<Vec<Value>, String> {
    if step == 0 {
        return Err("Invalid slice expression: step cannot be 0".into());
    }
    let len = a.len() as i64;
    let step = i64::from(step);
    let clamp = |v: Option<i32>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) => {
                let v = i64::from(v);
                if v < 0 {
                    let v = v + len;
                    if v < 0 {
                        if step < 0 { -1 } else { 0 }
                    } else {
                        v
                    }
                } else if v >= len {
                    if step < 0 { len - 1 } else { len }
                } else {
                    v
                }
            }
        }
    };
    let (start, stop) = if step > 0 {
        (clamp(start, 0), clamp(stop, len))
    } else {
        (clamp(start, len - 1), clamp(stop, -1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        if let Some(v) = usize::try_from(i).ok().and_then(|i| a.get(i)) {
            out.push(v.clone());
        }
        i += step;
    }
    Ok(out)
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

pub(super) fn number_value(f: f64) -> Value {
    Number::from_f64(f)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

pub(super) fn int_value(f: f64) -> Value {
    if f.abs() < 9.0e15 {
        Value::Number(Number::from(f as i64))
    } else {
        number_value(f)
    }
}

/// Sorts strings or numbers (all of one kind) as Python's `sorted`.
pub(super) fn sort_key_cmp(a: &Value, b: &Value) -> Ordering {
    compare(a, b).unwrap_or(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(expr: &str, v: &Value) -> Value {
        Query::compile(expr)
            .expect("valid expression")
            .search(v)
            .expect("evaluates")
    }

    #[test]
    fn keeps_object_order_and_hash_order() {
        let v = json!({"repos": [{"z": 1, "a": 2}, {"z": 3, "a": 4}]});
        let r = q("repos[0]", &v);
        assert_eq!(
            r.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
            Some(vec!["z".to_string(), "a".to_string()])
        );
        let r = q("repos[].{Z: z, A: a}", &v);
        assert_eq!(
            serde_json::to_string(&r).ok(),
            Some(r#"[{"Z":1,"A":2},{"Z":3,"A":4}]"#.into())
        );
    }

    #[test]
    fn python_semantics() {
        let v = json!({"a": [1, 2, 3, 4, 5], "s": "abc", "b": false, "n": 0});
        assert_eq!(q("a[-1]", &v), json!(5));
        assert_eq!(q("a[::-2]", &v), json!([5, 3, 1]));
        assert_eq!(q("a[1:3]", &v), json!([2, 3]));
        assert_eq!(q("n == `false`", &v), json!(false));
        assert_eq!(q("!n", &v), json!(false));
        assert_eq!(q("a[?@ > `2`]", &v), json!([3, 4, 5]));
        assert_eq!(q("s < `1`", &v), Value::Null);
        assert_eq!(q("missing.x", &v), Value::Null);
        assert_eq!(q("length(s)", &v), json!(3));
        assert_eq!(q("sum(a)", &v), json!(15));
        assert_eq!(q("avg(a)", &v), json!(3.0));
        assert_eq!(q("to_string(a)", &v), json!("[1,2,3,4,5]"));
        assert_eq!(q("max(a)", &v), json!(5));
        assert_eq!(
            q("sort_by(`[{\"k\": 2}, {\"k\": 1}]`, &k)[0].k", &v),
            json!(1)
        );
        assert_eq!(q("join(',', ['x', 'y'])", &v), json!("x,y"));
        assert_eq!(q("b || s", &v), json!("abc"));
    }

    #[test]
    fn bad_expressions_read_like_python() {
        let e = Query::compile("foo[").expect_err("incomplete");
        assert_eq!(
            e.report(),
            "\nrcr: [ERROR]: An error occurred (ParamValidation): Bad value for --query foo[: Invalid jmespath expression: Incomplete expression:\n\"foo[\"\n     ^\n"
        );
        let e = Query::compile("]").expect_err("bad token");
        assert!(e.report().contains("invalid token: Parse error at column 0, token \"]\" (RBRACKET), for expression:\n\"]\"\n ^"));
        assert_eq!(e.exit_code(), 252);
    }
}
