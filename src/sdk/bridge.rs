//! Helpers the generated bridge (`src/generated/*_bridge.rs`) is written in.
//!
//! Reading typed scalars out of a JSON input document, with the
//! botocore-style path of the member (`rules[0].destinations[0].region`) in
//! any error, and the mapping of an `SdkError` to rcr's [`Error`]. Only the
//! request side: responses are read from the body (`crate::response`).

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::{Blob, DateTime};
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::error::Error;

/// A member of the input document that cannot become the SDK's type.
#[derive(Debug)]
pub struct InputError {
    /// botocore's spelling of the member's place: `rules[0].destinations`.
    pub path: String,
    pub message: String,
}

impl InputError {
    fn new(message: impl Into<String>) -> Self {
        InputError {
            path: String::new(),
            message: message.into(),
        }
    }

    /// A builder refused a structure (a required member is missing).
    pub fn build(e: aws_smithy_types::error::operation::BuildError) -> Self {
        InputError::new(e.to_string())
    }

    fn type_error(v: &Value, valid: &str) -> Self {
        InputError::new(format!(
            "value: {}, type: {}, valid types: {valid}",
            crate::python::str(v),
            crate::python::class_name(v)
        ))
    }
}

impl From<InputError> for Error {
    fn from(e: InputError) -> Self {
        let place = if e.path.is_empty() {
            "input".to_string()
        } else {
            e.path
        };
        Error::Validation(vec![format!(
            "Invalid type for parameter {place}, {}",
            e.message
        )])
    }
}

/// Adds the member name or list index to an error's path on its way up.
pub trait At<T> {
    fn at(self, name: &str) -> Result<T, InputError>;
    fn at_index(self, index: usize) -> Result<T, InputError>;
}

impl<T> At<T> for Result<T, InputError> {
    fn at(self, name: &str) -> Result<T, InputError> {
        self.map_err(|mut e| {
            e.path = if e.path.is_empty() {
                name.to_string()
            } else if e.path.starts_with('[') {
                format!("{name}{}", e.path)
            } else {
                format!("{name}.{}", e.path)
            };
            e
        })
    }

    fn at_index(self, index: usize) -> Result<T, InputError> {
        self.map_err(|mut e| {
            e.path = if e.path.is_empty() || e.path.starts_with('[') {
                format!("[{index}]{}", e.path)
            } else {
                format!("[{index}].{}", e.path)
            };
            e
        })
    }
}

/// A member of an object, where JSON `null` counts as absent.
pub fn member<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

pub fn in_object(v: &Value) -> Result<&Map<String, Value>, InputError> {
    v.as_object()
        .ok_or_else(|| InputError::type_error(v, "<class 'dict'>"))
}

pub fn in_array(v: &Value) -> Result<&Vec<Value>, InputError> {
    v.as_array()
        .ok_or_else(|| InputError::type_error(v, "<class 'list'>, <class 'tuple'>"))
}

pub fn in_string(v: &Value) -> Result<String, InputError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| InputError::type_error(v, "<class 'str'>"))
}

pub fn in_i64(v: &Value) -> Result<i64, InputError> {
    v.as_i64()
        .ok_or_else(|| InputError::type_error(v, "<class 'int'>"))
}

pub fn in_i32(v: &Value) -> Result<i32, InputError> {
    in_i64(v)?
        .try_into()
        .map_err(|_| InputError::new(format!("value: {v} is out of range for an integer")))
}

pub fn in_f64(v: &Value) -> Result<f64, InputError> {
    v.as_f64().ok_or_else(|| {
        InputError::type_error(
            v,
            "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
        )
    })
}

pub fn in_f32(v: &Value) -> Result<f32, InputError> {
    // The model's float members are f32 in the SDK; the narrowing is the SDK's.
    in_f64(v).map(|f| f as f32)
}

pub fn in_bool(v: &Value) -> Result<bool, InputError> {
    v.as_bool()
        .ok_or_else(|| InputError::type_error(v, "<class 'bool'>"))
}

/// A timestamp member: epoch seconds (number) or an ISO 8601 string.
pub fn in_timestamp(v: &Value) -> Result<DateTime, InputError> {
    let invalid = || InputError::type_error(v, "<class 'datetime.datetime'>, <class 'str'>");
    match v {
        Value::Number(n) => n.as_f64().map(DateTime::from_secs_f64).ok_or_else(invalid),
        Value::String(s) => crate::timestamp::parse_input(s).ok_or_else(invalid),
        _ => Err(invalid()),
    }
}

/// A blob member: in the input document blobs are always base64 text (the
/// params layer encodes raw bytes from `fileb://` and `raw-in-base64-out`).
pub fn in_blob(v: &Value) -> Result<Blob, InputError> {
    let s = v.as_str().ok_or_else(|| {
        InputError::type_error(v, "<class 'bytes'>, <class 'bytearray'>, file-like object")
    })?;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .map(Blob::new)
        .map_err(|_| InputError::new(format!("value: {s}, is not valid base64")))
}

/// Maps the SDK's error for `operation` to rcr's error.
pub fn sdk_error<E>(
    operation: &str,
    e: SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    crate::sdk::map_sdk_error(operation, e)
}
