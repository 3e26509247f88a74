//! Calling the services through the AWS SDK for Rust.
//!
//! [`ServiceClient`] wraps the SDK client of one service and sends one
//! operation, given by its model, with a JSON input document, through the
//! generated bridge. It also maps the SDK's errors to aws's wording, counting
//! attempts so that an error after exhausted retries says
//! `(reached max retries: N)` as aws does.

pub mod bridge;
mod splice;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
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
    attempts: Arc<Attempts>,
    current_input: splice::CurrentInput,
    max_attempts: u32,
    /// What connection errors name: the endpoint with the request's path.
    endpoint_for_errors: String,
}

impl ServiceClient {
    pub fn new(service: &Service, config: &SdkConfig, endpoint_for_errors: String) -> Self {
        let attempts = Arc::new(Attempts::default());
        let counter = AttemptCounter(attempts.clone());
        let current_input = splice::CurrentInput::default();
        let splice = splice::SpliceInput(current_input.clone());
        let max_attempts = config.retry_config().map(|r| r.max_attempts()).unwrap_or(3);
        // --no-sign-request: no credentials provider, so send unsigned.
        let unsigned = config.credentials_provider().is_none();
        // The same settings on either service's config builder.
        macro_rules! configure {
            ($builder:expr) => {{
                let mut b = $builder.interceptor(counter).interceptor(splice);
                if unsigned {
                    b = b.allow_no_auth();
                }
                if crate::debug::enabled() {
                    b = b.interceptor(crate::debug::DebugInterceptor);
                }
                b
            }};
        }
        let inner = match service.cli_name {
            "ecr-public" => {
                let b = aws_sdk_ecrpublic::config::Builder::from(config);
                Inner::EcrPublic(aws_sdk_ecrpublic::Client::from_conf(configure!(b).build()))
            }
            _ => {
                let b = aws_sdk_ecr::config::Builder::from(config);
                Inner::Ecr(aws_sdk_ecr::Client::from_conf(configure!(b).build()))
            }
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
        self.attempts.count.store(0, Ordering::Relaxed);
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
                // aws adds "(reached max retries: N)" when the last error was
                // one it retries and the attempts ran out.
                let attempts = self.attempts.count.load(Ordering::Relaxed);
                let status = self.attempts.status.load(Ordering::Relaxed);
                let max_retries = (attempts >= self.max_attempts && is_retryable(&code, status))
                    .then(|| attempts.saturating_sub(1));
                Error::Service {
                    code,
                    operation,
                    message,
                    max_retries,
                }
            }
            Error::Connect { url } if url.is_empty() => Error::Connect {
                url: self.last_url(),
            },
            Error::ConnectTimeout { url } if url.is_empty() => Error::ConnectTimeout {
                url: self.last_url(),
            },
            Error::ReadTimeout { url } if url.is_empty() => Error::ReadTimeout {
                url: self.last_url(),
            },
            Error::Ssl { url, detail } if url.is_empty() => Error::Ssl {
                url: self.last_url(),
                detail,
            },
            other => other,
        }
    }

    /// The URL of the last request sent, as aws names it in connection
    /// errors; the configured endpoint when nothing was sent.
    fn last_url(&self) -> String {
        match self.attempts.url.lock() {
            Ok(url) if !url.is_empty() => url.clone(),
            _ => self.endpoint_for_errors.clone(),
        }
    }
}

/// Error codes aws's standard retry mode retries (botocore's and the SDK's
/// throttling and transient lists); any 5xx status is retried as well.
const RETRYABLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
];

fn is_retryable(code: &str, status: u32) -> bool {
    status >= 500 || status == 429 || RETRYABLE_CODES.contains(&code)
}

/// What the interceptor saw of the current call.
#[derive(Debug, Default)]
struct Attempts {
    count: AtomicU32,
    /// HTTP status of the last response.
    status: AtomicU32,
    /// URL of the last request.
    url: Mutex<String>,
}

/// Counts the attempts of the current call and keeps the last URL and status.
#[derive(Debug)]
struct AttemptCounter(Arc<Attempts>);

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
        self.0.count.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut url) = self.0.url.lock() {
            *url = context.request().uri().to_string();
        }
        Ok(())
    }

    fn read_before_deserialization(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.status.store(
            u32::from(context.response().status().as_u16()),
            Ordering::Relaxed,
        );
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
        SdkError::DispatchFailure(_) if tls_failure(&e).is_some() => Error::Ssl {
            url: String::new(),
            detail: tls_failure(&e).unwrap_or_default(),
        },
        SdkError::DispatchFailure(df) if df.is_timeout() => {
            // The connect timeout fires while connecting; anything else timed
            // out waiting for the response.
            if format!("{}", DisplayErrorContext(&e)).contains("HTTP connect timeout") {
                Error::ConnectTimeout { url: String::new() }
            } else {
                Error::ReadTimeout { url: String::new() }
            }
        }
        SdkError::DispatchFailure(df) if df.is_io() => Error::Connect { url: String::new() },
        SdkError::ResponseError(_) => Error::Other(format!(
            "An error occurred when calling the {operation} operation: the response could not be read: {}",
            DisplayErrorContext(&e)
        )),
        _ => Error::Other(format!("{}", DisplayErrorContext(&e))),
    }
}

/// The certificate problem when a request failed in the TLS handshake.
fn tls_failure(e: &dyn std::error::Error) -> Option<String> {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if text.contains("invalid peer certificate") || text.contains("certificate verify") {
            return Some(format!("[SSL: CERTIFICATE_VERIFY_FAILED] {text}"));
        }
        source = cause.source();
    }
    None
}
