//! [`ApiError`]: what an answer that is not the operation's model says, and how the
//! generated operations read an answer.

use core::fmt;
use std::time::{Duration, SystemTime};

use clerk_models::{ClerkError, RawJson};
use http::header::RETRY_AFTER;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::generated::TRACE_ID_HEADERS;
use crate::generated::models::ClerkErrors;

/// An answer that is not the operation's model: an error status, or a success whose body
/// does not fit; or, from the [`Client`](crate::Client), no answer at all.
///
/// It keeps what there is to act on: the HTTP status, Clerk's `errors` list (`code`,
/// `message`, `long_message`, `meta`), the trace id to quote to Clerk's support, when to
/// retry (`Retry-After`), and the body as received.
///
/// Its `Display` is the status, the first error's code and message, and the trace id:
/// `404 resource_not_found: Session not found (trace_123)`. Neither it nor `Debug` shows the
/// body (a body may hold a token) and nothing here ever holds the secret key.
///
/// A success whose body does not fit ([`ApiErrorKind::UnexpectedBody`]) means **the
/// operation did what it does** (a session was revoked, a user created): the error says so
/// and keeps the body, for you to read with your own type or to log.
pub struct ApiError(Box<Inner>);

/// What an [`ApiError`] holds, boxed so that a `Result` stays the size of its answer.
struct Inner {
    operation_id: &'static str,
    status: Option<StatusCode>,
    kind: ApiErrorKind,
    errors: Vec<ClerkError>,
    meta: Option<RawJson>,
    trace_id: Option<String>,
    retry_after: Option<RetryAfter>,
    body: Vec<u8>,
    decode_error: Option<clerk_models::Error>,
    /// Why there is no answer (an error of the HTTP stack: never a header or a body).
    detail: Option<String>,
}

/// What kind of answer an [`ApiError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// An error status with Clerk's error body: [`ApiError::errors`] says what went wrong.
    Clerk,
    /// An error status whose body is not Clerk's error JSON (a proxy's HTML page, an empty
    /// body, a truncated one): only the status and the headers say anything.
    UnreadableError,
    /// A success status whose body does not fit the operation's model: the operation
    /// succeeded, and [`ApiError::body`] holds what it answered.
    UnexpectedBody,
    /// The request could not be made ([`RequestError`](crate::RequestError)): nothing was
    /// sent.
    Request,
    /// No connection could be made: the request never left.
    NotConnected,
    /// The exchange failed after the request may have reached Clerk.
    Transport,
    /// No whole answer within the client's timeout; the request may have reached Clerk.
    Timeout,
    /// The answer's body is larger than the client reads.
    TooLarge,
}

/// Why the client has no answer, as it tells [`ApiError::no_answer`].
#[allow(dead_code, reason = "made by the client, behind its feature")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoAnswer {
    Request,
    NotConnected,
    Transport,
    Timeout,
    TooLarge,
}

/// When Clerk asks to be called again (`Retry-After`, on a 429 or a 503).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAfter {
    /// After this long (the header's seconds).
    Delay(Duration),
    /// At this time (the header's HTTP date).
    At(SystemTime),
}

impl RetryAfter {
    /// Reads a `Retry-After` value: seconds, or an HTTP date in any of the three forms
    /// RFC 9110 makes recipients accept. `None` for anything else.
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return value
                .parse()
                .ok()
                .map(|s| Self::Delay(Duration::from_secs(s)));
        }
        httpdate::parse_http_date(value).ok().map(Self::At)
    }

    /// How long to wait from `now`: the delay, or the time left until the date (zero once
    /// it has passed).
    #[must_use]
    pub fn delay_from(self, now: SystemTime) -> Duration {
        match self {
            Self::Delay(delay) => delay,
            Self::At(at) => at.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

impl ApiError {
    fn parts(
        operation_id: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Inner {
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(RetryAfter::parse);
        // The trace id of the first header of `TRACE_ID_HEADERS` that has one; a body's
        // `clerk_trace_id` replaces it.
        let trace_id = TRACE_ID_HEADERS
            .iter()
            .filter_map(|name| headers.get(*name)?.to_str().ok())
            .map(str::trim)
            .find(|v| !v.is_empty())
            .map(str::to_owned);
        Inner {
            operation_id,
            status: Some(status),
            kind: ApiErrorKind::UnreadableError,
            errors: Vec::new(),
            meta: None,
            trace_id,
            retry_after,
            body: body.to_vec(),
            decode_error: None,
            detail: None,
        }
    }

    /// No answer: `detail` says why, in the HTTP stack's words (never a header or a body).
    #[allow(dead_code, reason = "made by the client, behind its feature")]
    pub(crate) fn no_answer(operation_id: &'static str, why: NoAnswer, detail: String) -> Self {
        let kind = match why {
            NoAnswer::Request => ApiErrorKind::Request,
            NoAnswer::NotConnected => ApiErrorKind::NotConnected,
            NoAnswer::Transport => ApiErrorKind::Transport,
            NoAnswer::Timeout => ApiErrorKind::Timeout,
            NoAnswer::TooLarge => ApiErrorKind::TooLarge,
        };
        Self(Box::new(Inner {
            operation_id,
            status: None,
            kind,
            errors: Vec::new(),
            meta: None,
            trace_id: None,
            retry_after: None,
            body: Vec::new(),
            decode_error: None,
            detail: Some(detail),
        }))
    }

    /// An error status: Clerk's error list if the body is one.
    fn from_status(
        operation_id: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Self {
        let mut error = Self::parts(operation_id, status, headers, body);
        match clerk_models::from_slice::<ClerkErrors>(body) {
            Ok(parsed) => {
                error.kind = ApiErrorKind::Clerk;
                error.errors = parsed.errors;
                error.meta = parsed.meta;
                if let Some(trace) = parsed.clerk_trace_id.filter(|t| !t.is_empty()) {
                    error.trace_id = Some(trace);
                }
            }
            Err(e) => error.decode_error = Some(e),
        }
        Self(Box::new(error))
    }

    /// A success whose body is not the operation's model.
    fn unexpected(
        operation_id: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        decode_error: clerk_models::Error,
    ) -> Self {
        let mut error = Self::parts(operation_id, status, headers, body);
        error.kind = ApiErrorKind::UnexpectedBody;
        error.decode_error = Some(decode_error);
        Self(Box::new(error))
    }

    /// The operation whose answer this is (its `operationId`: `GetSession`).
    #[must_use]
    pub fn operation_id(&self) -> &'static str {
        self.0.operation_id
    }

    /// The HTTP status; `None` when there was no answer.
    #[must_use]
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// What kind of answer it is.
    #[must_use]
    pub fn kind(&self) -> ApiErrorKind {
        self.0.kind
    }

    /// Whether the operation succeeded and only its body did not fit: its effect happened.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.0.kind == ApiErrorKind::UnexpectedBody
    }

    /// Clerk's errors, first the main one; empty unless [`ApiErrorKind::Clerk`].
    #[must_use]
    pub fn errors(&self) -> &[ClerkError] {
        &self.0.errors
    }

    /// The first error's code (`resource_not_found`, `form_param_missing`).
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        self.0.errors.first().map(|e| e.code.as_str())
    }

    /// The `meta` object beside the errors, when Clerk sent one.
    #[must_use]
    pub fn meta(&self) -> Option<&RawJson> {
        self.0.meta.as_ref()
    }

    /// The trace id: the body's `clerk_trace_id`, else a trace header's.
    #[must_use]
    pub fn trace_id(&self) -> Option<&str> {
        self.0.trace_id.as_deref()
    }

    /// When to call again, from `Retry-After`.
    #[must_use]
    pub fn retry_after(&self) -> Option<RetryAfter> {
        self.0.retry_after
    }

    /// The body, as received.
    #[must_use]
    pub fn body(&self) -> &[u8] {
        &self.0.body
    }

    /// The body, as received, owned.
    #[must_use]
    pub fn into_body(self) -> Vec<u8> {
        self.0.body
    }

    /// Why the body was not the expected JSON, with the path where decoding stopped: for
    /// [`ApiErrorKind::UnexpectedBody`], the operation's model; for
    /// [`ApiErrorKind::UnreadableError`], Clerk's error list.
    #[must_use]
    pub fn decode_error(&self) -> Option<&clerk_models::Error> {
        self.0.decode_error.as_ref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.0.operation_id;
        let Some(status) = self.0.status.map(|s| s.as_u16()) else {
            let why = match self.0.kind {
                ApiErrorKind::Request => "the request could not be made",
                ApiErrorKind::NotConnected => "no connection to Clerk",
                ApiErrorKind::Timeout => "no answer in time",
                ApiErrorKind::TooLarge => "the answer is too large",
                _ => "the exchange failed",
            };
            write!(f, "{id}: {why}")?;
            if let Some(detail) = &self.0.detail {
                write!(f, ": {detail}")?;
            }
            return Ok(());
        };
        match (self.0.kind, self.0.errors.first()) {
            (ApiErrorKind::Clerk, Some(first)) => {
                let message = if first.long_message.is_empty() {
                    &first.message
                } else {
                    &first.long_message
                };
                write!(f, "{status} {}: {message}", first.code)?;
            }
            (ApiErrorKind::UnexpectedBody, _) => {
                write!(
                    f,
                    "{status}: {id} succeeded, but its answer does not fit the model"
                )?;
                if let Some(e) = &self.0.decode_error {
                    // The path and the kind of fault; serde's message can quote the body.
                    write!(f, " (at `{}`: {:?} error)", e.path(), e.classify())?;
                }
            }
            _ => write!(
                f,
                "{status}: {id} failed, and the answer is not Clerk's error JSON"
            )?,
        }
        if let Some(trace) = &self.0.trace_id {
            write!(f, " ({trace})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    /// Everything but the body, of which only the length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.0.operation_id)
            .field("status", &self.0.status)
            .field("kind", &self.0.kind)
            .field("errors", &self.0.errors)
            .field("trace_id", &self.0.trace_id)
            .field("retry_after", &self.0.retry_after)
            .field("detail", &self.0.detail)
            .field("body_len", &self.0.body.len())
            .field(
                "decode_error_at",
                &self.0.decode_error.as_ref().map(clerk_models::Error::path),
            )
            .finish_non_exhaustive()
    }
}

/// No `source()`: the decoding error's message can quote the body, which may hold a token.
/// [`ApiError::decode_error`] gives it to whoever asks.
impl std::error::Error for ApiError {}

/// The answer of an operation that answers with a model.
pub(crate) fn decode<T: DeserializeOwned>(
    response: http::Response<&[u8]>,
    operation_id: &'static str,
) -> Result<T, ApiError> {
    let status = response.status();
    let body = *response.body();
    if !status.is_success() {
        return Err(ApiError::from_status(
            operation_id,
            status,
            response.headers(),
            body,
        ));
    }
    clerk_models::from_slice(body)
        .map_err(|e| ApiError::unexpected(operation_id, status, response.headers(), body, e))
}

/// The answer of an operation that answers with no body: any success is `()`.
#[allow(
    dead_code,
    reason = "only some groups have an operation without an answer"
)]
pub(crate) fn decode_empty(
    response: http::Response<&[u8]>,
    operation_id: &'static str,
) -> Result<(), ApiError> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    Err(ApiError::from_status(
        operation_id,
        status,
        response.headers(),
        response.body(),
    ))
}
