//! Opaque machine tokens (`ak_…` API keys, `mt_…` M2M tokens, `oat_…` OAuth access tokens),
//! which only the Backend API can verify: [`ClerkLayer::with_api`](crate::ClerkLayer::with_api).
//!
//! A verified token is cached under the SHA-256 of the token (never the token) for at most
//! `opaque_ttl` and never past its expiration; a refused one for a few seconds. **The cache
//! opens a revocation window**: a token revoked in Clerk keeps working here until its entry
//! ends, `opaque_ttl` at most (30 s by default; 0 turns the cache off). Verifications are
//! bounded, so a flood of made-up tokens costs Clerk's rate limit nothing beyond the bound:
//! at most `max_in_flight` at once and `max_per_second` started per second; a request waits
//! at most `max_wait` for its turn, else it is answered 503 with `Retry-After`. Cached good
//! tokens never wait.

use core::fmt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use clerk_models::jwt::TokenType;
use clerk_models_api::api_keys::VerifyApiKey;
use clerk_models_api::m2m::VerifyM2mToken;
use clerk_models_api::models::VerifyOAuthAccessTokenResponse;
use clerk_models_api::oauth_access_tokens::VerifyOAuthAccessToken;
use clerk_models_api::{ApiError, ApiErrorKind, Client};

use crate::auth::{AuthState, MachineAuth};
use crate::clock::Clock;
use crate::rejection::AuthRejection;

/// A verified opaque token: what Clerk's verify endpoint said of it. Never the token.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct OpaqueToken {
    /// The class: [`TokenType::ApiKey`], [`TokenType::M2mToken`] or [`TokenType::OAuthToken`].
    pub class: TokenType,
    /// The token's id in Clerk (`ak_…`'s `id`, `mt_…`'s, `oat_…`'s).
    pub id: String,
    /// Whom it acts for: a user (`user_…`), an organization (`org_…`) or a machine (`mch_…`).
    pub subject: String,
    /// The scopes it grants.
    pub scopes: Vec<String>,
    /// Its custom claims, as Clerk holds them.
    pub claims: Option<serde_json::Value>,
    /// When it expires (Unix milliseconds), if it does.
    pub expiration: Option<i64>,
}

/// How the layer verifies opaque tokens: see the module's docs.
#[derive(Clone, Debug)]
pub(crate) struct OpaqueSettings {
    pub(crate) ttl: Duration,
    pub(crate) refused_ttl: Duration,
    pub(crate) max_in_flight: usize,
    pub(crate) max_per_second: u32,
    pub(crate) max_wait: Duration,
    pub(crate) capacity: usize,
}

impl Default for OpaqueSettings {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(30),
            refused_ttl: Duration::from_secs(5),
            max_in_flight: 10,
            max_per_second: 50,
            max_wait: Duration::from_secs(5),
            capacity: 10_000,
        }
    }
}

enum Entry {
    Valid(Arc<OpaqueToken>, SystemTime),
    Refused(&'static str, SystemTime),
}

/// The opaque tokens' verifier, cache and bounds, one per layer.
pub(crate) struct Opaque {
    client: Client,
    settings: OpaqueSettings,
    cache: Mutex<HashMap<[u8; 32], Entry>>,
    in_flight: tokio::sync::Semaphore,
    /// Verifications started in the current second, and that second.
    started: Mutex<(u64, u32)>,
    logged_misconfiguration: AtomicBool,
}

impl fmt::Debug for Opaque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opaque")
            .field("client", &self.client)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The cache's key: the token's SHA-256, so the cache never holds a token.
fn digest(token: &str) -> [u8; 32] {
    let hash = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
    let mut key = [0u8; 32];
    key.copy_from_slice(hash.as_ref());
    key
}

/// Unix milliseconds of a `SystemTime` (0 before the epoch).
fn millis(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

impl Opaque {
    pub(crate) fn new(client: Client, settings: OpaqueSettings) -> Self {
        Self {
            client,
            in_flight: tokio::sync::Semaphore::new(settings.max_in_flight.max(1)),
            settings,
            cache: Mutex::new(HashMap::new()),
            started: Mutex::new((0, 0)),
            logged_misconfiguration: AtomicBool::new(false),
        }
    }

    /// What the cache says of `token` at `now`, without a call.
    pub(crate) fn cached(&self, token: &str, now: SystemTime) -> Option<AuthState> {
        let cache = lock(&self.cache);
        match cache.get(&digest(token))? {
            Entry::Valid(found, until) if now < *until => {
                Some(AuthState::Machine(MachineAuth::Opaque(Arc::clone(found))))
            }
            Entry::Refused(code, until) if now < *until => {
                Some(AuthState::Refused(AuthRejection::opaque_refused(code)))
            }
            _ => None,
        }
    }

    /// Verifies `token` of `class` with Clerk, within the bounds, and caches the outcome.
    pub(crate) async fn verify(
        &self,
        token: &str,
        class: TokenType,
        clock: &dyn Clock,
    ) -> AuthState {
        if let Some(state) = self.cached(token, clock.now()) {
            return state;
        }
        let wait = self.settings.max_wait;
        let Ok(Ok(_permit)) = tokio::time::timeout(wait, self.in_flight.acquire()).await else {
            return AuthState::Refused(AuthRejection::busy(Duration::from_secs(1)));
        };
        // Another request may have verified it while this one waited.
        let now = clock.now();
        if let Some(state) = self.cached(token, now) {
            return state;
        }
        if let Some(retry) = self.over_rate(now) {
            return AuthState::Refused(AuthRejection::busy(retry));
        }
        let outcome = match class {
            TokenType::ApiKey => self.client.send(&VerifyApiKey::new(token)).await.map(|k| {
                (!k.revoked && !k.expired).then(|| OpaqueToken {
                    class,
                    id: k.id,
                    subject: k.subject,
                    scopes: k.scopes,
                    claims: Some(k.claims),
                    expiration: k.expiration.map(|e| e as i64),
                })
            }),
            TokenType::M2mToken => self
                .client
                .send(&VerifyM2mToken::new(token))
                .await
                .map(|t| {
                    (!t.revoked && !t.expired).then(|| OpaqueToken {
                        class,
                        id: t.id,
                        subject: t.subject,
                        scopes: t.scopes,
                        claims: t.claims,
                        expiration: t.expiration.map(|e| e as i64),
                    })
                }),
            TokenType::OAuthToken => self
                .client
                .send(&VerifyOAuthAccessToken::new().access_token(token))
                .await
                .map(|answer| match answer {
                    VerifyOAuthAccessTokenResponse::ClerkIdpOauthAccessToken(t)
                        if !t.revoked && !t.expired =>
                    {
                        Some(OpaqueToken {
                            class,
                            id: t.id,
                            subject: t.subject,
                            scopes: t.scopes,
                            claims: None,
                            expiration: t.expiration.map(|e| e as i64),
                        })
                    }
                    // `{active: false}`, a revoked or expired token, or an answer this
                    // version does not know: not valid.
                    _ => None,
                }),
            _ => return AuthState::Refused(AuthRejection::OPAQUE),
        };
        let now = clock.now();
        match outcome {
            Ok(Some(found)) => {
                let found = Arc::new(found);
                let mut until = now + self.settings.ttl;
                if let Some(expiration) = found.expiration {
                    let left = u64::try_from(expiration - millis(now)).unwrap_or(0);
                    until = until.min(now + Duration::from_millis(left));
                }
                if until > now {
                    self.remember(token, Entry::Valid(Arc::clone(&found), until), now);
                }
                AuthState::Machine(MachineAuth::Opaque(found))
            }
            Ok(None) => self.refuse(token, "token_inactive", now),
            Err(error) => self.failed(token, &error, now),
        }
    }

    /// Clerk's failure: the token is not valid (401 here), our key is refused (500, said
    /// once), or Clerk is away or busy (503, with its `Retry-After` if it sent one).
    fn failed(&self, token: &str, error: &ApiError, now: SystemTime) -> AuthState {
        let status = error.status().map(|s| s.as_u16());
        match (error.kind(), status) {
            (ApiErrorKind::Clerk | ApiErrorKind::UnreadableError, Some(400 | 404 | 410 | 422)) => {
                self.refuse(token, "token_not_found", now)
            }
            (_, Some(401 | 403)) => {
                if !self.logged_misconfiguration.swap(true, Ordering::Relaxed) {
                    // The one line the layer writes: a secret key Clerk refuses breaks every
                    // opaque token, and its operator must hear of it (the key is never shown).
                    eprintln!(
                        "clerk-models-axum: the Backend API refused the secret key ({}); \
                         opaque tokens cannot be verified",
                        error.code().unwrap_or("no code")
                    );
                }
                AuthState::Refused(AuthRejection::MISCONFIGURED)
            }
            _ => {
                let retry = error
                    .retry_after()
                    .map_or(Duration::from_secs(1), |r| r.delay_from(now));
                AuthState::Refused(AuthRejection::busy(retry))
            }
        }
    }

    fn refuse(&self, token: &str, code: &'static str, now: SystemTime) -> AuthState {
        self.remember(
            token,
            Entry::Refused(code, now + self.settings.refused_ttl),
            now,
        );
        AuthState::Refused(AuthRejection::opaque_refused(code))
    }

    fn remember(&self, token: &str, entry: Entry, now: SystemTime) {
        if self.settings.ttl.is_zero() && matches!(entry, Entry::Valid(..)) {
            return;
        }
        let mut cache = lock(&self.cache);
        if cache.len() >= self.settings.capacity {
            cache.retain(|_, e| match e {
                Entry::Valid(_, until) | Entry::Refused(_, until) => *until > now,
            });
            if cache.len() >= self.settings.capacity {
                cache.clear();
            }
        }
        cache.insert(digest(token), entry);
    }

    /// `Some(wait)` when this second's verifications are spent.
    fn over_rate(&self, now: SystemTime) -> Option<Duration> {
        let elapsed = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let second = elapsed.as_secs();
        let mut started = lock(&self.started);
        if started.0 != second {
            *started = (second, 0);
        }
        if started.1 >= self.settings.max_per_second {
            return Some(
                Duration::from_secs(1) - Duration::from_nanos(elapsed.subsec_nanos().into()),
            );
        }
        started.1 += 1;
        None
    }
}
