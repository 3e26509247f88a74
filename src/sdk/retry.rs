//! Where botocore's retries and the SDK's part. botocore retries an answer
//! that is not HTTP (garbage for a status line, a status that is not a
//! number): urllib3 reads it as a broken connection, a
//! `ConnectionClosedError`; the SDK's client reports a parse error of its
//! own kind, which no default classifier retries. And botocore never
//! retries an error body it cannot read (JSON that is not an object: it
//! fails before deciding), where the SDK would retry its 5xx status.

use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
use aws_smithy_runtime_api::client::retries::classifiers::{ClassifyRetry, RetryAction};

/// Retries a response whose head could not be read as HTTP; forbids
/// retrying one whose error body botocore could not read (the slot holds
/// the last error response).
#[derive(Debug)]
pub struct BrokenResponse(pub super::capture::ErrorSlot);

impl ClassifyRetry for BrokenResponse {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        if self.0.peek().is_some_and(|raw| raw.python_error.is_some()) {
            return RetryAction::RetryForbidden;
        }
        match ctx.output_or_error() {
            Some(Err(e)) => match e.as_connector_error() {
                Some(connector) if is_broken_response(connector) => RetryAction::transient_error(),
                _ => RetryAction::NoActionIndicated,
            },
            _ => RetryAction::NoActionIndicated,
        }
    }

    fn name(&self) -> &'static str {
        "BrokenResponse"
    }
}

/// A request sent whose answer was not HTTP (neither a timeout nor an I/O
/// error, which the SDK retries itself).
pub fn is_broken_response(e: &(dyn std::error::Error + 'static)) -> bool {
    let chain = crate::error::cause_chain(e);
    chain.contains("(SendRequest)") && !chain.contains("io error") && !chain.contains("timeout")
}
