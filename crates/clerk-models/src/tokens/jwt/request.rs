//! [`request_token`]: where a request carries its token (features `jwt` and `http`).

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

use crate::generated::token_classes::SESSION_COOKIE;

/// The token a request carries, as Clerk's `authenticateContext` reads it: the first
/// `Authorization: Bearer <token>` header (the scheme compared without case, RFC 7235), else
/// the `__session` cookie of any `Cookie` header. `None` when there is neither: other
/// schemes (`Basic`), other cookies, empty values and headers that are not visible ASCII
/// give nothing.
///
/// It only finds the token. Verify it ([`Verifier::verify`](super::Verifier::verify)), or
/// route it first with [`TokenType::of`](super::TokenType::of). Any header size is read
/// without panicking, and nothing is allocated.
///
/// ```
/// use http::{HeaderMap, HeaderValue, header};
///
/// let mut headers = HeaderMap::new();
/// headers.insert(header::COOKIE, HeaderValue::from_static("theme=dark; __session=eyJhbGc.e30.c2ln"));
/// assert_eq!(clerk_models::jwt::request_token(&headers), Some("eyJhbGc.e30.c2ln"));
/// headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer mt_123"));
/// assert_eq!(clerk_models::jwt::request_token(&headers), Some("mt_123"));
/// ```
#[must_use]
pub fn request_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(AUTHORIZATION)
        .iter()
        .find_map(|value| bearer(value.to_str().ok()?))
        .or_else(|| {
            headers
                .get_all(COOKIE)
                .iter()
                .find_map(|value| session_cookie(value.to_str().ok()?))
        })
}

/// The token of `Bearer <token>`: one scheme, spaces, and a token without spaces.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_matches(' ').split_once(' ')?;
    let token = token.trim_start_matches(' ');
    let valid = scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' ');
    valid.then_some(token)
}

/// The value of the session cookie in one `Cookie` header (`a=1; b=2`), unquoted.
fn session_cookie(value: &str) -> Option<&str> {
    value.split(';').find_map(|pair| {
        let (name, value) = pair.trim_matches(' ').split_once('=')?;
        if name != SESSION_COOKIE {
            return None;
        }
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then_some(value)
    })
}
