//! The contract every operation keeps: [`Endpoint`] (a request out, an answer in) and, for a
//! list, [`Paginated`].

use core::fmt;

use crate::{ApiError, SecretKey};

/// One operation of Clerk's Backend API, sans-IO: it makes its complete `http::Request`
/// (URL, query, `Authorization`, `Clerk-API-Version`, body) and reads the `http::Response`
/// into its answer, and leaves the sending to any HTTP client.
///
/// ```
/// # #[cfg(feature = "sessions")] {
/// use clerk_models_api::sessions::GetSession;
/// use clerk_models_api::{DEFAULT_API_URL, Endpoint, SecretKey};
///
/// let key: SecretKey = "sk_test_abc".parse()?;
/// let request = GetSession::new("sess_123").to_http_request(DEFAULT_API_URL, &key)?;
/// assert_eq!(request.uri(), "https://api.clerk.com/v1/sessions/sess_123");
/// // ... send it with your client, then:
/// let answer = http::Response::builder().status(404).header("content-type", "application/json")
///     .body(&br#"{"errors":[{"message":"not found","long_message":"Session not found",
///                "code":"resource_not_found"}],"clerk_trace_id":"trace_123"}"#[..])?;
/// let error = GetSession::from_http_response(answer).unwrap_err();
/// assert_eq!(error.to_string(), "404 resource_not_found: Session not found (trace_123)");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Endpoint {
    /// What a success answers with: a model of `clerk-models` or of this crate, a list of
    /// them, or `()` when the operation answers with no body.
    type Response;

    /// The operation's HTTP method.
    const METHOD: http::Method;

    /// The operation's path template, as the spec writes it (`/sessions/{session_id}`).
    const PATH: &'static str;

    /// The operation's `operationId` in Clerk's spec (`GetSession`).
    const OPERATION_ID: &'static str;

    /// Whether sending it twice does what sending it once does: every `GET`, `PUT` and
    /// `DELETE`, and the `POST`s that only verify a token. A client may retry only these
    /// after a failure that may have reached the server.
    const IDEMPOTENT: bool;

    /// The complete request, to `{base_url}/v1{path}` (`base_url` is what Clerk's SDKs call
    /// `CLERK_API_URL`, by default [`DEFAULT_API_URL`](crate::DEFAULT_API_URL), with or
    /// without a final `/`).
    ///
    /// # Errors
    ///
    /// [`RequestError`] when a parameter would make the request reach another path (an
    /// empty one, `.`, `..`, or one holding `/`, `?` or `#`), is out of the spec's bounds
    /// (a `limit` over 500), the base URL is no `http(s)://` URL, or the body does not
    /// serialize.
    fn to_http_request(
        &self,
        base_url: &str,
        secret_key: &SecretKey,
    ) -> Result<http::Request<Vec<u8>>, RequestError>;

    /// The answer to a request of this operation.
    ///
    /// # Errors
    ///
    /// [`ApiError`] for an error status (with Clerk's errors and the trace id), and for a
    /// success whose body does not fit [`Response`](Self::Response) (which says so, and
    /// keeps the body: the operation did what it does).
    fn from_http_response(response: http::Response<&[u8]>) -> Result<Self::Response, ApiError>;
}

/// A list operation that pages by `limit` and `offset`.
pub trait Paginated: Endpoint + Clone {
    /// What the list holds.
    type Item;

    /// The most items a page may hold (the spec's bound on `limit`).
    const MAX_PAGE_SIZE: i64;

    /// The request for the page after `response` (the answer to this request), or `None`
    /// when it was the last: fewer items than the total were skipped, or, when the total is
    /// unknown (a bare list), the page was short.
    fn next_page(&self, response: &Self::Response) -> Option<Self>;

    /// This request asking for pages of `limit` items.
    #[must_use]
    fn with_page_size(self, limit: i64) -> Self;

    /// The items of an answer.
    fn into_items(response: Self::Response) -> Vec<Self::Item>;
}

/// Why a request cannot be made. Never contains the secret key.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestError {
    /// The base URL is not `http://` or `https://` followed by a host, or has a query or a
    /// fragment.
    BaseUrl(&'static str),
    /// A path parameter would not be one path segment: empty, `.`, `..`, or holding `/`,
    /// `?` or `#`. No request is made, so no input reaches another path.
    PathParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A parameter is out of the spec's bounds (Clerk answers a `limit` of 501 with 10 items
    /// instead of an error).
    OutOfRange {
        /// The parameter.
        name: &'static str,
        /// Its value.
        value: i64,
        /// The least the spec allows.
        min: Option<i64>,
        /// The most the spec allows.
        max: Option<i64>,
    },
    /// The body did not serialize.
    Body(serde_json::Error),
    /// A file to upload cannot be sent as it is.
    Upload {
        /// The form part.
        part: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The request could not be assembled (a header value).
    Http(http::Error),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BaseUrl(why) => write!(f, "invalid base URL: {why}"),
            Self::PathParameter { name, reason } => {
                write!(f, "path parameter `{name}` {reason}")
            }
            Self::OutOfRange {
                name,
                value,
                min,
                max,
            } => {
                write!(f, "parameter `{name}` is {value}, outside ")?;
                match (min, max) {
                    (Some(min), Some(max)) => write!(f, "{min}..={max}"),
                    (Some(min), None) => write!(f, "{min}.."),
                    (None, Some(max)) => write!(f, "..={max}"),
                    (None, None) => f.write_str("its bounds"),
                }
            }
            Self::Body(e) => write!(f, "the request body does not serialize: {e}"),
            Self::Upload { part, reason } => write!(f, "form part `{part}`: {reason}"),
            Self::Http(e) => write!(f, "the request cannot be assembled: {e}"),
        }
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Body(e) => Some(e),
            Self::Http(e) => Some(e),
            _ => None,
        }
    }
}
