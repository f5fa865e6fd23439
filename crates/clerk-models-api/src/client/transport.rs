//! [`Transport`]: the one HTTP client of the workspace (hyper-util's, over rustls with ring
//! and Mozilla's roots; HTTP/1.1; no OpenSSL, no redirects, no cookies, no proxy). The
//! [`Client`](super::Client) sends operations on it; `clerk-models-axum`'s JWKS fetcher
//! sends its `GET` on it.

use core::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// A pool of HTTP/1.1 connections, `https` (and plain `http`, which callers keep to
/// loopback addresses for tests). Cloning shares the pool.
#[derive(Clone)]
pub struct Transport {
    http: HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

/// Why an exchange gave no answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, unreachable, or the connect timed out): the
    /// request never left.
    NotConnected(String),
    /// The exchange failed after the request may have left.
    Failed(String),
    /// No whole answer within the time given.
    Timeout,
    /// The body is larger than the limit given.
    TooLarge(usize),
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotConnected(why) => write!(f, "no connection: {why}"),
            Self::Failed(why) => write!(f, "the exchange failed: {why}"),
            Self::Timeout => f.write_str("no answer in time"),
            Self::TooLarge(limit) => write!(f, "the body is over {limit} bytes"),
        }
    }
}

impl std::error::Error for TransportError {}

impl Transport {
    /// A pool whose TCP connects give up after `connect_timeout`.
    ///
    /// # Errors
    ///
    /// The text of rustls' refusal of its own default configuration (never seen).
    pub fn new(connect_timeout: Duration) -> Result<Self, String> {
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_connect_timeout(Some(connect_timeout));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| e.to_string())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        Ok(Self {
            http: HyperClient::builder(TokioExecutor::new()).build(https),
        })
    }

    /// Sends `request` and reads its answer whole: within `timeout`, a body of at most
    /// `max_body` bytes (a larger declared or received one ends the exchange).
    ///
    /// # Errors
    ///
    /// [`TransportError`]: no connection, a failed exchange, the time or the size exceeded.
    pub async fn send(
        &self,
        request: http::Request<Bytes>,
        timeout: Duration,
        max_body: usize,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let request = request.map(Full::new);
        let exchange = async {
            let response = self.http.request(request).await.map_err(|e| {
                if e.is_connect() {
                    if timed_out(&e) {
                        TransportError::Timeout
                    } else {
                        TransportError::NotConnected(e.to_string())
                    }
                } else {
                    TransportError::Failed(e.to_string())
                }
            })?;
            let declared = response
                .headers()
                .get(CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > max_body as u64) {
                return Err(TransportError::TooLarge(max_body));
            }
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, max_body).collect().await.map_err(|e| {
                if e.is::<http_body_util::LengthLimitError>() {
                    TransportError::TooLarge(max_body)
                } else {
                    TransportError::Failed(e.to_string())
                }
            })?;
            Ok(http::Response::from_parts(parts, body.to_bytes()))
        };
        tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or(Err(TransportError::Timeout))
    }
}

/// Whether an I/O timeout (the connect timeout) is in `error`'s chain of sources.
fn timed_out(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        {
            return true;
        }
        current = e.source();
    }
    false
}
