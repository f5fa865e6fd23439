//! Machine tokens: the views over [`M2mTokenClaims`] and [`OAuthAccessTokenClaims`] (their
//! scopes and their validity), read as Clerk's `@clerk/backend` reads them (`M2MToken` and
//! `IdPOAuthAccessToken`'s `fromJwtPayload`), failing closed.

use std::time::{Duration, SystemTime};

use super::validity::TimeClaims;
use crate::{M2mTokenClaims, OAuthAccessTokenClaims, ValidityError};

/// The scopes of a machine token, in the token's order, computed as they are iterated (no
/// allocation): a space-separated claim split on each space (empty entries skipped), or an
/// array claim's entries.
#[derive(Clone, Debug)]
pub struct Scopes<'a> {
    inner: ScopesInner<'a>,
}

#[derive(Clone, Debug)]
enum ScopesInner<'a> {
    Words(core::str::Split<'a, char>),
    List(core::slice::Iter<'a, String>),
}

impl<'a> Scopes<'a> {
    /// The words of `text` if present, else the entries of `list`, else nothing: the order
    /// in which Clerk's SDK reads the two claims.
    fn of(text: Option<&'a str>, list: Option<&'a [String]>) -> Self {
        let inner = match (text, list) {
            (Some(text), _) => ScopesInner::Words(text.split(' ')),
            (None, list) => ScopesInner::List(list.unwrap_or_default().iter()),
        };
        Self { inner }
    }
}

impl<'a> Iterator for Scopes<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match &mut self.inner {
            ScopesInner::Words(words) => words.find(|w| !w.is_empty()),
            ScopesInner::List(list) => list.map(String::as_str).find(|s| !s.is_empty()),
        }
    }
}

/// `scope` is granted by `scopes`: compared exactly, and an empty scope is never granted.
fn grants(mut scopes: Scopes<'_>, scope: &str) -> bool {
    !scope.is_empty() && scopes.any(|s| s == scope)
}

impl<C> M2mTokenClaims<C> {
    /// The machines this token may call: `scopes` split on spaces, or `aud` when the token
    /// has no `scopes`, as Clerk's SDK reads them.
    ///
    /// ```
    /// # let json = r#"{"sub":"mch_1","iat":1700000000,"exp":1700000060,"scopes":"mch_2 mch_3"}"#;
    /// let claims: clerk_models::M2mTokenClaims = clerk_models::from_str(json)?;
    /// assert_eq!(claims.scopes().collect::<Vec<_>>(), ["mch_2", "mch_3"]);
    /// assert!(claims.has_scope("mch_3") && !claims.has_scope("mch_4"));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn scopes(&self) -> Scopes<'_> {
        Scopes::of(self.scopes.as_deref(), self.aud.as_deref())
    }

    /// Whether [`scopes`](Self::scopes) holds `scope`, compared exactly. An empty `scope`
    /// is never held.
    #[must_use]
    pub fn has_scope(&self, scope: &str) -> bool {
        grants(self.scopes(), scope)
    }

    /// Why the token is invalid at `now`, allowing `leeway` of clock skew on `exp`, `nbf`
    /// and `iat`, as [`SessionClaims::validate_at`](crate::SessionClaims::validate_at)
    /// does. It does **not** check the signature (feature `jwt`:
    /// `jwt::Verifier::verify_m2m_token` does).
    ///
    /// # Errors
    ///
    /// The first [`ValidityError`] found: `Expired`, `NotYetValid` or `IssuedInTheFuture`.
    pub fn validate_at(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        TimeClaims {
            exp: self.exp,
            nbf: self.nbf,
            iat: Some(self.iat),
        }
        .check(now, leeway)
    }

    /// Whether [`validate_at`](Self::validate_at) passes with no leeway.
    #[must_use]
    pub fn is_valid_at(&self, now: SystemTime) -> bool {
        self.validate_at(now, Duration::ZERO).is_ok()
    }
}

impl<C> OAuthAccessTokenClaims<C> {
    /// The scopes the user granted the application: `scope` split on spaces, or `scp` when
    /// the token has no `scope`.
    ///
    /// ```
    /// # let json = r#"{"sub":"user_1","exp":1700000060,"client_id":"client_1","scope":"read:foo write:bar"}"#;
    /// let claims: clerk_models::OAuthAccessTokenClaims = clerk_models::from_str(json)?;
    /// assert_eq!(claims.scopes().collect::<Vec<_>>(), ["read:foo", "write:bar"]);
    /// assert!(claims.has_scope("read:foo") && !claims.has_scope("read"));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn scopes(&self) -> Scopes<'_> {
        Scopes::of(self.scope.as_deref(), self.scp.as_deref())
    }

    /// Whether [`scopes`](Self::scopes) holds `scope`, compared exactly. An empty `scope`
    /// is never held.
    #[must_use]
    pub fn has_scope(&self, scope: &str) -> bool {
        grants(self.scopes(), scope)
    }

    /// Why the token is invalid at `now`, allowing `leeway` of clock skew on `exp`, `nbf`
    /// and `iat`. It does **not** check the signature (feature `jwt`:
    /// `jwt::Verifier::verify_oauth_access_token` does).
    ///
    /// # Errors
    ///
    /// The first [`ValidityError`] found: `Expired`, `NotYetValid` or `IssuedInTheFuture`.
    pub fn validate_at(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        TimeClaims {
            exp: self.exp,
            nbf: self.nbf,
            iat: self.iat,
        }
        .check(now, leeway)
    }

    /// Whether [`validate_at`](Self::validate_at) passes with no leeway.
    #[must_use]
    pub fn is_valid_at(&self, now: SystemTime) -> bool {
        self.validate_at(now, Duration::ZERO).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use crate::{M2mTokenClaims, OAuthAccessTokenClaims, SessionClaims};

    fn round_trip<T>(json: &str)
    where
        T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + core::fmt::Debug,
    {
        let first: T = crate::from_str(json).unwrap();
        let again: T = crate::from_str(&serde_json::to_string(&first).unwrap()).unwrap();
        assert_eq!(first, again);
    }

    /// Found by fuzzing: a 41-digit number in a custom claim decoded one unit in the last
    /// place away from what it decodes to once written back (serde_json's default float
    /// parsing). With serde_json's `float_roundtrip`, a kept claim round-trips exactly. Here,
    /// unlike the workspace's tests crate, no other dependency turns that feature on.
    #[test]
    fn a_huge_number_in_custom_claims_round_trips_exactly() {
        let json = r#"{"sub":"user_1","iat":1713158400,"exp":1713158460,"iss":"i","sid":"s",
            "bnf":11111110000000000000017286664112045943276,"f":0.1}"#;
        round_trip::<SessionClaims>(json);
        round_trip::<M2mTokenClaims>(json);
        round_trip::<OAuthAccessTokenClaims>(json);
        let claims: M2mTokenClaims = crate::from_str(json).unwrap();
        let bnf = claims.custom.get("bnf").and_then(serde_json::Value::as_f64);
        assert_eq!(bnf, Some(1.111_111e40));
    }
}
