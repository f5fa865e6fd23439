//! Requests to an axum router without a socket, for the layer's and the examples' tests
//! (feature `axum`).

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

/// A router's answer.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, as text.
    pub body: String,
}

impl Answer {
    /// The body as JSON; the text as a JSON string when it is not JSON.
    #[must_use]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| Value::String(self.body.clone()))
    }

    /// The JSON body's `reason`, or `""`.
    #[must_use]
    pub fn reason(&self) -> String {
        self.json()
            .get("reason")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    }

    /// The `WWW-Authenticate` header.
    #[must_use]
    pub fn challenge(&self) -> Option<&str> {
        self.headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
    }
}

/// The answer of `app` to `GET path`, with `token` as `Authorization: Bearer`.
///
/// # Panics
///
/// If the request cannot be built or the body read (neither happens with a router).
#[allow(clippy::expect_used)]
pub async fn get_with(app: &Router, path: &str, token: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request.body(Body::empty()).expect("a GET request");
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("routers are infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body in memory")
        .to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}
