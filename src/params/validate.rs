//! Client-side validation of the input document against the model, before
//! anything is sent: botocore's `ParamValidator`, with its wording.
//!
//! All problems are collected in document order (required members first at
//! each structure, then unknown members, then each known member in the order
//! the document holds them) and reported together as [`Error::Validation`].
//! Values are described as Python describes them (`value: abc, type: <class
//! 'str'>`), since that is what aws prints. Known gap: botocore sees JSON
//! objects given to flags as `OrderedDict`s and would print them as such; rcr
//! prints every object as a plain `dict`.

use serde_json::Value;

use crate::error::Error;
use crate::model::{Bounds, Service, ShapeId, ShapeKind};
use crate::python;

/// Checks `doc` against the operation input shape `shape`.
pub fn validate(service: &Service, shape: ShapeId, doc: &Value) -> Result<(), Error> {
    let mut v = Validator {
        service,
        errors: Vec::new(),
    };
    v.check(doc, shape, "");
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(v.errors))
    }
}

struct Validator<'a> {
    service: &'a Service,
    errors: Vec<String>,
}

/// botocore's `_get_name`: the top level is `input`, a leading `.` is dropped.
fn display_name(name: &str) -> &str {
    if name.is_empty() {
        "input"
    } else {
        name.strip_prefix('.').unwrap_or(name)
    }
}

/// Python's `isinstance(v, int)` (booleans are ints in Python).
fn is_int(v: &Value) -> bool {
    matches!(v, Value::Bool(_)) || matches!(v, Value::Number(n) if !n.is_f64())
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

impl Validator<'_> {
    fn invalid_type(&mut self, name: &str, param: &Value, valid: &str) {
        self.errors.push(format!(
            "Invalid type for parameter {}, value: {}, type: {}, valid types: {valid}",
            display_name(name),
            python::str(param),
            python::class_name(param)
        ));
    }

    fn check(&mut self, param: &Value, shape: ShapeId, name: &str) {
        let service = self.service;
        match &service.shape(shape).kind {
            ShapeKind::Structure { members, .. } => {
                let Value::Object(map) = param else {
                    return self.invalid_type(name, param, "<class 'dict'>");
                };
                for m in members.iter().filter(|m| m.required) {
                    if !map.contains_key(m.name) {
                        self.errors.push(format!(
                            "Missing required parameter in {}: \"{}\"",
                            display_name(name),
                            m.name
                        ));
                    }
                }
                let mut known = Vec::new();
                for (key, value) in map {
                    match members.iter().find(|m| m.name == key) {
                        Some(m) => known.push((key, value, m.shape)),
                        None => {
                            let valid: Vec<&str> = members.iter().map(|m| m.name).collect();
                            self.errors.push(format!(
                                "Unknown parameter in {}: \"{key}\", must be one of: {}",
                                display_name(name),
                                valid.join(", ")
                            ));
                        }
                    }
                }
                for (key, value, member_shape) in known {
                    self.check(value, member_shape, &format!("{name}.{key}"));
                }
            }
            ShapeKind::List { member, bounds } => {
                let Value::Array(items) = param else {
                    return self.invalid_type(name, param, "<class 'list'>, <class 'tuple'>");
                };
                self.length(name, items.len(), *bounds);
                let member_kind = &service.shape(*member).kind;
                if let Some(valid) = unconstrained_scalar_types(member_kind) {
                    for (i, item) in items.iter().enumerate() {
                        if !scalar_matches(member_kind, item) {
                            self.invalid_type(&format!("{name}[{i}]"), item, valid);
                        }
                    }
                    return;
                }
                for (i, item) in items.iter().enumerate() {
                    self.check(item, *member, &format!("{name}[{i}]"));
                }
            }
            ShapeKind::Map { key, value, .. } => {
                let Value::Object(map) = param else {
                    return self.invalid_type(name, param, "<class 'dict'>");
                };
                for (k, v) in map {
                    self.check(
                        &Value::String(k.clone()),
                        *key,
                        &format!("{name} (key: {k})"),
                    );
                    self.check(v, *value, &format!("{name}.{k}"));
                }
            }
            ShapeKind::String { bounds, .. } => match param {
                Value::String(s) => self.length(name, s.chars().count(), *bounds),
                _ => self.invalid_type(name, param, "<class 'str'>"),
            },
            ShapeKind::Integer { bounds } | ShapeKind::Long { bounds } => {
                if is_int(param) {
                    self.range(name, param, *bounds);
                } else {
                    self.invalid_type(name, param, "<class 'int'>");
                }
            }
            ShapeKind::Float { bounds } | ShapeKind::Double { bounds } => {
                if matches!(param, Value::Number(_) | Value::Bool(_)) {
                    self.range(name, param, *bounds);
                } else {
                    self.invalid_type(
                        name,
                        param,
                        "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
                    );
                }
            }
            ShapeKind::Boolean => {
                if !param.is_boolean() {
                    self.invalid_type(name, param, "<class 'bool'>");
                }
            }
            ShapeKind::Blob { .. } => {
                if !param.is_string() {
                    self.invalid_type(
                        name,
                        param,
                        "<class 'bytes'>, <class 'bytearray'>, file-like object",
                    );
                }
            }
            ShapeKind::Timestamp => {
                let ok = match param {
                    Value::String(s) => crate::timestamp::parse_input(s).is_some(),
                    Value::Number(_) => true,
                    _ => false,
                };
                if !ok {
                    self.invalid_type(name, param, "<class 'datetime.datetime'>, timestamp-string");
                }
            }
        }
    }

    fn length(&mut self, name: &str, len: usize, bounds: Bounds) {
        if let Some(min) = bounds.min
            && i64::try_from(len).unwrap_or(i64::MAX) < min
        {
            self.errors.push(format!(
                "Invalid length for parameter {}, value: {len}, valid min length: {min}",
                display_name(name)
            ));
        }
    }

    fn range(&mut self, name: &str, param: &Value, bounds: Bounds) {
        let Some(min) = bounds.min else { return };
        let below = match param {
            Value::Number(n) if !n.is_f64() => n.as_i64().is_some_and(|v| v < min),
            other => as_f64(other).is_some_and(|v| v < min as f64),
        };
        if below {
            self.errors.push(format!(
                "Invalid value for parameter {}, value: {}, valid min value: {min}",
                display_name(name),
                python::str(param)
            ));
        }
    }
}

/// botocore checks only the type of list items that are scalars without a
/// validated constraint (`min`); it returns their valid types.
fn unconstrained_scalar_types(kind: &ShapeKind) -> Option<&'static str> {
    match kind {
        ShapeKind::String { bounds, .. } if bounds.min.is_none() => Some("<class 'str'>"),
        ShapeKind::Integer { bounds } | ShapeKind::Long { bounds } if bounds.min.is_none() => {
            Some("<class 'int'>")
        }
        ShapeKind::Float { bounds } | ShapeKind::Double { bounds } if bounds.min.is_none() => {
            Some("<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>")
        }
        ShapeKind::Boolean => Some("<class 'bool'>"),
        _ => None,
    }
}

fn scalar_matches(kind: &ShapeKind, v: &Value) -> bool {
    match kind {
        ShapeKind::String { .. } => v.is_string(),
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => is_int(v),
        ShapeKind::Float { .. } | ShapeKind::Double { .. } => {
            matches!(v, Value::Number(_) | Value::Bool(_))
        }
        ShapeKind::Boolean => v.is_boolean(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk;
    use serde_json::json;

    fn problems(service: &str, op: &str, doc: Value) -> Vec<String> {
        let service = sdk::service(service).expect("service");
        let op = service.operation(op).expect("operation");
        match validate(service, op.input, &doc) {
            Ok(()) => Vec::new(),
            Err(Error::Validation(lines)) => lines,
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn valid_input_passes() {
        assert!(problems("ecr", "describe-repositories", json!({})).is_empty());
        assert!(
            problems(
                "ecr",
                "create-repository",
                json!({"repositoryName": "ab", "tags": [{"Key": "a", "Value": ""}]})
            )
            .is_empty()
        );
    }

    #[test]
    fn botocore_wording_and_order() {
        // Checked with aws v1 (botocore 1.43) on a capture server.
        assert_eq!(
            problems(
                "ecr",
                "create-repository",
                json!({"repositoryName": "ab", "foo": 1, "tags": [{"Key": 1}]})
            ),
            vec![
                "Unknown parameter in input: \"foo\", must be one of: registryId, repositoryName, tags, imageTagMutability, imageTagMutabilityExclusionFilters, imageScanningConfiguration, encryptionConfiguration",
                "Missing required parameter in tags[0]: \"Value\"",
                "Invalid type for parameter tags[0].Key, value: 1, type: <class 'int'>, valid types: <class 'str'>",
            ]
        );
        assert_eq!(
            problems(
                "ecr",
                "describe-images",
                json!({"repositoryName": "ab", "maxResults": 0})
            ),
            vec!["Invalid value for parameter maxResults, value: 0, valid min value: 1"]
        );
        assert_eq!(
            problems(
                "ecr",
                "describe-repositories",
                json!({"repositoryNames": ["a,b", "c"]})
            ),
            vec!["Invalid length for parameter repositoryNames[1], value: 1, valid min length: 2"]
        );
        assert_eq!(
            problems(
                "ecr",
                "create-repository",
                json!({"repositoryName": "ab", "imageScanningConfiguration": {"scanOnPush": "abc"}})
            ),
            vec![
                "Invalid type for parameter imageScanningConfiguration.scanOnPush, value: abc, type: <class 'str'>, valid types: <class 'bool'>"
            ]
        );
        assert_eq!(
            problems(
                "ecr",
                "batch-get-image",
                json!({"repositoryName": "ab", "imageIds": [{"imageTag": ["a", "b"]}]})
            ),
            vec![
                "Invalid type for parameter imageIds[0].imageTag, value: ['a', 'b'], type: <class 'list'>, valid types: <class 'str'>"
            ]
        );
    }

    #[test]
    fn missing_top_level_and_nested_required() {
        assert_eq!(
            problems("ecr", "put-image-tag-mutability", json!({})),
            vec![
                "Missing required parameter in input: \"repositoryName\"",
                "Missing required parameter in input: \"imageTagMutability\"",
            ]
        );
        let lines = problems(
            "ecr",
            "put-replication-configuration",
            json!({"replicationConfiguration": {"rules": [{"destinations": [{}]}]}}),
        );
        assert!(
            lines.contains(
                &"Missing required parameter in replicationConfiguration.rules[0].destinations[0]: \"region\"".to_string()
            ),
            "{lines:?}"
        );
    }
}
