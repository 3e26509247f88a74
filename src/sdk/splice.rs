//! Makes the request body carry every member the user gave, as aws sends it.
//!
//! The SDK serializes its typed input, and two things get lost on the way:
//! members whose Smithy model has a primitive default are skipped when they
//! hold it (`"scanOnPush": false` is not sent), and model members the SDK
//! crate does not have yet (the generator's known gaps) cannot be set at all.
//! aws sends both. For the JSON protocol the input document is the wire body,
//! so this interceptor parses the SDK's body just before signing and adds
//! every member of the input document it lacks, recursively. Members the SDK
//! did serialize are left as they are.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_types::body::SdkBody;
use serde_json::Value;

/// The input document of the call in flight, shared with the interceptor.
#[derive(Debug, Clone, Default)]
pub struct CurrentInput(Arc<Mutex<Option<Value>>>);

impl CurrentInput {
    pub fn set(&self, input: &Value) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(input.clone());
        }
    }
}

#[derive(Debug)]
pub struct SpliceInput(pub CurrentInput);

impl_intercept! {
    impl Intercept for SpliceInput {
        fn modify_before_signing(&self, context: &mut BeforeTransmitInterceptorContextMut<'_>) {
            let input = match self.0.0.lock() {
                Ok(slot) => slot.clone(),
                Err(_) => None,
            };
            let Some(input) = input else { return Ok(()) };
            let request = context.request_mut();
            let Some(bytes) = request.body().bytes() else {
                return Ok(());
            };
            let mut body: Value = if bytes.is_empty() {
                Value::Object(Default::default())
            } else {
                match serde_json::from_slice(bytes) {
                    Ok(v) => v,
                    // Not a JSON body: nothing of ours to add.
                    Err(_) => return Ok(()),
                }
            };
            if !add_missing(&mut body, &input) {
                return Ok(());
            }
            let new_body = serde_json::to_vec(&body)?;
            let length = new_body.len().to_string();
            *request.body_mut() = SdkBody::from(new_body);
            request.headers_mut().insert("Content-Length", length);
            Ok(())
        }
    }
}

/// Adds to `body` every member of `input` it lacks; true when it changed.
pub fn add_missing(body: &mut Value, input: &Value) -> bool {
    match (body, input) {
        (Value::Object(b), Value::Object(i)) => {
            let mut changed = false;
            for (key, value) in i {
                if value.is_null() {
                    continue;
                }
                match b.get_mut(key) {
                    Some(existing) => changed |= add_missing(existing, value),
                    None => {
                        b.insert(key.clone(), value.clone());
                        changed = true;
                    }
                }
            }
            changed
        }
        (Value::Array(b), Value::Array(i)) if b.len() == i.len() => {
            let mut changed = false;
            for (bv, iv) in b.iter_mut().zip(i) {
                changed |= add_missing(bv, iv);
            }
            changed
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn adds_default_valued_and_unknown_members() {
        let mut body = json!({"repositoryName": "r", "imageScanningConfiguration": {}});
        let input =
            json!({"repositoryName": "r", "imageScanningConfiguration": {"scanOnPush": false}});
        assert!(add_missing(&mut body, &input));
        assert_eq!(body, input);

        let mut body = json!({"rules": [{"destinations": [{"region": "x"}]}]});
        let input = json!({"rules": [{"destinations": [{"region": "x"}], "deleteReplication": {"enabled": true}}]});
        assert!(add_missing(&mut body, &input));
        assert_eq!(body, input);
    }

    #[test]
    fn leaves_what_the_sdk_wrote() {
        let mut body = json!({"a": 1, "b": [1, 2]});
        assert!(!add_missing(
            &mut body,
            &json!({"a": 1, "b": [1, 2], "c": null})
        ));
        assert_eq!(body, json!({"a": 1, "b": [1, 2]}));
    }
}
