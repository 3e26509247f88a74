//! JMESPath's built-in functions, run as Python's jmespath 1.x runs them
//! (aws v1 and v2 both use it), down to the wording of its errors.
//!
//! A call goes through the same steps as Python's `Functions.call_function`:
//! every argument is evaluated first, then the function is looked up, the
//! argument count checked against its signature (`Expected 1 argument for
//! function length(), received 2`), the argument types checked (`In function
//! sum(), invalid type for value: a, expected one of: ['array-number'],
//! received: "str"`: the value as Python's `str()` prints it, the type as
//! jmespath names it for the argument itself and as Python names it for an
//! element of an array), and only then the body runs.

use std::cmp::Ordering;

use super::query_parser::Node;
use serde_json::{Map, Number, Value};

use crate::python;

use super::query::{EvalResult, eval, int_value, num, number_value, sort_key_cmp, type_name};

/// An evaluated argument: a value, or an expression reference (`&key`).
enum Arg<'a> {
    Value(Value),
    Expref(&'a Node),
}

/// One function's signature: the allowed types of each declared argument
/// (empty = any), and whether more arguments may follow (checked only by
/// count, as in Python).
struct Signature {
    args: &'static [&'static [&'static str]],
    variadic: bool,
}

const ANY: &[&str] = &[];

fn signature(name: &str) -> Option<Signature> {
    let fixed = |args| {
        Some(Signature {
            args,
            variadic: false,
        })
    };
    match name {
        "abs" | "ceil" | "floor" => fixed(&[&["number"]]),
        "avg" | "sum" => fixed(&[&["array-number"]]),
        "not_null" => Some(Signature {
            args: &[ANY],
            variadic: true,
        }),
        "to_array" | "to_string" | "to_number" | "type" => fixed(&[ANY]),
        "contains" => fixed(&[&["array", "string"], ANY]),
        "length" => fixed(&[&["string", "array", "object"]]),
        "ends_with" | "starts_with" => fixed(&[&["string"], &["string"]]),
        "reverse" => fixed(&[&["array", "string"]]),
        "join" => fixed(&[&["string"], &["array-string"]]),
        "map" => fixed(&[&["expref"], &["array"]]),
        "max" | "min" => fixed(&[&["array-number", "array-string"]]),
        "merge" => Some(Signature {
            args: &[&["object"]],
            variadic: true,
        }),
        "sort" => fixed(&[&["array-string", "array-number"]]),
        "keys" | "values" => fixed(&[&["object"]]),
        "sort_by" | "min_by" | "max_by" => fixed(&[&["array"], &["expref"]]),
        _ => None,
    }
}

/// Calls function `name` with the argument expressions `args` on `value`.
pub(super) fn call(name: &str, args: &[Node], value: &Value) -> EvalResult {
    let mut resolved = Vec::with_capacity(args.len());
    for a in args {
        resolved.push(match a {
            Node::Expref(ast) => Arg::Expref(ast),
            other => Arg::Value(eval(other, value)?),
        });
    }
    let Some(sig) = signature(name) else {
        return Err(format!("Unknown function: {name}()"));
    };
    check_arity(name, &sig, resolved.len())?;
    for (arg, types) in resolved.iter().zip(sig.args) {
        if !types.is_empty() {
            check_type(name, arg, types)?;
        }
    }
    run(name, resolved)
}

fn check_arity(name: &str, sig: &Signature, given: usize) -> Result<(), String> {
    let expected = sig.args.len();
    let word = if expected == 1 {
        "argument"
    } else {
        "arguments"
    };
    if sig.variadic && given < expected {
        return Err(format!(
            "Expected at least {expected} {word} for function {name}(), received {given}"
        ));
    }
    if !sig.variadic && given != expected {
        return Err(format!(
            "Expected {expected} {word} for function {name}(), received {given}"
        ));
    }
    Ok(())
}

/// Python's type name of a value (`type(v).__name__`).
fn py_type(arg: &Arg<'_>) -> &'static str {
    match arg {
        Arg::Expref(_) => "_Expression",
        Arg::Value(v) => python::type_name(v),
    }
}

/// jmespath's `TYPES_MAP`: Python type name to jmespath type name.
fn jmespath_type(py: &str) -> &'static str {
    match py {
        "bool" => "boolean",
        "list" => "array",
        "dict" => "object",
        "NoneType" => "null",
        "str" => "string",
        "float" | "int" => "number",
        "_Expression" => "expref",
        _ => "unknown",
    }
}

/// jmespath's `REVERSE_TYPES_MAP`: the Python type names of a jmespath type.
fn py_types_of(jmespath: &str) -> &'static [&'static str] {
    match jmespath {
        "boolean" => &["bool"],
        "array" => &["list"],
        "object" => &["dict"],
        "null" => &["NoneType"],
        "string" => &["str"],
        "number" => &["float", "int"],
        "expref" => &["_Expression"],
        _ => &[],
    }
}

fn type_error(function: &str, shown: String, received: &str, expected: &[&str]) -> String {
    format!(
        "In function {function}(), invalid type for value: {shown}, expected one of: {}, received: \"{received}\"",
        py_str_list(expected)
    )
}

fn shown(arg: &Arg<'_>) -> String {
    match arg {
        Arg::Value(v) => python::str(v),
        Arg::Expref(_) => "<jmespath.visitor._Expression object>".into(),
    }
}

/// Python's `_type_check_single`: the argument's own type, then (for
/// `array-*` types) the types of its elements.
fn check_type(function: &str, arg: &Arg<'_>, types: &[&str]) -> Result<(), String> {
    let mut allowed: Vec<&str> = Vec::new();
    let mut subtypes: Vec<&'static [&'static str]> = Vec::new();
    for t in types {
        match t.split_once('-') {
            Some((outer, inner)) => {
                allowed.extend(py_types_of(outer));
                subtypes.push(py_types_of(inner));
            }
            None => allowed.extend(py_types_of(t)),
        }
    }
    let actual = py_type(arg);
    if !allowed.contains(&actual) {
        return Err(type_error(
            function,
            shown(arg),
            jmespath_type(actual),
            types,
        ));
    }
    let Arg::Value(Value::Array(items)) = arg else {
        return Ok(());
    };
    let element_error =
        |v: &Value| type_error(function, python::str(v), python::type_name(v), types);
    match subtypes.as_slice() {
        [] => Ok(()),
        [only] => match items.iter().find(|v| !only.contains(&python::type_name(v))) {
            Some(bad) => Err(element_error(bad)),
            None => Ok(()),
        },
        several => {
            let Some(first) = items.first() else {
                return Ok(());
            };
            let first_type = python::type_name(first);
            let Some(kind) = several.iter().find(|s| s.contains(&first_type)) else {
                return Err(element_error(first));
            };
            match items.iter().find(|v| !kind.contains(&python::type_name(v))) {
                Some(bad) => Err(element_error(bad)),
                None => Ok(()),
            }
        }
    }
}

/// The function bodies, after the checks (so the types are known).
fn run(name: &str, args: Vec<Arg<'_>>) -> EvalResult {
    let mut values = Vec::with_capacity(args.len());
    let mut exprefs = Vec::new();
    for a in args {
        match a {
            Arg::Value(v) => values.push(v),
            Arg::Expref(e) => exprefs.push(e),
        }
    }
    let mut values = values.into_iter();
    let mut next = || values.next().unwrap_or(Value::Null);
    Ok(match name {
        "abs" => match next() {
            Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Number(i.unsigned_abs().into()),
                None => number_value(num(&n).abs()),
            },
            other => other,
        },
        "avg" => {
            let items = array(next());
            if items.is_empty() {
                Value::Null
            } else {
                number_value(items.iter().map(as_f64).sum::<f64>() / items.len() as f64)
            }
        }
        "ceil" | "floor" => match next() {
            Value::Number(n) if n.is_f64() => {
                let f = num(&n);
                int_value(if name == "ceil" { f.ceil() } else { f.floor() })
            }
            other => other,
        },
        "contains" => {
            let subject = next();
            let search = next();
            match subject {
                Value::Array(a) => Value::Bool(a.iter().any(|x| python::eq(x, &search))),
                Value::String(s) => match &search {
                    Value::String(t) => Value::Bool(s.contains(t.as_str())),
                    other => {
                        return Err(format!(
                            "'in <string>' requires string as left operand, not {}",
                            python::type_name(other)
                        ));
                    }
                },
                other => other,
            }
        }
        "ends_with" | "starts_with" => {
            let (s, t) = (string(next()), string(next()));
            Value::Bool(if name == "ends_with" {
                s.ends_with(&t)
            } else {
                s.starts_with(&t)
            })
        }
        "join" => {
            let sep = string(next());
            let parts: Vec<String> = array(next()).into_iter().map(string).collect();
            Value::String(parts.join(&sep))
        }
        "keys" | "values" => match next() {
            Value::Object(m) => Value::Array(if name == "keys" {
                m.into_iter().map(|(k, _)| Value::String(k)).collect()
            } else {
                m.into_iter().map(|(_, v)| v).collect()
            }),
            other => other,
        },
        "length" => match next() {
            Value::String(s) => Value::Number(s.chars().count().into()),
            Value::Array(a) => Value::Number(a.len().into()),
            Value::Object(o) => Value::Number(o.len().into()),
            other => other,
        },
        "map" => {
            let e = exprefs.first().copied();
            let items = array(next());
            match e {
                Some(e) => {
                    Value::Array(items.iter().map(|i| eval(e, i)).collect::<Result<_, _>>()?)
                }
                None => Value::Null,
            }
        }
        "max" | "min" => {
            let items = array(next());
            let pick = items.iter().reduce(|best, x| {
                let ord = sort_key_cmp(x, best);
                if (name == "max" && ord == Ordering::Greater)
                    || (name == "min" && ord == Ordering::Less)
                {
                    x
                } else {
                    best
                }
            });
            pick.cloned().unwrap_or(Value::Null)
        }
        "max_by" | "min_by" => {
            let items = array(next());
            let Some(e) = exprefs.first().copied() else {
                return Ok(Value::Null);
            };
            extreme_by(name, items, e)?
        }
        "sort_by" => {
            let items = array(next());
            let Some(e) = exprefs.first().copied() else {
                return Ok(Value::Array(items));
            };
            sort_by(items, e)?
        }
        "merge" => {
            let mut merged = Map::new();
            for v in values {
                update(&mut merged, v)?;
            }
            Value::Object(merged)
        }
        "not_null" => values.find(|v| !v.is_null()).unwrap_or(Value::Null),
        "reverse" => match next() {
            Value::String(s) => Value::String(s.chars().rev().collect()),
            Value::Array(mut a) => {
                a.reverse();
                Value::Array(a)
            }
            other => other,
        },
        "sort" => {
            let mut items = array(next());
            items.sort_by(sort_key_cmp);
            Value::Array(items)
        }
        "sum" => sum(&array(next())),
        "to_array" => match next() {
            Value::Array(a) => Value::Array(a),
            other => Value::Array(vec![other]),
        },
        "to_number" => match next() {
            Value::Number(n) => Value::Number(n),
            // Python's int(s), then float(s).
            Value::String(s) => match python::int_from_str(&s) {
                Some(i) => Value::Number(i.into()),
                None => python::float_from_str(&s).map_or(Value::Null, number_value),
            },
            _ => Value::Null,
        },
        "to_string" => match next() {
            Value::String(s) => Value::String(s),
            other => Value::String(python::dumps(&other, python::COMPACT_SEPARATORS)),
        },
        "type" => Value::String(type_name(&next()).into()),
        other => return Err(format!("Unknown function: {other}()")),
    })
}

/// Python's `dict.update(v)`: only the first argument of `merge` is type
/// checked; the others are whatever `update` makes of them (pairs from a
/// list, nothing from an empty string, its `TypeError`/`ValueError` else).
fn update(merged: &mut Map<String, Value>, v: Value) -> Result<(), String> {
    let length_error = |i: usize, n: usize| {
        format!("dictionary update sequence element #{i} has length {n}; 2 is required")
    };
    match v {
        Value::Object(m) => merged.extend(m),
        Value::String(s) if s.is_empty() => {}
        Value::String(_) => return Err(length_error(0, 1)),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                let (k, v) = match item {
                    Value::Array(pair) if pair.len() == 2 => {
                        let mut pair = pair.into_iter();
                        match (pair.next(), pair.next()) {
                            (Some(Value::String(k)), Some(v)) => (k, v),
                            (Some(k), Some(v)) => (python::str(&k), v),
                            _ => continue,
                        }
                    }
                    Value::Array(other) => return Err(length_error(i, other.len())),
                    Value::String(t) => match t.chars().collect::<Vec<_>>().as_slice() {
                        [a, b] => (a.to_string(), Value::String(b.to_string())),
                        other => return Err(length_error(i, other.len())),
                    },
                    Value::Object(o) if o.len() == 2 => {
                        let mut keys = o.into_iter().map(|(k, _)| k);
                        match (keys.next(), keys.next()) {
                            (Some(k), Some(v)) => (k, Value::String(v)),
                            _ => continue,
                        }
                    }
                    Value::Object(o) => return Err(length_error(i, o.len())),
                    _ => {
                        return Err(format!(
                            "cannot convert dictionary update sequence element #{i} to a sequence"
                        ));
                    }
                };
                merged.insert(k, v);
            }
        }
        other => {
            return Err(format!(
                "'{}' object is not iterable",
                python::type_name(&other)
            ));
        }
    }
    Ok(())
}

fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        _ => Vec::new(),
    }
}

fn string(v: Value) -> String {
    match v {
        Value::String(s) => s,
        _ => String::new(),
    }
}

fn as_f64(v: &Value) -> f64 {
    match v {
        Value::Number(n) => num(n),
        _ => 0.0,
    }
}

fn sum(items: &[Value]) -> Value {
    let ns: Vec<&Number> = items
        .iter()
        .filter_map(|v| match v {
            Value::Number(n) => Some(n),
            _ => None,
        })
        .collect();
    if ns.iter().all(|n| n.is_i64() || n.is_u64()) {
        let total: i128 = ns
            .iter()
            .map(|n| {
                n.as_i64()
                    .map(i128::from)
                    .or(n.as_u64().map(i128::from))
                    .unwrap_or(0)
            })
            .sum();
        i64::try_from(total)
            .map(|t| Value::Number(t.into()))
            .unwrap_or_else(|_| number_value(total as f64))
    } else {
        number_value(ns.iter().map(|n| num(n)).sum())
    }
}

/// `sort_by`: the first element's key decides the key type (a number or a
/// string); every key must then have that type. Python evaluates the first
/// key twice (once to decide, once while sorting), which only matters for
/// the order of errors, kept here.
fn sort_by(items: Vec<Value>, e: &Node) -> EvalResult {
    let Some(first) = items.first() else {
        return Ok(Value::Array(items));
    };
    let required = jmespath_type(python::type_name(&eval(e, first)?));
    if required != "number" && required != "string" {
        return Err(type_error(
            "sort_by",
            python::str(first),
            required,
            &["string", "number"],
        ));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for item in items {
        let k = eval(e, &item)?;
        let t = jmespath_type(python::type_name(&k));
        if t != required {
            return Err(type_error("sort_by", python::str(&k), t, &[required]));
        }
        keyed.push((k, item));
    }
    keyed.sort_by(|a, b| sort_key_cmp(&a.0, &b.0));
    Ok(Value::Array(keyed.into_iter().map(|(_, v)| v).collect()))
}

/// `min_by` / `max_by` as Python's `min(array, key=...)`: keys are numbers
/// or strings; comparing a string with a number is Python's `TypeError`.
fn extreme_by(name: &str, items: Vec<Value>, e: &Node) -> EvalResult {
    let allowed = ["number", "string"];
    let key = |item: &Value| -> EvalResult {
        let k = eval(e, item)?;
        let t = jmespath_type(python::type_name(&k));
        if allowed.contains(&t) {
            Ok(k)
        } else {
            Err(type_error(name, python::str(&k), t, &allowed))
        }
    };
    let mut best: Option<(Value, Value)> = None;
    for item in items {
        let k = key(&item)?;
        let better = match &best {
            None => true,
            Some((bk, _)) => {
                let op = if name == "max_by" { ">" } else { "<" };
                let Some(ord) = super::query::compare(&k, bk) else {
                    return Err(format!(
                        "'{op}' not supported between instances of '{}' and '{}'",
                        python::type_name(&k),
                        python::type_name(bk)
                    ));
                };
                (name == "max_by" && ord == Ordering::Greater)
                    || (name == "min_by" && ord == Ordering::Less)
            }
        };
        if better {
            best = Some((k, item));
        }
    }
    Ok(best.map(|(_, v)| v).unwrap_or(Value::Null))
}

/// The list of expected types as Python prints a list of strings.
fn py_str_list(items: &[&str]) -> String {
    let items: Vec<String> = items.iter().map(|s| python::str_repr(s)).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::query::Query;
    use serde_json::json;

    fn err(expr: &str, v: &serde_json::Value) -> String {
        match Query::compile(expr).expect("valid expression").search(v) {
            Ok(r) => panic!("{expr} evaluated to {r}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn arity_and_type_errors_read_like_python() {
        let v = json!({"a": ["x", 1], "s": "abc", "o": {"k": "v"}, "n": [1, 2]});
        for (expr, message) in [
            (
                "length(s, s)",
                "Expected 1 argument for function length(), received 2",
            ),
            (
                "join(',')",
                "Expected 2 arguments for function join(), received 1",
            ),
            (
                "merge()",
                "Expected at least 1 argument for function merge(), received 0",
            ),
            ("foo(s)", "Unknown function: foo()"),
        ] {
            assert_eq!(err(expr, &v), format!("rcr: [ERROR]: {message}"));
        }
        for (expr, function, value, expected, received) in [
            ("sum(a)", "sum", "x", "'array-number'", "str"),
            ("abs(s)", "abs", "abc", "'number'", "string"),
            ("keys(a)", "keys", "['x', 1]", "'object'", "array"),
            (
                "length(n[0])",
                "length",
                "1",
                "'string', 'array', 'object'",
                "number",
            ),
            (
                "max(a)",
                "max",
                "1",
                "'array-number', 'array-string'",
                "int",
            ),
        ] {
            assert_eq!(
                err(expr, &v),
                format!(
                    "rcr: [ERROR]: In function {function}(), invalid type for value: {value}, \
                     expected one of: [{expected}], received: \"{received}\""
                )
            );
        }
    }
}
