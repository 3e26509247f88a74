//! Handing a successful response's body to rcr instead of the SDK's parser.
//!
//! What rcr prints is read from the body with the model (`crate::response`),
//! so the SDK's typed output is never used. [`CaptureBody`] takes the body of
//! every 2xx response before the SDK reads it: the SDK's deserializer gets
//! `{}` (an empty output costs it nothing), and the body's chunks, passed on
//! as they arrive (`Bytes` are reference counted: no copy), wait in a
//! [`BodySlot`] for [`super::ServiceClient::call`], which parses them in
//! order, freeing each once read.
//!
//! Error responses are read whole and handed to the SDK as the JSON error
//! botocore would have read from them (`super::error_body`): a proxy's HTML
//! page or a plain-text 503 then gets botocore's code (the status) and
//! message from both services, and the SDK's retry rules classify that code
//! as botocore's do. The original body waits in an [`ErrorSlot`] for the
//! modeled members and `--debug`.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use http_body::{Body, Frame};

/// The body of the last successful response of the current call, once it
/// has been read whole.
#[derive(Debug, Clone, Default)]
pub struct BodySlot(Arc<Mutex<Option<Vec<Bytes>>>>);

impl BodySlot {
    fn put(&self, chunks: Option<Vec<Bytes>>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = chunks;
        }
    }

    /// Takes the captured body in the chunks it came in. `None` when no
    /// successful response was read.
    pub fn take(&self) -> Option<Vec<Bytes>> {
        self.0.lock().ok()?.take()
    }

    /// The captured body, left in place (for `--debug`).
    pub fn peek(&self) -> Option<Bytes> {
        let slot = self.0.lock().ok()?;
        slot.as_ref().map(|chunks| join(chunks.clone()))
    }
}

fn join(mut chunks: Vec<Bytes>) -> Bytes {
    match chunks.len() {
        0 => Bytes::new(),
        1 => chunks.pop().unwrap_or_default(),
        _ => {
            let mut all = Vec::with_capacity(chunks.iter().map(Bytes::len).sum());
            for chunk in &chunks {
                all.extend_from_slice(chunk);
            }
            Bytes::from(all)
        }
    }
}

/// The last error response of the current call: its body as it came.
#[derive(Debug, Clone)]
pub struct RawError {
    pub body: Bytes,
    /// botocore read it as a generic error (see `super::error_body`).
    pub generic: bool,
    /// botocore could not read it at all (see `super::error_body`).
    pub python_error: Option<String>,
}

/// Where the last error response of the current call waits.
#[derive(Debug, Clone, Default)]
pub struct ErrorSlot(Arc<Mutex<Option<RawError>>>);

impl ErrorSlot {
    fn put(&self, raw: Option<RawError>) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = raw;
        }
    }

    /// Forgets the last error response (a new call starts).
    pub fn clear(&self) {
        self.put(None);
    }

    /// The last error response, left in place.
    pub fn peek(&self) -> Option<RawError> {
        self.0.lock().ok()?.clone()
    }
}

/// Swaps the body of each 2xx response for a [`CaptureBody`], and that of
/// every other response for an [`ErrorBody`].
#[derive(Debug)]
pub struct CaptureInterceptor(pub BodySlot, pub ErrorSlot);

impl_intercept! {
    impl Intercept for CaptureInterceptor {
        fn modify_before_deserialization(
            &self,
            context: &mut BeforeDeserializationInterceptorContextMut<'_>
        ) {
            // Each attempt starts empty: an earlier attempt's body is not this one's.
            self.0.put(None);
            self.1.put(None);
            let response = context.response_mut();
            let inner = std::mem::replace(response.body_mut(), SdkBody::taken());
            if !response.status().is_success() {
                // botocore's JSON parser reads the code from the body alone;
                // the SDK's would prefer this header.
                response.headers_mut().remove("x-amzn-errortype");
                *response.body_mut() = SdkBody::from_body_1_x(ErrorBody {
                    inner,
                    status: response.status().as_u16(),
                    slot: self.1.clone(),
                    chunks: Vec::new(),
                    done: false,
                });
                return Ok(());
            }
            *response.body_mut() = SdkBody::from_body_1_x(CaptureBody {
                inner,
                slot: self.0.clone(),
                chunks: Vec::new(),
                done: false,
            });
            Ok(())
        }
    }
}

/// Reads the real body into the slot and gives the SDK `{}` in its place.
struct CaptureBody {
    inner: SdkBody,
    slot: BodySlot,
    chunks: Vec<Bytes>,
    done: bool,
}

impl Body for CaptureBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => {
                    // Trailers carry nothing a JSON body needs.
                    if let Ok(data) = frame.into_data()
                        && !data.is_empty()
                    {
                        this.chunks.push(data);
                    }
                }
                Poll::Ready(None) => {
                    this.done = true;
                    this.slot.put(Some(std::mem::take(&mut this.chunks)));
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"{}")))));
                }
            }
        }
    }
}

/// Reads an error response's real body into the [`ErrorSlot`] and gives the
/// SDK, in its place, the JSON error botocore would read from it.
struct ErrorBody {
    inner: SdkBody,
    status: u16,
    slot: ErrorSlot,
    chunks: Vec<Bytes>,
    done: bool,
}

impl Body for ErrorBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data()
                        && !data.is_empty()
                    {
                        this.chunks.push(data);
                    }
                }
                Poll::Ready(None) => {
                    this.done = true;
                    let body = join(std::mem::take(&mut this.chunks));
                    let read = super::error_body::read(this.status, &body);
                    this.slot.put(Some(RawError {
                        body,
                        generic: read.generic,
                        python_error: read.python_error,
                    }));
                    let json = serde_json::json!({"__type": read.code, "message": read.message});
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(json.to_string())))));
                }
            }
        }
    }
}
