//! Calling the services through the AWS SDK for Rust.
//!
//! [`ServiceClient`] wraps the SDK client of one service and sends one
//! operation, given by its model, with a JSON input document, through the
//! generated bridge. The SDK signs, retries, sends and classifies errors;
//! the document returned is read from the response body with the model
//! (`crate::response`, the body handed over by [`capture`]). It also maps
//! the SDK's errors to aws's wording, counting attempts so that an error
//! after exhausted retries says `(reached max retries: N)` as aws does.

#[macro_use]
mod intercept;
pub mod bridge;
pub mod capture;
mod error_body;
mod error_members;
mod retry;
mod splice;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::client::interceptors::context::{
    AfterDeserializationInterceptorContextRef, BeforeDeserializationInterceptorContextRef,
    BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use serde_json::Value;

use crate::error::{Error, cause_chain};
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
    service: &'static Service,
    inner: Inner,
    attempts: Arc<Attempts>,
    current_input: splice::CurrentInput,
    body: capture::BodySlot,
    error_body: capture::ErrorSlot,
    max_attempts: u32,
    options: ClientOptions,
}

/// What a [`ServiceClient`] needs beyond the SDK's configuration, from the
/// run's settings and `config::load`.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// What connection errors name when no request was sent: the endpoint
    /// and `/`.
    pub endpoint_for_errors: String,
    /// How response timestamps are printed (`cli_timestamp_format`).
    pub timestamps: crate::timestamp::TimestampFormat,
    /// Sign for the region `''` (see `config::Resolved::empty_region`).
    pub empty_region: bool,
}

impl ClientOptions {
    /// The options of a client for `resolved`, printing timestamps as
    /// `timestamps` says.
    pub fn of(
        resolved: &crate::config::Resolved,
        timestamps: crate::timestamp::TimestampFormat,
    ) -> ClientOptions {
        ClientOptions {
            endpoint_for_errors: resolved.endpoint_for_errors.clone(),
            timestamps,
            empty_region: resolved.empty_region,
        }
    }
}

impl ServiceClient {
    pub fn new(service: &'static Service, config: &SdkConfig, options: ClientOptions) -> Self {
        let attempts = Arc::new(Attempts::default());
        let current_input = splice::CurrentInput::default();
        let splice = splice::SpliceInput(current_input.clone());
        let body = capture::BodySlot::default();
        let error_body = capture::ErrorSlot::default();
        let capture = capture::CaptureInterceptor(body.clone(), error_body.clone());
        let observer = CallObserver {
            attempts: attempts.clone(),
            debug_body: crate::debug::enabled().then(|| (body.clone(), error_body.clone())),
        };
        let max_attempts = config.retry_config().map(|r| r.max_attempts()).unwrap_or(3);
        // --no-sign-request: no credentials provider, so send unsigned.
        let unsigned = config.credentials_provider().is_none();
        // The same settings on either service's config builder.
        macro_rules! configure {
            ($builder:expr) => {{
                let mut b = $builder
                    .interceptor(observer)
                    .interceptor(splice)
                    .interceptor(capture)
                    .retry_classifier(retry::BrokenResponse(error_body.clone()));
                if unsigned {
                    b = b.allow_no_auth();
                }
                if options.empty_region {
                    b = b.interceptor(intercept::EmptySigningRegion);
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
            service,
            inner,
            attempts,
            current_input,
            body,
            error_body,
            max_attempts,
            options,
        }
    }

    /// Sends `operation` of `service` with `input` and returns the output
    /// document botocore would parse from the response body.
    pub async fn call(&self, operation: &Operation, input: &Value) -> Result<Value, Error> {
        self.attempts.count.store(0, Ordering::Relaxed);
        self.error_body.clear();
        self.current_input.set(input);
        let result = match &self.inner {
            Inner::Ecr(c) => generated::ecr_bridge::call(c, operation.name, input).await,
            Inner::EcrPublic(c) => {
                generated::ecr_public_bridge::call(c, operation.name, input).await
            }
        };
        result.map_err(|e| self.complete_error(e))?;
        let invalid = |detail: &str| {
            Error::Other(format!(
                "An error occurred when calling the {} operation: the response is not valid: {detail}",
                operation.name
            ))
        };
        // An empty body is a document without members, as botocore reads it.
        let body = self.body.take().unwrap_or_default();
        let request_id = self.attempts.request_id.load(Ordering::Relaxed);
        let python_error = not_an_object(&body, request_id);
        let timestamps = self.options.timestamps;
        let document =
            crate::response::document_from_chunks(self.service, operation.output, body, timestamps);
        document.map_err(|e| match e {
            // JSON that is not an object: botocore fails on it with Python's
            // AttributeError, which aws prints.
            crate::response::BodyError::Invalid(_) if python_error.is_some() => {
                Error::Other(python_error.unwrap_or_default())
            }
            crate::response::BodyError::Invalid(detail) => invalid(&detail),
            crate::response::BodyError::Timestamp(message) => Error::Other(message),
        })
    }

    fn complete_error(&self, e: Error) -> Error {
        match e {
            Error::Service {
                code,
                operation,
                message,
                members,
                generic,
                ..
            } => {
                // botocore's retries mark a response MaxAttemptsReached
                // whenever the attempt that failed was the last one allowed,
                // retryable error or not (so with AWS_MAX_ATTEMPTS=1 every
                // error says "(reached max retries: 0)"). Which errors are
                // retried is the SDK's classifiers' call: they see the code
                // botocore reads (see `capture`), and their throttling and
                // transient lists and statuses are botocore's standard ones.
                let attempts = self.attempts.count.load(Ordering::Relaxed);
                let max_retries =
                    (attempts >= self.max_attempts).then(|| attempts.saturating_sub(1));
                // The SDK parsed the JSON error the capture interceptor made
                // of the body; the modeled members come from the body itself.
                let raw = self.error_body.peek();
                if let Some(failure) = raw.as_ref().and_then(|r| r.python_error.clone()) {
                    return Error::Other(failure);
                }
                let (members, generic) = match raw {
                    Some(raw) => (
                        Box::new(error_members::modeled_members(
                            self.service,
                            &code,
                            &raw.body,
                        )),
                        raw.generic,
                    ),
                    None => (members, generic),
                };
                Error::Service {
                    code,
                    operation,
                    message,
                    max_retries,
                    members,
                    generic,
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
            Error::ConnectionClosed { url } if url.is_empty() => Error::ConnectionClosed {
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
            _ => self.options.endpoint_for_errors.clone(),
        }
    }
}

/// The AttributeError botocore meets reading a success body whose JSON
/// value is not an object, told by its first byte (`None` for an object, or
/// text that is not JSON at all, which the parser tells apart). A `null`
/// fails where the response metadata goes in: `setdefault` when the
/// response named a request id, `update` otherwise.
fn not_an_object(chunks: &[bytes::Bytes], request_id: bool) -> Option<String> {
    let first = chunks
        .iter()
        .flat_map(|c| c.iter())
        .find(|b| !b.is_ascii_whitespace())?;
    let is_float = || {
        chunks
            .iter()
            .any(|c| c.iter().any(|b| matches!(b, b'.' | b'e' | b'E')))
    };
    let (class, attribute) = match first {
        b'n' if request_id => ("NoneType", "setdefault"),
        b'n' => ("NoneType", "update"),
        b'[' => ("list", "get"),
        b'"' => ("str", "get"),
        b't' | b'f' => ("bool", "get"),
        b'-' | b'0'..=b'9' if is_float() => ("float", "get"),
        b'-' | b'0'..=b'9' => ("int", "get"),
        _ => return None,
    };
    Some(format!("'{class}' object has no attribute '{attribute}'"))
}

/// What the interceptor saw of the current call.
#[derive(Debug, Default)]
struct Attempts {
    count: AtomicU32,
    /// Whether the last response named its request id (botocore's
    /// metadata step then fails differently on a `null` body).
    request_id: std::sync::atomic::AtomicBool,
    /// URL of the last request.
    url: Mutex<String>,
}

/// Watches each attempt of the current call: counts the attempts and keeps
/// the last URL; with `--debug` (a body slot given) it also logs
/// each request and response, a successful response's body read from the
/// slot the capture interceptor fills (the SDK itself only sees `{}`).
#[derive(Debug)]
struct CallObserver {
    attempts: Arc<Attempts>,
    debug_body: Option<(capture::BodySlot, capture::ErrorSlot)>,
}

impl_intercept! {
    impl Intercept for CallObserver {
        fn read_before_attempt(&self, _context: &BeforeTransmitInterceptorContextRef<'_>) {
            self.attempts.count.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }

        fn read_before_transmit(&self, context: &BeforeTransmitInterceptorContextRef<'_>) {
            if let Ok(mut url) = self.attempts.url.lock() {
                *url = context.request().uri().to_string();
            }
            if self.debug_body.is_some() {
                crate::debug::log_request(context.request());
            }
            Ok(())
        }

        fn read_before_deserialization(
            &self,
            context: &BeforeDeserializationInterceptorContextRef<'_>
        ) {
            let request_id = ["x-amzn-requestid", "x-amz-request-id"]
                .iter()
                .any(|h| context.response().headers().contains_key(*h));
            self.attempts.request_id.store(request_id, Ordering::Relaxed);
            if self.debug_body.is_some() {
                crate::debug::log_response_head(context.response());
            }
            Ok(())
        }

        fn read_after_deserialization(
            &self,
            context: &AfterDeserializationInterceptorContextRef<'_>
        ) {
            if let Some((slot, error_slot)) = &self.debug_body {
                let captured = slot.peek().or_else(|| error_slot.peek().map(|raw| raw.body));
                if let Some(bytes) = captured.as_deref().or(context.response().body().bytes()) {
                    crate::debug::log_response_body(bytes);
                }
            }
            Ok(())
        }
    }
}

/// Maps an SDK error to rcr's error. Connection errors get their URL filled in
/// by [`ServiceClient`].
///
/// Nothing here prints an error's `Debug` form: it dumps the raw response
/// (headers and all), which is neither aws's wording nor safe to show.
pub fn map_sdk_error<E>(operation: &str, e: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if !matches!(e, SdkError::ServiceError(_)) {
        // What failed, in the SDK's words (a service error's raw response is
        // left out: it is logged as it arrived).
        crate::debug::log("rcr.sdk", &format!("Request failed: {}", cause_chain(&e)));
    }
    match &e {
        SdkError::ServiceError(se) => {
            let err = se.err();
            let status = se.raw().status().as_u16();
            match err.code() {
                Some(code) => Error::Service {
                    code: code.to_string(),
                    operation: operation.to_string(),
                    message: err.message().unwrap_or_default().to_string(),
                    max_retries: None,
                    // Read from the body by `ServiceClient::complete_error`.
                    members: Box::default(),
                    generic: false,
                },
                // A success status whose body is not the operation's output
                // (truncated, HTML, wrong types): the SDK reports it as an
                // unmodeled error without a code. It is not the service's
                // answer, so 255 with what went wrong, not 254 "(Unknown)".
                None if (200..300).contains(&status) => Error::Other(format!(
                    "An error occurred when calling the {operation} operation: the response is not valid: {}",
                    // The source: the error itself only says "unhandled error".
                    hide_found_value(
                        std::error::Error::source(err)
                            .map(cause_chain)
                            .unwrap_or_else(|| err.to_string())
                    )
                )),
                // Cannot happen: the capture interceptor gives every error
                // response a `__type` (see `error_body`); the status then.
                None => Error::Service {
                    code: status.to_string(),
                    operation: operation.to_string(),
                    message: err.message().unwrap_or_default().to_string(),
                    max_retries: None,
                    members: Box::default(),
                    generic: false,
                },
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
        // The connection could not be made: botocore's EndpointConnectionError.
        SdkError::DispatchFailure(df) if df.is_io() && cause_chain(&e).contains("(Connect)") => {
            Error::Connect { url: String::new() }
        }
        // The server reset or closed the connection before a response head
        // arrived (hyper's IncompleteMessage), or sent something that is
        // not HTTP: urllib3 sees a broken connection, botocore's
        // ConnectionClosedError.
        SdkError::DispatchFailure(df)
            if df.is_io()
                || cause_chain(&e).contains("connection closed")
                || retry::is_broken_response(&e) =>
        {
            Error::ConnectionClosed { url: String::new() }
        }
        // The body stopped arriving: the SDK's stalled-stream protection
        // fires where urllib3's per-read timeout would.
        SdkError::ResponseError(_) if cause_chain(&e).contains("minimum throughput") => {
            Error::ReadTimeout { url: String::new() }
        }
        // The connection broke while the body was being read (a reset, an
        // early close).
        SdkError::ResponseError(_) => Error::ConnectionClosed { url: String::new() },
        // Nothing above: say what went wrong in the words aws uses for an
        // HTTP client's unknown failure, naming the root cause only (the
        // SDK's wrappers name its interceptors and phases).
        SdkError::DispatchFailure(_) => Error::Other(format!(
            "An HTTP Client raised an unhandled exception: {}",
            root_cause(&e)
        )),
        _ => Error::Other(root_cause(&e)),
    }
}

/// The last source of an error's chain.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// The JSON parser quotes the value it did not expect (``found `...` ``);
/// that value comes from the response and may be a token, so it is left out.
fn hide_found_value(mut detail: String) -> String {
    if let Some(i) = detail.find("found `") {
        detail.truncate(i);
        detail.push_str("found a value of another type");
    }
    detail
}

/// The certificate problem when a request failed in the TLS handshake.
fn tls_failure(e: &dyn std::error::Error) -> Option<String> {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if text.contains("invalid peer certificate") || text.contains("certificate verify") {
            return Some(format!("[SSL: CERTIFICATE_VERIFY_FAILED] {text}"));
        }
        // What came back is not TLS (a plain HTTP server's answer to the
        // ClientHello): OpenSSL's words for it, as Python 3.11's ssl
        // module reports them.
        if text.contains("received corrupt message") {
            return Some("[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)".into());
        }
        source = cause.source();
    }
    None
}

#[cfg(test)]
mod tests {
    /// What rcr prints comes from the response body (`crate::response`):
    /// the generated bridge only sends, and hands back no typed output that
    /// anything could print from.
    #[test]
    fn no_operation_prints_from_the_typed_output() {
        for bridge in [
            include_str!("../generated/ecr_bridge.rs"),
            include_str!("../generated/ecr_public_bridge.rs"),
        ] {
            assert!(bridge.contains("input: &Value) -> Result<(), Error>"));
            assert!(!bridge.contains("fn out_"), "an output conversion is back");
            assert!(!bridge.contains("Ok(out"), "a typed output is returned");
        }
    }
}
