//! From command-line words to the operation's input document.
//!
//! The document is a `serde_json::Value` shaped like the model's input:
//! `--cli-input-json` (or `--cli-input-yaml`) gives the start, each flag on
//! the command line then replaces its member. Values are read the way aws
//! reads them: `file://` and `fileb://` param files, JSON for structures,
//! maps and lists (shorthand in [`shorthand`]), scalars coerced by the
//! member's model type, blobs per `--cli-binary-format`.

pub mod paramfile;

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::cli::{MemberValue, OperationCall};
use crate::error::Error;
use crate::model::{Member, Service, ShapeId, ShapeKind};

/// `--cli-binary-format`: how blob arguments are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryFormat {
    /// v2's default: the argument is base64 text.
    Base64,
    /// The argument is raw text that rcr encodes.
    RawInBase64Out,
}

impl BinaryFormat {
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "base64" => Ok(BinaryFormat::Base64),
            "raw-in-base64-out" => Ok(BinaryFormat::RawInBase64Out),
            other => Err(Error::usage(format!(
                "argument --cli-binary-format: Found invalid choice '{other}'\n"
            ))),
        }
    }
}

/// Builds the input document of `call`.
pub fn build_input(call: &OperationCall, binary: BinaryFormat) -> Result<Value, Error> {
    let service = call.service;
    let input_shape = call.operation.input;
    let mut doc = match (&call.cli_input_json, &call.cli_input_yaml) {
        (Some(text), _) => {
            let text = paramfile::resolve_text("cli-input-json", text)?;
            let value: Value = serde_json::from_str(&text).map_err(|e| {
                Error::Client {
                    code: "ParamValidation",
                    message: format!("Error parsing parameter '--cli-input-json': Invalid JSON: {e}\nJSON received: {text}"),
                    exit: 252,
                }
            })?;
            encode_blobs(service, input_shape, value, binary)
        }
        (None, Some(_)) => {
            return Err(Error::usage(
                "--cli-input-yaml is not supported by this build of rcr",
            ));
        }
        (None, None) => Value::Object(Map::new()),
    };
    if !doc.is_object() {
        return Err(Error::Client {
            code: "ParamValidation",
            message: "Invalid type for parameter input, the document given to --cli-input-json must be a JSON object".into(),
            exit: 252,
        });
    }
    for (member, value) in &call.members {
        let v = member_value(service, member, value, binary)?;
        if let Value::Object(map) = &mut doc {
            map.insert(member.name.to_string(), v);
        }
    }
    Ok(doc)
}

/// The JSON value of one member's flag.
fn member_value(
    service: &Service,
    member: &Member,
    value: &MemberValue,
    binary: BinaryFormat,
) -> Result<Value, Error> {
    let words = match value {
        MemberValue::Bool(b) => return Ok(Value::Bool(*b)),
        MemberValue::Words(words) => words,
    };
    let flag = member.cli_name;
    let kind = &service.shape(member.shape).kind;
    match kind {
        ShapeKind::List { member: elem, .. } => {
            // One word that is a JSON list is the whole list; otherwise each
            // word is one element.
            if let [word] = words.as_slice() {
                let text = paramfile::resolve_arg(flag, word)?;
                if text.as_text().trim_start().starts_with('[') {
                    let value = parse_json(flag, text.as_text())?;
                    return Ok(encode_blobs(service, member.shape, value, binary));
                }
                return Ok(Value::Array(vec![element_value(
                    service, flag, *elem, text, binary,
                )?]));
            }
            let mut items = Vec::with_capacity(words.len());
            for word in words {
                let text = paramfile::resolve_arg(flag, word)?;
                items.push(element_value(service, flag, *elem, text, binary)?);
            }
            Ok(Value::Array(items))
        }
        _ => {
            let word = words.last().map(String::as_str).unwrap_or_default();
            let text = paramfile::resolve_arg(flag, word)?;
            element_value(service, flag, member.shape, text, binary)
        }
    }
}

/// One word for a value of `shape`.
fn element_value(
    service: &Service,
    flag: &str,
    shape: ShapeId,
    text: paramfile::ArgText,
    binary: BinaryFormat,
) -> Result<Value, Error> {
    let kind = &service.shape(shape).kind;
    let invalid = |what: &str, s: &str| Error::Client {
        code: "ParamValidation",
        message: format!("Error parsing parameter '--{flag}': invalid {what} value: '{s}'"),
        exit: 252,
    };
    match kind {
        ShapeKind::Blob { .. } => Ok(Value::String(match (&text, binary) {
            (paramfile::ArgText::Bytes(bytes), _) => {
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }
            (paramfile::ArgText::Text(s), BinaryFormat::RawInBase64Out) => {
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
            }
            (paramfile::ArgText::Text(s), BinaryFormat::Base64) => s.clone(),
        })),
        ShapeKind::String { .. } | ShapeKind::Timestamp => Ok(Value::String(text.into_text())),
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => {
            let s = text.into_text();
            s.trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| invalid("int", &s))
        }
        ShapeKind::Float { .. } | ShapeKind::Double { .. } => {
            let s = text.into_text();
            s.trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| invalid("float", &s))
        }
        ShapeKind::Boolean => {
            let s = text.into_text();
            match s.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                _ => Err(invalid("boolean", &s)),
            }
        }
        ShapeKind::Structure { .. } | ShapeKind::Map { .. } | ShapeKind::List { .. } => {
            let s = text.into_text();
            let value = if s.trim_start().starts_with(['{', '[']) {
                parse_json(flag, &s)?
            } else {
                crate::params::structured_shorthand(service, flag, shape, &s)?
            };
            Ok(encode_blobs(service, shape, value, binary))
        }
    }
}

/// Shorthand syntax for a structure, map or list (not supported yet: JSON only).
fn structured_shorthand(
    _service: &Service,
    flag: &str,
    _shape: ShapeId,
    text: &str,
) -> Result<Value, Error> {
    Err(Error::Client {
        code: "ParamValidation",
        message: format!(
            "Error parsing parameter '--{flag}': Invalid JSON: Expecting value: line 1 column 1 (char 0)\nJSON received: {text}"
        ),
        exit: 252,
    })
}

fn parse_json(flag: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::Client {
        code: "ParamValidation",
        message: format!(
            "Error parsing parameter '--{flag}': Invalid JSON: {e}\nJSON received: {text}"
        ),
        exit: 252,
    })
}

/// Applies `--cli-binary-format raw-in-base64-out` to the blobs nested in a
/// structured value: their text is raw and must be sent as base64.
fn encode_blobs(service: &Service, shape: ShapeId, value: Value, binary: BinaryFormat) -> Value {
    if binary == BinaryFormat::Base64 {
        return value;
    }
    match (&service.shape(shape).kind, value) {
        (ShapeKind::Blob { .. }, Value::String(s)) => {
            Value::String(base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
        }
        (ShapeKind::Structure { members, .. }, Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match members.iter().find(|m| m.name == k) {
                    Some(m) => {
                        let v = encode_blobs(service, m.shape, v, binary);
                        (k, v)
                    }
                    None => (k, v),
                })
                .collect(),
        ),
        (ShapeKind::List { member, .. }, Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|v| encode_blobs(service, *member, v, binary))
                .collect(),
        ),
        (ShapeKind::Map { value: vs, .. }, Value::Object(map)) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, encode_blobs(service, *vs, v, binary)))
                .collect(),
        ),
        (_, v) => v,
    }
}
