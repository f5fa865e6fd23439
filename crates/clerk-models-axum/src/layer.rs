//! [`ClerkLayer`]: finds the request's token, verifies it (or finds it verified in the
//! cache), and leaves an [`AuthState`] in the request's extensions.

use core::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, PoisonError, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use clerk_models::jwt::{
    DEFAULT_LEEWAY, JwtError, TokenSource, TokenType, Verifier, check_client_uat, key_id,
    request_token_with_source,
};
use http::Request;
use tower_layer::Layer;
use tower_service::Service;

use crate::auth::{Auth, AuthState, MachineAuth, Verified};
use crate::cache::{Lookup, TokenCache};
use crate::keyset::{KeySet, Keys};
use crate::rejection::AuthRejection;

/// Authenticates every request it wraps: takes the token (`Authorization: Bearer`, else the
/// `__session` cookie, by [`request_token`](clerk_models::jwt::request_token)), verifies it
/// with the [`KeySet`] and the checks configured here (a cookie's session token also needs
/// the `__client_uat` cookie to allow it, as `@clerk/backend` does), and leaves the outcome,
/// an [`AuthState`], in the request's extensions.
/// The layer never answers by itself: the extractors ([`Auth`], `Option<Auth>`,
/// [`MachineAuth`], [`RequirePermission`](crate::RequirePermission),
/// [`RequireRole`](crate::RequireRole)) refuse what their route needs, so `/healthz` stays
/// open under the same layer.
///
/// By default it accepts session tokens only, with a leeway of 5 s, any `azp`, and a cache
/// of 10,000 verified tokens. A cached token skips the signature check until its `exp`;
/// its time checks run at every use, and it is verified again once a key refresh removes
/// its key.
///
/// ```no_run
/// use axum::{Router, routing::get};
/// use clerk_models_axum::{Auth, ClerkLayer, KeySet};
///
/// # fn app(pem: &[u8]) -> Result<Router, Box<dyn std::error::Error>> {
/// let keys = KeySet::from_pem(pem)?;
/// let app = Router::new()
///     .route("/me", get(|auth: Auth| async move { auth.sub.clone() }))
///     .layer(ClerkLayer::new(keys).with_authorized_parties(["https://app.example.com"]));
/// # Ok(app) }
/// ```
#[derive(Clone)]
#[must_use]
pub struct ClerkLayer {
    /// Made anew by each option, so every service of one layer shares one cache, whether
    /// the router applies the layer once or per route or per request.
    shared: Arc<Shared>,
}

#[derive(Clone)]
struct Settings {
    keys: KeySet,
    leeway: Duration,
    authorized_parties: Option<Arc<[String]>>,
    accepted: Vec<TokenType>,
    cache_capacity: usize,
    /// The Backend API client and the bounds for opaque tokens (`with_api`).
    #[cfg(feature = "client")]
    api: Option<(clerk_models_api::Client, crate::opaque::OpaqueSettings)>,
}

impl fmt::Debug for ClerkLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.shared.settings;
        f.debug_struct("ClerkLayer")
            .field("keys", &s.keys)
            .field("leeway", &s.leeway)
            .field("authorized_parties", &s.authorized_parties)
            .field("accepted", &s.accepted)
            .field("cache_capacity", &s.cache_capacity)
            .finish()
    }
}

impl ClerkLayer {
    /// How many verified tokens are kept by default.
    pub const DEFAULT_CACHE_CAPACITY: usize = 10_000;

    /// A layer verifying session tokens with `keys`.
    pub fn new(keys: KeySet) -> Self {
        Self::with_settings(Settings {
            keys,
            leeway: DEFAULT_LEEWAY,
            authorized_parties: None,
            accepted: vec![TokenType::SessionToken],
            cache_capacity: Self::DEFAULT_CACHE_CAPACITY,
            #[cfg(feature = "client")]
            api: None,
        })
    }

    fn with_settings(settings: Settings) -> Self {
        let shared = Shared {
            cache: TokenCache::new(settings.cache_capacity),
            configured: RwLock::new(None),
            #[cfg(feature = "client")]
            opaque: settings
                .api
                .clone()
                .map(|(client, bounds)| crate::opaque::Opaque::new(client, bounds)),
            settings,
        };
        Self {
            shared: Arc::new(shared),
        }
    }

    fn change(self, change: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = self.shared.settings.clone();
        change(&mut settings);
        Self::with_settings(settings)
    }

    /// Only tokens whose `azp` is one of `parties` (your app's origins, as
    /// `CLERK_AUTHORIZED_PARTIES` lists them) are accepted. Applies to the classes that
    /// carry `azp`: session and OAuth tokens.
    pub fn with_authorized_parties<I, S>(self, parties: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let parties: Arc<[String]> = parties.into_iter().map(Into::into).collect();
        self.change(|s| s.authorized_parties = Some(parties))
    }

    /// The clock skew allowed on `exp`, `nbf` and `iat` (5 s by default).
    pub fn with_leeway(self, leeway: Duration) -> Self {
        self.change(|s| s.leeway = leeway)
    }

    /// Also accepts the JWT form of `class`: [`TokenType::M2mToken`] or
    /// [`TokenType::OAuthToken`], for [`MachineAuth`]. A class without a JWT form
    /// ([`TokenType::ApiKey`]) verifies nothing here.
    pub fn accept(self, class: TokenType) -> Self {
        self.change(|s| {
            if !s.accepted.contains(&class) {
                s.accepted.push(class);
            }
        })
    }

    /// Accepts exactly `classes` (none: every token is refused).
    pub fn with_token_types(self, classes: impl IntoIterator<Item = TokenType>) -> Self {
        let mut accepted = Vec::new();
        for class in classes {
            if !accepted.contains(&class) {
                accepted.push(class);
            }
        }
        self.change(|s| s.accepted = accepted)
    }

    /// Verifies opaque machine tokens with the Backend API through `client`: an API key
    /// (`ak_…`, [`TokenType::ApiKey`]), an M2M token (`mt_…`) or an OAuth access token
    /// (`oat_…`), for each class [`accept`](Self::accept)ed. They are read from
    /// `Authorization: Bearer` only, never from a cookie, as `@clerk/backend` does.
    ///
    /// A verified token is cached for at most 30 s ([`with_opaque_ttl`](Self::with_opaque_ttl))
    /// and never past its expiration: a token revoked in Clerk keeps working here for up to
    /// that long (the revocation window). A flood of made-up tokens is bounded: at most 10
    /// verifications at once and 50 started per second, a request waits at most 5 s for its
    /// turn, and is otherwise answered 503 with `Retry-After`
    /// ([`with_opaque_limits`](Self::with_opaque_limits)). Clerk refusing the token is 401;
    /// refusing the secret key, 500 (`misconfigured`, written to stderr once); Clerk away or
    /// rate-limiting, 503 with its `Retry-After`.
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn with_api(self, client: clerk_models_api::Client) -> Self {
        self.change(|s| s.api = Some((client, crate::opaque::OpaqueSettings::default())))
    }

    /// How long a verified opaque token is cached at most (30 s by default; zero for no
    /// cache, and no revocation window). Set it after [`with_api`](Self::with_api).
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn with_opaque_ttl(self, ttl: Duration) -> Self {
        self.change(|s| {
            if let Some((_, bounds)) = &mut s.api {
                bounds.ttl = ttl;
            }
        })
    }

    /// The bounds on opaque verifications: at most `in_flight` at once and `per_second`
    /// started per second; a request waits at most `max_wait` for its turn (10, 50, 5 s by
    /// default). Set it after [`with_api`](Self::with_api).
    #[cfg(feature = "client")]
    #[cfg_attr(docsrs, doc(cfg(feature = "client")))]
    pub fn with_opaque_limits(self, in_flight: usize, per_second: u32, max_wait: Duration) -> Self {
        self.change(|s| {
            if let Some((_, bounds)) = &mut s.api {
                bounds.max_in_flight = in_flight;
                bounds.max_per_second = per_second;
                bounds.max_wait = max_wait;
            }
        })
    }

    /// Keeps up to `capacity` verified tokens (0 turns the cache off).
    pub fn with_token_cache(self, capacity: usize) -> Self {
        self.change(|s| s.cache_capacity = capacity)
    }
}

impl<S> Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> ClerkService<S> {
        ClerkService {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The service [`ClerkLayer`] wraps around a router or a route.
#[derive(Clone)]
pub struct ClerkService<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S: fmt::Debug> fmt::Debug for ClerkService<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClerkService")
            .field("inner", &self.inner)
            .field("keys", &self.shared.settings.keys)
            .finish_non_exhaustive()
    }
}

struct Shared {
    settings: Settings,
    cache: TokenCache,
    /// The key set's verifier of one generation, with this layer's leeway and parties.
    configured: RwLock<Option<(u64, Arc<Verifier>)>>,
    #[cfg(feature = "client")]
    opaque: Option<crate::opaque::Opaque>,
}

/// What a request needs once its headers are read.
enum Next {
    /// Decided without a signature check or a call.
    Done(AuthState),
    /// A JWT to verify with the keys.
    Verify(String),
    /// An opaque token to verify with the Backend API.
    #[cfg(feature = "client")]
    Opaque(String, TokenType),
}

/// The boxed future of [`ClerkService`].
pub type ClerkFuture<R, E> = Pin<Box<dyn Future<Output = Result<R, E>> + Send>>;

impl<S, B> Service<Request<B>> for ClerkService<S>
where
    S: Service<Request<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = ClerkFuture<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The clone is ready only if polled; call the one that was polled.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        match self.shared.without_keys(request.headers()) {
            Next::Done(state) => {
                let state = cookie_rule(state, request.headers());
                request.extensions_mut().insert(state);
                Box::pin(inner.call(request))
            }
            Next::Verify(token) => {
                let shared = Arc::clone(&self.shared);
                Box::pin(async move {
                    let state = shared.verify(&token).await;
                    let state = cookie_rule(state, request.headers());
                    request.extensions_mut().insert(state);
                    inner.call(request).await
                })
            }
            #[cfg(feature = "client")]
            Next::Opaque(token, class) => {
                let shared = Arc::clone(&self.shared);
                Box::pin(async move {
                    let state = match &shared.opaque {
                        Some(opaque) => {
                            let clock = Arc::clone(shared.settings.keys.clock());
                            opaque.verify(&token, class, clock.as_ref()).await
                        }
                        None => AuthState::Refused(AuthRejection::OPAQUE),
                    };
                    request.extensions_mut().insert(state);
                    inner.call(request).await
                })
            }
        }
    }
}

/// A session from the `__session` cookie also needs the `__client_uat` cookie to allow it
/// (`@clerk/backend`'s rule: present, a number, not `0`, not later than the token's `iat`);
/// a token from `Authorization` does not. Checked at every request, cached or not.
fn cookie_rule(state: AuthState, headers: &http::HeaderMap) -> AuthState {
    let AuthState::Session(auth) = &state else {
        return state;
    };
    if !matches!(
        request_token_with_source(headers),
        Some((_, TokenSource::Cookie))
    ) {
        return state;
    }
    match check_client_uat(headers, auth.claims().iat) {
        Ok(()) => state,
        Err(e) => AuthState::Refused(AuthRejection::client_uat(e)),
    }
}

impl Shared {
    /// What can be decided without verifying a signature: no token, an opaque token this
    /// layer does not verify, a cached one.
    fn without_keys(&self, headers: &http::HeaderMap) -> Next {
        let Some((token, source)) = request_token_with_source(headers) else {
            return Next::Done(AuthState::Anonymous);
        };
        let opaque = TokenType::ALL.into_iter().find(|class| {
            class
                .opaque_prefix()
                .is_some_and(|prefix| token.starts_with(prefix))
        });
        if let Some(class) = opaque {
            return self.opaque(token, class, source);
        }
        let now = self.now();
        if self.settings.keys.wants_fetch(now) {
            // The keys are due for a fetch: it runs before any token is trusted.
            return Next::Verify(token.to_owned());
        }
        self.cached(token, now)
            .map_or_else(|| Next::Verify(token.to_owned()), Next::Done)
    }

    /// An opaque token: verified with the Backend API when this layer has it, accepts the
    /// class, and the token came in `Authorization` (never a cookie); refused otherwise.
    fn opaque(&self, token: &str, class: TokenType, source: TokenSource) -> Next {
        #[cfg(feature = "client")]
        if let Some(opaque) = &self.opaque
            && source == TokenSource::Header
            && self.settings.accepted.contains(&class)
        {
            return match opaque.cached(token, self.now()) {
                Some(state) => Next::Done(state),
                None => Next::Opaque(token.to_owned(), class),
            };
        }
        let _ = (token, class, source);
        Next::Done(AuthState::Refused(AuthRejection::OPAQUE))
    }

    /// What the cache says of `token` at `now`, checked against the key set as it is.
    fn cached(&self, token: &str, now: SystemTime) -> Option<AuthState> {
        let keys = self.settings.keys.verifier();
        match self
            .cache
            .lookup(token, keys.as_deref(), now, self.settings.leeway)
        {
            Lookup::Valid(verified) => Some(verified.into_state()),
            Lookup::Invalid(e) => Some(AuthState::Refused(AuthRejection::invalid(
                &JwtError::Invalid(e),
            ))),
            Lookup::Miss => None,
        }
    }

    fn now(&self) -> SystemTime {
        self.settings.keys.clock().now()
    }

    /// Verifies `token` with the current keys; once more after a refresh if its `kid` is
    /// unknown and the refresh brought new keys.
    async fn verify(&self, token: &str) -> AuthState {
        let Ok(keys) = self.settings.keys.current().await else {
            return AuthState::Refused(AuthRejection::KEYS_UNAVAILABLE);
        };
        let now = self.now();
        if let Some(state) = self.cached(token, now) {
            return state;
        }
        let Some(mut outcome) = self.verify_with(&keys, token, now) else {
            return AuthState::Refused(AuthRejection::TOKEN_CLASS);
        };
        if matches!(outcome, Err(JwtError::UnknownKey(_))) {
            if let Ok(newer) = self.settings.keys.refresh_for_unknown_key().await {
                if newer.generation != keys.generation {
                    if let Some(again) = self.verify_with(&newer, token, self.now()) {
                        outcome = again;
                    }
                }
            }
            // Still unknown without a fetch since this request came: the key may be one
            // Clerk has just published, so "later", never 401, until a fetch has run.
            if matches!(outcome, Err(JwtError::UnknownKey(_)))
                && let Some(wait) = self.settings.keys.unknown_key_wait(now)
            {
                return AuthState::Refused(AuthRejection::key_rotation(wait));
            }
        }
        match outcome {
            Ok(verified) => {
                let kid = key_id(token).ok().flatten();
                self.cache.insert(token, &verified, kid, now);
                verified.into_state()
            }
            Err(e) => AuthState::Refused(AuthRejection::invalid(&e)),
        }
    }

    /// The class's verifier: the class the token presents itself as if this layer accepts
    /// it, else the first accepted class, whose verifier then says why the token is refused.
    /// `None` when no accepted class has a JWT form.
    fn verify_with(
        &self,
        keys: &Keys,
        token: &str,
        now: SystemTime,
    ) -> Option<Result<Verified, JwtError>> {
        let verifier = self.configured(keys);
        let class = TokenType::of(token)
            .filter(|class| self.settings.accepted.contains(class))
            .or_else(|| self.settings.accepted.first().copied());
        Some(match class {
            Some(TokenType::SessionToken) => verifier
                .verify(token, now)
                .map(|claims| Verified::Session(Auth::new(claims))),
            Some(TokenType::M2mToken) => verifier
                .verify_m2m_token(token, now)
                .map(|claims| Verified::Machine(MachineAuth::M2m(Arc::new(claims)))),
            Some(TokenType::OAuthToken) => verifier
                .verify_oauth_access_token(token, now)
                .map(|claims| Verified::Machine(MachineAuth::OAuth(Arc::new(claims)))),
            // A class without a JWT form (`ApiKey`), or none accepted: nothing verifies here.
            _ => return None,
        })
    }

    /// The key set's verifier for `keys`' generation, with this layer's leeway and parties:
    /// built once per generation.
    fn configured(&self, keys: &Keys) -> Arc<Verifier> {
        if let Some((generation, verifier)) = &*self
            .configured
            .read()
            .unwrap_or_else(PoisonError::into_inner)
        {
            if *generation == keys.generation {
                return Arc::clone(verifier);
            }
        }
        let mut verifier = (*keys.verifier).clone().with_leeway(self.settings.leeway);
        if let Some(parties) = &self.settings.authorized_parties {
            verifier = verifier.with_authorized_parties(parties.iter().cloned());
        }
        let verifier = Arc::new(verifier);
        *self
            .configured
            .write()
            .unwrap_or_else(PoisonError::into_inner) =
            Some((keys.generation, Arc::clone(&verifier)));
        verifier
    }
}
