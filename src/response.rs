//! The response document: what aws prints, read from the body with the model.
//!
//! aws does not print typed objects: botocore parses the response body with
//! the operation's output shape, and the CLI formats what that gives. This
//! module does the same in one pass over the body's bytes (a serde seed
//! driven by the model tables, so no intermediate tree is built):
//!
//! - structure members come out in the model's order, and only those the
//!   body has; members the model lacks are skipped unread, and an explicit
//!   `null` member counts as absent;
//! - map entries keep the body's order (a repeated key keeps its first place
//!   and its last value, as a Python dict does); lists are kept as sent, a
//!   `null` item included;
//! - numbers keep the form the body wrote (`7` stays an integer, `7.0` a
//!   float), whatever the member's model type;
//! - timestamps become aws's ISO 8601 text in the local zone, or stay as
//!   sent with `cli_timestamp_format = wire` (see [`timestamp::from_wire`]);
//! - blobs are base64 text, re-encoded as Python's `b64encode` writes it.
//!
//! Success bodies reach [`document_from_chunks`] in the chunks the SDK
//! interceptor in `sdk::capture` kept, each freed once read; error bodies
//! give modeled error members through [`document`].

use std::cell::Cell;
use std::collections::VecDeque;
use std::fmt;

use base64::Engine as _;
use bytes::{Buf, Bytes};
use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::{Map, Number, Value};

use crate::model::{Member, Service, ShapeId, ShapeKind};
use crate::timestamp::{self, TimestampError, TimestampFormat};

/// Why a body gives no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// Not what the model describes (not JSON, a list where a structure
    /// belongs, ...): what was wrong, never the body's content, which may
    /// hold a token.
    Invalid(String),
    /// A timestamp no Python datetime holds: aws's whole message.
    Timestamp(String),
}

/// The document botocore would parse from `body` for `shape` of `service`.
/// An empty body is an empty document.
pub fn document(
    service: &'static Service,
    shape: ShapeId,
    body: &[u8],
    timestamps: TimestampFormat,
) -> Result<Value, BodyError> {
    if body.trim_ascii().is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    parse(
        service,
        shape,
        serde_json::Deserializer::from_slice(body),
        timestamps,
    )
}

/// [`document`] of a body held in the chunks it arrived in. Each chunk is
/// freed as soon as it has been read, so a large body and the document
/// built from it are never both held whole (a 3 MB listing makes a 14 MB
/// document: the body would add a fifth to the peak).
pub fn document_from_chunks(
    service: &'static Service,
    shape: ShapeId,
    chunks: Vec<Bytes>,
    timestamps: TimestampFormat,
) -> Result<Value, BodyError> {
    if chunks.iter().all(|c| c.trim_ascii().is_empty()) {
        return Ok(Value::Object(Map::new()));
    }
    let reader =
        std::io::BufReader::with_capacity(READ_BUFFER, Chunks(chunks.into_iter().collect()));
    parse(
        service,
        shape,
        serde_json::Deserializer::from_reader(reader),
        timestamps,
    )
}

/// The copy between the chunks and the parser: big enough that refills
/// cost nothing, small beside any body worth streaming.
const READ_BUFFER: usize = 16 * 1024;

/// Reads a body's chunks in order, dropping each once read.
struct Chunks(VecDeque<Bytes>);

impl std::io::Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while let Some(front) = self.0.front_mut() {
            if front.is_empty() {
                self.0.pop_front();
                continue;
            }
            let n = front.len().min(buf.len());
            buf[..n].copy_from_slice(&front[..n]);
            front.advance(n);
            return Ok(n);
        }
        Ok(0)
    }
}

fn parse<'de, R: serde_json::de::Read<'de>>(
    service: &'static Service,
    shape: ShapeId,
    mut reader: serde_json::Deserializer<R>,
    timestamps: TimestampFormat,
) -> Result<Value, BodyError> {
    let out_of_range = Cell::new(None);
    let seed = ShapeSeed {
        service,
        shape,
        timestamps,
        out_of_range: &out_of_range,
    };
    let parsed = seed
        .deserialize(&mut reader)
        .and_then(|value| reader.end().map(|()| value));
    if let Some(message) = out_of_range.take() {
        return Err(BodyError::Timestamp(message));
    }
    let value = match parsed {
        Ok(value) => value,
        // botocore reads a body that is not JSON (a captive portal's page,
        // a truncated answer) as `{"message": <the text>}`, and no output
        // shape has a `message` member (see the test
        // `no_output_has_a_message_member`): a document without members.
        Err(e) if matches!(e.classify(), Category::Syntax | Category::Eof) => {
            return Ok(Value::Object(Map::new()));
        }
        Err(e) => return Err(BodyError::Invalid(describe(e))),
    };
    if value.is_null() {
        return Err(BodyError::Invalid("the body is null".into()));
    }
    Ok(value)
}

/// serde_json's message without the value it quotes, which came from the
/// response (it may be a token).
fn describe(e: serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" `") {
        Some(i) if text.contains("invalid type") => {
            format!("{} (found a value of another type)", &text[..i])
        }
        _ => text,
    }
}

/// Reads one value of a model shape.
#[derive(Clone, Copy)]
struct ShapeSeed<'a> {
    service: &'static Service,
    shape: ShapeId,
    timestamps: TimestampFormat,
    /// Where a timestamp out of Python's range is told apart from the
    /// other failures (serde's errors carry only text).
    out_of_range: &'a Cell<Option<String>>,
}

impl ShapeSeed<'_> {
    fn with(self, shape: ShapeId) -> Self {
        ShapeSeed { shape, ..self }
    }
}

impl<'de> DeserializeSeed<'de> for ShapeSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match &self.service.shape(self.shape).kind {
            ShapeKind::Structure { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
                d.deserialize_any(ShapeVisitor(self))
            }
            ShapeKind::Timestamp => {
                let raw = d.deserialize_any(ShapeVisitor(self))?;
                if raw.is_null() {
                    return Ok(raw);
                }
                timestamp::from_wire(raw, self.timestamps).map_err(|e| match e {
                    TimestampError::Range(message) => {
                        self.out_of_range.set(Some(message.clone()));
                        de::Error::custom(message)
                    }
                    TimestampError::Invalid(message) => de::Error::custom(message),
                })
            }
            ShapeKind::Blob { .. } => {
                let raw = d.deserialize_any(ShapeVisitor(self))?;
                Ok(canonical_base64(raw))
            }
            _ => d.deserialize_any(ShapeVisitor(self)),
        }
    }
}

/// botocore decodes a blob and the CLI encodes the bytes again; the round
/// trip only changes text that was not canonical base64.
fn canonical_base64(raw: Value) -> Value {
    let engine = &base64::engine::general_purpose::STANDARD;
    match &raw {
        Value::String(s) => match engine.decode(s) {
            Ok(bytes) => Value::String(engine.encode(bytes)),
            Err(_) => raw,
        },
        _ => raw,
    }
}

/// Builds the value of a shape from whatever JSON the body has there: a
/// structure or map from an object, a list from an array; scalars as sent
/// (botocore does not check them). A scalar where a structure, list or map
/// belongs is an error, as it is for botocore.
struct ShapeVisitor<'a>(ShapeSeed<'a>);

impl ShapeVisitor<'_> {
    fn scalar<E: de::Error>(self, v: Value) -> Result<Value, E> {
        match &self.0.service.shape(self.0.shape).kind {
            ShapeKind::Structure { .. } | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
                Err(E::custom(format!(
                    "{} is a {}, found a value of another type",
                    self.0.service.shape(self.0.shape).name,
                    self.0.service.shape(self.0.shape).kind.type_name()
                )))
            }
            _ => Ok(v),
        }
    }
}

impl<'de> Visitor<'de> for ShapeVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.scalar(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.scalar(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.scalar(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.scalar(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.scalar(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.scalar(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let seed = self.0;
        let items = match &seed.service.shape(seed.shape).kind {
            ShapeKind::List { member, .. } => {
                let item = seed.with(*member);
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(v) = seq.next_element_seed(item)? {
                    items.push(v);
                }
                // A list's capacity at least doubles as it grows (to 4 at the
                // first item): exact, the one-tag lists of a 10,000-image
                // listing take 2 MB less.
                items.shrink_to_fit();
                items
            }
            ShapeKind::Structure { .. } | ShapeKind::Map { .. } => {
                return self.scalar(Value::Null);
            }
            // An array where the model has a scalar: kept as sent.
            _ => {
                let mut items = Vec::new();
                while let Some(v) = seq.next_element::<Value>()? {
                    items.push(v);
                }
                items
            }
        };
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let seed = self.0;
        match &seed.service.shape(seed.shape).kind {
            ShapeKind::Structure { members, .. } => {
                // (model index, value), in body order; sorted afterwards.
                let mut found: Vec<(usize, &'static str, Value)> = Vec::new();
                // Bodies mostly list members in the model's order: the
                // search for each key starts after the last one found.
                let mut next = 0;
                while let Some(key) = map.next_key_seed(MemberKey {
                    members,
                    from: next,
                })? {
                    let Some(index) = key else {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    };
                    next = index + 1;
                    let member = &members[index];
                    let value = map.next_value_seed(seed.with(member.shape))?;
                    // A repeated member: the last one wins, as in a dict.
                    found.retain(|(i, _, _)| *i != index);
                    if !value.is_null() {
                        found.push((index, member.name, value));
                    }
                }
                found.sort_unstable_by_key(|(i, _, _)| *i);
                Ok(Value::Object(
                    found
                        .into_iter()
                        .map(|(_, name, v)| (name.to_owned(), v))
                        .collect(),
                ))
            }
            ShapeKind::Map { value, .. } => {
                let entry = seed.with(*value);
                let mut out = Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let v = map.next_value_seed(entry)?;
                    out.insert(key, v);
                }
                Ok(Value::Object(out))
            }
            ShapeKind::List { .. } => self.scalar(Value::Null),
            // An object where the model has a scalar: kept as sent.
            _ => {
                let mut out = Map::new();
                while let Some((k, v)) = map.next_entry::<String, Value>()? {
                    out.insert(k, v);
                }
                Ok(Value::Object(out))
            }
        }
    }
}

/// A key of a structure, read as the index of the model member it names
/// (`None` for a member the model lacks): compared where the parser holds
/// it, so that no key is copied, starting at member `from`.
struct MemberKey {
    members: &'static [Member],
    from: usize,
}

impl<'de> DeserializeSeed<'de> for MemberKey {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MemberKey {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
        let from = self.from.min(self.members.len());
        let (before, after) = self.members.split_at(from);
        let named = |m: &Member| m.name == v;
        Ok(after
            .iter()
            .position(named)
            .map(|i| from + i)
            .or_else(|| before.iter().position(named)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generated::ecr_model::SERVICE;

    fn output_of(operation: &str, body: &str, ts: TimestampFormat) -> Value {
        let op = SERVICE
            .operations
            .iter()
            .find(|o| o.name == operation)
            .expect("operation");
        document(&SERVICE, op.output, body.as_bytes(), ts).expect("valid body")
    }

    #[test]
    fn model_order_only_present_members_and_unknown_dropped() {
        let body = r#"{"repositories":[{"repositoryUri":"u","zzz":{"a":[1]},"repositoryName":"r","registryId":"1"}],"extra":1}"#;
        let doc = output_of("DescribeRepositories", body, TimestampFormat::Wire);
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"repositories":[{"registryId":"1","repositoryName":"r","repositoryUri":"u"}]}"#
        );
    }

    #[test]
    fn maps_keep_body_order_and_numbers_their_form() {
        let body = r#"{"imageScanFindings":{"findingSeverityCounts":{"LOW":2,"CRITICAL":1,"HIGH":3},
            "enhancedFindings":[{"score":7,"scoreDetails":{"cvss":{"score":7.0}}},{"title":"t"}]}}"#;
        let doc = output_of("DescribeImageScanFindings", body, TimestampFormat::Wire);
        let findings = &doc["imageScanFindings"];
        let keys: Vec<&String> = findings["findingSeverityCounts"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["LOW", "CRITICAL", "HIGH"]);
        assert_eq!(findings["enhancedFindings"][0]["score"].to_string(), "7");
        assert_eq!(
            findings["enhancedFindings"][0]["scoreDetails"]["cvss"]["score"].to_string(),
            "7.0"
        );
        assert!(findings["enhancedFindings"][1].get("score").is_none());
    }

    #[test]
    fn nulls_and_repeats_as_botocore_reads_them() {
        let body =
            r#"{"repositories":[{"repositoryName":null,"registryId":"1","registryId":"2"},null]}"#;
        let doc = output_of("DescribeRepositories", body, TimestampFormat::Wire);
        assert_eq!(
            serde_json::to_string(&doc).unwrap(),
            r#"{"repositories":[{"registryId":"2"},null]}"#
        );
    }

    #[test]
    fn timestamps_wire_and_iso() {
        let body = r#"{"repositories":[{"createdAt":0},{"createdAt":1.5}]}"#;
        let wire = output_of("DescribeRepositories", body, TimestampFormat::Wire);
        assert_eq!(
            serde_json::to_string(&wire).unwrap(),
            r#"{"repositories":[{"createdAt":0},{"createdAt":1.5}]}"#
        );
    }

    #[test]
    fn chunked_bodies_read_as_whole_ones() {
        let op = SERVICE.operation("describe-repositories").unwrap();
        // An escape and a raw two-byte character, so that some cuts fall
        // inside each.
        let body = r#"{"repositories":[{"repositoryName":"r\u00e9","registryId":"é","zzz":[1,{"a":2}],"createdAt":1.5}],"nextToken":"t"}"#.as_bytes();
        let whole = document(&SERVICE, op.output, body, TimestampFormat::Wire).unwrap();
        for cut in 0..=body.len() {
            let chunks = vec![
                Bytes::copy_from_slice(&body[..cut]),
                Bytes::new(),
                Bytes::copy_from_slice(&body[cut..]),
            ];
            let doc = document_from_chunks(&SERVICE, op.output, chunks, TimestampFormat::Wire);
            assert_eq!(doc.unwrap(), whole, "cut at {cut}");
        }
        let blank = vec![Bytes::from_static(b" \n"), Bytes::from_static(b" ")];
        let empty = document_from_chunks(&SERVICE, op.output, blank, TimestampFormat::Wire);
        assert_eq!(empty.unwrap(), Value::Object(Map::new()));
        let broken = vec![
            Bytes::from_static(b"{\"repositories\":"),
            Bytes::from_static(b"["),
        ];
        // Cut short: not JSON, so a document without members (botocore's
        // `{"message": ...}`).
        let cut_short = document_from_chunks(&SERVICE, op.output, broken, TimestampFormat::Wire);
        assert_eq!(cut_short, Ok(Value::Object(Map::new())));
    }

    #[test]
    fn empty_and_broken_bodies() {
        let op = SERVICE.operation("describe-repositories").unwrap();
        let empty = document(&SERVICE, op.output, b"  ", TimestampFormat::Wire).unwrap();
        assert_eq!(empty, Value::Object(Map::new()));
        let broken = document(
            &SERVICE,
            op.output,
            b"{\"repositories\":[",
            TimestampFormat::Wire,
        );
        // Not JSON: botocore's `{"message": ...}`, read without members.
        assert_eq!(broken, Ok(Value::Object(Map::new())));
        let trailing = document(&SERVICE, op.output, b"{} x", TimestampFormat::Wire);
        assert_eq!(trailing, Ok(Value::Object(Map::new())));
        let html = document(
            &SERVICE,
            op.output,
            b"<html>portal</html>",
            TimestampFormat::Wire,
        );
        assert_eq!(html, Ok(Value::Object(Map::new())));
        let secret = document(
            &SERVICE,
            op.output,
            br#"{"repositories":"s3cr3t"}"#,
            TimestampFormat::Wire,
        );
        // A string where a list belongs is an error that does not quote it.
        let Err(BodyError::Invalid(message)) = secret else {
            panic!("a string where a list belongs is invalid");
        };
        assert!(!message.contains("s3cr3t"), "{message}");
        // A string where a number belongs is kept as sent (botocore does
        // not check scalars).
        let loose = document(
            &SERVICE,
            op.output,
            br#"{"repositories":[{"createdAt":"x"}],"nextToken":5}"#,
            TimestampFormat::Wire,
        );
        assert_eq!(loose.unwrap()["nextToken"], 5);
    }

    /// Why a body that is not JSON reads as an empty document: botocore
    /// reads it as `{"message": <text>}`, and that member is in no output.
    #[test]
    fn no_output_has_a_message_member() {
        for service in crate::sdk::SERVICES {
            for op in service.operations {
                let members = service.shape(op.output).kind.members();
                assert!(
                    members.iter().all(|m| m.name != "message"),
                    "{}: reading a body that is not JSON must now keep its text",
                    op.name
                );
            }
        }
    }
}
