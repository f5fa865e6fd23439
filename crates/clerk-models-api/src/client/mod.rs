//! [`Client`] (feature `client`): sends any [`Endpoint`] to Clerk over hyper-util's client,
//! rustls with ring (no OpenSSL), and retries what may be retried.

use core::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::error::NoAnswer;
use crate::{ApiError, DEFAULT_API_URL, Endpoint, RetryAfter, SecretKey};

mod clock;
mod paginate;
mod retry;
mod transport;

pub use clock::{Clock, ManualClock, Sleep, SystemClock};
pub use paginate::Pages;
pub use retry::RetryPolicy;
use retry::{Decision, Outcome};
pub use transport::{Transport, TransportError};

/// Sends the Backend API's operations: any [`Endpoint`] of this crate, with the secret key,
/// `Clerk-API-Version` and a `User-Agent` naming this crate, retrying per its
/// [`RetryPolicy`].
///
/// ```no_run
/// # #[cfg(feature = "users")]
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use clerk_models_api::users::GetUser;
/// use clerk_models_api::{Client, SecretKey};
///
/// let key: SecretKey = std::env::var("CLERK_SECRET_KEY")?.parse()?;
/// let client = Client::builder(key).build()?;
/// let user = client.send(&GetUser::new("user_123")).await?;
/// println!("{}", user.id);
/// # Ok(()) }
/// ```
///
/// Cloning it is cheap: clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: Transport,
    base_url: String,
    secret_key: SecretKey,
    retry: RetryPolicy,
    timeout: Duration,
    max_body: usize,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("secret_key", &self.inner.secret_key)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("max_body", &self.inner.max_body)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]: from [`Client::builder`].
#[must_use = "a builder does nothing until `build()` is called"]
pub struct ClientBuilder {
    secret_key: SecretKey,
    base_url: String,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    max_body: usize,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("secret_key", &self.secret_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The base URL is not an `http(s)://` URL a request can go to.
    BaseUrl(crate::RequestError),
    /// rustls refused its own configuration.
    Tls(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BaseUrl(e) => write!(f, "the client's base URL: {e}"),
            Self::Tls(e) => write!(f, "the client's TLS configuration: {e}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl Client {
    /// The default connect timeout: 5 s.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default time one attempt may take, connect to last byte: 30 s.
    pub const TIMEOUT: Duration = Duration::from_secs(30);
    /// The default cap on an answer's body: 16 MiB. A page of 500 users is about 2 MiB.
    pub const MAX_BODY_BYTES: usize = 16 << 20;

    /// A builder for a client with `secret_key`, to [`DEFAULT_API_URL`] unless
    /// [`base_url`](ClientBuilder::base_url) says otherwise.
    pub fn builder(secret_key: SecretKey) -> ClientBuilder {
        ClientBuilder {
            secret_key,
            base_url: DEFAULT_API_URL.to_owned(),
            connect_timeout: Self::CONNECT_TIMEOUT,
            timeout: Self::TIMEOUT,
            retry: RetryPolicy::default(),
            max_body: Self::MAX_BODY_BYTES,
            clock: Arc::new(SystemClock),
        }
    }

    /// The base URL requests go to (`{base_url}/v1{path}`).
    #[must_use]
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

impl ClientBuilder {
    /// Where the Backend API is: what Clerk's SDKs call `CLERK_API_URL`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// How long one attempt may take, connect to last byte (30 s by default).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a TCP connect may take (5 s by default).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How to retry ([`RetryPolicy::default`] unless set; [`RetryPolicy::none`] for never).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest answer body read (16 MiB by default); a larger one is an error of kind
    /// [`TooLarge`](crate::ApiErrorKind::TooLarge).
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The clock the retry budget, `Retry-After` dates and the waits between attempts use
    /// ([`SystemClock`] unless set; [`ManualClock`] in tests).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The client.
    ///
    /// # Errors
    ///
    /// [`ClientError::BaseUrl`] for a base URL no request can go to; [`ClientError::Tls`]
    /// if rustls refuses its default configuration.
    pub fn build(self) -> Result<Client, ClientError> {
        // The same check every request makes, once here.
        crate::request::RequestBuilder::new(http::Method::GET, &self.base_url, &self.secret_key)
            .map_err(ClientError::BaseUrl)?;
        let http = Transport::new(self.connect_timeout).map_err(ClientError::Tls)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url: self.base_url,
                secret_key: self.secret_key,
                retry: self.retry,
                timeout: self.timeout,
                max_body: self.max_body,
                clock: self.clock,
            }),
        })
    }
}

/// One answer, read whole.
struct Answer {
    parts: http::response::Parts,
    body: Bytes,
}

impl Client {
    /// Sends `request` and reads its answer, retrying per the client's [`RetryPolicy`].
    ///
    /// # Errors
    ///
    /// [`ApiError`]: Clerk's error answer (after the retries it allows), a success whose
    /// body does not fit (the operation happened), or no answer at all (the request could
    /// not be made, the connection failed, the time ran out, the body was too large).
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, ApiError> {
        let id = E::OPERATION_ID;
        let inner = &self.inner;
        let http_request = request
            .to_http_request(&inner.base_url, &inner.secret_key)
            .map_err(|e| ApiError::no_answer(id, NoAnswer::Request, e.to_string()))?;
        let (parts, body) = http_request.into_parts();
        let body = Bytes::from(body);
        let start = inner.clock.now();
        let mut retries = 0;
        loop {
            let attempt = self.attempt(&parts, body.clone());
            #[cfg(feature = "tracing")]
            let attempt = {
                use tracing::Instrument as _;
                attempt.instrument(tracing::debug_span!(
                    "clerk_api",
                    operation = id,
                    attempt = retries + 1
                ))
            };
            let result = attempt.await;
            let now = inner.clock.now();
            let elapsed = now.duration_since(start).unwrap_or_default();
            let (outcome, retry_after) = match &result {
                Ok(answer) => (
                    Outcome::Status(answer.parts.status.as_u16()),
                    answer
                        .parts
                        .headers
                        .get(http::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(RetryAfter::parse)
                        .map(|r| r.delay_from(now)),
                ),
                Err((NoAnswer::NotConnected, _)) => (Outcome::NotConnected, None),
                Err((NoAnswer::TooLarge | NoAnswer::Request, _)) => (Outcome::Final, None),
                Err(_) => (Outcome::Failed, None),
            };
            let decision = inner.retry.decide(
                E::IDEMPOTENT,
                outcome,
                retry_after,
                retries,
                elapsed,
                jitter(),
            );
            match (decision, result) {
                (Decision::Retry(delay), _) => {
                    inner.clock.sleep(delay).await;
                    retries += 1;
                }
                (Decision::Stop, Ok(answer)) => {
                    let response = http::Response::from_parts(answer.parts, &answer.body[..]);
                    return E::from_http_response(response);
                }
                (Decision::Stop, Err((kind, detail))) => {
                    return Err(ApiError::no_answer(id, kind, detail));
                }
            }
        }
    }

    /// One exchange: the request from `parts` and `body`, the answer read whole within the
    /// timeout and the body cap.
    async fn attempt(
        &self,
        parts: &http::request::Parts,
        body: Bytes,
    ) -> Result<Answer, (NoAnswer, String)> {
        let inner = &self.inner;
        let mut request = http::Request::new(body);
        *request.method_mut() = parts.method.clone();
        *request.uri_mut() = parts.uri.clone();
        *request.headers_mut() = parts.headers.clone();
        let result = inner
            .http
            .send(request, inner.timeout, inner.max_body)
            .await
            .map(|response| {
                let (parts, body) = response.into_parts();
                Answer { parts, body }
            })
            .map_err(|e| {
                let kind = match &e {
                    TransportError::NotConnected(_) => NoAnswer::NotConnected,
                    TransportError::Timeout => NoAnswer::Timeout,
                    TransportError::TooLarge(_) => NoAnswer::TooLarge,
                    _ => NoAnswer::Transport,
                };
                (kind, e.to_string())
            });
        #[cfg(feature = "tracing")]
        match &result {
            Ok(answer) => {
                let trace_id = crate::generated::TRACE_ID_HEADERS
                    .iter()
                    .find_map(|h| answer.parts.headers.get(*h)?.to_str().ok());
                tracing::debug!(status = answer.parts.status.as_u16(), trace_id, "answered");
            }
            Err((kind, _)) => tracing::debug!(?kind, "no answer"),
        }
        result
    }

    /// The items of every page of `request`, in order: pages of up to the operation's most
    /// (500), each fetched when the items before it are taken. It ends after the last page
    /// or at the first error, and fetches nothing more once dropped.
    pub fn paginate<E>(&self, request: E) -> Pages<E>
    where
        E: crate::Paginated + Send + Sync + 'static,
        E::Response: Send,
        E::Item: Send,
    {
        Pages::new(self.clone(), request.with_page_size(E::MAX_PAGE_SIZE))
    }
}

/// A number in `[0, 1)` for the backoff's jitter, from the standard library's random hash
/// keys: no dependency, and nothing here needs to be unpredictable, only spread.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos().into()),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
