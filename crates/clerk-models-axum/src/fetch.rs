//! How a [`KeySet`](crate::KeySet) fetches a JWKS document: the [`JwksFetch`] trait, and the
//! built-in [`HttpFetcher`] (feature `client`).

use core::fmt;
use std::future::Future;
use std::pin::Pin;

use clerk_models::jwt::JwtError;
use http::Uri;

/// The largest JWKS document a key set accepts, from any fetcher: 1 MiB. Clerk's holds one
/// or two keys, under 2 KiB.
pub const MAX_JWKS_BYTES: usize = 1 << 20;

/// A boxed, sendable future, as [`JwksFetch::fetch`] returns.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, FetchError>> + Send + 'a>>;

/// Fetches the JWKS document a key set asks for.
///
/// The key set calls it at most once at a time, bounds it with its own timeout, refuses a
/// body over [`MAX_JWKS_BYTES`] and parses the body itself; a fetcher only moves bytes. An
/// implementation should not follow redirects to another host, and must send
/// [`JwksRequest::bearer_token`] only to [`JwksRequest::url`].
pub trait JwksFetch: Send + Sync + 'static {
    /// The body of a successful (2xx) `GET` of `request`'s URL, or why there is none.
    fn fetch<'a>(&'a self, request: &'a JwksRequest) -> FetchFuture<'a>;
}

/// What to fetch: the JWKS URL, and the Backend API secret key to send as a Bearer token,
/// if the URL is the Backend API's `/v1/jwks`. `Debug` shows the URL, never the key.
#[derive(Clone)]
pub struct JwksRequest {
    pub(crate) url: Uri,
    pub(crate) bearer: Option<String>,
}

impl JwksRequest {
    /// The URL: `https`, or `http` on a loopback address.
    #[must_use]
    pub fn url(&self) -> &Uri {
        &self.url
    }

    /// The secret key to send as `Authorization: Bearer <key>`, if one was configured. A
    /// secret: never log it.
    #[must_use]
    pub fn bearer_token(&self) -> Option<&str> {
        self.bearer.as_deref()
    }
}

impl fmt::Debug for JwksRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwksRequest")
            .field("url", &self.url)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Why a fetch of the JWKS gave no keys. The key set keeps the keys it had.
#[derive(Debug)]
#[non_exhaustive]
pub enum FetchError {
    /// The fetch did not finish within the key set's timeout (or the connect timeout).
    Timeout,
    /// The server answered with a status other than 2xx.
    Status(u16),
    /// The body is larger than [`MAX_JWKS_BYTES`].
    TooLarge,
    /// The connection or the HTTP exchange failed.
    Transport(String),
    /// The body is not a JWKS document with a usable RS256 key.
    Keys(JwtError),
    /// A fetcher of your own failed.
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Timeout => f.write_str("the JWKS fetch timed out"),
            Self::Status(status) => write!(f, "the JWKS endpoint answered {status}"),
            Self::TooLarge => write!(f, "the JWKS body is over {MAX_JWKS_BYTES} bytes"),
            Self::Transport(why) => write!(f, "the JWKS fetch failed: {why}"),
            Self::Keys(e) => write!(f, "the JWKS document gives no key: {e}"),
            Self::Other(e) => write!(f, "the JWKS fetch failed: {e}"),
        }
    }
}

impl std::error::Error for FetchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Keys(e) => Some(e),
            Self::Other(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

#[cfg(feature = "client")]
pub use client::HttpFetcher;

#[cfg(feature = "client")]
mod client {
    use std::time::Duration;

    use bytes::Bytes;
    use clerk_models_api::{Transport, TransportError};
    use http::header::{ACCEPT, AUTHORIZATION, USER_AGENT};
    use http::{HeaderValue, Request};

    use super::{FetchError, FetchFuture, JwksFetch, JwksRequest, MAX_JWKS_BYTES};

    /// The built-in JWKS client: the workspace's one HTTP client,
    /// [`clerk_models_api::Transport`] (hyper-util over rustls with ring, Mozilla's roots
    /// from webpki-roots, TLS 1.2 and 1.3), a connect timeout (5 s by default), no
    /// redirects, no cookies, no proxy.
    ///
    /// It answers plain `http` too, because the key set only hands it such a URL on a
    /// loopback address (tests); every other URL is `https`.
    #[derive(Clone, Debug)]
    pub struct HttpFetcher {
        transport: Transport,
    }

    /// The whole fetch is bounded by the key set's own timeout; this only backs it up.
    const FETCH_LIMIT: Duration = Duration::from_secs(60);

    impl HttpFetcher {
        /// The default connect timeout: 5 s.
        pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

        /// A client with the default connect timeout.
        ///
        /// # Errors
        ///
        /// [`FetchError::Transport`] if rustls refuses its own default configuration.
        pub fn new() -> Result<Self, FetchError> {
            Self::with_connect_timeout(Self::CONNECT_TIMEOUT)
        }

        /// A client whose TCP connect gives up after `timeout`.
        ///
        /// # Errors
        ///
        /// [`FetchError::Transport`] if rustls refuses its own default configuration.
        pub fn with_connect_timeout(timeout: Duration) -> Result<Self, FetchError> {
            let transport = Transport::new(timeout).map_err(FetchError::Transport)?;
            Ok(Self { transport })
        }

        async fn get(&self, request: &JwksRequest) -> Result<Vec<u8>, FetchError> {
            let mut builder = Request::get(request.url.clone())
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .header(
                    USER_AGENT,
                    HeaderValue::from_static(concat!(
                        "clerk-models-axum/",
                        env!("CARGO_PKG_VERSION")
                    )),
                );
            if let Some(key) = request.bearer_token() {
                let mut value = HeaderValue::try_from(format!("Bearer {key}")).map_err(|_| {
                    FetchError::Transport("the secret key is not a header value".into())
                })?;
                value.set_sensitive(true);
                builder = builder.header(AUTHORIZATION, value);
            }
            let http_request = builder
                .body(Bytes::new())
                .map_err(|e| FetchError::Transport(e.to_string()))?;
            let response = self
                .transport
                .send(http_request, FETCH_LIMIT, MAX_JWKS_BYTES)
                .await
                .map_err(|e| match e {
                    TransportError::Timeout => FetchError::Timeout,
                    TransportError::TooLarge(_) => FetchError::TooLarge,
                    other => FetchError::Transport(other.to_string()),
                })?;
            if !response.status().is_success() {
                return Err(FetchError::Status(response.status().as_u16()));
            }
            Ok(response.into_body().to_vec())
        }
    }

    impl JwksFetch for HttpFetcher {
        fn fetch<'a>(&'a self, request: &'a JwksRequest) -> FetchFuture<'a> {
            Box::pin(self.get(request))
        }
    }
}
