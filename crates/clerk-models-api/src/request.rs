//! [`RequestBuilder`]: how every operation writes its request, so that the rules that keep
//! a request on its path live in one place.

use core::fmt::{self, Display, Write as _};

use http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue, USER_AGENT};
use serde::Serialize;

use crate::form::Form;
use crate::generated::{API_PREFIX, API_VERSION, VERSION_HEADER};
use crate::{RequestError, SecretKey};

/// `User-Agent` of every request: this crate and its version.
const AGENT: HeaderValue = HeaderValue::from_static(concat!(
    env!("CARGO_PKG_NAME"),
    "/",
    env!("CARGO_PKG_VERSION")
));
/// The version header and its value, checked when this crate compiles (a `const`), so
/// no request parses them again.
const VERSION_NAME: HeaderName = HeaderName::from_static(VERSION_HEADER);
const VERSION_VALUE: HeaderValue = HeaderValue::from_static(API_VERSION);

/// A request being written: the URL grows by path parts and query parameters, then a body
/// ends it.
pub(crate) struct RequestBuilder<'k> {
    method: http::Method,
    url: String,
    /// Whether the URL has its `?` yet.
    has_query: bool,
    secret_key: &'k SecretKey,
}

impl<'k> RequestBuilder<'k> {
    /// A request to `{base_url}{API_PREFIX}`, whose path the operation appends.
    pub(crate) fn new(
        method: http::Method,
        base_url: &str,
        secret_key: &'k SecretKey,
    ) -> Result<Self, RequestError> {
        let base = base_url.trim_end_matches('/');
        let rest = ["https://", "http://"]
            .iter()
            .find_map(|scheme| {
                let head = base.get(..scheme.len())?;
                head.eq_ignore_ascii_case(scheme)
                    .then(|| base.get(scheme.len()..))?
            })
            .ok_or(RequestError::BaseUrl(
                "it must start with `https://` or `http://`",
            ))?;
        if rest.split('/').next().is_none_or(str::is_empty) {
            return Err(RequestError::BaseUrl("it has no host"));
        }
        if rest.contains(['?', '#']) {
            return Err(RequestError::BaseUrl("it has a query or a fragment"));
        }
        if !rest.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(RequestError::BaseUrl(
                "it holds a space, a control or a non-ASCII character",
            ));
        }
        let mut url = String::with_capacity(base.len() + API_PREFIX.len() + 48);
        url.push_str(base);
        url.push_str(API_PREFIX);
        Ok(Self {
            method,
            url,
            has_query: false,
            secret_key,
        })
    }

    /// A fixed part of the path template.
    pub(crate) fn literal(&mut self, part: &str) {
        self.url.push_str(part);
    }

    /// A path parameter, as one percent-encoded segment.
    ///
    /// Refuses what a server could read as another path: an empty value, `.`, `..`, or
    /// one holding `/`, `?` or `#` (which percent-encoding would hide from this check but
    /// not from every proxy).
    pub(crate) fn segment(&mut self, name: &'static str, value: &str) -> Result<(), RequestError> {
        let reason = match value {
            "" => Some("is empty"),
            "." | ".." => Some("is `.` or `..`"),
            v if v.contains(['/', '?', '#']) => Some("holds `/`, `?` or `#`"),
            _ => None,
        };
        if let Some(reason) = reason {
            return Err(RequestError::PathParameter { name, reason });
        }
        encode(&mut self.url, value);
        Ok(())
    }

    /// Checks a parameter against the spec's bounds.
    pub(crate) fn bounded(
        &mut self,
        name: &'static str,
        value: i64,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Result<(), RequestError> {
        if min.is_some_and(|m| value < m) || max.is_some_and(|m| value > m) {
            return Err(RequestError::OutOfRange {
                name,
                value,
                min,
                max,
            });
        }
        Ok(())
    }

    /// One query parameter.
    pub(crate) fn query(&mut self, key: &str, value: &impl Display) {
        self.key(key);
        encode(&mut self.url, &value.to_string());
    }

    /// A list as repeated keys (`user_id=a&user_id=b`), the spec's `form` style exploded.
    #[allow(dead_code, reason = "only some groups have such a parameter or body")]
    pub(crate) fn query_each<T: Display>(&mut self, key: &str, values: &[T]) {
        for value in values {
            self.query(key, value);
        }
    }

    /// A list as one comma-joined value (`form` style, `explode: false`). Nothing for an
    /// empty list.
    #[allow(dead_code, reason = "only some groups have such a parameter")]
    pub(crate) fn query_joined<T: Display>(&mut self, key: &str, values: &[T]) {
        if values.is_empty() {
            return;
        }
        self.key(key);
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.url.push_str("%2C");
            }
            encode(&mut self.url, &value.to_string());
        }
    }

    fn key(&mut self, key: &str) {
        self.url.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        encode(&mut self.url, key);
        self.url.push('=');
    }

    /// The request with no body.
    pub(crate) fn finish(self) -> Result<http::Request<Vec<u8>>, RequestError> {
        self.body(None, Vec::new())
    }

    /// The request with a JSON body.
    pub(crate) fn json(
        self,
        body: &impl Serialize,
    ) -> Result<http::Request<Vec<u8>>, RequestError> {
        let bytes = serde_json::to_vec(body).map_err(RequestError::Body)?;
        self.body(Some(HeaderValue::from_static("application/json")), bytes)
    }

    /// The request with a `multipart/form-data` body.
    #[allow(dead_code, reason = "only some groups have such a parameter or body")]
    pub(crate) fn form(self, form: Form) -> Result<http::Request<Vec<u8>>, RequestError> {
        let (content_type, bytes) = form.into_body()?;
        let content_type =
            HeaderValue::try_from(content_type).map_err(|e| RequestError::Http(e.into()))?;
        self.body(Some(content_type), bytes)
    }

    fn body(
        self,
        content_type: Option<HeaderValue>,
        bytes: Vec<u8>,
    ) -> Result<http::Request<Vec<u8>>, RequestError> {
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {}", self.secret_key.expose()))
                .map_err(|e| RequestError::Http(e.into()))?;
        // Kept out of `Debug` output of the request and out of HTTP/2 header compression.
        authorization.set_sensitive(true);
        let mut builder = http::Request::builder()
            .method(self.method)
            .uri(self.url)
            .header(AUTHORIZATION, authorization)
            .header(VERSION_NAME, VERSION_VALUE)
            .header(USER_AGENT, AGENT);
        if let Some(content_type) = content_type {
            builder = builder.header(CONTENT_TYPE, content_type);
        }
        builder.body(bytes).map_err(RequestError::Http)
    }
}

/// Appends `text` percent-encoded: every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`)
/// as `%XX`, so no value adds a path separator, a query or a fragment.
fn encode(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a `String` cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

impl fmt::Debug for RequestBuilder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBuilder")
            .field("method", &self.method)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::new("sk_test_secretvalue").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn encodes_every_reserved_byte() {
        let mut out = String::new();
        encode(&mut out, "a b/c?d#e%f&g=h+i,j~k.l_m-né");
        assert_eq!(out, "a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi%2Cj~k.l_m-n%C3%A9");
    }

    #[test]
    fn the_base_url_is_an_http_origin_with_or_without_a_path() {
        let key = key();
        for (base, url) in [
            ("https://api.clerk.com", "https://api.clerk.com/v1"),
            ("https://api.clerk.com/", "https://api.clerk.com/v1"),
            (
                "http://127.0.0.1:8080/proxy/",
                "http://127.0.0.1:8080/proxy/v1",
            ),
            ("HTTPS://api.clerk.com", "HTTPS://api.clerk.com/v1"),
        ] {
            let built = RequestBuilder::new(http::Method::GET, base, &key).map(|b| b.url);
            assert_eq!(built.ok().as_deref(), Some(url), "{base}");
        }
        for base in [
            "",
            "api.clerk.com",
            "ftp://x",
            "https://",
            "https:///v1",
            "https://a?b",
            "https://a#b",
            "https://a b",
        ] {
            assert!(
                RequestBuilder::new(http::Method::GET, base, &key).is_err(),
                "{base:?}"
            );
        }
    }

    #[test]
    fn a_segment_stays_one_segment() {
        let key = key();
        for bad in ["", ".", "..", "a/b", "../users", "a?b", "a#b", "/"] {
            let mut request = RequestBuilder::new(http::Method::GET, "https://x", &key)
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(
                matches!(
                    request.segment("id", bad),
                    Err(RequestError::PathParameter { name: "id", .. })
                ),
                "{bad:?}"
            );
        }
        let mut request = RequestBuilder::new(http::Method::GET, "https://x", &key)
            .unwrap_or_else(|e| panic!("{e}"));
        request.literal("/users/");
        assert!(request.segment("id", "%2e%2e").is_ok());
        assert_eq!(request.url, "https://x/v1/users/%252e%252e");
    }

    #[test]
    fn the_secret_key_is_sent_and_never_shown() {
        let key = key();
        let request = RequestBuilder::new(http::Method::GET, "https://x", &key)
            .and_then(RequestBuilder::finish)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            request
                .headers()
                .get(AUTHORIZATION)
                .map(HeaderValue::as_bytes),
            Some(&b"Bearer sk_test_secretvalue"[..])
        );
        assert_eq!(
            request
                .headers()
                .get(VERSION_HEADER)
                .map(HeaderValue::as_bytes),
            Some(API_VERSION.as_bytes())
        );
        assert!(!format!("{request:?}").contains("secretvalue"));
    }
}
