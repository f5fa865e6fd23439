//! The instance's verification keys: a PEM key, or a JWKS URL fetched on first use, kept
//! for a TTL, refreshed for unknown `kid`s at most once per interval, and never emptied.

use core::fmt;
use std::net::IpAddr;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use clerk_models::jwt::{JwtError, Verifier};
use http::Uri;

use crate::clock::{Clock, SystemClock};
use crate::fetch::{FetchError, JwksFetch, JwksRequest, MAX_JWKS_BYTES};

/// The instance's verification keys, shared by every request. Cheap to clone: clones share
/// the keys, the fetch schedule and the single fetch in flight.
///
/// From a PEM key ([`from_pem`](Self::from_pem), Clerk's `CLERK_JWT_KEY`), nothing is ever
/// fetched. From a JWKS URL ([`jwks_url`](Self::jwks_url)), the document is fetched:
///
/// - on first use, or at [`prefetch`](Self::prefetch);
/// - when the keys are older than the TTL ([`DEFAULT_TTL`](Self::DEFAULT_TTL), 5 minutes,
///   as Clerk's SDKs keep them);
/// - when a token names a `kid` the keys lack (Clerk rotated its key), but
/// - never more than once per refresh interval
///   ([`DEFAULT_REFRESH_INTERVAL`](Self::DEFAULT_REFRESH_INTERVAL), 10 s), whatever the
///   trigger, so that a flood of made-up `kid`s, or an outage, never becomes a flood of
///   fetches; and
/// - once at a time: requests that need a fetch while one is in flight wait for it.
///
/// A failed fetch (timeout, a status other than 2xx, a body over 1 MiB, bad JSON, no usable
/// key) keeps the keys the set had; it never empties the set.
#[derive(Clone)]
pub struct KeySet {
    inner: Arc<Inner>,
}

struct Inner {
    source: Source,
    clock: Arc<dyn Clock>,
    state: RwLock<State>,
    /// Held for the whole of a fetch: the single flight.
    fetching: tokio::sync::Mutex<()>,
}

enum Source {
    Pem,
    Url {
        request: JwksRequest,
        fetcher: Box<dyn JwksFetch>,
        ttl: Duration,
        interval: Duration,
        timeout: Duration,
    },
}

/// The keys, and what the schedule needs to know.
#[derive(Default)]
struct State {
    keys: Option<Keys>,
    /// When the keys were last fetched successfully.
    fetched_at: Option<SystemTime>,
    /// When the last fetch began, successful or not.
    attempted_at: Option<SystemTime>,
    /// Fetches begun so far; a waiter that sees it move knows a fetch ran while it waited.
    attempts: u64,
    /// A fetch is running: a request that needs keys waits for it rather than give up.
    in_flight: bool,
    /// Why the last fetch failed, if it did.
    last_error: Option<String>,
}

/// One version of the keys: `generation` grows with every successful fetch.
#[derive(Clone)]
pub(crate) struct Keys {
    pub(crate) generation: u64,
    pub(crate) verifier: Arc<Verifier>,
}

/// What asks for a fetch.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Trigger {
    /// The keys are missing or older than the TTL.
    Stale,
    /// A token names a `kid` the keys lack.
    UnknownKey,
    /// [`KeySet::prefetch`].
    Explicit,
}

/// The key set has no keys: no fetch has succeeded yet. Requests are answered 503 meanwhile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysUnavailable {
    /// Why the last fetch failed, if one ran.
    pub last_error: Option<String>,
}

impl fmt::Display for KeysUnavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.last_error {
            Some(why) => write!(f, "no verification keys yet: {why}"),
            None => f.write_str("no verification keys yet"),
        }
    }
}

impl std::error::Error for KeysUnavailable {}

/// Why a key set could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeySetError {
    /// The PEM text is not an RSA public key.
    Key(JwtError),
    /// The URL does not parse, or has no host.
    InvalidUrl(String),
    /// The URL is neither `https` nor `http` on a loopback address.
    InsecureUrl,
    /// No fetcher was given, and the `client` feature (the built-in one) is off, or the
    /// built-in client could not be made.
    NoFetcher(String),
}

impl fmt::Display for KeySetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(e) => write!(f, "the key is unusable: {e}"),
            Self::InvalidUrl(why) => write!(f, "not a JWKS URL: {why}"),
            Self::InsecureUrl => {
                f.write_str("a JWKS URL must be https (plain http only on a loopback address)")
            }
            Self::NoFetcher(why) => write!(f, "no JWKS fetcher: {why}"),
        }
    }
}

impl std::error::Error for KeySetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Key(e) => Some(e),
            _ => None,
        }
    }
}

/// Builds a [`KeySet`]: [`KeySet::pem`] or [`KeySet::jwks_url`], then options, then
/// [`build`](Self::build). The fetch options apply to a URL only.
#[must_use]
pub struct KeySetBuilder {
    pem: Option<Verifier>,
    request: Option<JwksRequest>,
    fetcher: Option<Box<dyn JwksFetch>>,
    clock: Arc<dyn Clock>,
    ttl: Duration,
    interval: Duration,
    timeout: Duration,
}

impl fmt::Debug for KeySetBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySetBuilder")
            .field("pem", &self.pem.is_some())
            .field("request", &self.request)
            .field("ttl", &self.ttl)
            .field("refresh_interval", &self.interval)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl KeySetBuilder {
    fn new(pem: Option<Verifier>, request: Option<JwksRequest>) -> Self {
        Self {
            pem,
            request,
            fetcher: None,
            clock: Arc::new(SystemClock),
            ttl: KeySet::DEFAULT_TTL,
            interval: KeySet::DEFAULT_REFRESH_INTERVAL,
            timeout: KeySet::DEFAULT_TIMEOUT,
        }
    }

    /// Sends `key` (the Backend API secret key, `sk_…`) as `Authorization: Bearer`, for the
    /// Backend API's `https://api.clerk.com/v1/jwks`. The Frontend API's
    /// `/.well-known/jwks.json` needs none.
    pub fn secret_key(mut self, key: impl Into<String>) -> Self {
        if let Some(request) = &mut self.request {
            request.bearer = Some(key.into());
        }
        self
    }

    /// How long fetched keys are used before the next request refetches them (5 minutes by
    /// default).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The least time between two fetches, whatever asks for them (10 s by default).
    pub fn refresh_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How long one fetch may take, connection and body included (10 s by default). Needs
    /// tokio's timer, which `#[tokio::main]` enables.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Fetches with `fetcher` instead of the built-in [`HttpFetcher`](crate::HttpFetcher).
    pub fn fetcher(mut self, fetcher: impl JwksFetch) -> Self {
        self.fetcher = Some(Box::new(fetcher));
        self
    }

    /// Reads the time from `clock`: the TTL, the refresh interval, and the layer's token
    /// checks. [`SystemClock`] by default.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The key set.
    ///
    /// # Errors
    ///
    /// [`KeySetError::NoFetcher`] for a URL without a fetcher when the `client` feature is
    /// off.
    pub fn build(self) -> Result<KeySet, KeySetError> {
        let (source, state) = match (self.pem, self.request) {
            (Some(verifier), _) => {
                let keys = Keys {
                    generation: 1,
                    verifier: Arc::new(verifier),
                };
                let state = State {
                    keys: Some(keys),
                    ..State::default()
                };
                (Source::Pem, state)
            }
            (None, request) => {
                let request = request.ok_or_else(|| KeySetError::InvalidUrl("no URL".into()))?;
                let fetcher = match self.fetcher {
                    Some(fetcher) => fetcher,
                    None => default_fetcher()?,
                };
                let source = Source::Url {
                    request,
                    fetcher,
                    ttl: self.ttl,
                    interval: self.interval,
                    timeout: self.timeout,
                };
                (source, State::default())
            }
        };
        Ok(KeySet {
            inner: Arc::new(Inner {
                source,
                clock: self.clock,
                state: RwLock::new(state),
                fetching: tokio::sync::Mutex::new(()),
            }),
        })
    }
}

#[cfg(feature = "client")]
fn default_fetcher() -> Result<Box<dyn JwksFetch>, KeySetError> {
    let client = crate::HttpFetcher::new().map_err(|e| KeySetError::NoFetcher(e.to_string()))?;
    Ok(Box::new(client))
}

#[cfg(not(feature = "client"))]
fn default_fetcher() -> Result<Box<dyn JwksFetch>, KeySetError> {
    Err(KeySetError::NoFetcher(
        "the `client` feature is off; give `KeySetBuilder::fetcher` one".into(),
    ))
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("KeySet");
        match &self.inner.source {
            Source::Pem => s.field("source", &"pem"),
            Source::Url {
                request,
                ttl,
                interval,
                ..
            } => s
                .field("source", request)
                .field("ttl", ttl)
                .field("refresh_interval", interval),
        };
        s.field("keys", &self.verifier().map(|v| v.key_count()))
            .finish_non_exhaustive()
    }
}

impl KeySet {
    /// How long fetched keys are kept by default: 5 minutes, as Clerk's SDKs keep them.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(300);
    /// The least time between two fetches by default: 10 s.
    pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(10);
    /// How long one fetch may take by default: 10 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

    /// A key set of the instance's PEM public key (the dashboard's "JWT public key",
    /// `CLERK_JWT_KEY`): networkless, it verifies tokens whatever their `kid`.
    ///
    /// It takes the key as people hold it, as `@clerk/backend` does: PEM on several lines
    /// or on one, with real or literal `\n` line breaks (as `.env` files hold it), or its
    /// base64 body alone. A `String` from the environment works as it is.
    ///
    /// ```
    /// # use clerk_models_axum::KeySet;
    /// let key = std::env::var("CLERK_JWT_KEY").unwrap_or_default();
    /// let keys = KeySet::from_pem(key); // an unset key is an error naming the forms
    /// assert!(keys.unwrap_err().to_string().contains("base64 body alone"));
    /// ```
    ///
    /// # Errors
    ///
    /// [`KeySetError::Key`] when the text is not an RSA public key in any of these forms;
    /// its message says which forms it expected.
    pub fn from_pem(pem: impl AsRef<[u8]>) -> Result<Self, KeySetError> {
        Self::pem(pem)?.build()
    }

    /// A builder for a PEM key, to set the clock; it takes the forms
    /// [`from_pem`](Self::from_pem) takes.
    ///
    /// # Errors
    ///
    /// [`KeySetError::Key`] when the text is not an RSA public key in any of these forms.
    pub fn pem(pem: impl AsRef<[u8]>) -> Result<KeySetBuilder, KeySetError> {
        let unusable =
            |why: &str| KeySetError::Key(JwtError::Key(format!("{why}; {}", crate::pem::EXPECTED)));
        let text = crate::pem::normalize(pem.as_ref()).map_err(unusable)?;
        let verifier = Verifier::from_pem(text.as_bytes()).map_err(|e| match e {
            JwtError::Key(why) => unusable(&why),
            other => KeySetError::Key(other),
        })?;
        Ok(KeySetBuilder::new(Some(verifier), None))
    }

    /// A builder for a JWKS URL: the Frontend API's `https://<frontend-api>/.well-known/jwks.json`,
    /// or the Backend API's `https://api.clerk.com/v1/jwks` with
    /// [`secret_key`](KeySetBuilder::secret_key).
    ///
    /// # Errors
    ///
    /// [`KeySetError::InvalidUrl`] when `url` does not parse or has no host;
    /// [`KeySetError::InsecureUrl`] unless it is `https`, or `http` on a loopback address
    /// (`127.0.0.0/8`, `[::1]`) for tests.
    pub fn jwks_url(url: &str) -> Result<KeySetBuilder, KeySetError> {
        let uri: Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| KeySetError::InvalidUrl(e.to_string()))?;
        let host = uri
            .host()
            .ok_or_else(|| KeySetError::InvalidUrl("the URL has no host".into()))?;
        let loopback = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        match uri.scheme_str() {
            Some("https") => {}
            Some("http") if loopback => {}
            _ => return Err(KeySetError::InsecureUrl),
        }
        let request = JwksRequest {
            url: uri,
            bearer: None,
        };
        Ok(KeySetBuilder::new(None, Some(request)))
    }

    /// Fetches the keys now (for a URL; a PEM set has its key already), waiting for a fetch
    /// already in flight rather than starting a second. Call it at startup to fail fast
    /// on a wrong URL or secret key.
    ///
    /// # Errors
    ///
    /// Why the fetch gave no keys; the set keeps any keys it had.
    pub async fn prefetch(&self) -> Result<(), FetchError> {
        match self.schedule(Trigger::Explicit).await {
            Some(outcome) => outcome,
            // A PEM set, or a fetch that ran while this call waited for it.
            None => match self.snapshot() {
                Ok(_) => Ok(()),
                Err(e) => Err(FetchError::Other(e.to_string().into())),
            },
        }
    }

    /// The keys as they are now, without fetching: `None` until a fetch succeeds.
    #[must_use]
    pub fn verifier(&self) -> Option<Arc<Verifier>> {
        self.read().keys.as_ref().map(|k| Arc::clone(&k.verifier))
    }

    /// The clock this set (and a layer over it) reads.
    #[must_use]
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }

    /// The keys to verify with: fetched first if missing or older than the TTL (and the
    /// refresh interval allows).
    pub(crate) async fn current(&self) -> Result<Keys, KeysUnavailable> {
        self.schedule(Trigger::Stale).await;
        self.snapshot()
    }

    /// The keys after a refresh for a `kid` that `seen` lacks, if the interval allows one
    /// (or a fetch ran while this one waited). Compare the generation with `seen`'s.
    pub(crate) async fn refresh_for_unknown_key(&self) -> Result<Keys, KeysUnavailable> {
        self.schedule(Trigger::UnknownKey).await;
        self.snapshot()
    }

    /// After a token's `kid` was missing from the keys at `since`: `None` when a fetch has
    /// succeeded since then (the key is not Clerk's: refuse the token), else how long until
    /// the next fetch may run (at least 1 s: the key may be one Clerk has just published).
    pub(crate) fn unknown_key_wait(&self, since: SystemTime) -> Option<Duration> {
        let Source::Url { interval, .. } = &self.inner.source else {
            return None;
        };
        let state = self.read();
        if state.fetched_at.is_some_and(|at| at >= since) {
            return None;
        }
        let now = self.inner.clock.now();
        let next = state
            .attempted_at
            .and_then(|at| at.checked_add(*interval))
            .and_then(|next| next.duration_since(now).ok())
            .unwrap_or_default();
        Some(next.max(Duration::from_secs(1)))
    }

    /// Whether a request at `now` should go through [`current`](Self::current) before it
    /// trusts a cached token: the keys are missing or older than the TTL, and a fetch may
    /// start (or one is running). False for a PEM key.
    pub(crate) fn wants_fetch(&self, now: SystemTime) -> bool {
        let Source::Url { ttl, interval, .. } = &self.inner.source else {
            return false;
        };
        let state = self.read();
        state.wants(now, *ttl, *interval)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.inner
            .state
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn snapshot(&self) -> Result<Keys, KeysUnavailable> {
        let state = self.read();
        state.keys.clone().ok_or_else(|| KeysUnavailable {
            last_error: state.last_error.clone(),
        })
    }

    /// The one schedule: a fetch runs when `trigger` wants one, the refresh interval has
    /// passed since the last attempt (an explicit prefetch excepted), and no fetch ran
    /// while this call waited for the single flight. The fetch's outcome, if one ran.
    async fn schedule(&self, trigger: Trigger) -> Option<Result<(), FetchError>> {
        let Source::Url {
            request,
            fetcher,
            ttl,
            interval,
            timeout,
        } = &self.inner.source
        else {
            return None;
        };
        let now = self.inner.clock.now();
        let seen = {
            let state = self.read();
            let wanted = match trigger {
                Trigger::Stale => state.wants(now, *ttl, *interval),
                Trigger::UnknownKey => {
                    state.in_flight || older_than(state.attempted_at, now, *interval)
                }
                Trigger::Explicit => true,
            };
            if !wanted {
                return None;
            }
            state.attempts
        };
        let _flight = self.inner.fetching.lock().await;
        {
            let state = self.read();
            let ran_meanwhile = state.attempts != seen;
            let too_soon =
                trigger != Trigger::Explicit && !older_than(state.attempted_at, now, *interval);
            if ran_meanwhile || too_soon {
                return None;
            }
        }
        {
            let mut state = self
                .inner
                .state
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            state.attempted_at = Some(now);
            state.attempts += 1;
            state.in_flight = true;
        }
        let outcome = match tokio::time::timeout(*timeout, fetcher.fetch(request)).await {
            Err(_) => Err(FetchError::Timeout),
            Ok(Err(e)) => Err(e),
            Ok(Ok(body)) if body.len() > MAX_JWKS_BYTES => Err(FetchError::TooLarge),
            Ok(Ok(body)) => std::str::from_utf8(&body)
                .map_err(|_| FetchError::Keys(JwtError::Key("the JWKS is not UTF-8".into())))
                .and_then(|text| Verifier::from_jwks(text).map_err(FetchError::Keys)),
        };
        let mut state = self
            .inner
            .state
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        state.in_flight = false;
        Some(match outcome {
            Ok(verifier) => {
                let generation = state.keys.as_ref().map_or(0, |k| k.generation) + 1;
                state.keys = Some(Keys {
                    generation,
                    verifier: Arc::new(verifier),
                });
                state.fetched_at = Some(now);
                state.last_error = None;
                Ok(())
            }
            Err(e) => {
                state.last_error = Some(e.to_string());
                Err(e)
            }
        })
    }
}

impl State {
    /// The keys are missing or older than `ttl`, and a fetch may start (the last attempt is
    /// `interval` old) or is running (a request waits for it).
    fn wants(&self, now: SystemTime, ttl: Duration, interval: Duration) -> bool {
        let stale = self.keys.is_none() || older_than(self.fetched_at, now, ttl);
        stale && (self.in_flight || older_than(self.attempted_at, now, interval))
    }
}

/// Whether `since` is unset, or at least `age` before `now`. A clock that went back counts
/// as time passed, so a jump never stops the schedule for good.
fn older_than(since: Option<SystemTime>, now: SystemTime, age: Duration) -> bool {
    since.is_none_or(|since| {
        now.duration_since(since)
            .map_or(true, |elapsed| elapsed >= age)
    })
}
