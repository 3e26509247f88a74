//! `--query`: JMESPath over the response, with Python jmespath 1.0.1's
//! results and errors (what aws uses).
//!
//! The expression is read by our own lexer and parser (`query_lexer`,
//! `query_parser`), which follow Python's: its legacy backtick literals,
//! its tree shapes, its error messages. The evaluation is over
//! `serde_json::Value`, keeping objects in the response's (model) order and
//! multiselect hashes in the expression's order. The rules follow Python
//! jmespath's interpreter: `null` for a field of a non-object, `0 == false`
//! is false, ordering comparisons between numbers or between strings,
//! Python's `TypeError` for a string against a number, `null` for anything
//! else, projections dropping nulls.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Number, Value};

use super::query_parser::{Cmp, Node, parse};
use crate::error::Error;

/// A compiled `--query` expression.
#[derive(Debug, Clone)]
pub struct Query {
    ast: Node,
}

impl Query {
    /// Parses `expr`; a bad expression is aws's `Bad value for --query` (252).
    pub fn compile(expr: &str) -> Result<Query, Error> {
        match parse(expr) {
            Ok(ast) => Ok(Query { ast }),
            Err(e) => Err(Error::Client {
                code: "ParamValidation",
                message: format!("Bad value for --query {expr}: {}", e.python_message(expr)),
                exit: 252,
            }),
        }
    }

    /// Evaluates the query on `value`; an error is the message of the
    /// exception Python raises (aws prints it and exits 255).
    pub fn search(&self, value: &Value) -> Result<Value, Error> {
        eval(&self.ast, value).map_err(Error::Other)
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

/// jmespath's `==`: Python's, except that 0 and 1 never equal a boolean at
/// the top (inside lists and objects Python's `0 == False` holds).
pub(super) fn equals(a: &Value, b: &Value) -> bool {
    let zero_or_one = |v: &Value| matches!(v, Value::Number(n) if num(n) == 0.0 || num(n) == 1.0);
    if (zero_or_one(a) && b.is_boolean()) || (zero_or_one(b) && a.is_boolean()) {
        return false;
    }
    crate::python::eq(a, b)
}

/// The order of two numbers (exact for integers) or two strings (code
/// point order, which is UTF-8's byte order).
pub(super) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => Some(i.cmp(&j)),
            _ => num(x).partial_cmp(&num(y)),
        },
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Python's `TypeError` for an ordering between a string and a number.
pub(super) fn unorderable(op: &str, a: &Value, b: &Value) -> String {
    format!(
        "'{op}' not supported between instances of '{}' and '{}'",
        crate::python::type_name(a),
        crate::python::type_name(b)
    )
}

/// A comparison's value: `==`/`!=` always; an ordering of two numbers or
/// two strings; Python's `TypeError` for a number against a string; null
/// when either side is anything else (booleans included).
fn comparison(cmp: Cmp, l: &Value, r: &Value) -> EvalResult {
    let ordering = match cmp {
        Cmp::Eq => return Ok(Value::Bool(equals(l, r))),
        Cmp::Ne => return Ok(Value::Bool(!equals(l, r))),
        _ => {
            let orderable = |v: &Value| v.is_number() || v.is_string();
            if !orderable(l) || !orderable(r) {
                return Ok(Value::Null);
            }
            match compare(l, r) {
                Some(ord) => ord,
                None if l.is_number() && r.is_number() => return Ok(Value::Bool(false)),
                None => return Err(unorderable(cmp.symbol(), l, r)),
            }
        }
    };
    Ok(Value::Bool(match cmp {
        Cmp::Lt => ordering == Ordering::Less,
        Cmp::Lte => ordering != Ordering::Greater,
        Cmp::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    }))
}

pub(super) fn eval(ast: &Node, value: &Value) -> EvalResult {
    eval_ref(ast, value).map(Cow::into_owned)
}

static NULL: Value = Value::Null;

/// Evaluates a chain (`a.b`, `a[0]`, `a | b`) link by link, borrowing
/// while the links only look inside.
fn chain<'a, 'n>(
    links: impl IntoIterator<Item = &'n Node>,
    value: &'a Value,
) -> Result<Cow<'a, Value>, String> {
    let mut current = Cow::Borrowed(value);
    for link in links {
        current = match current {
            Cow::Borrowed(v) => eval_ref(link, v)?,
            Cow::Owned(v) => Cow::Owned(eval_ref(link, &v)?.into_owned()),
        };
    }
    Ok(current)
}

/// Evaluates without copying what it only passes through: field lookups,
/// filters and projections borrow from the input, so a query over a large
/// response copies only its result.
pub(super) fn eval_ref<'a>(ast: &Node, value: &'a Value) -> Result<Cow<'a, Value>, String> {
    Ok(match ast {
        Node::Identity => Cow::Borrowed(value),
        Node::Field(name) => Cow::Borrowed(match value {
            Value::Object(map) => map.get(name.as_str()).unwrap_or(&NULL),
            _ => &NULL,
        }),
        Node::Index(idx) => match value {
            Value::Array(a) => {
                let i = if *idx < 0 {
                    (a.len() as i64).checked_add(*idx)
                } else {
                    Some(*idx)
                };
                Cow::Borrowed(
                    i.and_then(|i| usize::try_from(i).ok())
                        .and_then(|i| a.get(i))
                        .unwrap_or(&NULL),
                )
            }
            _ => Cow::Borrowed(&NULL),
        },
        Node::Subexpression(links) | Node::IndexExpression(links) => chain(links, value)?,
        Node::Pipe(lhs, rhs) => chain([&**lhs, &**rhs], value)?,
        Node::Comparator(cmp, lhs, rhs) => {
            let l = eval_ref(lhs, value)?;
            let r = eval_ref(rhs, value)?;
            Cow::Owned(comparison(*cmp, &l, &r)?)
        }
        Node::Projection(lhs, rhs) => {
            let base = eval_ref(lhs, value)?;
            let Value::Array(items) = &*base else {
                return Ok(Cow::Borrowed(&NULL));
            };
            Cow::Owned(project(items.iter(), rhs)?)
        }
        Node::ValueProjection(lhs, rhs) => {
            let base = eval_ref(lhs, value)?;
            let Value::Object(map) = &*base else {
                return Ok(Cow::Borrowed(&NULL));
            };
            Cow::Owned(project(map.values(), rhs)?)
        }
        Node::FilterProjection(lhs, rhs, condition) => {
            let base = eval_ref(lhs, value)?;
            let Value::Array(items) = &*base else {
                return Ok(Cow::Borrowed(&NULL));
            };
            let mut out = Vec::new();
            for item in items {
                if !is_false(&*eval_ref(condition, item)?) {
                    let v = eval_ref(rhs, item)?;
                    if !v.is_null() {
                        out.push(v.into_owned());
                    }
                }
            }
            Cow::Owned(Value::Array(out))
        }
        Node::Literal(v) => Cow::Owned(v.clone()),
        Node::And(lhs, rhs) => {
            let l = eval_ref(lhs, value)?;
            if is_false(&l) {
                l
            } else {
                eval_ref(rhs, value)?
            }
        }
        Node::Or(lhs, rhs) => {
            let l = eval_ref(lhs, value)?;
            if is_false(&l) {
                eval_ref(rhs, value)?
            } else {
                l
            }
        }
        _ => Cow::Owned(eval_node(ast, value)?),
    })
}

/// A projection's right side over each item, dropping nulls.
fn project<'v>(items: impl Iterator<Item = &'v Value>, rhs: &Node) -> EvalResult {
    let mut out = Vec::new();
    for item in items {
        let v = eval_ref(rhs, item)?;
        if !v.is_null() {
            out.push(v.into_owned());
        }
    }
    Ok(Value::Array(out))
}

/// The nodes that build new values anyway.
fn eval_node(ast: &Node, value: &Value) -> EvalResult {
    Ok(match ast {
        Node::Slice(start, stop, step) => match value {
            Value::Array(a) => Value::Array(slice(a, *start, *stop, *step)?),
            _ => Value::Null,
        },
        Node::Flatten(node) => match eval_ref(node, value)?.into_owned() {
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
        Node::MultiList(elements) => {
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
        Node::MultiHash(pairs) => {
            if value.is_null() {
                Value::Null
            } else {
                let mut map = serde_json::Map::new();
                for (key, node) in pairs {
                    map.insert(key.clone(), eval(node, value)?);
                }
                Value::Object(map)
            }
        }
        Node::Not(node) => {
            let v = eval_ref(node, value)?;
            // jmespath treats every number as true (`!0` is false).
            Value::Bool(!v.is_number() && is_false(&v))
        }
        Node::Expref(_) => {
            // Python's value is an expression object, which aws cannot
            // print as JSON.
            return Err("Encountered unrecognized type in JSON encoder.".into());
        }
        Node::Function(name, args) => super::query_functions::call(name, args, value)?,
        // The nodes eval_ref borrows through: it handles them before it
        // comes here.
        other => eval_ref(other, value)?.into_owned(),
    })
}

/// Python's `list[start:stop:step]` (a zero step is its `ValueError`).
fn slice(
    a: &[Value],
    start: Option<i64>,
    stop: Option<i64>,
    step: Option<i64>,
) -> Result<Vec<Value>, String> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err("slice step cannot be zero".into());
    }
    let len = a.len() as i64;
    let clamp = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(len);
                if v < 0 {
                    if step < 0 { -1 } else { 0 }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
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
        match i.checked_add(step) {
            Some(next) => i = next,
            None => break,
        }
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
        assert!(
            Query::compile("s < `1`")
                .expect("valid")
                .search(&v)
                .is_err()
        );
        assert_eq!(q("b < `1`", &v), Value::Null);
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
