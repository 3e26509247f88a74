//! `--cli-input-yaml`: a YAML document as the operation's input.
//!
//! aws v2 loads it with ruamel.yaml's safe loader (YAML 1.2); rcr uses
//! `saphyr`, a maintained pure-Rust YAML 1.2 parser (the successor of
//! yaml-rust) whose mappings keep document order, which the input document
//! must keep. `serde_yaml_ng` was not chosen because it follows YAML 1.1
//! (`yes`/`no` as booleans), unlike ruamel's safe loader.
//!
//! The document is built straight from saphyr-parser's events (so that
//! `!!binary` text, which saphyr's own loader drops, is kept); scalars are
//! resolved with saphyr's core-schema rules. As in ruamel, a repeated key,
//! an unknown alias or more than one document is invalid YAML.
//!
//! Known differences from ruamel: timestamps stay strings (ruamel makes
//! `datetime`s of them, which matters only for string members); `!!binary`
//! values are kept as their base64 text (ruamel decodes them and botocore
//! encodes them back, so the request is the same under v2's default
//! `--cli-binary-format base64`; under `raw-in-base64-out` rcr would encode
//! that text once more, where aws sends the bytes' base64).

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr::{Scalar, ScalarStyle, Tag};
use saphyr_parser::{Event, Parser};
use serde_json::{Map, Number, Value};

/// Deeper nesting than any input needs; stops pathological documents.
const MAX_DEPTH: usize = 256;

/// Parses `text`; `None` when it is not a single valid YAML document (aws:
/// `Invalid YAML received.`). An empty text is a null document.
pub fn load(text: &str) -> Option<Value> {
    let mut b = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, _) = event.ok()?;
        b.on_event(event)?;
    }
    match b.docs.len() {
        0 => Some(Value::Null),
        1 => b.docs.pop(),
        _ => None,
    }
}

enum Frame {
    Seq(Vec<Value>, usize),
    /// Entries, the key waiting for its value, the anchor.
    Map(Map<String, Value>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    docs: Vec<Value>,
}

impl Builder {
    fn on_event(&mut self, event: Event<'_>) -> Option<()> {
        match event {
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => Some(()),
            Event::Alias(id) => {
                let v = self.anchors.get(&id)?.clone();
                self.push(v)
            }
            Event::Scalar(text, style, anchor, tag) => {
                let v = scalar(text, style, tag.as_ref());
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.push(v)
            }
            Event::SequenceStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return None;
                }
                self.stack.push(Frame::Seq(Vec::new(), anchor));
                Some(())
            }
            Event::MappingStart(anchor, _) => {
                if self.stack.len() >= MAX_DEPTH {
                    return None;
                }
                self.stack.push(Frame::Map(Map::new(), None, anchor));
                Some(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (v, anchor) = match self.stack.pop()? {
                    Frame::Seq(items, a) => (Value::Array(items), a),
                    Frame::Map(map, None, a) => (Value::Object(map), a),
                    Frame::Map(_, Some(_), _) => return None,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.push(v)
            }
        }
    }

    /// Places a finished value in its parent (or as a document).
    fn push(&mut self, v: Value) -> Option<()> {
        match self.stack.last_mut() {
            None => self.docs.push(v),
            Some(Frame::Seq(items, _)) => items.push(v),
            Some(Frame::Map(map, pending, _)) => match pending.take() {
                None => *pending = Some(key_text(&v)),
                Some(key) => {
                    if map.contains_key(&key) {
                        return None;
                    }
                    map.insert(key, v);
                }
            },
        }
        Some(())
    }
}

fn scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Value {
    if let Some(t) = tag {
        match t.suffix.as_str() {
            "binary" => return Value::String(text.split_whitespace().collect()),
            "str" => return Value::String(text.into_owned()),
            _ => {}
        }
    }
    let raw = text.clone().into_owned();
    match Scalar::parse_from_cow_and_metadata(text, style, tag) {
        Some(s) => scalar_json(&s),
        None => Value::String(raw),
    }
}

fn scalar_json(s: &Scalar) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::from(*i),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(crate::python::float_repr(f.into_inner()))),
        Scalar::String(t) => Value::String(t.to_string()),
    }
}

/// A mapping key as the member name it is compared with (Python's `str()`).
fn key_text(k: &Value) -> String {
    crate::python::str(k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn mappings_keep_order_and_types() {
        let v = load(
            "repositoryName: shop\nimageScanningConfiguration:\n  scanOnPush: true\ntags:\n- Key: a\n  Value: ''\nmaxResults: 5\n",
        );
        assert_eq!(
            v,
            Some(json!({
                "repositoryName": "shop",
                "imageScanningConfiguration": {"scanOnPush": true},
                "tags": [{"Key": "a", "Value": ""}],
                "maxResults": 5
            }))
        );
        let keys: Vec<String> = v
            .and_then(|v| v.as_object().map(|m| m.keys().cloned().collect()))
            .unwrap_or_default();
        assert_eq!(keys[0], "repositoryName");
    }

    #[test]
    fn yaml_1_2_scalars() {
        assert_eq!(
            load("a: yes\nb: ~\nc: 1.5\nd: '1'"),
            Some(json!({"a": "yes", "b": null, "c": 1.5, "d": "1"}))
        );
    }

    #[test]
    fn binary_and_str_tags() {
        assert_eq!(
            load("b: !!binary aGVs\n  bG8=\ns: !!str 12"),
            Some(json!({"b": "aGVsbG8=", "s": "12"}))
        );
    }

    #[test]
    fn anchors_and_duplicates() {
        assert_eq!(load("a: &x v\nb: *x"), Some(json!({"a": "v", "b": "v"})));
        assert_eq!(load("a: 1\na: 2"), None);
        assert_eq!(load("a: *nope"), None);
    }

    #[test]
    fn invalid_and_multi_document() {
        assert_eq!(load("a: [1, 2"), None);
        assert_eq!(load("a: 1\n---\nb: 2\n"), None);
        assert_eq!(load(""), Some(Value::Null));
        assert_eq!(load("- 1\n- 2"), Some(json!([1, 2])));
    }
}
