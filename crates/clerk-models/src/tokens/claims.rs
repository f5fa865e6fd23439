//! Session tokens: one fail-closed view over the claims of token format versions 1 and 2.
//!
//! The claims themselves ([`SessionClaims`]) are generated from `schemas/session-token.json`.
//! This module reads them the way Clerk's own JS SDK does (`jwtPayloadParser`), with one rule
//! on top: whatever is missing, malformed or unknown grants nothing.
//!
//! No helper here reads the clock except [`SessionClaims::is_valid_now`], and none allocates.

use core::fmt;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::{ActorClaims, OrganizationClaims, SessionClaims, SessionStatus};

mod list;
mod machine;
mod masks;
mod organization;
mod permission;
mod validity;

pub use list::ClaimList;
pub use machine::Scopes;
use masks::scoped;
pub use organization::{ActiveOrganization, OrgRole, Permissions};
use organization::{PermissionSource, grants_permission};
pub use permission::OrgPermission;
use validity::TimeClaims;
pub use validity::ValidityError;

/// The claims a schema object does not list, kept as received: the default type of
/// [`SessionClaims::custom`] (your session token's custom claims) and of
/// [`ActorClaims::other`].
///
/// To type your own claims instead, use `SessionClaims<MyClaims>` with any `Deserialize`
/// struct: it receives every claim that is not one of Clerk's.
///
/// ```
/// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"exp":1700000060,"tenant":"acme","beta":true}"#;
/// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
/// assert_eq!(claims.custom.get("tenant").and_then(|v| v.as_str()), Some("acme"));
/// assert_eq!(claims.custom.len(), 2);
/// # Ok::<(), clerk_models::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OtherClaims(Map<String, Value>);

impl OtherClaims {
    /// A claim, by name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// How many claims there are.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every claim, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The claims as a JSON map.
    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl From<Map<String, Value>> for OtherClaims {
    fn from(map: Map<String, Value>) -> Self {
        Self(map)
    }
}

impl From<OtherClaims> for Map<String, Value> {
    fn from(claims: OtherClaims) -> Self {
        claims.0
    }
}

impl<C> SessionClaims<C> {
    /// The session's status: `sts`, which Clerk leaves out for an active session (and which
    /// version 1 tokens never carry).
    ///
    /// A status this version does not know is kept as text and is never active.
    ///
    /// ```
    /// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"exp":1700000060,"v":2,"sts":"pending"}"#;
    /// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
    /// assert!(claims.session_status().is_pending());
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn session_status(&self) -> &SessionStatus {
        // What `sts` means when absent: the schema's `default` (a test ties the two).
        static ABSENT: SessionStatus = SessionStatus::Active;
        self.sts.as_ref().unwrap_or(&ABSENT)
    }

    /// Whether the token is valid at `now`: it is a session token (`sid` present), the
    /// session is active, `now` is before `exp`, and `now` is neither before `nbf` nor
    /// before `iat`.
    ///
    /// Fails closed: a pending session, a status this version does not know, an expired
    /// token (`exp` itself is too late), a token not valid yet, and a JWT-template token
    /// (no `sid`) are all invalid. It does **not** check the signature: decode claims only
    /// from a verified token (feature `jwt`: `jwt::Verifier`), or from one your
    /// framework verified.
    ///
    /// ```
    /// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"nbf":1699999990,"exp":1700000060}"#;
    /// use std::time::{Duration, UNIX_EPOCH};
    ///
    /// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
    /// let at = |secs| UNIX_EPOCH + Duration::from_secs(secs);
    /// assert!(claims.is_valid_at(at(1_700_000_059)));
    /// assert!(!claims.is_valid_at(at(1_700_000_060))); // exp itself is too late
    /// assert!(!claims.is_valid_at(at(1_699_999_989))); // before nbf
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn is_valid_at(&self, now: SystemTime) -> bool {
        self.is_valid_at_with_leeway(now, Duration::ZERO)
    }

    /// [`is_valid_at`](Self::is_valid_at), allowing `leeway` of clock skew between Clerk and
    /// this server on `exp`, `nbf` and `iat`: valid while `now < exp + leeway`,
    /// `now >= nbf - leeway` and `now >= iat - leeway` (a token issued in the future is
    /// refused, as Clerk's `assertIssuedAtClaim` does). Keep it small (seconds): it extends
    /// every token's life. `jwt::Verifier` allows 5 s, as Clerk does.
    #[must_use]
    pub fn is_valid_at_with_leeway(&self, now: SystemTime, leeway: Duration) -> bool {
        self.validate_at(now, leeway).is_ok()
    }

    /// [`is_valid_at_with_leeway`](Self::is_valid_at_with_leeway), saying why a token is
    /// invalid: the first reason found, in the order of [`ValidityError`]'s variants.
    ///
    /// # Errors
    ///
    /// The [`ValidityError`] that makes the token invalid at `now`.
    pub fn validate_at(&self, now: SystemTime, leeway: Duration) -> Result<(), ValidityError> {
        if self.sid.is_none() {
            return Err(ValidityError::NotASessionToken);
        }
        if !self.session_status().is_active() {
            return Err(ValidityError::SessionNotActive);
        }
        TimeClaims {
            exp: self.exp,
            nbf: self.nbf,
            iat: Some(self.iat),
        }
        .check(now, leeway)
    }

    /// [`is_valid_at`](Self::is_valid_at) with the system clock's current time: the one
    /// helper that reads the clock.
    #[must_use]
    pub fn is_valid_now(&self) -> bool {
        self.is_valid_at(SystemTime::now())
    }

    /// Whether `azp` (the origin the token was made for) is one of `allowed`, compared
    /// exactly. A token without `azp` is not authorized for any party: Clerk leaves it out
    /// only when the origin was empty.
    ///
    /// ```
    /// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"exp":1700000060,"azp":"https://app.example.com"}"#;
    /// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
    /// assert!(claims.is_authorized_party(&["https://app.example.com"]));
    /// assert!(!claims.is_authorized_party(&["https://evil.example.com"]));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn is_authorized_party(&self, allowed: &[&str]) -> bool {
        self.azp
            .as_deref()
            .is_some_and(|azp| allowed.contains(&azp))
    }

    /// How long ago the user last verified each factor (`fva`). An absent claim means no
    /// verification is known: both factors report `None`, so every reverification check
    /// fails.
    ///
    /// ```
    /// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"exp":1700000060,"fva":[7,-1]}"#;
    /// use std::time::Duration;
    ///
    /// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
    /// let age = claims.factor_verification_age();
    /// assert_eq!(age.first_factor(), Some(Duration::from_secs(7 * 60)));
    /// assert_eq!(age.second_factor(), None); // -1: never verified
    /// assert!(age.first_factor_within(Duration::from_secs(10 * 60)));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn factor_verification_age(&self) -> FactorVerificationAge {
        match self.fva {
            Some([first, second]) => FactorVerificationAge {
                present: true,
                first: minutes(first),
                second: minutes(second),
            },
            None => FactorVerificationAge::default(),
        }
    }

    /// The active organization with the user's role and permissions, from `o` and `fea` in
    /// version 2 (`v: 2`) and from the `org_*` claims otherwise, as Clerk's JS SDK reads
    /// them. `None` when no organization is active.
    #[must_use]
    pub fn organization(&self) -> Option<ActiveOrganization<'_>> {
        if self.v == Some(2) {
            let o: &OrganizationClaims = self.o.as_ref()?;
            Some(ActiveOrganization {
                id: &o.id,
                slug: o.slg.as_deref(),
                role: o.rol.as_deref().filter(|r| !r.is_empty()),
                permissions: PermissionSource::Masks {
                    features: self.fea.as_ref(),
                    per: o.per.as_ref(),
                    fpm: o.fpm.as_deref(),
                },
            })
        } else {
            Some(ActiveOrganization {
                id: self.org_id.as_deref()?,
                slug: self.org_slug.as_deref(),
                role: self.org_role.as_deref().filter(|r| !r.is_empty()),
                permissions: PermissionSource::List(
                    self.org_permissions.as_deref().unwrap_or_default(),
                ),
            })
        }
    }

    /// Whether the user has `permission` in the active organization, written
    /// `org:<feature>:<permission>` or `<feature>:<permission>`. False without an active
    /// organization, and for anything malformed.
    ///
    /// ```
    /// # let json = r#"{"iss":"https://clerk.example.com","sub":"user_1","sid":"sess_1","iat":1700000000,"exp":1700000060,"v":2,
    /// #   "fea":"o:invoices,u:avatars,o:members","o":{"id":"org_1","rol":"admin","per":"read,manage","fpm":"1,3"}}"#;
    /// let claims: clerk_models::SessionClaims = clerk_models::from_str(json)?;
    /// assert!(claims.has_permission("org:invoices:read"));
    /// assert!(!claims.has_permission("org:invoices:manage")); // mask 1: read only
    /// assert!(claims.has_permission("members:manage"));       // mask 3: read and manage
    /// assert!(claims.has_role("org:admin") && claims.has_role("admin"));
    /// # Ok::<(), clerk_models::Error>(())
    /// ```
    #[must_use]
    pub fn has_permission(&self, permission: &str) -> bool {
        match (self.v, &self.o) {
            // What `organization()` would give, without making the rest of it.
            (Some(2), Some(o)) => grants_permission(
                self.fea.as_ref(),
                o.per.as_ref(),
                o.fpm.as_deref(),
                permission,
            ),
            _ => self
                .organization()
                .is_some_and(|org| org.has_permission(permission)),
        }
    }

    /// Whether the user's role in the active organization is `role` (`org:admin` and
    /// `admin` are the same role). False without an active organization or role.
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        self.organization().is_some_and(|org| org.has_role(role))
    }

    /// The impersonation claims (`act`), when someone is acting as the user; `None` for an
    /// ordinary session.
    #[must_use]
    pub fn actor(&self) -> Option<&ActorClaims> {
        self.act.as_ref()
    }

    /// Whether someone else is acting as the user.
    #[must_use]
    pub fn is_impersonated(&self) -> bool {
        self.act.is_some()
    }

    /// The active plan (`pla`, version 2), such as `u:free_user`.
    #[must_use]
    pub fn plan(&self) -> Option<Scoped<'_>> {
        self.pla.as_deref().and_then(Scoped::parse)
    }

    /// The enabled features (`fea`, version 2), in order; an entry without a scope is
    /// skipped.
    pub fn features(&self) -> impl Iterator<Item = Scoped<'_>> + '_ {
        self.fea
            .as_ref()
            .into_iter()
            .flat_map(ClaimList::fields)
            .filter_map(Scoped::parse)
    }
}

/// Minutes since a verification, `None` for `-1` (never) or any other negative value.
fn minutes(value: i64) -> Option<u64> {
    u64::try_from(value).ok()
}

/// How long ago the user verified each factor: the `fva` claim, read fail-closed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FactorVerificationAge {
    present: bool,
    first: Option<u64>,
    second: Option<u64>,
}

impl FactorVerificationAge {
    /// Whether the token carries `fva` at all (instances without reverification leave it
    /// out). Without it, both factors are `None`.
    #[must_use]
    pub const fn is_present(&self) -> bool {
        self.present
    }

    /// Minutes since the first factor was verified, if it ever was.
    #[must_use]
    pub const fn first_factor_minutes(&self) -> Option<u64> {
        self.first
    }

    /// Minutes since the second factor was verified, if it ever was.
    #[must_use]
    pub const fn second_factor_minutes(&self) -> Option<u64> {
        self.second
    }

    /// Time since the first factor was verified, if it ever was.
    #[must_use]
    pub fn first_factor(&self) -> Option<Duration> {
        self.first.and_then(minutes_to_duration)
    }

    /// Time since the second factor was verified, if it ever was.
    #[must_use]
    pub fn second_factor(&self) -> Option<Duration> {
        self.second.and_then(minutes_to_duration)
    }

    /// Whether the first factor was verified no longer than `max_age` ago.
    #[must_use]
    pub fn first_factor_within(&self, max_age: Duration) -> bool {
        self.first_factor().is_some_and(|age| age <= max_age)
    }

    /// Whether the second factor was verified no longer than `max_age` ago.
    #[must_use]
    pub fn second_factor_within(&self, max_age: Duration) -> bool {
        self.second_factor().is_some_and(|age| age <= max_age)
    }
}

fn minutes_to_duration(minutes: u64) -> Option<Duration> {
    minutes.checked_mul(60).map(Duration::from_secs)
}

/// A `<scope>:<name>` entry of `pla` or `fea`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Scoped<'a> {
    scope: &'a str,
    name: &'a str,
}

impl<'a> Scoped<'a> {
    fn parse(entry: &'a str) -> Option<Self> {
        let (scope, name) = scoped(entry)?;
        Some(Self { scope, name })
    }

    /// The scope as written: `u` (user), `o` (organization), `uo` or `ou` (both).
    #[must_use]
    pub const fn scope(&self) -> &'a str {
        self.scope
    }

    /// The plan or feature slug.
    #[must_use]
    pub const fn name(&self) -> &'a str {
        self.name
    }

    /// Whether it applies to the active organization (scope `o`, `ou` or `uo`).
    #[must_use]
    pub fn is_organization(&self) -> bool {
        is_org_scope(self.scope.as_bytes())
    }

    /// Whether it applies to the user (scope `u`, `ou` or `uo`).
    #[must_use]
    pub fn is_user(&self) -> bool {
        matches!(self.scope, "u" | "ou" | "uo")
    }
}

impl fmt::Display for Scoped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.scope, self.name)
    }
}

/// Whether a scope is the organization's: `o`, `ou` or `uo`.
fn is_org_scope(scope: &[u8]) -> bool {
    matches!(scope, b"o" | b"ou" | b"uo")
}
