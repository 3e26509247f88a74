//! `--generate-cli-skeleton`: sample documents built from the model, as aws
//! v2 builds them (botocore's `ArgumentGenerator` and awscli's
//! `YAMLArgumentGenerator` rendered by ruamel.yaml).
//!
//! Values: strings `""` (an enum's first value), integers `0`, floats `0.0`,
//! booleans `true`, timestamps `1970-01-01T00:00:00`, blobs `null` (YAML:
//! `!!binary ''`), lists of one element, maps `{"KeyName": ...}`, and a
//! structure met again inside itself becomes `{}`. For `output` the strings
//! are the member names instead.
//!
//! `yaml-input` adds an end-of-line comment per member: `[REQUIRED]`, the
//! first sentence of its documentation with the HTML stripped (split at the
//! first `.` or `:`; documentation that is not well-formed XML is used as
//! is), and `Valid values are: ...` for enums. ruamel puts the first comment
//! of a mapping two spaces after the value and the others one space after;
//! [`extra_space`] reproduces its rule exactly. The expected bytes for every
//! operation were produced by running aws v2's generator code (awscli
//! `generatecliskeleton.py` on botocore with ruamel.yaml 0.19) and checked
//! against the recorded aws v2 run in `skeleton-yaml-input.json`.

use serde_json::{Map, Value};

use super::BinaryFormat;
use crate::cli::OperationCall;
use crate::error::Error;
use crate::model::{Member, Service, ShapeId, ShapeKind};

/// What `--generate-cli-skeleton` asks to print, built before any
/// configuration or network work. Printing is the caller's: this layer
/// only builds documents.
#[derive(Debug, Clone, PartialEq)]
pub enum Skeleton {
    /// `input`: the input document, printed as JSON.
    InputJson(Value),
    /// `yaml-input`: the commented YAML text.
    InputYaml(String),
    /// `output`: a fake response, printed in the chosen output format.
    Output(Value),
}

/// The skeleton the command line asks for; `None` when the option was not
/// given.
///
/// `output` behaves as aws: required flags are still required (unless an
/// input document is given), the input is built and validated, and the fake
/// response is validated against the output shape.
pub fn requested(call: &OperationCall, binary: BinaryFormat) -> Result<Option<Skeleton>, Error> {
    let Some(kind) = call.generate_cli_skeleton.as_deref() else {
        return Ok(None);
    };
    let service = call.service;
    let op = call.operation;
    let skeleton = match kind {
        "input" => Skeleton::InputJson(input_json(service, op.input)),
        "yaml-input" => Skeleton::InputYaml(input_yaml(service, op.input)),
        "output" => {
            super::require_flags(call)?;
            let input = super::build_input(call, binary)?;
            // aws stubs the client with the fake response, and botocore's
            // Stubber validates that response against the output shape
            // first: where member names break a `min`, aws fails here.
            let response = output_json(service, op.output);
            super::validate::validate(service, op.output, &response)?;
            super::validate::validate(service, op.input, &input)?;
            Skeleton::Output(response)
        }
        other => {
            return Err(Error::usage(format!(
                "argument --generate-cli-skeleton: Found invalid choice '{other}'\n"
            )));
        }
    };
    Ok(Some(skeleton))
}

/// The JSON input skeleton (`input`).
pub fn input_json(service: &Service, shape: ShapeId) -> Value {
    let mut stack = Vec::new();
    generate(service, shape, &mut stack, "", false)
}

/// The fake response of `output`: the output skeleton with member names as
/// string values.
pub fn output_json(service: &Service, shape: ShapeId) -> Value {
    let mut stack = Vec::new();
    generate(service, shape, &mut stack, "", true)
}

fn generate(
    service: &Service,
    shape: ShapeId,
    stack: &mut Vec<ShapeId>,
    name: &str,
    member_names: bool,
) -> Value {
    stack.push(shape);
    let value = match &service.shape(shape).kind {
        ShapeKind::Structure { members, .. } => {
            let mut map = Map::new();
            for m in expanded_members(stack, shape, members) {
                let v = generate(service, m.shape, stack, m.name, member_names);
                map.insert(m.name.to_string(), v);
            }
            Value::Object(map)
        }
        ShapeKind::List { member, .. } => {
            let name = if member_names {
                service.shape(*member).name
            } else {
                ""
            };
            Value::Array(vec![generate(service, *member, stack, name, member_names)])
        }
        ShapeKind::Map { value, .. } => {
            let mut map = Map::new();
            map.insert(
                "KeyName".into(),
                generate(service, *value, stack, "", member_names),
            );
            Value::Object(map)
        }
        ShapeKind::String { enum_values, .. } => {
            if member_names {
                Value::String(name.to_string())
            } else {
                Value::String(enum_values.first().copied().unwrap_or_default().to_string())
            }
        }
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => Value::from(0),
        ShapeKind::Float { .. } | ShapeKind::Double { .. } => Value::from(0.0),
        ShapeKind::Boolean => Value::Bool(true),
        ShapeKind::Timestamp => Value::String("1970-01-01T00:00:00".into()),
        ShapeKind::Blob { .. } => Value::Null,
    };
    stack.pop();
    value
}

/// The members a structure's skeleton lists (`shape` just pushed on
/// `stack`): none when the structure is already being expanded further up,
/// so a recursive shape stops there, as botocore's generator does.
fn expanded_members(
    stack: &[ShapeId],
    shape: ShapeId,
    members: &'static [Member],
) -> &'static [Member] {
    if stack.iter().filter(|&&s| s == shape).count() > 1 {
        &[]
    } else {
        members
    }
}

/// A node of the YAML skeleton.
enum Node {
    Scalar(String),
    /// A structure: entries with their comments.
    Commented(Vec<(String, Node, String)>),
    /// A map shape's `{KeyName: ...}` (a plain dict, no comments).
    Plain(Vec<(String, Node)>),
    Seq(Vec<Node>),
}

/// The YAML input skeleton (`yaml-input`), ending in a newline.
pub fn input_yaml(service: &Service, shape: ShapeId) -> String {
    let mut stack = Vec::new();
    let node = yaml_node(service, shape, &mut stack);
    let mut out = String::new();
    match &node {
        Node::Commented(entries) if !entries.is_empty() => {
            emit_commented(&mut out, entries, 0, false)
        }
        Node::Plain(entries) if !entries.is_empty() => emit_plain(&mut out, entries, 0, false),
        _ => out.push_str("{}\n"),
    }
    out
}

fn yaml_node(service: &Service, shape: ShapeId, stack: &mut Vec<ShapeId>) -> Node {
    stack.push(shape);
    let node = match &service.shape(shape).kind {
        ShapeKind::Structure { members, .. } => Node::Commented(
            expanded_members(stack, shape, members)
                .iter()
                .map(|m| {
                    let child = yaml_node(service, m.shape, stack);
                    (m.name.to_string(), child, member_comment(service, m))
                })
                .collect(),
        ),
        ShapeKind::List { member, .. } => Node::Seq(vec![yaml_node(service, *member, stack)]),
        ShapeKind::Map { value, .. } => {
            Node::Plain(vec![("KeyName".into(), yaml_node(service, *value, stack))])
        }
        ShapeKind::String { enum_values, .. } => Node::Scalar(yaml_string(
            enum_values.first().copied().unwrap_or_default(),
        )),
        ShapeKind::Integer { .. } | ShapeKind::Long { .. } => Node::Scalar("0".into()),
        ShapeKind::Float { .. } | ShapeKind::Double { .. } => Node::Scalar("0.0".into()),
        ShapeKind::Boolean => Node::Scalar("true".into()),
        ShapeKind::Timestamp => Node::Scalar("1970-01-01 00:00:00".into()),
        ShapeKind::Blob { .. } => Node::Scalar("!!binary ''".into()),
    };
    stack.pop();
    node
}

/// A string as ruamel writes it: plain when it cannot read back as
/// something else, else single-quoted.
fn yaml_string(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// The end-of-line comment of one member (empty when it has none).
fn member_comment(service: &Service, m: &Member) -> String {
    let shape = service.shape(m.shape);
    let doc = if m.doc.is_empty() { shape.doc } else { m.doc };
    let mut parts: Vec<String> = Vec::new();
    if m.required {
        parts.push("[REQUIRED]".into());
    }
    parts.push(doc_overview(doc));
    if let ShapeKind::String { enum_values, .. } = &shape.kind
        && !enum_values.is_empty()
    {
        parts.push(format!("Valid values are: {}.", enum_values.join(", ")));
    }
    let comment = parts.join(" ");
    if comment.chars().all(char::is_whitespace) {
        String::new()
    } else {
        comment
    }
}

/// awscli's `get_shape_doc_overview`: the text of the documentation, cut at
/// the first run of `.`/`:` (which becomes one `.`), line breaks as spaces.
pub fn doc_overview(doc: &str) -> String {
    let text = strip_xml(doc).unwrap_or_else(|| doc.to_string());
    let first = match text.find(['.', ':']) {
        Some(i) => &text[..i],
        None => text.as_str(),
    };
    let mut s = first.to_string();
    if !s.is_empty() {
        s.push('.');
    }
    s.replace(['\n', '\u{2028}'], " ")
}

/// The text nodes of `<doc>{doc}</doc>` parsed as XML, or `None` when it is
/// not well-formed (Python's minidom then raises and awscli keeps the raw text).
fn strip_xml(doc: &str) -> Option<String> {
    let mut out = String::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = doc;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(r) = rest.strip_prefix("<!--") {
                let end = r.find("-->")?;
                rest = &r[end + 3..];
            } else if let Some(r) = rest.strip_prefix("<![CDATA[") {
                let end = r.find("]]>")?;
                out.push_str(&r[..end]);
                rest = &r[end + 3..];
            } else if rest.starts_with("<?") || rest.starts_with("<!") {
                return None;
            } else if let Some(r) = rest.strip_prefix("</") {
                let end = r.find('>')?;
                let name = r[..end].trim_end();
                if stack.pop() != Some(name) {
                    return None;
                }
                rest = &r[end + 1..];
            } else {
                let r = &rest[1..];
                let name_len = r
                    .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                    .unwrap_or(r.len());
                let name = &r[..name_len];
                if name.is_empty() || !name.chars().next().is_some_and(is_name_start) {
                    return None;
                }
                let mut r = &r[name_len..];
                // Attributes: name="value" or name='value'.
                loop {
                    r = r.trim_start();
                    if let Some(after) = r.strip_prefix("/>") {
                        r = after;
                        break;
                    }
                    if let Some(after) = r.strip_prefix('>') {
                        stack.push(name);
                        r = after;
                        break;
                    }
                    let eq = r.find('=')?;
                    let attr = r[..eq].trim();
                    if attr.is_empty() || !attr.chars().next().is_some_and(is_name_start) {
                        return None;
                    }
                    let v = r[eq + 1..].trim_start();
                    let q = v.chars().next().filter(|&c| c == '"' || c == '\'')?;
                    let close = v[1..].find(q)?;
                    let value = &v[1..1 + close];
                    if value.contains('<') {
                        return None;
                    }
                    decode_entities(value)?;
                    r = &v[close + 2..];
                }
                rest = r;
            }
        } else if c == '&' {
            let end = rest.find(';')?;
            out.push_str(&decode_entities(&rest[..=end])?);
            rest = &rest[end + 1..];
        } else {
            if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') {
                return None;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    stack.is_empty().then_some(out)
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == ':'
}

/// XML's predefined and numeric entities (anything else is an error).
fn decode_entities(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let r = &rest[i + 1..];
        let end = r.find(';')?;
        let name = &r[..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()?
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok()?
                } else {
                    return None;
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &r[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Whether ruamel writes the comment of entry `idx` with an extra space: its
/// column is unset when neither the previous key nor a key found by ruamel's
/// scan of earlier keys (stopping at the first one not sorting before this
/// key) has a comment.
fn extra_space(entries: &[(String, Node, String)], idx: usize) -> bool {
    if idx > 0 && !entries[idx - 1].2.is_empty() {
        return false;
    }
    let key = &entries[idx].0;
    for (k, _, comment) in &entries[..idx] {
        if k >= key {
            break;
        }
        if !comment.is_empty() {
            return false;
        }
    }
    true
}

fn push_comment(out: &mut String, comment: &str, extra: bool) {
    if comment.is_empty() {
        return;
    }
    out.push_str(if extra { "  # " } else { " # " });
    out.push_str(comment);
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Entries of a mapping at `col`; `inline` when the first key follows a
/// `- ` already written.
fn emit_commented(out: &mut String, entries: &[(String, Node, String)], col: usize, inline: bool) {
    for (i, (key, node, comment)) in entries.iter().enumerate() {
        if !(inline && i == 0) {
            indent(out, col);
        }
        out.push_str(key);
        out.push(':');
        let extra = extra_space(entries, i);
        emit_value(out, node, col, comment, extra);
    }
}

fn emit_plain(out: &mut String, entries: &[(String, Node)], col: usize, inline: bool) {
    for (i, (key, node)) in entries.iter().enumerate() {
        if !(inline && i == 0) {
            indent(out, col);
        }
        out.push_str(key);
        out.push(':');
        emit_value(out, node, col, "", false);
    }
}

/// The value after `key:` (the key written at `col`), its comment and the
/// line break.
fn emit_value(out: &mut String, node: &Node, col: usize, comment: &str, extra: bool) {
    // A scalar or an empty structure stands on the key's line; a structure
    // with entries follows on lines of its own.
    let inline = match node {
        Node::Scalar(s) => Some(s.as_str()),
        Node::Commented(e) if e.is_empty() => Some("{}"),
        Node::Plain(e) if e.is_empty() => Some("{}"),
        Node::Seq(items) if items.is_empty() => Some("[]"),
        _ => None,
    };
    if let Some(text) = inline {
        out.push(' ');
        out.push_str(text);
    }
    push_comment(out, comment, extra);
    out.push('\n');
    match node {
        Node::Commented(e) if inline.is_none() => emit_commented(out, e, col + 2, false),
        Node::Plain(e) if inline.is_none() => emit_plain(out, e, col + 2, false),
        Node::Seq(items) if inline.is_none() => emit_seq(out, items, col, false),
        _ => {}
    }
}

/// Items of a sequence, `- ` at `col`.
fn emit_seq(out: &mut String, items: &[Node], col: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if !(inline && i == 0) {
            indent(out, col);
        }
        out.push_str("- ");
        match item {
            Node::Scalar(s) => {
                out.push_str(s);
                out.push('\n');
            }
            Node::Commented(e) if !e.is_empty() => emit_commented(out, e, col + 2, true),
            Node::Plain(e) if !e.is_empty() => emit_plain(out, e, col + 2, true),
            Node::Seq(inner) if !inner.is_empty() => emit_seq(out, inner, col + 2, true),
            Node::Seq(_) => out.push_str("[]\n"),
            _ => out.push_str("{}\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sdk;

    fn all_cases() -> Vec<(String, String, String, String)> {
        let expected: Map<String, Value> =
            serde_json::from_str(include_str!("../../tests/fixtures/params/skeletons.json"))
                .expect("fixture is JSON");
        expected
            .into_iter()
            .map(|(k, v)| {
                let mut parts = k.split(' ').map(str::to_string);
                let svc = parts.next().unwrap_or_default();
                let op = parts.next().unwrap_or_default();
                let kind = parts.next().unwrap_or_default();
                (svc, op, kind, v.as_str().unwrap_or_default().to_string())
            })
            .collect()
    }

    /// Every operation of both services, both input skeletons, byte for byte
    /// against aws v2's generator code.
    #[test]
    fn every_operation_matches_aws_v2() {
        let mut mismatches = Vec::new();
        let cases = all_cases();
        assert!(cases.len() >= 150, "fixture holds {} cases", cases.len());
        for (svc, op, kind, want) in cases {
            let service = sdk::service(&svc).expect("service");
            let Some(operation) = service.operation(&op) else {
                mismatches.push(format!("{svc} {op}: no such operation"));
                continue;
            };
            let got = if kind == "input" {
                let mut buf = Vec::new();
                crate::output::json::write_json(&mut buf, &input_json(service, operation.input))
                    .expect("write to memory");
                String::from_utf8(buf).unwrap_or_default()
            } else {
                input_yaml(service, operation.input)
            };
            if got != want {
                mismatches.push(format!(
                    "{svc} {op} {kind}:\n--- want\n{want}--- got\n{got}"
                ));
            }
        }
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    }

    #[test]
    fn recorded_v2_yaml_input() {
        let rec: Value = serde_json::from_str(include_str!(
            "../../tests/fixtures/aws-v2-reference/skeleton-yaml-input.json"
        ))
        .expect("fixture is JSON");
        let service = sdk::service("ecr").expect("ecr");
        let op = service.operation("put-image-tag-mutability").expect("op");
        assert_eq!(
            input_yaml(service, op.input),
            rec["aws_v2"]["stdout"].as_str().unwrap_or_default()
        );
    }

    #[test]
    fn overview_rules() {
        assert_eq!(doc_overview("<p>The name. More.</p>"), "The name.");
        assert_eq!(doc_overview("<p> Lead: rest</p>"), " Lead.");
        assert_eq!(doc_overview("a <b>bold</b> word"), "a bold word.");
        assert_eq!(doc_overview("&lt;tag&gt; x"), "<tag> x.");
        // Not well-formed XML: the raw text is used.
        assert_eq!(doc_overview("<p>open"), "<p>open.");
        assert_eq!(doc_overview("a&nbsp;b"), "a&nbsp;b.");
        assert_eq!(doc_overview(""), "");
        assert_eq!(doc_overview("line\nbreak"), "line break.");
    }
}
