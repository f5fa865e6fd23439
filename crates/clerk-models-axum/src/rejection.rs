//! How a refused request is answered: 401 with `WWW-Authenticate: Bearer` (RFC 6750), 403
//! for a missing permission or role, 503 while no key has been fetched; a small JSON body
//! naming the reason, never the token or a key.

use core::fmt;

use axum_core::body::Body;
use axum_core::response::{IntoResponse, Response};
use clerk_models::jwt::JwtError;
use http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use http::{HeaderValue, StatusCode};

/// Why a request was refused, and how it is answered. Its [`code`](Self::code) is a stable
/// `snake_case` reason; for a token that did not verify it is [`JwtError::code`], one per
/// refusal.
///
/// | Status | `WWW-Authenticate` | `code` |
/// |---|---|---|
/// | 401 | `Bearer` | `missing_token`: the request has no token |
/// | 401 | `Bearer error="invalid_token"` | a [`JwtError::code`], or `opaque_token`, `token_class` |
/// | 401 | `Bearer error="invalid_token"` | a session cookie without a `__client_uat` that allows it: a [`ClientUatError::code`](clerk_models::jwt::ClientUatError::code) |
/// | 403 | `Bearer error="insufficient_scope"` | `missing_permission`, `missing_role` |
/// | 503 | | `keys_unavailable`: no key fetched yet |
/// | 503 (`Retry-After`) | | `key_rotation`: the token's `kid` is not in the keys, which may not be fetched again yet |
/// | 401 | `Bearer error="invalid_token"` | an opaque token Clerk says is not valid: `token_not_found`, `token_inactive` |
/// | 503 (`Retry-After`) | | `verification_unavailable`: Clerk is slow, away or rate-limiting, or the layer's bound on verifications is reached |
/// | 500 | | `layer_missing`: an extractor without [`ClerkLayer`](crate::ClerkLayer); `misconfigured`: the Backend API refuses the secret key |
///
/// The body is `{"error": "<RFC 6750 error or HTTP reason>", "reason": "<code>"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthRejection {
    kind: Kind,
    code: &'static str,
    /// Seconds for `Retry-After`.
    retry_after: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Missing,
    InvalidToken,
    Forbidden,
    Unavailable,
    Misconfigured,
}

impl AuthRejection {
    /// No token in the request: 401, `WWW-Authenticate: Bearer` without an error (RFC 6750
    /// §3.1).
    pub(crate) const MISSING: Self = Self::new(Kind::Missing, "missing_token");
    /// An opaque machine token (`mt_…`, `oat_…`, `ak_…`): only the Backend API verifies it.
    pub(crate) const OPAQUE: Self = Self::new(Kind::InvalidToken, "opaque_token");
    /// A verified token of a class this extractor does not take (a session token at
    /// [`MachineAuth`](crate::MachineAuth), say).
    pub(crate) const TOKEN_CLASS: Self = Self::new(Kind::InvalidToken, "token_class");
    /// Authenticated, without the permission asked.
    pub(crate) const MISSING_PERMISSION: Self = Self::new(Kind::Forbidden, "missing_permission");
    /// Authenticated, without the role asked.
    pub(crate) const MISSING_ROLE: Self = Self::new(Kind::Forbidden, "missing_role");
    /// No key fetched yet.
    pub(crate) const KEYS_UNAVAILABLE: Self = Self::new(Kind::Unavailable, "keys_unavailable");
    /// An extractor ran on a request the layer did not see.
    pub(crate) const LAYER_MISSING: Self = Self::new(Kind::Misconfigured, "layer_missing");
    /// The Backend API refused the layer's secret key: no opaque token can be verified.
    #[cfg(feature = "client")]
    pub(crate) const MISCONFIGURED: Self = Self::new(Kind::Misconfigured, "misconfigured");

    /// Clerk said the opaque token is not valid (`token_not_found`, `token_inactive`): 401.
    #[cfg(feature = "client")]
    pub(crate) fn opaque_refused(code: &'static str) -> Self {
        Self::new(Kind::InvalidToken, code)
    }

    /// The token could not be verified now (Clerk slow, away or rate-limiting, or the
    /// layer's own bound on verifications): 503 with `Retry-After`.
    #[cfg(feature = "client")]
    pub(crate) fn busy(wait: std::time::Duration) -> Self {
        Self {
            retry_after: Some(Self::key_rotation(wait).retry_after.unwrap_or(1)),
            ..Self::new(Kind::Unavailable, "verification_unavailable")
        }
    }

    const fn new(kind: Kind, code: &'static str) -> Self {
        Self {
            kind,
            code,
            retry_after: None,
        }
    }

    /// A token whose key is not in the set, which may not be fetched again for `wait`: 503
    /// with `Retry-After` (whole seconds, rounded up), since the key may be Clerk's newest.
    pub(crate) fn key_rotation(wait: std::time::Duration) -> Self {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Self {
            retry_after: Some(seconds.max(1)),
            ..Self::new(Kind::Unavailable, "key_rotation")
        }
    }

    /// The seconds of the answer's `Retry-After`, if it has one.
    #[must_use]
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// A verified token of a class the route does not take (`token_class`): 401,
    /// `error="invalid_token"`. For a handler that takes [`MachineAuth`](crate::MachineAuth)
    /// but serves only one of its classes.
    #[must_use]
    pub fn token_class() -> Self {
        Self::TOKEN_CLASS
    }

    /// A session cookie the `__client_uat` cookie does not allow: 401, `invalid_token`,
    /// the rule's code (`client_uat_missing`, `signed_out`, `session_token_outdated`…).
    pub(crate) fn client_uat(error: clerk_models::jwt::ClientUatError) -> Self {
        Self::new(Kind::InvalidToken, error.code())
    }

    /// The token did not verify: 401, `error="invalid_token"`, the error's code.
    pub(crate) fn invalid(error: &JwtError) -> Self {
        Self::new(Kind::InvalidToken, error.code())
    }

    /// The HTTP status of the answer.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self.kind {
            Kind::Missing | Kind::InvalidToken => StatusCode::UNAUTHORIZED,
            Kind::Forbidden => StatusCode::FORBIDDEN,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Misconfigured => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The reason, as the body's `reason` names it.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The body's `error`: RFC 6750's code for a 401 or 403, else the status's reason.
    fn error(&self) -> &'static str {
        match self.kind {
            Kind::Missing => "unauthorized",
            Kind::InvalidToken => "invalid_token",
            Kind::Forbidden => "insufficient_scope",
            Kind::Unavailable => "temporarily_unavailable",
            Kind::Misconfigured => "server_error",
        }
    }

    fn challenge(&self) -> Option<&'static str> {
        match self.kind {
            Kind::Missing => Some("Bearer"),
            Kind::InvalidToken => Some(r#"Bearer error="invalid_token""#),
            Kind::Forbidden => Some(r#"Bearer error="insufficient_scope""#),
            Kind::Unavailable | Kind::Misconfigured => None,
        }
    }
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.status(), self.code)
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        let body = serde_json::json!({"error": self.error(), "reason": self.code}).to_string();
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(challenge) = self.challenge() {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        if let Some(seconds) = self.retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
