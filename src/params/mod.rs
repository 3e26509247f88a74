//! From command-line words to the operation's input document.
//!
//! The document is a `serde_json::Value` shaped like the model's input. As
//! in aws, the flags come first (model member order) and `--cli-input-json` /
//! `--cli-input-yaml` ([`yaml_input`]) add the members no flag gave; the
//! result is then checked by [`validate`] before anything is sent. Values are
//! read the way aws reads them: `file://` and `fileb://` param files, JSON
//! when the text starts with `{` / `[`, shorthand ([`shorthand`]) for
//! structures, maps and lists of them (one list element per word), scalars
//! coerced by the member's model type. A list of scalars takes one element
//! per word and never splits a word on commas (`--repository-names a,b c`
//! is `["a,b", "c"]`, checked with aws v1). Blobs follow
//! `--cli-binary-format`: base64 text (decoded with Python's lenient rules
//! and re-encoded, as v2 does) or raw text that rcr encodes; `fileb://` is
//! always raw bytes. [`skeleton`] answers `--generate-cli-skeleton`.

pub mod paramfile;
mod pyjson;
pub mod shorthand;
pub mod skeleton;
pub mod validate;
pub mod yaml_input;

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
    /// A `--cli-binary-format` value (or the profile's; the choice is made
    /// by `crate::settings`).
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

fn param_error(flag: &str, message: impl std::fmt::Display) -> Error {
    Error::Client {
        code: "ParamValidation",
        message: format!("Error parsing parameter '{flag}': {message}"),
        exit: 252,
    }
}

/// Builds the input document of `call` and validates it against the model
/// (botocore's checks); nothing may be sent when this fails.
pub fn build_and_validate(call: &OperationCall, binary: BinaryFormat) -> Result<Value, Error> {
    build_and_validate_paged(call, binary, None)
}

/// [`build_and_validate`] with `--page-size` set as the paginator's limit
/// member (`maxResults`) first, so that it is validated like that member
/// (`--page-size 0`: `Invalid value for parameter maxResults, value: 0,
/// valid min value: 1`), as botocore validates the request it sends.
pub fn build_and_validate_paged(
    call: &OperationCall,
    binary: BinaryFormat,
    page_limit: Option<(&str, i64)>,
) -> Result<Value, Error> {
    let mut doc = build_input(call, binary)?;
    if let (Some((member, size)), Value::Object(map)) = (page_limit, &mut doc) {
        map.insert(member.to_string(), Value::from(size));
    }
    if binary == BinaryFormat::Base64 {
        decode_base64_blobs(call.service, call.operation.input, &mut doc)?;
    }
    validate::validate(call.service, call.operation.input, &doc)?;
    Ok(doc)
}

/// aws v2's `Base64DecodeVisitor` under `--cli-binary-format base64`: every
/// blob given as text is decoded with Python's lenient `b64decode` (the
/// request then carries the canonical base64 of those bytes). Its errors are
/// not ParamValidation errors in aws: they end the command with exit 255.
fn decode_base64_blobs(service: &Service, shape: ShapeId, value: &mut Value) -> Result<(), Error> {
    match (&service.shape(shape).kind, value) {
        (ShapeKind::Blob { .. }, Value::String(s)) => {
            let bytes = py_b64decode(s).map_err(Error::Other)?;
            *s = base64::engine::general_purpose::STANDARD.encode(bytes);
        }
        (ShapeKind::Structure { members, .. }, Value::Object(map)) => {
            for m in members.iter() {
                if let Some(v) = map.get_mut(m.name) {
                    decode_base64_blobs(service, m.shape, v)?;
                }
            }
        }
        (ShapeKind::List { member, .. }, Value::Array(items)) => {
            for item in items {
                decode_base64_blobs(service, *member, item)?;
            }
        }
        (ShapeKind::Map { value: vs, .. }, Value::Object(map)) => {
            for v in map.values_mut() {
                decode_base64_blobs(service, *vs, v)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Python's `base64.b64decode(s)` (binascii's non-strict mode): characters
/// outside the alphabet are skipped, padding ends the input.
fn py_b64decode(s: &str) -> Result<Vec<u8>, String> {
    if !s.is_ascii() {
        return Err("string argument should contain only ASCII characters".into());
    }
    let invalid = || format!("Invalid base64: \"{s}\"");
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut quad_pos = 0u8;
    let mut left: u32 = 0;
    let mut pads = 0u8;
    for &c in s.as_bytes() {
        if c == b'=' {
            if quad_pos >= 2 {
                pads += 1;
                if quad_pos + pads >= 4 {
                    return Ok(out);
                }
            }
            continue;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        pads = 0;
        left = (left << 6) | u32::from(v);
        quad_pos = (quad_pos + 1) % 4;
        match quad_pos {
            2 => out.push((left >> 4) as u8),
            3 => out.push((left >> 2) as u8),
            0 => {
                out.push(left as u8);
                left = 0;
            }
            _ => {}
        }
        left &= 0x3f;
    }
    if quad_pos != 0 {
        return Err(invalid());
    }
    Ok(out)
}

/// Builds the input document of `call`: the flags (in the model's member
/// order), then the members of `--cli-input-json` / `--cli-input-yaml` that
/// no flag gave, as aws merges them.
pub fn build_input(call: &OperationCall, binary: BinaryFormat) -> Result<Value, Error> {
    let service = call.service;
    let input_shape = call.operation.input;
    let mut doc = Map::new();
    for (member, value) in &call.members {
        let v = member_value(service, member, value, binary)?;
        doc.insert(member.name.to_string(), v);
    }
    let (name, text) = match (&call.cli_input_json, &call.cli_input_yaml) {
        (Some(_), Some(_)) => {
            return Err(Error::Client {
                code: "ParamValidation",
                message: "Only one --cli-input- parameter may be specified.".into(),
                exit: 252,
            });
        }
        (Some(text), None) => ("cli-input-json", text),
        (None, Some(text)) => ("cli-input-yaml", text),
        (None, None) => return Ok(Value::Object(doc)),
    };
    let text = paramfile::resolve_text(name, text)?;
    let loaded = if name == "cli-input-json" {
        serde_json::from_str::<Value>(&text)
            .map_err(|_| param_error(name, "Invalid JSON received."))?
    } else {
        yaml_input::load(&text).ok_or_else(|| param_error(name, "Invalid YAML received."))?
    };
    let class = crate::python::class_name(&loaded);
    let Value::Object(loaded) = encode_blobs(service, input_shape, loaded, binary) else {
        return Err(param_error(
            &format!("--{name}"),
            format!("Invalid type: expecting map, received {class}"),
        ));
    };
    for (k, v) in loaded {
        if !doc.contains_key(&k) {
            doc.insert(k, v);
        }
    }
    Ok(Value::Object(doc))
}

/// Python's whitespace for `str.strip()`.
fn py_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || ('\x1c'..='\x1f').contains(&c))
}

fn is_complex(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Structure { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. }
    )
}

/// The JSON value of one member's flag, read as aws reads it: JSON when the
/// text starts with `{` / `[`, shorthand for structures, maps and lists of
/// them, one list element per word, scalars coerced by the model type.
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
    let flag = format!("--{}", member.cli_name);
    let kind = &service.shape(member.shape).kind;
    match kind {
        ShapeKind::List { member: elem, .. } => {
            let texts = words
                .iter()
                .map(|w| paramfile::resolve_arg(member.cli_name, w))
                .collect::<Result<Vec<_>, _>>()?;
            let first = texts
                .first()
                .map(|t| py_trim(t.as_text()))
                .unwrap_or_default();
            if texts.len() == 1 && first.starts_with('[') {
                let value = parse_json(&flag, texts[0].as_text())?;
                return Ok(encode_blobs(service, member.shape, value, binary));
            }
            let elem_kind = &service.shape(*elem).kind;
            if is_complex(elem_kind) && !first.starts_with(['[', '{']) {
                let mut items = Vec::with_capacity(texts.len());
                for t in &texts {
                    items.push(shorthand::parse(t.as_text()).map_err(|e| param_error(&flag, e.0))?);
                }
                return shorthand_json(
                    service,
                    member.shape,
                    shorthand::SValue::List(items),
                    binary,
                );
            }
            let mut items = Vec::with_capacity(texts.len());
            for t in texts {
                let item = match element_value(service, &flag, *elem, t, binary) {
                    Err(ElementError::Coerce(_)) => {
                        // awscli reports a bad list element by the flag's first word.
                        return Err(param_error(
                            &flag,
                            words.first().map(String::as_str).unwrap_or_default(),
                        ));
                    }
                    other => other.map_err(ElementError::into_error)?,
                };
                items.push(item);
            }
            Ok(Value::Array(items))
        }
        _ => {
            let word = words.last().map(String::as_str).unwrap_or_default();
            let text = paramfile::resolve_arg(member.cli_name, word)?;
            element_value(service, &flag, member.shape, text, binary)
                .map_err(ElementError::into_error)
        }
    }
}

/// Why one word could not become a value.
enum ElementError {
    /// Python's `int()` / `float()` failed: aws ends with Python's message.
    Coerce(String),
    Other(Error),
}

impl ElementError {
    fn into_error(self) -> Error {
        match self {
            // aws v1 lets Python's ValueError escape (exit 255); rcr treats a
            // value of the wrong type as the usage error it is (252), with
            // the same message.
            ElementError::Coerce(message) => coerce_error(message),
            ElementError::Other(e) => e,
        }
    }
}

fn coerce_error(message: String) -> Error {
    Error::Client {
        code: "ParamValidation",
        message,
        exit: 252,
    }
}

impl From<Error> for ElementError {
    fn from(e: Error) -> Self {
        ElementError::Other(e)
    }
}

fn shorthand_json(
    service: &Service,
    shape: ShapeId,
    value: shorthand::SValue,
    binary: BinaryFormat,
) -> Result<Value, Error> {
    shorthand::to_json(
        service,
        shape,
        value,
        binary == BinaryFormat::RawInBase64Out,
    )
    .map_err(|e| coerce_error(e.0))
}

/// One word for a value of `shape`.
fn element_value(
    service: &Service,
    flag: &str,
    shape: ShapeId,
    text: paramfile::ArgText,
    binary: BinaryFormat,
) -> Result<Value, ElementError> {
    let kind = &service.shape(shape).kind;
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
            crate::python::int_value(&text.into_text()).map_err(ElementError::Coerce)
        }
        ShapeKind::Float { .. } | ShapeKind::Double { .. } => {
            crate::python::float_value(&text.into_text()).map_err(ElementError::Coerce)
        }
        ShapeKind::Boolean => {
            // awscli: "false" (any case) is False, any other text is True.
            let s = text.into_text();
            Ok(Value::Bool(!s.eq_ignore_ascii_case("false")))
        }
        ShapeKind::Structure { .. } | ShapeKind::Map { .. } => {
            let s = text.into_text();
            if py_trim(&s).starts_with('{') {
                let value = parse_json(flag, &s)?;
                return Ok(encode_blobs(service, shape, value, binary));
            }
            if py_trim(&s).starts_with('[') {
                return Err(param_error(flag, format!("Invalid JSON:\n{s}")).into());
            }
            // awscli's special case: a structure whose only member is the
            // string `Value` takes the bare text.
            if let ShapeKind::Structure { members, .. } = kind
                && let [only] = members
                && only.name == "Value"
                && matches!(service.shape(only.shape).kind, ShapeKind::String { .. })
                && !s.contains('=')
            {
                let mut map = Map::new();
                map.insert("Value".into(), Value::String(s));
                return Ok(Value::Object(map));
            }
            let parsed = shorthand::parse(&s).map_err(|e| param_error(flag, e.0))?;
            Ok(shorthand_json(service, shape, parsed, binary)?)
        }
        ShapeKind::List { .. } => {
            // A list inside a list given as one word: JSON only.
            let s = text.into_text();
            if py_trim(&s).starts_with('[') {
                let value = parse_json(flag, &s)?;
                return Ok(encode_blobs(service, shape, value, binary));
            }
            Ok(Value::Array(vec![Value::String(s)]))
        }
    }
}

fn parse_json(flag: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|_| {
        param_error(
            flag,
            format!(
                "Invalid JSON: {}\nJSON received: {text}",
                pyjson::error_message(text)
            ),
        )
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

/// argparse's required-flag check: required members must be flags unless
/// an input document (`--cli-input-json/yaml`) may supply them. The parser
/// runs it (`cli::check_required`); `--generate-cli-skeleton output`, which
/// the parser lets through, runs it itself.
pub fn require_flags(call: &OperationCall) -> Result<(), Error> {
    if call.cli_input_json.is_some() || call.cli_input_yaml.is_some() {
        return Ok(());
    }
    let given: Vec<&str> = call.members.iter().map(|(m, _)| m.name).collect();
    let missing: Vec<String> = call
        .service
        .shape(call.operation.input)
        .kind
        .members()
        .iter()
        .filter(|m| m.required && !given.contains(&m.name))
        .map(|m| format!("--{}", m.cli_name))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_base64_decoding() {
        assert_eq!(py_b64decode("aGVsbG8="), Ok(b"hello".to_vec()));
        assert_eq!(py_b64decode("aGVs bG8=\n"), Ok(b"hello".to_vec()));
        assert_eq!(py_b64decode("aGVsbG8=trailing"), Ok(b"hello".to_vec()));
        assert_eq!(py_b64decode(""), Ok(Vec::new()));
        assert_eq!(
            py_b64decode("aGVsbG8"),
            Err("Invalid base64: \"aGVsbG8\"".into())
        );
        assert_eq!(py_b64decode("a"), Err("Invalid base64: \"a\"".into()));
        assert!(py_b64decode("é").is_err());
        assert_eq!(py_b64decode("ab==cd"), Ok(vec![0x69]));
        assert_eq!(py_b64decode("abc=d"), Ok(vec![0x69, 0xb7]));
        assert_eq!(py_b64decode("a=b=c="), Ok(vec![0x69, 0xb7]));
    }
}

/// Property tests: random text through every input path never panics. The
/// case count is bounded for CI; `PROPTEST_CASES=200000 cargo test
/// params::fuzz` runs a long fuzz.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::*;
    use crate::reliability_fuzz::config;
    use crate::sdk;

    /// Text biased towards the characters the grammars care about.
    fn grammar_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    '=',
                    ',',
                    '[',
                    ']',
                    '{',
                    '}',
                    '\'',
                    '"',
                    '\\',
                    ' ',
                    '\n',
                    '@',
                    ':',
                    '-',
                    '#',
                    'a',
                    'K',
                    '1',
                    '.',
                    '*',
                    '/',
                    'é',
                    '\u{2028}',
                    '\u{1F600}',
                    '\t',
                    '&',
                    '<',
                    '>',
                ]),
                any::<char>(),
            ],
            0..40,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn call_with(
        op: &str,
        words: Vec<(&str, Vec<String>)>,
        json: Option<String>,
        yaml: Option<String>,
    ) -> Option<OperationCall> {
        let service = sdk::service(if op.starts_with("public:") {
            "ecr-public"
        } else {
            "ecr"
        })?;
        let operation = service.operation(op.trim_start_matches("public:"))?;
        let members = service
            .shape(operation.input)
            .kind
            .members()
            .iter()
            .filter_map(|m| {
                words
                    .iter()
                    .find(|(flag, _)| *flag == m.cli_name)
                    .map(|(_, w)| (m, MemberValue::Words(w.clone())))
            })
            .collect();
        Some(OperationCall {
            globals: Default::default(),
            service,
            operation,
            members,
            cli_input_json: json,
            cli_input_yaml: yaml,
            generate_cli_skeleton: None,
            starting_token: None,
            page_size: None,
            max_items: None,
        })
    }

    proptest! {
        #![proptest_config(config())]

        /// The shorthand parser, Python's JSON messages, the YAML loader and
        /// the help's doc overview, each given the same text.
        #[test]
        fn text_readers_never_panic(s in grammar_text()) {
            let _ = shorthand::parse(&s);
            let _ = pyjson::error_message(&s);
            let _ = yaml_input::load(&s);
            let _ = skeleton::doc_overview(&s);
        }

        #[test]
        fn flags_build_and_validate_never_panic(
            words in prop::collection::vec(grammar_text(), 1..4),
            word in grammar_text(),
            binary in prop::bool::ANY,
        ) {
            let binary = if binary { BinaryFormat::Base64 } else { BinaryFormat::RawInBase64Out };
            let cases = [
                ("create-repository", vec![
                    ("repository-name", vec![word.clone()]),
                    ("tags", words.clone()),
                    ("image-scanning-configuration", vec![word.clone()]),
                    ("encryption-configuration", vec![word.clone()]),
                ]),
                ("put-replication-configuration", vec![("replication-configuration", vec![word.clone()])]),
                ("describe-images", vec![
                    ("repository-name", vec![word.clone()]),
                    ("image-ids", words.clone()),
                    ("max-results", vec![word.clone()]),
                ]),
                ("public:put-repository-catalog-data", vec![("catalog-data", vec![word.clone()])]),
                ("upload-layer-part", vec![("layer-part-blob", vec![word.clone()]), ("part-first-byte", vec![word.clone()])]),
            ];
            for (op, flags) in cases {
                if let Some(call) = call_with(op, flags, None, None) {
                    let _ = build_and_validate(&call, binary);
                }
            }
        }

        #[test]
        fn input_documents_never_panic(text in grammar_text(), json in prop::bool::ANY) {
            let (j, y) = if json { (Some(text.clone()), None) } else { (None, Some(text.clone())) };
            if let Some(call) = call_with("create-repository", vec![], j, y) {
                let _ = build_and_validate(&call, BinaryFormat::Base64);
            }
        }

        /// Structured JSON documents (valid JSON of any shape) through
        /// `--cli-input-json`: validation must describe, never panic.
        #[test]
        fn json_documents_validate_without_panic(doc in json_value()) {
            let wrapped = serde_json::json!({"replicationConfiguration": doc.clone(), "repositoryName": doc});
            if let Some(call) = call_with("put-replication-configuration", vec![], Some(wrapped.to_string()), None) {
                let _ = build_and_validate(&call, BinaryFormat::RawInBase64Out);
            }
        }

        #[test]
        fn param_files_never_panic(path in grammar_text(), binary in prop::bool::ANY) {
            let arg = if binary { format!("fileb://{path}") } else { format!("file://{path}") };
            let _ = paramfile::resolve_arg("x", &arg);
            let _ = shorthand::parse(&format!("a@={arg}"));
        }
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            grammar_text().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        prop::sample::select(vec![
                            "rules",
                            "destinations",
                            "region",
                            "registryId",
                            "repositoryFilters",
                            "filter",
                            "x"
                        ]),
                        inner
                    ),
                    0..4
                )
                .prop_map(|kv| Value::Object(
                    kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
                )),
            ]
        })
    }
}
