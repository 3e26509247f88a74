//! Full documents built from the service models, for tests that exercise
//! every operation: an input with every member set (recursively) and a
//! response with every member set, so that one run per operation covers
//! every member's path through rcr's bridge in both directions.

use std::path::PathBuf;

use serde_json::{Map, Value, json};

/// Members of the models that the AWS SDK for Rust does not have yet (the
/// generator's `KNOWN_SDK_GAPS`): rcr refuses to send them and cannot print
/// them, so full documents leave them out; tests/operations.rs checks the
/// refusal on its own.
pub const KNOWN_SDK_GAPS: &[(&str, &str)] = &[("ReplicationRule", "deleteReplication")];

pub struct Model {
    pub cli_name: &'static str,
    pub json: Value,
}

impl Model {
    pub fn load(cli_name: &'static str) -> Model {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("models")
            .join(cli_name)
            .join("service-2.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Model {
            cli_name,
            json: serde_json::from_str(&text).expect("model JSON"),
        }
    }

    pub fn operations(&self) -> Vec<String> {
        self.json["operations"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    pub fn target_prefix(&self) -> &str {
        self.json["metadata"]["targetPrefix"]
            .as_str()
            .unwrap_or_default()
    }

    fn shape(&self, name: &str) -> &Value {
        &self.json["shapes"][name]
    }

    pub fn input_shape(&self, op: &str) -> String {
        self.json["operations"][op]["input"]["shape"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn output_shape(&self, op: &str) -> String {
        self.json["operations"][op]["output"]["shape"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The input of `op` with every member set. Blobs are raw text (send them
    /// with `--cli-binary-format raw-in-base64-out` to compare with aws v1).
    pub fn full_input(&self, op: &str) -> Value {
        self.fill(&self.input_shape(op), "", Side::Input, &mut Vec::new())
    }

    /// A response of `op` with every member set, as the wire carries it
    /// (timestamps as epoch seconds, blobs base64).
    pub fn full_output(&self, op: &str) -> Value {
        self.fill(&self.output_shape(op), "", Side::Output, &mut Vec::new())
    }

    fn fill(&self, shape_name: &str, member: &str, side: Side, path: &mut Vec<String>) -> Value {
        let shape = self.shape(shape_name);
        let min = shape["min"].as_i64().unwrap_or(0);
        match shape["type"].as_str().unwrap_or_default() {
            "string" => match shape["enum"].as_array().and_then(|a| a.first()) {
                Some(v) => v.clone(),
                None => {
                    let mut s = format!("{member}-value");
                    while (s.len() as i64) < min {
                        s.push('x');
                    }
                    Value::String(s)
                }
            },
            "integer" => json!(7.max(min)),
            "long" => json!(1234567890123i64.max(min)),
            "double" => json!(7.5),
            "float" => json!(2.5),
            "boolean" => json!(true),
            "timestamp" => json!(1717171900.123456),
            "blob" => match side {
                Side::Input => json!("hello"),
                Side::Output => json!("aGVsbG8="),
            },
            "list" => {
                let elem = shape["member"]["shape"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                if path.contains(&elem) {
                    return json!([]);
                }
                path.push(elem.clone());
                let v = self.fill(&elem, member, side, path);
                path.pop();
                Value::Array(vec![v])
            }
            "map" => {
                let value = shape["value"]["shape"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let key_shape = self.shape(shape["key"]["shape"].as_str().unwrap_or_default());
                let key = match key_shape["enum"].as_array().and_then(|a| a.first()) {
                    Some(Value::String(k)) => k.clone(),
                    _ => "key1".to_string(),
                };
                path.push(value.clone());
                let v = self.fill(&value, member, side, path);
                path.pop();
                let mut m = Map::new();
                m.insert(key, v);
                Value::Object(m)
            }
            _ => {
                let mut m = Map::new();
                for (name, mem) in shape["members"].as_object().into_iter().flatten() {
                    if KNOWN_SDK_GAPS.contains(&(shape_name, name.as_str())) {
                        continue;
                    }
                    let s = mem["shape"].as_str().unwrap_or_default().to_string();
                    if path.contains(&s) || path.len() > 8 {
                        continue;
                    }
                    path.push(s.clone());
                    let v = self.fill(&s, name, side, path);
                    path.pop();
                    m.insert(name.clone(), v);
                }
                Value::Object(m)
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Side {
    Input,
    Output,
}

/// JSON equality where `1` equals `1.0` (the SDK and botocore may spell numbers differently).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    numbers_as_floats(a) == numbers_as_floats(b)
}

/// `value` with every number as a float, so that equal numbers compare
/// equal however they were written.
fn numbers_as_floats(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_floats).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), numbers_as_floats(v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}
