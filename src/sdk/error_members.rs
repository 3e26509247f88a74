//! The modeled members of a service error, read from the error's body.
//!
//! botocore parses an error body a second time with the error shape the
//! code names (a structure with `exception: true`) and puts the members it
//! finds beside `Error`; aws v2.34 shows them in the `Additional error
//! details:` block and in the structured error documents (`kmsError`,
//! `InvalidLayerPartException`'s `uploadId`, `lastValidByteReceived`, ...).
//! Members come in the model's order and only when the body has them.

use serde_json::{Map, Value};

use crate::model::{Service, ShapeKind};

/// The members of `service`'s exception `code` that `body` holds, parsed by
/// the model as any response document is; empty when the code names no
/// modeled exception or the body is not such a document.
pub fn modeled_members(service: &'static Service, code: &str, body: &[u8]) -> Map<String, Value> {
    let Some(shape) = service.shapes.iter().position(|s| {
        s.name == code
            && matches!(
                s.kind,
                ShapeKind::Structure {
                    exception: true,
                    ..
                }
            )
    }) else {
        return Map::new();
    };
    let Ok(shape) = crate::model::ShapeId::try_from(shape) else {
        return Map::new();
    };
    // No exception shape of either model has a timestamp member (checked
    // by the test below), so the run's timestamp format cannot matter here.
    let timestamps = crate::timestamp::TimestampFormat::Iso8601;
    match crate::response::document(service, shape, body, timestamps) {
        Ok(Value::Object(members)) => members,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_in_model_order_only_when_present() {
        let ecr = &crate::generated::ecr_model::SERVICE;
        let body = br#"{"__type":"InvalidLayerPartException","message":"bad part","lastValidByteReceived":41,"uploadId":"u-1","extra":1}"#;
        let m = modeled_members(ecr, "InvalidLayerPartException", body);
        assert_eq!(
            serde_json::to_string(&m).ok(),
            Some(r#"{"uploadId":"u-1","lastValidByteReceived":41,"message":"bad part"}"#.into())
        );
        assert!(modeled_members(ecr, "ThrottlingException", body).is_empty());
        assert!(modeled_members(ecr, "KmsException", b"<html>").is_empty());
    }

    /// Why [`modeled_members`] may ignore the run's timestamp format: no
    /// exception of either model holds a timestamp, at any depth. A model
    /// update that adds one fails here, and the format must then reach the
    /// error path.
    #[test]
    fn no_exception_holds_a_timestamp() {
        fn holds_timestamp(service: &Service, id: crate::model::ShapeId, depth: usize) -> bool {
            if depth > 16 {
                return false;
            }
            match &service.shape(id).kind {
                ShapeKind::Timestamp => true,
                ShapeKind::Structure { members, .. } => members
                    .iter()
                    .any(|m| holds_timestamp(service, m.shape, depth + 1)),
                ShapeKind::List { member, .. } => holds_timestamp(service, *member, depth + 1),
                ShapeKind::Map { value, .. } => holds_timestamp(service, *value, depth + 1),
                _ => false,
            }
        }
        for service in crate::sdk::SERVICES {
            for (i, shape) in service.shapes.iter().enumerate() {
                if let ShapeKind::Structure {
                    exception: true, ..
                } = shape.kind
                {
                    let id = crate::model::ShapeId::try_from(i).expect("a shape index fits");
                    assert!(!holds_timestamp(service, id, 0), "{}", shape.name);
                }
            }
        }
    }
}
