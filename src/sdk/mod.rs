//! Calling the services through the AWS SDK for Rust.
//!
//! [`ServiceClient`] wraps the SDK client of one service and sends one
//! operation, given by its model, with a JSON input document, through the
//! generated bridge. It also maps the SDK's errors to aws's wording, counting
//! attempts so that an error after exhausted retries says
//! `(reached max retries: N)` as aws does.

pub mod bridge;
mod splice;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use serde_json::Value;

use crate::error::Error;
use crate::generated;
use crate::model::{Operation, Service};

/// The services rcr offers, by command name.
pub static SERVICES: [&Service; 2] = [
    &generated::ecr_model::SERVICE,
    &generated::ecr_public_model::SERVICE,
];

pub fn service(cli_name: &str) -> Option<&'static Service> {
    SERVICES.iter().copied().find(|s| s.cli_name == cli_name)
}

enum Inner {
    Ecr(aws_sdk_ecr::Client),
    EcrPublic(aws_sdk_ecrpublic::Client),
}

/// The SDK client of one service, ready to send any of its operations.
pub struct ServiceClient {
    inner: Inner,
    attempts: Arc<AtomicU32>,
    current_input: splice::CurrentInput,
    max_attempts: u32,
    /// What connection errors name: the endpoint with the request's path.
    endpoint_for_errors: String,
}

impl ServiceClient {
    pub fn new(service: &Service, config: &SdkConfig, endpoint_for_errors: String) -> Self {
        let attempts = Arc::new(AtomicU32::new(0));
        let counter = AttemptCounter(attempts.clone());
        let current_input = splice::CurrentInput::default();
        let splice = splice::SpliceInput(current_input.clone());
        let max_attempts = config.retry_config().map(|r| r.max_attempts()).unwrap_or(3);
        let inner = match service.cli_name {
            "ecr-public" => Inner::EcrPublic(aws_sdk_ecrpublic::Client::from_conf(
                aws_sdk_ecrpublic::config::Builder::from(config)
                    .interceptor(counter)
                    .interceptor(splice)
                    .build(),
            )),
            _ => Inner::Ecr(aws_sdk_ecr::Client::from_conf(
                aws_sdk_ecr::config::Builder::from(config)
                    .interceptor(counter)
                    .interceptor(splice)
                    .build(),
            )),
        };
        ServiceClient {
            inner,
            attempts,
            current_input,
            max_attempts,
            endpoint_for_errors,
        }
    }

    /// Sends `operation` with `input` and returns its output as JSON in the
    /// model's member order.
    pub async fn call(&self, operation: &Operation, input: &Value) -> Result<Value, Error> {
        self.attempts.store(0, Ordering::Relaxed);
        self.current_input.set(input);
        let result = match &self.inner {
            Inner::Ecr(c) => generated::ecr_bridge::call(c, operation.name, input).await,
            Inner::EcrPublic(c) => {
                generated::ecr_public_bridge::call(c, operation.name, input).await
            }
        };
        result.map_err(|e| self.complete_error(e))
    }

    fn complete_error(&self, e: Error) -> Error {
        match e {
            Error::Service {
                code,
                operation,
                message,
                ..
            } => {
                let attempts = self.attempts.load(Ordering::Relaxed);
                let max_retries =
                    (attempts > 1 && attempts >= self.max_attempts).then(|| attempts - 1);
                Error::Service {
                    code,
                    operation,
                    message,
                    max_retries,
                }
            }
            Error::Connect { url } if url.is_empty() => Error::Connect {
                url: self.endpoint_for_errors.clone(),
            },
            Error::ReadTimeout { url } if url.is_empty() => Error::ReadTimeout {
                url: self.endpoint_for_errors.clone(),
            },
            other => other,
        }
    }
}

/// Counts the attempts of the current call.
#[derive(Debug)]
struct AttemptCounter(Arc<AtomicU32>);

impl Intercept for AttemptCounter {
    fn name(&self) -> &'static str {
        "AttemptCounter"
    }

    fn read_before_attempt(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Maps an SDK error to rcr's error. Connection errors get their URL filled in
/// by [`ServiceClient`].
pub fn map_sdk_error<E, R>(operation: &str, e: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            Error::Service {
                code: err.code().unwrap_or("Unknown").to_string(),
                operation: operation.to_string(),
                message: err.message().unwrap_or_default().to_string(),
                max_retries: None,
            }
        }
        SdkError::TimeoutError(_) => Error::ReadTimeout { url: String::new() },
        SdkError::DispatchFailure(df) if df.is_timeout() => {
            Error::ReadTimeout { url: String::new() }
        }
        SdkError::DispatchFailure(df) if df.is_io() => Error::Connect { url: String::new() },
        SdkError::ResponseError(_) => Error::Other(format!(
            "An error occurred when calling the {operation} operation: the response could not be read: {}",
            DisplayErrorContext(&e)
        )),
        _ => Error::Other(format!("{}", DisplayErrorContext(&e))),
    }
}
