//! What the layer leaves in a request's extensions, and the extractors that read it.

use core::marker::PhantomData;
use core::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use clerk_models::jwt::TokenType;
use clerk_models::{M2mTokenClaims, OAuthAccessTokenClaims, SessionClaims, ValidityError};
use http::request::Parts;

use crate::rejection::AuthRejection;

/// What [`ClerkLayer`](crate::ClerkLayer) found for a request, in its extensions. The
/// extractors read it; a handler or a middleware may too (`Extension<AuthState>`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum AuthState {
    /// A verified session token.
    Session(Auth),
    /// A verified M2M or OAuth JWT.
    Machine(MachineAuth),
    /// The request has no token.
    Anonymous,
    /// The request has a token, refused for this reason.
    Refused(AuthRejection),
}

/// A verified session token's claims: the extractor for a route that needs a signed-in user.
///
/// Rejects with 401 when the request has no token, when its token did not verify, and when
/// it is a machine token; with 503 while no key has been fetched. As `Option<Auth>` it is
/// `None` only when the request has no token at all: a token that fails is still refused,
/// never taken for a signed-out visitor.
///
/// Derefs to [`SessionClaims`], so `auth.sub`, `auth.has_permission(..)`,
/// `auth.organization()` work as on the claims.
#[derive(Clone, Debug)]
pub struct Auth(Arc<SessionClaims>);

impl Auth {
    pub(crate) fn new(claims: SessionClaims) -> Self {
        Self(Arc::new(claims))
    }

    /// The verified claims.
    #[must_use]
    pub fn claims(&self) -> &SessionClaims {
        &self.0
    }

    /// The user's id (`sub`).
    #[must_use]
    pub fn user_id(&self) -> &str {
        &self.0.sub
    }
}

impl Deref for Auth {
    type Target = SessionClaims;
    fn deref(&self) -> &SessionClaims {
        &self.0
    }
}

/// A verified machine token: an M2M JWT or an OAuth access token JWT, when the layer
/// accepts them ([`ClerkLayer::accept`](crate::ClerkLayer::accept)).
///
/// As an extractor it rejects with 401 when the request has no token, when it did not
/// verify, and when it is a session token.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum MachineAuth {
    /// An M2M token's claims (`sub` is the machine, `mch_…`).
    M2m(Arc<M2mTokenClaims>),
    /// An OAuth access token's claims (`sub` is the user who granted it).
    OAuth(Arc<OAuthAccessTokenClaims>),
    /// An opaque token (`ak_…`, `mt_…`, `oat_…`) the Backend API verified
    /// ([`ClerkLayer::with_api`](crate::ClerkLayer::with_api)).
    #[cfg(feature = "client")]
    Opaque(Arc<crate::OpaqueToken>),
}

impl MachineAuth {
    /// Which class of token it is.
    #[must_use]
    pub fn token_type(&self) -> TokenType {
        match self {
            Self::M2m(_) => TokenType::M2mToken,
            Self::OAuth(_) => TokenType::OAuthToken,
            #[cfg(feature = "client")]
            Self::Opaque(token) => token.class,
        }
    }

    /// The class as Clerk names it: `m2m_token`, `oauth_token`, `api_key`.
    #[must_use]
    pub fn class_name(&self) -> &'static str {
        self.token_type().as_str()
    }

    /// The token's id: a JWT's `jti` (an M2M token's `mt_…`, an OAuth token's), an opaque
    /// token's id in Clerk. Never the token.
    #[must_use]
    pub fn token_id(&self) -> Option<&str> {
        match self {
            Self::M2m(claims) => claims.jti.as_deref(),
            Self::OAuth(claims) => claims.jti.as_deref(),
            #[cfg(feature = "client")]
            Self::Opaque(token) => Some(&token.id),
        }
    }

    /// The subject: the machine (`mch_…`) of an M2M token, the user of an OAuth token.
    #[must_use]
    pub fn subject(&self) -> &str {
        match self {
            Self::M2m(claims) => &claims.sub,
            Self::OAuth(claims) => &claims.sub,
            #[cfg(feature = "client")]
            Self::Opaque(token) => &token.subject,
        }
    }

    /// Whether the token grants `scope`, as the claims' `has_scope` reads it.
    #[must_use]
    pub fn has_scope(&self, scope: &str) -> bool {
        match self {
            Self::M2m(claims) => claims.has_scope(scope),
            Self::OAuth(claims) => claims.has_scope(scope),
            #[cfg(feature = "client")]
            Self::Opaque(token) => token.scopes.iter().any(|s| s == scope),
        }
    }

    /// The M2M token's claims, if it is one.
    #[must_use]
    pub fn m2m(&self) -> Option<&M2mTokenClaims> {
        match self {
            Self::M2m(claims) => Some(claims),
            _ => None,
        }
    }

    /// The opaque token's details, if it is one.
    #[cfg(feature = "client")]
    #[must_use]
    pub fn opaque(&self) -> Option<&crate::OpaqueToken> {
        match self {
            Self::Opaque(token) => Some(token),
            _ => None,
        }
    }
}

/// A verified token of any class, as the layer caches it.
#[derive(Clone, Debug)]
pub(crate) enum Verified {
    Session(Auth),
    Machine(MachineAuth),
}

impl Verified {
    /// The time checks of the token's class, at `now`: what a cached token passes again at
    /// every use.
    pub(crate) fn validate_at(
        &self,
        now: SystemTime,
        leeway: Duration,
    ) -> Result<(), ValidityError> {
        match self {
            Self::Session(auth) => auth.0.validate_at(now, leeway),
            Self::Machine(MachineAuth::M2m(claims)) => claims.validate_at(now, leeway),
            Self::Machine(MachineAuth::OAuth(claims)) => claims.validate_at(now, leeway),
            // Never cached here: the opaque tokens' own cache keeps their time.
            #[cfg(feature = "client")]
            Self::Machine(MachineAuth::Opaque(_)) => Ok(()),
        }
    }

    /// The `exp` after which a cached entry is of no use.
    pub(crate) fn expires(&self) -> i64 {
        match self {
            Self::Session(auth) => auth.0.exp,
            Self::Machine(MachineAuth::M2m(claims)) => claims.exp,
            Self::Machine(MachineAuth::OAuth(claims)) => claims.exp,
            #[cfg(feature = "client")]
            Self::Machine(MachineAuth::Opaque(token)) => token.expiration.map_or(0, |ms| ms / 1000),
        }
    }

    pub(crate) fn into_state(self) -> AuthState {
        match self {
            Self::Session(auth) => AuthState::Session(auth),
            Self::Machine(machine) => AuthState::Machine(machine),
        }
    }
}

fn state(parts: &Parts) -> Result<&AuthState, AuthRejection> {
    parts
        .extensions
        .get::<AuthState>()
        .ok_or(AuthRejection::LAYER_MISSING)
}

impl<S: Sync> FromRequestParts<S> for Auth {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match state(parts)? {
            AuthState::Session(auth) => Ok(auth.clone()),
            AuthState::Machine(_) => Err(AuthRejection::TOKEN_CLASS),
            AuthState::Anonymous => Err(AuthRejection::MISSING),
            AuthState::Refused(rejection) => Err(rejection.clone()),
        }
    }
}

impl<S: Sync> OptionalFromRequestParts<S> for Auth {
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state_: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if matches!(state(parts)?, AuthState::Anonymous) {
            return Ok(None);
        }
        <Self as FromRequestParts<S>>::from_request_parts(parts, state_)
            .await
            .map(Some)
    }
}

impl<S: Sync> FromRequestParts<S> for MachineAuth {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match state(parts)? {
            AuthState::Machine(machine) => Ok(machine.clone()),
            AuthState::Session(_) => Err(AuthRejection::TOKEN_CLASS),
            AuthState::Anonymous => Err(AuthRejection::MISSING),
            AuthState::Refused(rejection) => Err(rejection.clone()),
        }
    }
}

/// A permission a route requires, named once as a type:
///
/// ```
/// struct ReadInvoices;
/// impl clerk_models_axum::Permission for ReadInvoices {
///     const NAME: &'static str = "org:invoices:read";
/// }
/// ```
pub trait Permission: Send + Sync + 'static {
    /// The permission's key, as [`SessionClaims::has_permission`] takes it.
    const NAME: &'static str;
}

/// A role a route requires, named once as a type (see [`Permission`]).
pub trait Role: Send + Sync + 'static {
    /// The role's key, as [`SessionClaims::has_role`] takes it (`org:admin` or `admin`).
    const NAME: &'static str;
}

/// [`Auth`], if the session's active organization grants the permission `P`
/// ([`SessionClaims::has_permission`]): 403 when it does not (or there is no active
/// organization), 401 as [`Auth`] otherwise.
#[derive(Debug)]
pub struct RequirePermission<P>(pub Auth, PhantomData<fn() -> P>);

/// [`Auth`], if the user's role in the active organization is `R`
/// ([`SessionClaims::has_role`]): 403 when it is not, 401 as [`Auth`] otherwise.
#[derive(Debug)]
pub struct RequireRole<R>(pub Auth, PhantomData<fn() -> R>);

impl<P: Permission, S: Sync> FromRequestParts<S> for RequirePermission<P> {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state_: &S) -> Result<Self, Self::Rejection> {
        let auth = <Auth as FromRequestParts<S>>::from_request_parts(parts, state_).await?;
        if auth.has_permission(P::NAME) {
            Ok(Self(auth, PhantomData))
        } else {
            Err(AuthRejection::MISSING_PERMISSION)
        }
    }
}

impl<R: Role, S: Sync> FromRequestParts<S> for RequireRole<R> {
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state_: &S) -> Result<Self, Self::Rejection> {
        let auth = <Auth as FromRequestParts<S>>::from_request_parts(parts, state_).await?;
        if auth.has_role(R::NAME) {
            Ok(Self(auth, PhantomData))
        } else {
            Err(AuthRejection::MISSING_ROLE)
        }
    }
}

impl<P> Deref for RequirePermission<P> {
    type Target = Auth;
    fn deref(&self) -> &Auth {
        &self.0
    }
}

impl<R> Deref for RequireRole<R> {
    type Target = Auth;
    fn deref(&self) -> &Auth {
        &self.0
    }
}
