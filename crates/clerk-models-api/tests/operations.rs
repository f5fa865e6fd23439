//! Every operation, one test each (generated into `generated/` by `cargo xtask codegen` from
//! `schemas/api/`): the request made with a value for every parameter has the method, path,
//! query and body its record says, and every answer its record lists, as a sample of its
//! schema with the spec's examples, decodes into its `Response` or into an `ApiError`.
//!
//! What the tests call is here, written by hand: it reads the request back (the query
//! percent-decoded, the body as JSON) and compares it with what the record says.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use clerk_models_api::{API_VERSION, ApiErrorKind, Endpoint, SecretKey};
use serde::de::DeserializeOwned;
use serde_json::Value;

#[rustfmt::skip]
mod generated;

const BASE_URL: &str = "https://api.clerk.test";
const SECRET_KEY: &str = "sk_test_operations";

/// The content of the tests' uploads: a PNG signature.
pub(crate) const PNG: &[u8] = &[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The body a request must have.
pub(crate) enum Sent {
    /// None, and no `Content-Type`.
    Nothing,
    /// This JSON (compared as values, not as text).
    Json(&'static str),
    /// A multipart form with these parts: `(name, the file name or the text)`.
    Form(&'static [(&'static str, &'static str)]),
}

/// A sample value of a parameter's type, from its JSON.
#[track_caller]
pub(crate) fn json<T: DeserializeOwned>(text: &str) -> T {
    match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => panic!("the sample {text} does not decode: {e}"),
    }
}

/// Asserts that `request` makes the request the operation's record says.
#[track_caller]
pub(crate) fn expect<E: Endpoint>(
    request: &E,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    sent: Sent,
) {
    let id = E::OPERATION_ID;
    let key = SecretKey::new(SECRET_KEY).unwrap();
    let http = match request.to_http_request(BASE_URL, &key) {
        Ok(http) => http,
        Err(e) => panic!("{id}: no request: {e}"),
    };
    assert_eq!(http.method().as_str(), method, "{id}: method");
    assert_eq!(E::METHOD.as_str(), method, "{id}: METHOD");
    let uri = http.uri();
    assert_eq!(uri.scheme_str(), Some("https"), "{id}: scheme");
    assert_eq!(uri.host(), Some("api.clerk.test"), "{id}: host");
    assert_eq!(uri.path(), format!("/v1{path}"), "{id}: path");

    let mut got: Vec<(String, String)> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k, id), percent_decode(v, id))
        })
        .collect();
    let mut want: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{id}: query");

    let header = |name: &str| {
        http.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or("(not text)").to_owned())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some(&*format!("Bearer {SECRET_KEY}")),
        "{id}: authorization"
    );
    assert_eq!(
        header("clerk-api-version").as_deref(),
        Some(API_VERSION),
        "{id}: version"
    );
    let content_type = header("content-type");
    let body = http.body();
    match sent {
        Sent::Nothing => {
            assert!(body.is_empty(), "{id}: a body where none is sent");
            assert_eq!(content_type, None, "{id}: a content type without a body");
        }
        Sent::Json(text) => {
            assert_eq!(content_type.as_deref(), Some("application/json"), "{id}");
            let got: Value = serde_json::from_slice(body).unwrap();
            let want: Value = serde_json::from_str(text).unwrap();
            assert_eq!(got, want, "{id}: body");
        }
        Sent::Form(parts) => {
            let content_type = content_type.unwrap_or_default();
            assert!(
                content_type.starts_with("multipart/form-data; boundary="),
                "{id}: {content_type}"
            );
            let text = String::from_utf8_lossy(body);
            for (name, shown) in parts {
                assert!(
                    text.contains(&format!("name=\"{name}\"")),
                    "{id}: part {name}"
                );
                assert!(text.contains(shown), "{id}: part {name} lacks {shown}");
            }
        }
    }
}

/// Asserts that `text`, answered with `status`, decodes into the operation's `Response`.
#[track_caller]
pub(crate) fn answers<E: Endpoint>(status: u16, text: &str) {
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(text.as_bytes())
        .unwrap();
    if let Err(e) = E::from_http_response(response) {
        panic!(
            "{}: the {status} sample does not decode: {e:?}",
            E::OPERATION_ID
        );
    }
}

/// Asserts that `text`, answered with `status`, is an `ApiError` of that status with Clerk's
/// error list and `code` first (or, for an answer with no body, an unreadable error).
#[track_caller]
pub(crate) fn fails<E: Endpoint>(status: u16, text: &str, code: Option<&str>) {
    let id = E::OPERATION_ID;
    let response = http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("clerk-trace-id", "trace_sample")
        .body(text.as_bytes())
        .unwrap();
    let Err(error) = E::from_http_response(response) else {
        panic!("{id}: a {status} answer decoded as a success");
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{id}");
    assert_eq!(error.operation_id(), id);
    assert!(!error.succeeded(), "{id}");
    // The body's trace id, else the header's.
    let body: Option<Value> = serde_json::from_str(text).ok();
    let trace_id = body
        .as_ref()
        .and_then(|b| b.get("clerk_trace_id"))
        .and_then(Value::as_str)
        .unwrap_or("trace_sample");
    assert_eq!(error.trace_id(), Some(trace_id), "{id}");
    match code {
        Some(code) => {
            assert_eq!(error.kind(), ApiErrorKind::Clerk, "{id}: {error:?}");
            assert_eq!(error.code(), Some(code), "{id}");
        }
        None => assert_eq!(error.kind(), ApiErrorKind::UnreadableError, "{id}"),
    }
}

/// The text of a percent-encoded query key or value; panics on an escape that is not one.
fn percent_decode(text: &str, id: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).unwrap_or_default();
            let byte = u8::from_str_radix(hex, 16)
                .unwrap_or_else(|_| panic!("{id}: a bad escape in {text}"));
            out.push(byte);
            i += 3;
        } else {
            assert!(
                bytes[i].is_ascii_alphanumeric() || b"-._~".contains(&bytes[i]),
                "{id}: {text} holds a byte it should have encoded"
            );
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| panic!("{id}: {text} is not UTF-8"))
}
