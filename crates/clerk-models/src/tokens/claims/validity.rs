//! The time checks every class of token shares: `exp`, `nbf` and `iat` against `now`, with
//! a leeway for clock skew, and why a token is invalid.

use core::fmt;
use std::time::{Duration, SystemTime};

use crate::api::session::unix_nanos;

/// Why a token's claims are invalid at a given instant: [`SessionClaims::validate_at`]
/// and the machine tokens' `validate_at`.
///
/// [`SessionClaims::validate_at`]: crate::SessionClaims::validate_at
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ValidityError {
    /// No `sid`: a token made with a JWT template, not a session token.
    NotASessionToken,
    /// The session status (`sts`) is not active: pending, or a status this version does not
    /// know. [`SessionClaims::session_status`](crate::SessionClaims::session_status) has it.
    SessionNotActive,
    /// `exp` (plus any leeway) has come.
    Expired,
    /// `nbf` (minus any leeway) has not come yet.
    NotYetValid,
    /// `iat` (minus any leeway) has not come yet: the token says it was issued in the
    /// future.
    IssuedInTheFuture,
}

impl ValidityError {
    /// A short, stable `snake_case` code for this refusal, one per variant.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotASessionToken => "not_a_session_token",
            Self::SessionNotActive => "session_not_active",
            Self::Expired => "expired",
            Self::NotYetValid => "not_yet_valid",
            Self::IssuedInTheFuture => "issued_in_the_future",
        }
    }
}

impl fmt::Display for ValidityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotASessionToken => "not a session token: it has no `sid` claim",
            Self::SessionNotActive => "the session is not active (`sts`)",
            Self::Expired => "the token has expired (`exp`)",
            Self::NotYetValid => "the token is not valid yet (`nbf`)",
            Self::IssuedInTheFuture => "the token was issued in the future (`iat`)",
        })
    }
}

impl std::error::Error for ValidityError {}

/// A token's time claims, in Unix seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeClaims {
    pub(crate) exp: i64,
    pub(crate) nbf: Option<i64>,
    pub(crate) iat: Option<i64>,
}

impl TimeClaims {
    /// Valid while `now < exp + leeway`, `now >= nbf - leeway` and `now >= iat - leeway`,
    /// checked in that order, as Clerk's `verifyJwt` does. Computed in nanoseconds of
    /// `i128`, so no claim or leeway can overflow.
    pub(crate) fn check(self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        let now = unix_nanos(now);
        let leeway = i128::try_from(leeway.as_nanos()).unwrap_or(i128::MAX);
        let nanos = |secs: i64| i128::from(secs) * 1_000_000_000;
        if now >= nanos(self.exp).saturating_add(leeway) {
            return Err(ValidityError::Expired);
        }
        if self
            .nbf
            .is_some_and(|nbf| now < nanos(nbf).saturating_sub(leeway))
        {
            return Err(ValidityError::NotYetValid);
        }
        if self
            .iat
            .is_some_and(|iat| now < nanos(iat).saturating_sub(leeway))
        {
            return Err(ValidityError::IssuedInTheFuture);
        }
        Ok(())
    }
}
