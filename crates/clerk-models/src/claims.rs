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
mod scan;
mod validity;

pub use list::ClaimList;
pub use machine::Scopes;
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
    pub fn organization(&self) -> Option<Organization<'_>> {
        if self.v == Some(2) {
            let o: &OrganizationClaims = self.o.as_ref()?;
            Some(Organization {
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
            Some(Organization {
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

/// The prefix of organization roles and permissions.
const ORG: &str = "org:";

fn strip_org(text: &str) -> &str {
    // Compared as a 4-byte array rather than through `strip_prefix`, which calls `memcmp`.
    match text.as_bytes().first_chunk::<4>() {
        Some(b"org:") => text.get(ORG.len()..).unwrap_or(text),
        _ => text,
    }
}

/// `text` without every leading `org:`: what Clerk's JS `prefixWithOrg` replaces
/// (`value.replace(/^(org:)*/, 'org:')`) before it looks a version 1 permission up.
fn strip_all_org(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix(ORG) {
        text = rest;
    }
    text
}

/// The name of a version 1 `org_permissions` entry, if the entry is one Clerk's JS can
/// grant: `org:<name>`, exactly as `prefixWithOrg(<name>)` writes it (so `org_permission`,
/// which lacks the prefix, and `org:org:x`, which has two, are granted by nothing). An
/// empty name (`org:`) is never granted, though Clerk's JS would grant it to `has("")`.
/// The one rule that both [`Organization::permissions`] and
/// [`Organization::has_permission`] apply.
fn v1_name(entry: &str) -> Option<&str> {
    let name = entry.strip_prefix(ORG)?;
    (!name.is_empty() && strip_all_org(name) == name).then_some(name)
}

/// The active organization of a session token, borrowed from its claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Organization<'a> {
    id: &'a str,
    slug: Option<&'a str>,
    role: Option<&'a str>,
    permissions: PermissionSource<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PermissionSource<'a> {
    /// Version 1: `org_permissions`, complete.
    List(&'a [String]),
    /// Version 2: computed from `fea`, `o.per` and `o.fpm`. Without any of them, nothing
    /// is granted.
    Masks {
        features: Option<&'a ClaimList>,
        per: Option<&'a ClaimList>,
        fpm: Option<&'a str>,
    },
}

impl<'a> Organization<'a> {
    /// The organization's ID.
    #[must_use]
    pub const fn id(&self) -> &'a str {
        self.id
    }

    /// The organization's slug, if the token carries it.
    #[must_use]
    pub const fn slug(&self) -> Option<&'a str> {
        self.slug
    }

    /// The user's role, if the token carries one.
    #[must_use]
    pub const fn role(&self) -> Option<Role<'a>> {
        match self.role {
            Some(text) => Some(Role(text)),
            None => None,
        }
    }

    /// Whether the user's role is `role` (`org:admin` and `admin` are the same role).
    #[must_use]
    pub fn has_role(&self, role: &str) -> bool {
        self.role().is_some_and(|r| r.matches(role))
    }

    /// The user's permissions in the organization, in the token's order: exactly those
    /// [`has_permission`](Self::has_permission) grants. A version 1 entry that Clerk's JS
    /// could never grant (`org_permission`, without the `org:` prefix) is left out.
    #[must_use]
    pub fn permissions(&self) -> Permissions<'a> {
        Permissions {
            inner: match self.permissions {
                PermissionSource::List(list) => PermissionsInner::List(list.iter()),
                PermissionSource::Masks { features, per, fpm } => {
                    let text = |list: Option<&'a ClaimList>| list.map_or("", ClaimList::as_str);
                    PermissionsInner::Masks(MaskPermissions::new(
                        text(features),
                        text(per),
                        fpm.unwrap_or_default(),
                    ))
                }
            },
        }
    }

    /// Whether the user has `permission` (`org:<feature>:<permission>`, or without the
    /// `org:` prefix). Nothing malformed or missing grants anything.
    #[must_use]
    pub fn has_permission(&self, permission: &str) -> bool {
        match self.permissions {
            PermissionSource::List(list) => {
                let wanted = strip_all_org(permission);
                !wanted.is_empty() && list.iter().any(|entry| v1_name(entry) == Some(wanted))
            }
            PermissionSource::Masks { features, per, fpm } => {
                grants_permission(features, per, fpm, permission)
            }
        }
    }
}

/// Whether version 2 claims grant `permission` (`org:<feature>:<permission>`, or without
/// the `org:` prefix).
fn grants_permission(
    features: Option<&ClaimList>,
    per: Option<&ClaimList>,
    fpm: Option<&str>,
    permission: &str,
) -> bool {
    // Split at the first `:` by byte: `str::split_once`'s searcher cost a twentieth of the
    // whole check, and `str::get` its checks of character boundaries.
    let permission = strip_org(permission).as_bytes();
    let Some((feature, name)) =
        scan::first_colon(permission).and_then(|colon| permission.split_at_checked(colon))
    else {
        return false;
    };
    match (features, per, fpm, name.get(1..)) {
        (Some(features), Some(per), Some(fpm), Some(name)) => {
            mask_grants(features, per, fpm, feature, name)
        }
        // An absent `fea` or `per` has no entry, and an absent `fpm` no mask.
        _ => false,
    }
}

/// A role in an organization. It displays with the `org:` prefix, added once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Role<'a>(&'a str);

impl<'a> Role<'a> {
    /// The role without the `org:` prefix, such as `admin`.
    #[must_use]
    pub fn key(&self) -> &'a str {
        strip_org(self.0)
    }

    /// Whether this is `role`, with or without the `org:` prefix.
    #[must_use]
    pub fn matches(&self, role: &str) -> bool {
        let wanted = strip_org(role);
        !wanted.is_empty() && self.key() == wanted
    }
}

impl fmt::Display for Role<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{ORG}{}", self.key())
    }
}

/// A permission in an organization. It displays as `org:<feature>:<permission>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Permission<'a>(PermissionRepr<'a>);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum PermissionRepr<'a> {
    /// A version 1 entry, as written.
    Text(&'a str),
    /// A version 2 grant.
    Parts { feature: &'a str, name: &'a str },
}

impl<'a> Permission<'a> {
    /// The feature, such as `invoices` in `org:invoices:read`, if the permission has that
    /// form.
    #[must_use]
    pub fn feature(&self) -> Option<&'a str> {
        match self.0 {
            PermissionRepr::Text(text) => text.strip_prefix(ORG)?.split_once(':').map(|(f, _)| f),
            PermissionRepr::Parts { feature, .. } => Some(feature),
        }
    }

    /// The permission's own name, such as `read` in `org:invoices:read`, if the permission
    /// has that form.
    #[must_use]
    pub fn name(&self) -> Option<&'a str> {
        match self.0 {
            PermissionRepr::Text(text) => text.strip_prefix(ORG)?.split_once(':').map(|(_, n)| n),
            PermissionRepr::Parts { name, .. } => Some(name),
        }
    }
}

impl fmt::Display for Permission<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            PermissionRepr::Text(text) => f.write_str(text),
            PermissionRepr::Parts { feature, name } => write!(f, "{ORG}{feature}:{name}"),
        }
    }
}

/// The permissions of an [`Organization`], computed as they are iterated (no allocation).
#[derive(Clone, Debug)]
pub struct Permissions<'a> {
    inner: PermissionsInner<'a>,
}

#[derive(Clone, Debug)]
enum PermissionsInner<'a> {
    List(core::slice::Iter<'a, String>),
    Masks(MaskPermissions<'a>),
}

impl<'a> Iterator for Permissions<'a> {
    type Item = Permission<'a>;

    fn next(&mut self) -> Option<Permission<'a>> {
        match &mut self.inner {
            PermissionsInner::List(list) => list
                .find(|entry| v1_name(entry).is_some())
                .map(|entry| Permission(PermissionRepr::Text(entry.as_str()))),
            PermissionsInner::Masks(masks) => masks.next(),
        }
    }
}

/// The comma-separated fields of a claim, split on the byte (the claims are short, and
/// `str::split`'s searcher costs more than the scan).
#[derive(Clone, Debug)]
struct Fields<'a> {
    rest: Option<&'a str>,
}

fn fields(text: &str) -> Fields<'_> {
    Fields {
        rest: (!text.is_empty()).then_some(text),
    }
}

impl<'a> Iterator for Fields<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == b',') {
            Some(comma) => {
                self.rest = rest.get(comma + 1..);
                rest.get(..comma)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// One `fea` entry as `(scope, name)`, spaces trimmed as Clerk's JS trims them; `None`
/// without a `:`. The name ends at a second `:`, as Clerk's JS reads `entry.split(':')[1]`.
fn scoped(entry: &str) -> Option<(&str, &str)> {
    let entry = entry.trim_matches(' ');
    let colon = entry.bytes().position(|b| b == b':')?;
    let rest = entry.get(colon + 1..)?;
    Some((entry.get(..colon)?, rest.split(':').next()?))
}

/// Whether `fea` can be lined up with `fpm` exactly as Clerk's JS does: every entry has a
/// `:` (JS throws otherwise), and every byte is printable ASCII or a space, so that no
/// whitespace JS would trim and Rust would not (or the reverse) can shift an entry's scope
/// and with it every mask after it. Anything else grants nothing.
fn well_formed(features: &str) -> bool {
    !features.is_empty()
        && printable(features)
        && split_bytes(features).all(|entry| entry.contains(&b':'))
}

/// Whether `per` can be read as Clerk's JS reads it: printable ASCII and spaces only, so
/// that trimming a name means the same in both (JS trims tabs and Unicode blanks too).
/// Anything else grants nothing.
fn well_formed_per(per: &str) -> bool {
    printable(per)
}

/// The permission names of `per`, trimmed, in order.
fn permission_names(per: &str) -> impl Iterator<Item = &str> + Clone {
    fields(per).map(|name| name.trim_matches(' '))
}

/// Whether `fea`, `per` and `fpm` grant `name` in `feature` (version 2), for
/// [`SessionClaims::has_permission`]: lists of under 64 bytes of graphic ASCII (every real
/// token) through [`scan::grants`], from the index each [`ClaimList`] keeps once the first
/// check found it; any other through [`split_mask_grants`]. Both apply one rule.
fn mask_grants(
    features: &ClaimList,
    per: &ClaimList,
    fpm: &str,
    feature: &[u8],
    name: &[u8],
) -> bool {
    match (features.listed(), per.listed()) {
        (Some(features), Some(per)) => scan::grants(features, per, fpm.as_bytes(), feature, name),
        _ => split_mask_grants(features.as_str(), per.as_str(), fpm, feature, name),
    }
}

/// [`mask_grants`] for any claims: one pass over each claim's bytes, the matching positions
/// kept as bit sets, names compared inline (a call to `memcmp` per entry cost a fifth of
/// the time). Up to 64 organization features and permissions; beyond, the same rule runs
/// through [`MaskPermissions`].
fn split_mask_grants(features: &str, per: &str, fpm: &str, feature: &[u8], name: &[u8]) -> bool {
    const LIMIT: usize = 64;
    if feature.is_empty() || name.is_empty() || !well_formed_per(per) {
        return false;
    }
    let mut wanted_bits: u64 = 0;
    // A plain split (`split_bytes` would skip the one empty field of an empty `per`, which
    // matches no name anyway, and its filter costs a tenth of this function).
    for (i, p) in per.as_bytes().split(|b| *b == b',').enumerate() {
        if same(trim_spaces(p), name) {
            if i >= LIMIT {
                return slow_mask_grants(features, per, fpm, feature, name);
            }
            wanted_bits |= 1 << i;
        }
    }
    if wanted_bits == 0 || features.is_empty() || !printable(features) {
        return false;
    }
    // The organization entries named `feature`, marked by position.
    let mut hits: u64 = 0;
    let mut org = 0_usize;
    for entry in features.as_bytes().split(|b| *b == b',') {
        let entry = trim_spaces(entry);
        // The organization's scopes are read off the front.
        let (is_org, rest) = match entry {
            [b'o', b':', rest @ ..]
            | [b'o', b'u', b':', rest @ ..]
            | [b'u', b'o', b':', rest @ ..] => (true, rest),
            [b'u', b':', rest @ ..] => (false, rest),
            // Any other scope is not the organization's, but still needs its `:`.
            _ if entry.contains(&b':') => (false, entry),
            // Malformed anywhere (no `:`): nothing at all, as in Clerk's JS.
            _ => return false,
        };
        if !is_org {
            continue;
        }
        // The name ends at a second `:`, as Clerk's JS takes `entry.split(':')[1]`. `feature`
        // has no `:` (it is what precedes the permission's first), so the name is `feature`
        // exactly when `rest` starts with it and a `:` or nothing follows: no scan of `rest`.
        let named = rest
            .get(..feature.len())
            .is_some_and(|head| same(head, feature))
            && rest.get(feature.len()).is_none_or(|b| *b == b':');
        if named {
            if org >= LIMIT {
                return slow_mask_grants(features, per, fpm, feature, name);
            }
            hits |= 1 << org;
        }
        org += 1;
    }
    hits != 0
        && split_bytes(fpm)
            .take(LIMIT)
            .enumerate()
            .any(|(i, mask)| hits >> i & 1 == 1 && mask_grants_any(mask, wanted_bits))
}

/// Byte equality without a library call: the names compared here are a few bytes long.
/// (The fast path compares words, through `scan::Needle`.)
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// `bytes` without leading and trailing spaces, the only blanks a well-formed claim has.
fn trim_spaces(mut bytes: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = bytes {
        bytes = rest;
    }
    while let [rest @ .., b' '] = bytes {
        bytes = rest;
    }
    bytes
}

/// Whether `mask` sets any bit of `wanted`. Up to 19 plain digits fit a `u64` and are read
/// at once; anything else goes bit by bit through [`mask_bit`], which decides what is a mask.
fn mask_grants_any(mask: &[u8], wanted: u64) -> bool {
    if !mask.is_empty() && mask.len() <= 19 {
        let mut value = 0_u64;
        let mut digits = true;
        for b in mask {
            let digit = b.wrapping_sub(b'0');
            digits &= digit <= 9;
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
        }
        if digits {
            return value & wanted != 0;
        }
    }
    let mut bits = wanted;
    while bits != 0 {
        let bit = bits.trailing_zeros() as usize;
        bits &= bits - 1;
        if mask_bit(mask, bit) {
            return true;
        }
    }
    false
}

/// [`split_mask_grants`] through the permission iterator, for claims past its bit sets.
fn slow_mask_grants(features: &str, per: &str, fpm: &str, feature: &[u8], name: &[u8]) -> bool {
    MaskPermissions::new(features, per, fpm).any(|p| {
        matches!(p.0, PermissionRepr::Parts { feature: f, name: n }
            if f.as_bytes() == feature && n.as_bytes() == name)
    })
}

/// Every byte is printable ASCII or a space (see [`well_formed`]). Written without an early
/// exit, so that it compiles to a vector loop.
fn printable(text: &str) -> bool {
    text.bytes()
        .fold(true, |ok, b| ok & (b.wrapping_sub(b' ') <= b'~' - b' '))
}

/// The comma-separated fields of a claim, as bytes; none for an empty claim (`split` would
/// yield one empty field).
fn split_bytes(text: &str) -> impl Iterator<Item = &[u8]> {
    let empty = text.is_empty();
    text.as_bytes()
        .split(|b| *b == b',')
        .filter(move |_| !empty)
}

/// Version 2 permissions as an iterator: each organization feature (with its mask), each
/// permission of `per` whose bit is set.
#[derive(Clone, Debug)]
struct MaskPermissions<'a> {
    /// `(feature, mask)` pairs still to visit, or nothing if `fea` is malformed.
    features: Option<core::iter::Zip<OrgFeatures<'a>, Fields<'a>>>,
    per: &'a str,
    /// The current feature and mask, and the next bit to test.
    current: Option<(&'a str, &'a str, usize)>,
}

/// The organization-scoped entries of a well-formed `fea`, in order.
#[derive(Clone, Debug)]
struct OrgFeatures<'a>(Fields<'a>);

impl<'a> Iterator for OrgFeatures<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            if let Some((scope, name)) = scoped(self.0.next()?)
                && is_org_scope(scope.as_bytes())
            {
                return Some(name);
            }
        }
    }
}

impl<'a> MaskPermissions<'a> {
    fn new(features: &'a str, per: &'a str, fpm: &'a str) -> Self {
        Self {
            features: (well_formed(features) && well_formed_per(per))
                .then(|| OrgFeatures(fields(features)).zip(fields(fpm))),
            per,
            current: None,
        }
    }
}

impl<'a> Iterator for MaskPermissions<'a> {
    type Item = Permission<'a>;

    fn next(&mut self) -> Option<Permission<'a>> {
        loop {
            if let Some((feature, mask, bit)) = &mut self.current {
                let granted = permission_names(self.per)
                    .enumerate()
                    .skip(*bit)
                    .find(|(i, name)| !name.is_empty() && mask_bit(mask.as_bytes(), *i));
                match granted {
                    Some((i, name)) => {
                        *bit = i + 1;
                        return Some(Permission(PermissionRepr::Parts { feature, name }));
                    }
                    None => self.current = None,
                }
            }
            let (feature, mask) = self.features.as_mut()?.next()?;
            if !feature.is_empty() {
                self.current = Some((feature, mask, 0));
            }
        }
    }
}

/// The widest mask handled exactly, in 64-bit words: bits 0 to 1023, so up to 1024
/// permissions in `per`. A higher bit grants nothing.
const MASK_WORDS: usize = 16;

/// The most significant digits a mask of bits 0 to 1023 can have: `2^1024 - 1` has 309.
const MAX_MASK_DIGITS: usize = 309;

/// Bit `bit` (least significant first) of the decimal number `mask`, exactly: the digits
/// are folded modulo `2^(64·w)`, enough words `w` to hold the bit.
/// Anything but ASCII digits (after trimming spaces) is no mask and grants nothing.
fn mask_bit(mask: &[u8], bit: usize) -> bool {
    let mask = mask.trim_ascii();
    if mask.is_empty() || !mask.iter().all(u8::is_ascii_digit) {
        return false;
    }
    // A number of more than 309 significant digits is at least 10^309 > 2^1024: it sets a
    // bit past every permission this reads, so it is no mask Clerk sends, and it grants
    // nothing (which also bounds the work below).
    let significant = mask.iter().skip_while(|d| **d == b'0').count();
    if significant > MAX_MASK_DIGITS {
        return false;
    }
    // Up to 19 digits fit a u64: the usual mask.
    if bit < 64
        && mask.len() <= 19
        && let Some(value) = mask.iter().try_fold(0_u64, |acc, b| {
            acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
    {
        return value >> bit & 1 == 1;
    }
    let word_count = bit / 64 + 1;
    if word_count > MASK_WORDS {
        return false;
    }
    let mut words = [0_u64; MASK_WORDS];
    for digit in mask.iter().map(|b| u64::from(b - b'0')) {
        let mut carry = digit;
        for word in words.iter_mut().take(word_count) {
            let wide = u128::from(*word) * 10 + u128::from(carry);
            // Truncation keeps the low 64 bits; the rest carries into the next word.
            *word = (wide & u128::from(u64::MAX)) as u64;
            carry = (wide >> 64) as u64;
        }
    }
    words
        .get(bit / 64)
        .is_some_and(|word| (word >> (bit % 64)) & 1 == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed pseudo-random sequence (xorshift), so that the comparison below is the same
    /// on every run and needs no dependency.
    struct Draw(u64);

    impl Draw {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n.max(1) as u64).unwrap_or(0)
        }
    }

    /// The word-at-a-time path and the split path give one answer, over claims of every
    /// length around the 8-byte words and the 64-byte limit: well-formed entries mostly,
    /// with odd ones (no colon, empty, a second colon, unknown scopes), spaces, tabs,
    /// DEL, non-ASCII, and masks that are not plain numbers.
    #[test]
    fn both_paths_agree() {
        let mut draw = Draw(0x9e37_79b9_7f4a_7c15);
        let names = ["a", "bb", "ccc", "dddddddd", "a:x", ""];
        let scopes = ["o:", "u:", "ou:", "uo:", "x:", "", "o", ":"];
        let odd = [" ", "\t", "\u{7f}", "\u{e9}", ","];
        let masks = [
            "1",
            "3",
            "7",
            "15",
            "0",
            "",
            " 3",
            "x",
            "18446744073709551617",
        ];
        let pick = |draw: &mut Draw, from: &[&'static str], common: usize| -> &'static str {
            // The first `common` choices come up far more often than the rest.
            let at = if draw.below(8) == 0 {
                draw.below(from.len())
            } else {
                draw.below(common)
            };
            from.get(at).copied().unwrap_or("")
        };
        let (mut fast, mut granted) = (0, 0);
        for round in 0..100_000 {
            let entries = 1 + draw.below(2 + round % 12);
            let mut fea: Vec<String> = (0..entries)
                .map(|_| {
                    format!(
                        "{}{}",
                        pick(&mut draw, &scopes, 4),
                        pick(&mut draw, &names, 3)
                    )
                })
                .collect();
            let mut per: Vec<&str> = (0..1 + draw.below(2 + round % 10))
                .map(|_| pick(&mut draw, &names, 4))
                .collect();
            let fpm: Vec<&str> = (0..draw.below(entries + 2))
                .map(|_| pick(&mut draw, &masks, 4))
                .collect();
            if draw.below(16) == 0 {
                fea.push(pick(&mut draw, &odd, odd.len()).to_owned());
            }
            if draw.below(16) == 0 {
                per.push(pick(&mut draw, &odd, odd.len()));
            }
            let (fea, per, fpm) = (fea.join(","), per.join(","), fpm.join(","));
            let feature = pick(&mut draw, &["a", "bb", "ccc", "a,o"], 3);
            let name = pick(&mut draw, &names, 3);
            let (feature, name) = (feature.as_bytes(), name.as_bytes());
            let split = split_mask_grants(&fea, &per, &fpm, feature, name);
            let lists = (ClaimList::from(fea.as_str()), ClaimList::from(per.as_str()));
            if let (Some(features), Some(permissions)) = (lists.0.listed(), lists.1.listed()) {
                let words = scan::grants(features, permissions, fpm.as_bytes(), feature, name);
                fast += 1;
                granted += usize::from(words);
                assert_eq!(words, split, "{fea:?} {per:?} {fpm:?} {feature:?}:{name:?}");
            }
            // Twice: the second check reads the index the first one kept.
            assert_eq!(mask_grants(&lists.0, &lists.1, &fpm, feature, name), split);
            assert_eq!(mask_grants(&lists.0, &lists.1, &fpm, feature, name), split);
        }
        // Most rounds take the fast path, many of them granted; the rest check the
        // fallback.
        assert!(fast > 50_000 && granted > 10_000, "{fast} {granted}");
    }

    /// Equality at every length up to 20, for a difference at every position and for one
    /// more byte.
    #[test]
    fn same_compares_every_byte() {
        for len in 0..=20 {
            let text: Vec<u8> = (0..len).map(|i| b'a' + i).collect();
            assert!(same(&text, &text.clone()), "{len}");
            for at in 0..usize::from(len) {
                let mut other = text.clone();
                if let Some(b) = other.get_mut(at) {
                    *b = b'-';
                }
                assert!(!same(&text, &other), "{len} {at}");
            }
            let mut longer = text.clone();
            longer.push(b'a');
            assert!(!same(&text, &longer) && !same(&longer, &text), "{len}");
        }
    }

    /// The one-pass reading of short masks agrees with [`mask_bit`], bit by bit.
    #[test]
    fn short_masks_agree_with_mask_bit() {
        let masks = [
            "",
            "0",
            "1",
            "5",
            "15",
            ":",
            "1:",
            "/",
            "3 ",
            " 3",
            "+1",
            "-1",
            "1e3",
            "٣",
            "9007199254740993",
            "9999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "18446744073709551617",
            "0000000000000000000005",
        ];
        for mask in masks {
            for wanted in [1_u64, 2, 4, 5, 1 << 53, 1 << 63, u64::MAX] {
                let by_bit =
                    (0..64).any(|bit| wanted >> bit & 1 == 1 && mask_bit(mask.as_bytes(), bit));
                assert_eq!(
                    mask_grants_any(mask.as_bytes(), wanted),
                    by_bit,
                    "{mask:?} {wanted:#x}"
                );
            }
        }
    }

    #[test]
    fn mask_bits_are_exact_for_any_length() {
        assert!(mask_bit(b"5", 0) && !mask_bit(b"5", 1) && mask_bit(b"5", 2));
        // 2^53 + 1: a float would lose the low bit.
        assert!(mask_bit(b"9007199254740993", 0));
        assert!(mask_bit(b"9007199254740993", 53));
        // 2^64 and 2^100 (decimal), across words.
        assert!(mask_bit(b"18446744073709551616", 64) && !mask_bit(b"18446744073709551616", 0));
        assert!(mask_bit(b"1267650600228229401496703205376", 100));
        assert!(!mask_bit(b"1267650600228229401496703205376", 99));
        for bad in ["", " ", "-1", "+1", "1e3", "0x3", "3.0", "٣"] {
            assert!(!mask_bit(bad.as_bytes(), 0), "{bad:?}");
        }
        assert!(mask_bit(b" 3 ", 1));
        assert!(!mask_bit(b"1", 64 * MASK_WORDS));
    }
}
