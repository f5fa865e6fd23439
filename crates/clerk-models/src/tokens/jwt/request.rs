//! [`request_token`]: where a request carries its token (features `jwt` and `http`).

use http::HeaderMap;
use http::header::{AUTHORIZATION, COOKIE};

use crate::generated::token_classes::{CLIENT_UAT_COOKIE, SESSION_COOKIE};

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
    request_token_with_source(headers).map(|(token, _)| token)
}

/// Where a request carried its token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenSource {
    /// `Authorization: Bearer`.
    Header,
    /// The `__session` cookie: a browser's, which [`check_client_uat`] must also pass.
    Cookie,
}

/// [`request_token`], with where the token was.
#[must_use]
pub fn request_token_with_source(headers: &HeaderMap) -> Option<(&str, TokenSource)> {
    headers
        .get_all(AUTHORIZATION)
        .iter()
        .find_map(|value| bearer(value.to_str().ok()?))
        .map(|token| (token, TokenSource::Header))
        .or_else(|| cookie(headers, SESSION_COOKIE).map(|token| (token, TokenSource::Cookie)))
}

/// Why a session token from the `__session` cookie is refused by [`check_client_uat`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientUatError {
    /// No `__client_uat` cookie.
    Missing,
    /// A `__client_uat` that is not a whole number of seconds.
    NotANumber,
    /// `__client_uat=0`: the browser's client has signed out.
    SignedOut,
    /// A `__client_uat` later than the token's `iat`: the client signed in again since the
    /// token was made, so the token is outdated.
    Outdated,
}

impl ClientUatError {
    /// A stable `snake_case` reason: `client_uat_missing`, `client_uat_invalid`,
    /// `signed_out`, `session_token_outdated`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Missing => "client_uat_missing",
            Self::NotANumber => "client_uat_invalid",
            Self::SignedOut => "signed_out",
            Self::Outdated => "session_token_outdated",
        }
    }
}

impl core::fmt::Display for ClientUatError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Missing => "a session cookie without the `__client_uat` cookie",
            Self::NotANumber => "a `__client_uat` cookie that is not a number",
            Self::SignedOut => "the client has signed out (`__client_uat=0`)",
            Self::Outdated => "the session token predates the client's last sign-in",
        })
    }
}

impl std::error::Error for ClientUatError {}

/// The rule `@clerk/backend` applies to a session token from the `__session` cookie: the
/// request also has a `__client_uat` cookie that is a number, not `0`, and not later than the
/// token's `iat` (Unix seconds). Tokens from `Authorization: Bearer` skip it.
///
/// # Errors
///
/// [`ClientUatError`] saying which part of the rule failed.
pub fn check_client_uat(headers: &HeaderMap, iat: i64) -> Result<(), ClientUatError> {
    let value = cookie(headers, CLIENT_UAT_COOKIE).ok_or(ClientUatError::Missing)?;
    let uat: i64 = value.parse().map_err(|_| ClientUatError::NotANumber)?;
    if uat == 0 {
        return Err(ClientUatError::SignedOut);
    }
    if uat > iat {
        return Err(ClientUatError::Outdated);
    }
    Ok(())
}

/// The value of cookie `name` in the first `Cookie` header that has it.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .find_map(|value| cookie_value(value.to_str().ok()?, name))
}

/// The token of `Bearer <token>`: one scheme, spaces, and a token without spaces.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_matches(' ').split_once(' ')?;
    let token = token.trim_start_matches(' ');
    let valid = scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && !token.contains(' ');
    valid.then_some(token)
}

/// The value of cookie `wanted` in one `Cookie` header (`a=1; b=2`), unquoted.
fn cookie_value<'v>(value: &'v str, wanted: &str) -> Option<&'v str> {
    value.split(';').find_map(|pair| {
        let (name, value) = pair.trim_matches(' ').split_once('=')?;
        if name != wanted {
            return None;
        }
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty()).then_some(value)
    })
}
